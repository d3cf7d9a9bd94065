import { expect, test, type Page } from '@playwright/test';
import { join, resolve } from 'node:path';
import { dismissToasts, setTheme } from '../support/e2e-page.js';

// Training through the UI against the server face: the bundled NSL-KDD sample, a gradient-boosting
// model on the benign / attack target, its progress, results, confusion matrix and per-class table.
const SHOTS = resolve('tests/e2e/screenshots');

/** Imports a bundled sample through the samples dialog; resolves to the new dataset's id. */
async function importSample(page: Page, sample: 'nsl-kdd' | 'cicids2017', title: string): Promise<number> {
  await page.goto('/#/datasets');
  await page.getByTestId('sample-button').first().click();
  await page.getByTestId(`sample-import-${sample}`).click();
  await expect(page.getByTestId('dataset-title')).toContainText(title, { timeout: 60_000 });
  const m = /#\/datasets\/(\d+)/.exec(page.url());
  expect(m, 'the new dataset opens').not.toBeNull();
  return Number(m![1]);
}

/** Sets a parameter when the catalog has it (keys come from models.catalog). */
async function setParam(page: Page, key: string, value: string) {
  const input = page.getByTestId(`train-param-${key}`);
  if ((await input.count()) === 0) {
    const more = page.getByTestId('train-more-params');
    if ((await more.count()) > 0 && !(await more.evaluate((d) => (d as HTMLDetailsElement).open))) await more.locator('summary').click();
  }
  if ((await input.count()) > 0) await input.fill(value);
}

/** A gradient-boosting run slow enough to watch: many rounds, no early stopping, small steps. */
async function slowBoosting(page: Page) {
  await page.getByTestId('train-model-gradient-boosting').check();
  await setParam(page, 'maxRounds', '5000');
  await setParam(page, 'earlyStoppingRounds', '0');
  await setParam(page, 'learningRate', '0.01');
}

/** Waits until the progress bar reports a value above `above`; returns it. */
async function progressAbove(page: Page, above: number): Promise<number> {
  const bar = page.getByTestId('train-progress-bar');
  let seen = 0;
  await expect
    .poll(
      async () => {
        const v = await bar.getAttribute('aria-valuenow').catch(() => null);
        seen = v === null ? 0 : Number(v);
        return seen;
      },
      { timeout: 60_000, intervals: [100] },
    )
    .toBeGreaterThan(above);
  return seen;
}

test('trains gradient boosting on the NSL-KDD sample: progress, results, confusion matrix, per-class table', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1440, height: 1500 });
  const datasetId = await importSample(page, 'nsl-kdd', 'NSL-KDD');

  // the dataset view leads to the Train page with this dataset chosen
  await page.getByTestId('dataset-train-button').click();
  await expect(page).toHaveURL(new RegExp(`#/train/${datasetId}$`));
  await expect(page.getByTestId('nav-train')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('train-dataset')).toHaveValue(String(datasetId));
  await expect(page.getByTestId('train-target-count-binary')).toHaveText('2 classes');
  await page.getByTestId('train-target-binary').check();
  await slowBoosting(page);
  await expect(page.getByTestId('train-test-size')).toHaveValue('30');
  await expect(page.getByTestId('train-seed')).toHaveValue('42');
  await page.getByTestId('train-name').fill('GB · NSL-KDD · binary (e2e)');
  await expect(page.getByTestId('train-start')).toBeEnabled();
  await page.getByTestId('train-start').click();

  // running: the bar moves, the phase is named, the live validation loss is drawn
  await expect(page.getByTestId('train-progress')).toBeVisible();
  await expect(page.getByTestId('train-phase')).toHaveText(/Boosting/, { timeout: 60_000 });
  // the checks that need the job still running come first, the bar's movement last
  await expect(page.getByTestId('train-elapsed')).toHaveText(/^\d+:\d\d$/);
  await expect(page.getByTestId('train-start')).toBeDisabled();
  await expect(page.getByTestId('train-progress-detail')).toContainText(/of [\d,]+ rounds/);
  await progressAbove(page, await progressAbove(page, 0));
  await expect(page.getByTestId('train-metric-chart')).toBeVisible();
  await dismissToasts(page);
  await page.screenshot({ path: join(SHOTS, 'train-running.png'), animations: 'disabled' });

  // done: the results of the new model open
  await expect(page.getByTestId('results-title')).toHaveText('GB · NSL-KDD · binary (e2e)', { timeout: 180_000 });
  await expect(page).toHaveURL(/#\/models\/\d+$/);
  await expect(page.getByTestId('model-fact-evaluation')).toHaveText('30% hold-out');
  await expect(page.getByTestId('metric-accuracy')).toHaveText(/^\d{1,3}\.\d\d%/);
  await expect(page.getByTestId('metric-macro-f1')).toHaveText(/^\d{1,3}\.\d\d%/);

  // the confusion matrix: 2 x 2 cells that add up to the test rows
  const testRows = Number((await page.getByTestId('model-fact-test-rows').innerText()).replace(/[^\d]/g, ''));
  expect(testRows).toBeGreaterThan(800);
  expect(testRows).toBeLessThan(1000);
  const matrix = page.getByTestId('confusion-matrix');
  await expect(matrix).toHaveAttribute('data-mode', 'counts');
  const cells = matrix.locator('[data-testid^="confusion-cell-"]');
  await expect(cells).toHaveCount(4);
  const counts = await cells.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(testRows);
  // counts mode shows the numbers themselves
  const shown = await cells.evaluateAll((els) => els.map((e) => Number((e.textContent ?? '').replace(/[^\d]/g, ''))));
  expect(shown).toEqual(counts);
  await expect(page.getByTestId('confusion-cell-0-1')).toHaveAttribute('title', /^true \S+ predicted as \S+: [\d,]+ \([\d.<>]+%\)$/);

  // per class: attack and benign
  const perClass = page.getByTestId('per-class-table');
  await expect(perClass.locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('per-class-row-attack')).toBeVisible();
  await expect(page.getByTestId('per-class-row-benign')).toBeVisible();
  // a binary model has one curve set (attack vs benign), so there is nothing to choose
  await expect(page.getByTestId('curve-select')).toHaveCount(0);
  await expect(page.getByTestId('roc-chart')).toBeVisible();
  await expect(page.getByTestId('roc-chart')).toContainText('AUC');
  await expect(page.getByTestId('pr-chart')).toBeVisible();
  await expect(page.getByTestId('importance-chart')).toBeVisible();

  // row-normalised mode: each true row adds up to 100%
  await page.getByTestId('confusion-mode-toggle').click();
  await expect(matrix).toHaveAttribute('data-mode', 'normalised');
  await expect(page.getByTestId('confusion-cell-0-0')).toHaveText(/%$/);
  const shares = await cells.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-share'))));
  expect(shares[0]! + shares[1]!).toBeCloseTo(1, 5);
  expect(shares[2]! + shares[3]!).toBeCloseTo(1, 5);

  await dismissToasts(page);
  await page.getByTestId('confusion-cell-0-1').hover();
  await setTheme(page, 'light');
  await page.screenshot({ path: join(SHOTS, 'results-light.png'), animations: 'disabled' });
  await setTheme(page, 'dark');
  await page.screenshot({ path: join(SHOTS, 'results-dark.png'), animations: 'disabled' });
  await setTheme(page, 'light');

  // a second, quick model to compare with: extra trees on the attack category
  await page.goto(`/#/train/${datasetId}`);
  await page.getByTestId('train-model-extra-trees').check();
  await page.getByTestId('train-target-category').check();
  await page.getByTestId('train-name').fill('ET · NSL-KDD · category (e2e)');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('results-title')).toHaveText('ET · NSL-KDD · category (e2e)', { timeout: 120_000 });
  await expect(page.getByTestId('per-class-table').locator('tbody tr')).not.toHaveCount(2);

  // the comparison table lists both; the best accuracy is marked; a row opens its results
  await page.getByTestId('nav-models').click();
  const table = page.getByTestId('models-table');
  await expect(table).toBeVisible();
  const gbRow = table.locator('tbody tr', { hasText: 'GB · NSL-KDD · binary (e2e)' });
  const etRow = table.locator('tbody tr', { hasText: 'ET · NSL-KDD · category (e2e)' });
  await expect(gbRow).toContainText('Gradient');
  await expect(gbRow).toContainText('30% hold-out');
  await expect(etRow).toContainText(/category · \d+/);
  await expect(table.locator('td.is-best').first()).toBeVisible();
  await page.getByTestId('models-sort-accuracy').click();
  await expect(table).toHaveAttribute('data-sort', 'accuracy-desc');
  await dismissToasts(page);
  await page.screenshot({ path: join(SHOTS, 'models.png'), animations: 'disabled' });
  await gbRow.click();
  await expect(page.getByTestId('results-title')).toHaveText('GB · NSL-KDD · binary (e2e)');
});

test('the Train form refuses parameters out of range; a cancelled training stores no model', async ({ page }) => {
  test.setTimeout(180_000);
  const datasetId = await importSample(page, 'nsl-kdd', 'NSL-KDD');
  await page.goto('/#/models');
  await expect(page.getByTestId('models-table').or(page.getByTestId('models-empty'))).toBeVisible();
  const modelsBefore = await page.locator('[data-testid^="model-row-"]').count();

  await page.goto(`/#/train/${datasetId}`);
  await page.getByTestId('train-model-random-forest').check();
  await page.getByTestId('train-param-nTrees').fill('0');
  await expect(page.getByTestId('train-start')).toBeDisabled();
  await expect(page.getByTestId('train-form-errors')).toContainText('Trees must be between 1 and 2000.');
  await expect(page.getByTestId('train-param-nTrees')).toHaveAttribute('aria-invalid', 'true');
  await page.getByTestId('train-param-nTrees').fill('100');
  await page.getByTestId('train-test-mode-folds').check();
  await page.getByTestId('train-folds').fill('50');
  await expect(page.getByTestId('train-start')).toBeDisabled();
  await expect(page.getByTestId('train-form-errors')).toContainText('Folds must be a whole number between 2 and 20.');
  await page.getByTestId('train-test-mode-split').check();
  await expect(page.getByTestId('train-start')).toBeEnabled();

  await page.getByTestId('train-target-binary').check();
  await slowBoosting(page);
  // keyboard only: Enter in a field starts, focus moves to Cancel, Enter cancels, focus returns to Start
  await page.getByTestId('train-seed').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('train-cancel')).toBeFocused();
  await expect(page.getByTestId('train-phase')).toHaveText(/Boosting/, { timeout: 60_000 });
  await progressAbove(page, 0);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('train-cancelled')).toContainText('Training cancelled', { timeout: 30_000 });
  await expect(page.getByTestId('train-start')).toBeEnabled();
  await expect(page.getByTestId('train-start')).toBeFocused();
  await page.getByTestId('nav-models').click();
  await expect(page.getByTestId('models-table').or(page.getByTestId('models-empty'))).toBeVisible();
  await expect(page.locator('[data-testid^="model-row-"]')).toHaveCount(modelsBefore);
});

test('evaluates a model on another dataset and shows its metrics in a dialog', async ({ page }) => {
  test.setTimeout(180_000);
  const trainId = await importSample(page, 'nsl-kdd', 'NSL-KDD');
  const otherId = await importSample(page, 'nsl-kdd', 'NSL-KDD');
  await page.goto(`/#/train/${trainId}`);
  await expect(page.getByTestId('train-dataset')).toHaveValue(String(trainId));
  await page.getByTestId('train-model-extra-trees').check();
  await page.getByTestId('train-target-binary').check();
  await page.getByTestId('train-name').fill('ET · NSL-KDD · binary (evaluate e2e)');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('results-title')).toHaveText('ET · NSL-KDD · binary (evaluate e2e)', { timeout: 120_000 });

  await page.getByTestId('evaluate-button').click();
  const dialog = page.getByTestId('evaluate-dialog');
  await expect(dialog).toBeVisible();
  // the training dataset is not offered
  await expect(page.getByTestId('evaluate-dataset').locator(`option[value="${trainId}"]`)).toHaveCount(0);
  await page.getByTestId('evaluate-dataset').selectOption(String(otherId));
  await page.getByTestId('evaluate-submit').click();
  await expect(page.getByTestId('evaluate-result')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('eval-metric-accuracy')).toHaveText(/^\d{1,3}\.\d\d%/);
  const rows = Number(((await page.getByTestId('evaluate-result').locator('p').first().innerText()).match(/^([\d,]+) rows/) ?? ['', '0'])[1]!.replace(/,/g, ''));
  expect(rows).toBe(3000);
  const counts = await page.locator('[data-testid^="eval-confusion-cell-"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
  expect(counts).toHaveLength(4);
  expect(counts.reduce((a, b) => a + b, 0)).toBe(rows);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});
