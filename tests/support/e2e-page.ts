/** Page helpers shared by the Playwright specs. */
import { expect, type Page } from '@playwright/test';

/** Flips the theme toggle until the page is in `theme`. */
export async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  const html = page.locator('html');
  for (let i = 0; i < 3 && (await html.getAttribute('data-theme')) !== theme; i++) {
    await page.getByTestId('theme-toggle').click();
  }
  await expect(html).toHaveAttribute('data-theme', theme);
}

/** Closes every toast on screen (so screenshots show the page, not notices). */
export async function dismissToasts(page: Page): Promise<void> {
  const buttons = page.getByTestId('toasts').getByRole('button');
  for (let i = await buttons.count(); i > 0; i--) await buttons.first().click().catch(() => undefined);
}
