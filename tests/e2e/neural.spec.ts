import { expect, test, type Page } from '@playwright/test';
import { join, resolve } from 'node:path';
import { dismissToasts, setTheme } from '../support/e2e-page.js';

// A neural network trained through the UI against the server face: an NSL-KDD excerpt imported
// from the fixtures, a DNN with a few epochs and small batches, its live loss curves per epoch, then
// its results (loss per epoch, the backend it trained on) and the status bar's TensorFlow.js backend.
const FIXTURES = resolve('tests/fixtures/nsl-kdd');
const SHOTS = resolve('tests/e2e/screenshots');
const EPOCHS = 6;

/** Imports the NSL-KDD excerpts (450 flows) through the import dialog; resolves to the dataset id. */
async function importExcerpts(page: Page, name: string): Promise<number> {
  await page.goto('/#/datasets');
  await page.getByTestId('import-button').first().click();
  await page.getByTestId('import-file-input').setInputFiles([join(FIXTURES, 'KDDTrain+_20Percent.head200.txt'), join(FIXTURES, 'KDDTest+.excerpt.txt')]);
  await expect(page.getByTestId('import-file-list')).toContainText('KDDTest+.excerpt.txt');
  await page.getByTestId('import-format').selectOption('nsl-kdd');
  await page.getByTestId('import-name').fill(name);
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('dataset-title')).toContainText(name, { timeout: 60_000 });
  await expect(page.getByTestId('fact-rows')).toContainText('450');
  const m = /#\/datasets\/(\d+)/.exec(page.url());
  expect(m, 'the new dataset opens').not.toBeNull();
  return Number(m![1]);
}

/** Sets a parameter from models.catalog, opening "More parameters" when it lives there. */
async function setParam(page: Page, key: string, value: string) {
  const input = page.getByTestId(`train-param-${key}`);
  if (!(await input.isVisible())) {
    const more = page.getByTestId('train-more-params');
    if (!(await more.evaluate((d) => (d as HTMLDetailsElement).open))) await more.locator('summary').click();
  }
  await input.fill(value);
  await expect(input).not.toHaveAttribute('aria-invalid', 'true');
}

interface LiveRecord {
  /** each number of epochs the live loss chart drew, in order, while the training panel was up */
  epochs: number[];
  /** the chart's accessible name and legend as last seen */
  label: string;
  legend: string;
  /** each progress detail line seen ("Epoch 3 of 6 · batch 12 of 36") */
  details: string[];
}

/**
 * Records the running panel in the page: a MutationObserver sees every render, however fast the
 * epochs go and even when the page has moved on to the results before the test looks.
 */
async function recordLive(page: Page) {
  await page.evaluate(() => {
    const rec = { epochs: [] as number[], label: '', legend: '', details: [] as string[] };
    (window as unknown as { __live: typeof rec }).__live = rec;
    const look = () => {
      if (!document.querySelector('[data-testid="train-progress"]')) return;
      const detail = document.querySelector('[data-testid="train-progress-detail"]')?.textContent ?? '';
      if (detail && rec.details[rec.details.length - 1] !== detail) rec.details.push(detail);
      const chart = document.querySelector('[data-testid="train-loss-chart"]');
      if (!chart) return;
      const n = Number(chart.getAttribute('data-points'));
      if (n > 0 && rec.epochs[rec.epochs.length - 1] !== n) rec.epochs.push(n);
      rec.label = chart.getAttribute('aria-label') ?? '';
      rec.legend = chart.querySelector('.recharts-legend-wrapper')?.textContent ?? rec.legend;
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

const liveRecord = (page: Page) => page.evaluate(() => (window as unknown as { __live: LiveRecord }).__live);

test('trains a DNN on NSL-KDD excerpts: live loss per epoch, then results with the epoch history and the backend', async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 1200 });
  const datasetId = await importExcerpts(page, 'NSL-KDD excerpts (neural e2e)');

  // the status bar names the TensorFlow.js backend once app.doctor has answered
  const neural = page.getByTestId('status-neural');
  await expect(neural).toHaveText(/^Neural: (?!checking|unavailable).+/, { timeout: 120_000 });
  const backendLabel = (await neural.innerText()).replace(/^Neural:\s*/, '').trim();
  await expect(neural).toHaveAttribute('title', new RegExp(`^Neural networks train on ${backendLabel.replace(/[()]/g, '\\$&')}`));
  await expect(neural).toHaveAttribute('data-backend', /^(tensorflow-gpu|tensorflow|wasm|cpu)$/);

  // the Train page offers the neural kinds, grouped, with the backend they will train on
  await page.getByTestId('dataset-train-button').click();
  await expect(page).toHaveURL(new RegExp(`#/train/${datasetId}$`));
  const group = page.getByTestId('train-kinds-neural');
  for (const kind of ['ann', 'mlp', 'dnn', 'cnn', 'autoencoder']) await expect(group.getByTestId(`train-model-${kind}`)).toBeVisible();
  await expect(page.getByTestId('train-neural-runtime')).toContainText(backendLabel);
  // the autoencoder is unsupervised: benign / attack only
  await page.getByTestId('train-target-category').check();
  await page.getByTestId('train-model-autoencoder').check();
  await expect(page.getByTestId('train-target-binary')).toBeChecked();
  await expect(page.getByTestId('train-target-category')).toBeDisabled();

  // a DNN: few epochs, small batches (dozens per epoch), every epoch run; 1024 units so that an
  // epoch takes about a second on WebAssembly and the curves can be watched growing
  await page.getByTestId('train-model-dnn').check();
  await expect(page.getByTestId('train-target-category')).toBeEnabled();
  await page.getByTestId('train-target-binary').check();
  await setParam(page, 'epochs', String(EPOCHS));
  await setParam(page, 'batchSize', '8');
  await setParam(page, 'units', '1024');
  await setParam(page, 'patience', '0');
  await page.getByTestId('train-name').fill('DNN · NSL-KDD excerpts (e2e)');
  await expect(page.getByTestId('train-start')).toBeEnabled();
  await dismissToasts(page);
  await page.getByTestId('train-kinds-neural').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'neural-train-form.png'), animations: 'disabled' });

  await recordLive(page);
  await page.getByTestId('train-start').click();
  // the panel opens at once, before the job has even reported
  await expect(page.getByTestId('train-progress')).toBeVisible();
  // for the picture: a few epochs drawn, if the machine is slow enough to catch them running
  await page
    .waitForFunction(
      () => Number(document.querySelector('[data-testid="train-loss-chart"]')?.getAttribute('data-points') ?? 0) >= 3 || !document.querySelector('[data-testid="train-progress"]'),
      null,
      { timeout: 60_000, polling: 50 },
    )
    .catch(() => undefined);
  await dismissToasts(page);
  await page.screenshot({ path: join(SHOTS, 'neural-train-running.png'), animations: 'disabled' });
  await page
    .getByTestId('train-progress')
    .screenshot({ path: join(SHOTS, 'neural-train-progress.png'), animations: 'disabled', timeout: 2_000 })
    .catch(() => undefined);

  // done: the results open
  await expect(page.getByTestId('results-title')).toHaveText('DNN · NSL-KDD excerpts (e2e)', { timeout: 240_000 });

  // while it ran: epoch and batch were named, and the loss curves gained epochs (train and validation)
  const live = await liveRecord(page);
  expect(live.details.some((d) => /^Epoch [1-6] of 6 · batch \d+ of \d+$/.test(d)), `progress lines: ${live.details.join(' | ')}`).toBe(true);
  expect(live.epochs.length, `epochs drawn while training: ${live.epochs.join(', ')}`).toBeGreaterThanOrEqual(2);
  for (let i = 1; i < live.epochs.length; i++) expect(live.epochs[i]!).toBeGreaterThan(live.epochs[i - 1]!);
  expect(live.epochs[live.epochs.length - 1]!).toBeLessThanOrEqual(EPOCHS);
  expect(live.label).toMatch(/^Live training and validation loss per epoch, \d epochs? so far$/);
  expect(live.legend).toContain('train loss');
  expect(live.legend).toContain('validation loss');

  // results: one history point per epoch (x "Epoch"), the backend and the epochs run
  const history = page.getByTestId('history-chart');
  await expect(history).toHaveAttribute('data-points', String(EPOCHS));
  await expect(history).toHaveAttribute('aria-label', /loss per epoch, 6 epochs/);
  await expect(history.locator('text', { hasText: /^Epoch$/ })).toHaveCount(1);
  await expect(page.getByTestId('history-section').locator('h2')).toHaveText('Training history');
  await expect(page.getByTestId('neural-fact-backend')).toHaveText(backendLabel);
  await expect(page.getByTestId('neural-fact-epochs')).toHaveText(/^6 run · best [1-6]$/);
  await expect(page.getByTestId('neural-fact-epoch-seconds')).toHaveText(/^\d[\d.,]* (ms|s)$/);
  await expect(page.getByTestId('neural-fact-parameters')).toHaveText(/^\d{1,3}(,\d{3})+$/);

  // the other views render for a neural model too
  await expect(page.getByTestId('metric-accuracy')).toHaveText(/^\d{1,3}\.\d\d%/);
  const testRows = Number((await page.getByTestId('model-fact-test-rows').innerText()).replace(/[^\d]/g, ''));
  const cells = page.getByTestId('confusion-matrix').locator('[data-testid^="confusion-cell-"]');
  await expect(cells).toHaveCount(4);
  const counts = await cells.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(testRows);
  await expect(page.getByTestId('per-class-table').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('roc-chart')).toBeVisible();
  await expect(page.getByTestId('importance-chart').or(page.getByTestId('importance-empty'))).toBeVisible();

  await dismissToasts(page);
  await page.setViewportSize({ width: 1440, height: 1500 });
  await setTheme(page, 'light');
  await page.getByTestId('history-section').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'neural-results-light.png'), animations: 'disabled' });
  await page.getByTestId('history-section').screenshot({ path: join(SHOTS, 'neural-history.png'), animations: 'disabled' });
  await setTheme(page, 'dark');
  await page.screenshot({ path: join(SHOTS, 'neural-results-dark.png'), animations: 'disabled' });
  await setTheme(page, 'light');

  // the comparison table lists it as a DNN
  await page.getByTestId('nav-models').click();
  await expect(page.getByTestId('models-table').locator('tbody tr', { hasText: 'DNN · NSL-KDD excerpts (e2e)' })).toContainText('DNN');
});
