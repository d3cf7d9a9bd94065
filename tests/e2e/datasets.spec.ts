import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTheme } from '../support/e2e-page.js';

// Real excerpts of the corrected CICIDS2017 (one file per class) and NSL-KDD, shipped as fixtures.
const FIXTURES = resolve('tests/fixtures');
const SHOTS = resolve('tests/e2e/screenshots');

/** The 16 per-class CICIDS2017 excerpts concatenated (one header) and repeated until ~`mb` MB,
 *  so that the import lasts long enough to watch (and cancel) its progress bar. */
function bigCicidsFile(mb: number): { path: string; rows: number } {
  const dir = join(FIXTURES, 'cicids2017-corrected');
  let header = '';
  const rows: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    const lines = readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.length > 0);
    header = lines[0];
    rows.push(...lines.slice(1));
  }
  const block = rows.join('\n') + '\n';
  const copies = Math.ceil((mb * 1e6) / block.length);
  const out = join(mkdtempSync(join(tmpdir(), 'flowsight-e2e-data-')), `cicids2017-${mb}mb.csv`);
  writeFileSync(out, header + '\n' + block.repeat(copies));
  return { path: out, rows: rows.length * copies };
}

test('empty workspace offers sample data and file import', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('datasets-empty')).toBeVisible();
  await expect(page.getByTestId('sample-button')).toBeVisible();
  await expect(page.getByTestId('import-button').first()).toBeVisible();
  await setTheme(page, 'light');
  await page.screenshot({ path: join(SHOTS, 'datasets-empty-light.png') });
});

test('imports a real CICIDS2017 fixture through the UI: progress, class chart, cleaning report', async ({ page }) => {
  const { path: file, rows } = bigCicidsFile(60);
  await page.goto('/');
  await page.getByTestId('import-button').first().click();
  await page.getByTestId('import-file-input').setInputFiles(file);
  await expect(page.getByTestId('import-file-list')).toContainText('cicids2017-60mb.csv');
  await page.getByTestId('import-name').fill('CICIDS2017 fixture');
  await page.getByTestId('import-submit').click();

  const progress = page.getByTestId('import-progress');
  await expect(progress).toBeVisible();
  const bar = page.getByTestId('import-progress-bar');
  await expect(bar).toHaveAttribute('role', 'progressbar');
  await expect(bar).toHaveAttribute('aria-valuenow', /\d+/);
  await page.screenshot({ path: join(SHOTS, 'datasets-importing.png') });

  // the new dataset opens when the import is done
  await expect(page.getByTestId('dataset-title')).toHaveText('CICIDS2017 fixture', { timeout: 60_000 });
  const facts = page.getByTestId('dataset-facts');
  await expect(facts).toContainText('CICFlowMeter · corrected');
  await expect(page.getByTestId('fact-rows')).toContainText(rows.toLocaleString('en-US'));

  // all 16 classes in the class-distribution chart, rare ones included
  const chart = page.getByTestId('class-chart-section');
  await expect(chart).toBeVisible();
  for (const label of ['BENIGN', 'Heartbleed', 'Web Attack - SQL Injection', 'Infiltration - Portscan']) {
    await expect(chart.getByText(label, { exact: true }).first()).toBeVisible();
  }
  // cleaning report: the corrected CICIDS2017 excerpts hold no malformed rows; the report says how many rows were read
  const report = page.getByTestId('cleaning-report');
  await expect(report).toBeVisible();
  await expect(report).toContainText(/rows/i);
  // the feature table lists features with statistics; identifiers are marked as such
  await expect(page.getByTestId('feature-section')).toContainText('Flow Duration');
  await expect(page.getByTestId('preview-table')).toBeVisible();

  await page.getByTestId('toasts').getByRole('button').first().click().catch(() => undefined);
  // the shell scrolls inside its own pane: a tall window shows the whole dataset view
  await page.setViewportSize({ width: 1440, height: 1500 });
  await setTheme(page, 'light');
  await page.screenshot({ path: join(SHOTS, 'datasets-light.png') });
  await setTheme(page, 'dark');
  await page.screenshot({ path: join(SHOTS, 'datasets-dark.png') });
  await setTheme(page, 'light');
});

test('a cancelled import stores nothing', async ({ page }) => {
  const { path: file } = bigCicidsFile(250);
  await page.goto('/');
  await expect(page.getByTestId('dataset-list')).toBeVisible();
  const before = await page.locator('[data-testid^="dataset-row-"]').count();

  await page.getByTestId('import-button').first().click();
  await page.getByTestId('import-file-input').setInputFiles(file);
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('import-progress')).toBeVisible();
  await page.getByTestId('import-cancel').click();
  await expect(page.getByTestId('import-cancelled')).toContainText('nothing was stored');
  await expect(page.locator('[data-testid^="dataset-row-"]')).toHaveCount(before);
});

test('a broken file is refused with a clear message and nothing is stored', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'flowsight-e2e-bad-'));
  const bad = join(dir, 'garbage.csv');
  writeFileSync(bad, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
  await page.goto('/');
  await expect(page.getByTestId('dataset-list')).toBeVisible();
  const before = await page.locator('[data-testid^="dataset-row-"]').count();
  await page.getByTestId('import-button').first().click();
  await page.getByTestId('import-file-input').setInputFiles(bad);
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('import-error-message')).toContainText('garbage.csv');
  await expect(page.locator('[data-testid^="dataset-row-"]')).toHaveCount(before);
});

test('try with sample data imports the NSL-KDD excerpt', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('sample-button').first().click();
  await page.getByTestId('sample-import-nsl-kdd').click();
  await expect(page.getByTestId('dataset-title')).toContainText('NSL-KDD', { timeout: 60_000 });
  await expect(page.getByTestId('fact-rows')).toContainText('3,000');
});

test('the CICIDS2017 sample shows its rare classes; log scale on demand', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('sample-button').first().click();
  await page.getByTestId('sample-import-cicids2017').click();
  await expect(page.getByTestId('dataset-title')).toContainText('CICIDS2017', { timeout: 60_000 });
  await expect(page.getByTestId('fact-classes')).toContainText('16');
  const chart = page.getByTestId('class-chart');
  await expect(chart).toHaveAttribute('data-scale', 'linear'); // 809 BENIGN vs 11 Heartbleed: under the 200x auto-log ratio
  await page.getByTestId('class-log-toggle').click();
  await expect(chart).toHaveAttribute('data-scale', 'log');
  await expect(page.getByTestId('class-chart-section').getByText('Heartbleed', { exact: true }).first()).toBeVisible();
  await page.getByTestId('class-target-category').click();
  await expect(page.getByTestId('class-chart-section').getByText('Web Attack', { exact: true }).first()).toBeVisible();
  await page.getByTestId('class-target-label').click();
  await page.getByTestId('toasts').getByRole('button').first().click().catch(() => undefined);
  await page.setViewportSize({ width: 1440, height: 1500 });
  await setTheme(page, 'light');
  await page.screenshot({ path: join(SHOTS, 'sample-cicids2017-light.png') });
  await setTheme(page, 'dark');
  await page.screenshot({ path: join(SHOTS, 'sample-cicids2017-dark.png') });
  await setTheme(page, 'light');
});
