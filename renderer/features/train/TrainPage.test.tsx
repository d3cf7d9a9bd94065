// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnyEvent } from '../../../electron/contract/index.js';
import { detail, job, summary } from '../../test/fixtures.js';
import { byTestId, change, cleanup, click, flush, render, useFakeTransport } from '../../test/helpers.js';
import { useDatasets } from '../datasets/datasets.slice.js';
import { useJobs } from '../jobs/jobs.slice.js';
import { useModels } from '../models/models.slice.js';
import { useApp } from '../../app/app.slice.js';
import { catalog, metrics, binaryLabels, binaryMatrix, neuralCatalog, wasmRuntime } from '../models/test-fixtures.js';
import { TrainPage, kindGroups } from './TrainPage.js';
import { TRAIN_CANCELLED_MESSAGE, addMetricPoint, nextHistory, useTrain } from './train.slice.js';
import { useTrainOutcome } from './useTrainOutcome.js';
import { DEFAULT_FORM } from './validation.js';

const initialDs = useDatasets.getState();
const unlabelled = { ...summary, id: 8, name: 'conn.log', labelled: false, classes: 0, createdAt: '2025-11-01T00:00:00.000Z' };

beforeEach(() => {
  window.location.hash = '#/train';
  useDatasets.setState({ ...initialDs, list: [summary, unlabelled], listStatus: 'ready', details: { 7: detail() }, detailStatus: {}, importTask: null });
  useModels.setState({ catalog, catalogError: null, list: [], listStatus: 'idle', details: {}, detailStatus: {}, evaluation: null });
  useTrain.setState({ form: DEFAULT_FORM, task: null });
  useJobs.setState({ jobs: {}, touched: {}, loaded: false });
  useApp.setState({ neural: { status: 'checking' } });
});
afterEach(cleanup);

function Harness({ preset = null }: { preset?: number | null }) {
  useTrainOutcome();
  return <TrainPage presetDatasetId={preset} />;
}

/** route events the way app/wire.ts does */
function wire(t: ReturnType<typeof useFakeTransport>) {
  t.onEvent((e) => useJobs.getState().applyEvent(e));
}
const emit = (t: ReturnType<typeof useFakeTransport>, e: AnyEvent) => act(async () => t.emit(e));
const startBtn = () => byTestId('train-start') as HTMLButtonElement;

describe('TrainPage form', () => {
  it('preselects the dataset, shows class counts per target and the kinds with their parameters', async () => {
    useFakeTransport({});
    await render(<Harness preset={7} />);
    expect((byTestId('train-dataset') as HTMLSelectElement).value).toBe('7');
    expect(byTestId('train-target-count-binary')!.textContent).toBe('2 classes');
    expect(byTestId('train-target-count-category')!.textContent).toBe('3 classes');
    expect(byTestId('train-target-count-label')!.textContent).toBe('6 classes');
    expect((byTestId('train-model-random-forest') as HTMLInputElement).checked).toBe(true);
    expect(byTestId('train-model-gradient-boosting')!.closest('label')!.textContent).toContain('Shallow trees added one round at a time');
    expect((byTestId('train-param-trees') as HTMLInputElement).value).toBe('100');
    expect(byTestId('train-more-params')!.textContent).toContain('More parameters (3)');
    expect((byTestId('train-test-size') as HTMLInputElement).value).toBe('30');
    expect((byTestId('train-folds') as HTMLInputElement).value).toBe('5');
    expect((byTestId('train-seed') as HTMLInputElement).value).toBe('42');
    expect(byTestId('train-summary')!.textContent).toContain('≈ 484,892 train / 207,811 test rows');
    expect(startBtn().disabled).toBe(false);
  });

  it('keeps a just-imported dataset the list has not caught up with; falls back when the id does not exist', async () => {
    const fresh = { ...detail(), id: 12, name: 'NSL-KDD sample', rows: 3000 };
    useFakeTransport({
      'datasets.get': ({ id }: { id: number }) => {
        if (id === 12) return fresh;
        throw Object.assign(new Error('no dataset'), { code: 'NOT_FOUND' });
      },
    });
    const r = await render(<Harness preset={12} />);
    await flush();
    expect((byTestId('train-dataset') as HTMLSelectElement).value).toBe('12');
    expect(byTestId('train-summary')!.textContent).toContain('NSL-KDD sample');
    expect(startBtn().disabled).toBe(false);
    r.unmount();
    useTrain.setState({ form: DEFAULT_FORM });
    await render(<Harness preset={99} />);
    await flush();
    expect((byTestId('train-dataset') as HTMLSelectElement).value).toBe('7');
  });

  it('disables Start with a message while a parameter is out of range', async () => {
    useFakeTransport({});
    await render(<Harness preset={7} />);
    await change(byTestId('train-param-trees'), '0');
    expect(startBtn().disabled).toBe(true);
    expect(byTestId('train-form-errors')!.textContent).toContain('Trees must be between 1 and 2000.');
    const input = byTestId('train-param-trees')!;
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(input.getAttribute('aria-describedby')!.split(' ')[0]!)!.textContent).toContain('Trees must be between 1 and 2000.');
    // a hidden "more" parameter in error opens its section
    await change(byTestId('train-param-trees'), '300');
    expect(startBtn().disabled).toBe(false);
    await change(byTestId('train-param-minSamplesLeaf'), '5000');
    expect(startBtn().disabled).toBe(true);
    expect((byTestId('train-more-params') as HTMLDetailsElement).open).toBe(true);
    await click(byTestId('train-params-reset'));
    expect(startBtn().disabled).toBe(false);
    expect(byTestId('train-form-errors')).toBeNull();
  });

  it('switching kind shows that kind’s parameters; unlabelled data allows only the isolation forest', async () => {
    useFakeTransport({ 'datasets.get': () => ({ ...detail(), ...unlabelled, classCounts: null }) });
    await render(<Harness preset={7} />);
    await click(byTestId('train-model-gradient-boosting'));
    expect((byTestId('train-param-rounds') as HTMLInputElement).value).toBe('200');
    expect(byTestId('train-param-trees')).toBeNull();
    await click(byTestId('train-model-isolation-forest'));
    expect((byTestId('train-target-binary') as HTMLInputElement).checked).toBe(true);
    expect((byTestId('train-target-label') as HTMLInputElement).disabled).toBe(true);
    await change(byTestId('train-dataset'), '8');
    await flush();
    expect((byTestId('train-model-random-forest') as HTMLInputElement).disabled).toBe(true);
    expect((byTestId('train-model-isolation-forest') as HTMLInputElement).checked).toBe(true);
    expect(byTestId('train-target')).toBeNull();
    expect(startBtn().disabled).toBe(false);
  });

  it('k-fold and a separate test dataset are one click (or one field) away', async () => {
    useFakeTransport({});
    await render(<Harness preset={7} />);
    await change(byTestId('train-folds'), '10');
    expect((byTestId('train-test-mode-folds') as HTMLInputElement).checked).toBe(true);
    expect(byTestId('train-summary')!.textContent).toContain('10-fold cross-validation');
    await click(byTestId('train-test-mode-dataset'));
    expect(startBtn().disabled).toBe(true);
    expect(byTestId('train-form-errors')!.textContent).toContain('Choose the dataset to test on.');
  });
});

describe('TrainPage run', () => {
  it('starts, shows progress and the live metric from this job’s events, then opens the results', async () => {
    const t = useFakeTransport({ 'models.train': () => ({ jobId: 12 }), 'models.list': () => ({ models: [] }) });
    wire(t);
    await render(<Harness preset={7} />);
    await click(byTestId('train-model-gradient-boosting'));
    await click(byTestId('train-target-binary'));
    await change(byTestId('train-name'), 'GB binary');
    await click(startBtn());
    await flush();
    expect(t.callsOf('models.train')[0]!.input).toEqual({
      datasetId: 7,
      model: 'gradient-boosting',
      target: 'binary',
      testSize: 0.3,
      seed: 42,
      params: { rounds: 200, learningRate: 0.1, maxLeaves: 31 },
      name: 'GB binary',
    });
    expect(byTestId('train-progress')).not.toBeNull();
    expect(startBtn().disabled).toBe(true);
    expect((byTestId('train-seed') as HTMLInputElement).closest('fieldset')!.disabled).toBe(true);

    // another job's progress is ignored
    await emit(t, { name: 'jobs.progress', payload: { jobId: 99, kind: 'import', phase: 'reading', current: 90, total: 100 } });
    expect(byTestId('train-progress-bar')!.getAttribute('aria-valuenow')).toBeNull();
    for (let r = 5; r <= 50; r += 5) {
      await emit(t, { name: 'jobs.progress', payload: { jobId: 12, kind: 'train', phase: 'boosting', current: r, total: 200, metric: { name: 'valid_loss', value: 0.7 / r } } });
    }
    const bar = byTestId('train-progress-bar')!;
    expect(bar.getAttribute('aria-valuenow')).toBe('25');
    expect(bar.getAttribute('aria-valuetext')).toBe('Boosting 25.0%, 50 of 200 rounds');
    expect(byTestId('train-phase')!.textContent).toBe('Boosting');
    expect(byTestId('train-progress-detail')!.textContent).toBe('50 of 200 rounds');
    expect(byTestId('train-metric-chart')!.getAttribute('data-points')).toBe('10');
    expect(byTestId('train-metric-value')!.textContent).toBe('0.014');
    expect(byTestId('train-progress')!.textContent).toContain('validation loss');
    expect(byTestId('train-elapsed')!.textContent).toMatch(/^0:0\d$/);

    const result = { modelId: 5, model: 'gradient-boosting' as const, target: 'binary' as const, fitSeconds: 2, metrics: metrics(binaryLabels, binaryMatrix) };
    await emit(t, { name: 'jobs.finished', payload: job({ id: 12, kind: 'train', status: 'succeeded', result, progress: { phase: 'saving', current: 1, total: 1 } }) });
    await flush();
    expect(window.location.hash).toBe('#/models/5');
    expect(useTrain.getState().task).toMatchObject({ phase: 'succeeded', modelId: 5, announced: true });
  });

  it('Cancel cancels this job and says so', async () => {
    const t = useFakeTransport({ 'models.train': () => ({ jobId: 13 }), 'jobs.cancel': () => ({ cancelled: true }) });
    wire(t);
    await render(<Harness preset={7} />);
    await click(startBtn());
    await flush();
    await emit(t, { name: 'jobs.progress', payload: { jobId: 13, kind: 'train', phase: 'trees', current: 10, total: 100 } });
    expect(byTestId('train-progress-detail')!.textContent).toBe('10 of 100 trees');
    // Start is disabled while the job runs: the keyboard focus is on Cancel
    expect(document.activeElement).toBe(byTestId('train-cancel'));
    await click(byTestId('train-cancel'));
    expect(t.callsOf('jobs.cancel')[0]!.input).toEqual({ id: 13 });
    expect(byTestId('train-cancel')!.textContent).toBe('Cancelling…');
    await emit(t, { name: 'jobs.finished', payload: job({ id: 13, kind: 'train', status: 'cancelled' }) });
    expect(byTestId('train-cancelled')!.textContent).toContain(TRAIN_CANCELLED_MESSAGE);
    expect(byTestId('train-progress')).toBeNull();
    expect(startBtn().disabled).toBe(false);
    expect(document.activeElement).toBe(startBtn());
  });

  it('a failure shows its message in an alert; a refused start too', async () => {
    let n = 0;
    const t = useFakeTransport({
      'models.train': () => {
        if (n++ === 0) return { jobId: 14 };
        throw Object.assign(new Error('The model needs at least two classes in the training part.'), { code: 'INVALID_INPUT' });
      },
    });
    wire(t);
    await render(<Harness preset={7} />);
    await click(startBtn());
    await flush();
    await emit(t, { name: 'jobs.finished', payload: job({ id: 14, kind: 'train', status: 'failed', error: { code: 'TRAIN_FAILED', message: 'Column "service" is missing from the test dataset.' } }) });
    const alert = byTestId('train-error')!;
    expect(alert.getAttribute('role')).toBe('alert');
    expect(byTestId('train-error-message')!.textContent).toBe('Column "service" is missing from the test dataset.');
    await click(startBtn());
    await flush();
    expect(byTestId('train-error-message')!.textContent).toBe('The model needs at least two classes in the training part.');
  });

  it('a job that ended before its id came back is settled at once', async () => {
    const t = useFakeTransport({
      'models.train': () => {
        useJobs.getState().upsert(job({ id: 15, kind: 'train', status: 'failed', error: { code: 'X', message: 'boom' } }));
        return { jobId: 15 };
      },
    });
    wire(t);
    await render(<Harness preset={7} />);
    await click(startBtn());
    await flush();
    expect(byTestId('train-error-message')!.textContent).toBe('boom');
  });
});

describe('live metric series', () => {
  it('appends per round, replaces a repeated round and restarts when a new fold begins', () => {
    const p = (current: number, value: number) => ({ phase: 'boosting', current, total: 10, metric: { name: 'valid_loss', value } });
    let m = addMetricPoint(null, p(1, 0.5));
    m = addMetricPoint(m, p(2, 0.4));
    m = addMetricPoint(m, p(2, 0.39));
    expect(m!.points).toEqual([
      { x: 1, value: 0.5 },
      { x: 2, value: 0.39 },
    ]);
    m = addMetricPoint(m, p(1, 0.6));
    expect(m).toMatchObject({ run: 2, points: [{ x: 1, value: 0.6 }] });
    expect(addMetricPoint(m, { phase: 'saving', current: 1, total: 1 })).toBe(m);
  });
});

describe('neural networks on the Train page', () => {
  beforeEach(() => {
    useModels.setState({ catalog: neuralCatalog });
  });

  it('groups the kinds (trees, then neural networks with the backend they train on) and edits a DNN’s parameters', async () => {
    useApp.setState({ neural: { status: 'ready', info: wasmRuntime } });
    const t = useFakeTransport({ 'models.train': () => ({ jobId: 30 }) });
    await render(<Harness preset={7} />);
    expect(kindGroups(neuralCatalog).map((g) => [g.id, g.kinds.map((k) => k.kind)])).toEqual([
      ['trees', ['isolation-forest', 'random-forest', 'extra-trees', 'gradient-boosting']],
      ['neural', ['dnn', 'autoencoder']],
    ]);
    const neural = byTestId('train-kinds-neural')!;
    expect(neural.querySelector('[role="radiogroup"]')!.getAttribute('aria-labelledby')).toBe(neural.querySelector('h3')!.id);
    expect(byTestId('train-kinds-trees')!.contains(byTestId('train-model-random-forest'))).toBe(true);
    expect(byTestId('train-neural-runtime')!.textContent).toContain('TensorFlow.js on WebAssembly (SIMD)');
    expect(byTestId('train-neural-runtime')!.getAttribute('title')).toContain("Cannot find module '@tensorflow/tfjs-node'");

    await click(byTestId('train-model-dnn'));
    for (const key of ['layers', 'units', 'dropout', 'epochs', 'batchSize', 'learningRate', 'patience']) expect(byTestId(`train-param-${key}`), key).not.toBeNull();
    expect((byTestId('train-param-units') as HTMLInputElement).value).toBe('256');
    expect((byTestId('train-param-batchNorm') as HTMLInputElement).checked).toBe(true);
    await change(byTestId('train-param-epochs'), '0');
    expect(byTestId('train-form-errors')!.textContent).toContain('Epochs must be between 1 and 2000.');
    expect(startBtn().disabled).toBe(true);
    await change(byTestId('train-param-epochs'), '6');
    await change(byTestId('train-param-batchSize'), '16');
    await click(byTestId('train-target-binary'));
    await click(startBtn());
    await flush();
    expect(t.callsOf('models.train')[0]!.input).toMatchObject({ model: 'dnn', target: 'binary', params: { epochs: 6, batchSize: 16, units: 256, layers: 3, batchNorm: true, scale: 'standard' } });
  });

  it('the autoencoder is unsupervised: benign / attack only, like the isolation forest', async () => {
    useFakeTransport({});
    await render(<Harness preset={7} />);
    await click(byTestId('train-target-label'));
    await click(byTestId('train-model-autoencoder'));
    expect(byTestId('train-model-autoencoder')!.closest('label')!.textContent).toContain('unsupervised');
    expect((byTestId('train-target-binary') as HTMLInputElement).checked).toBe(true);
    expect((byTestId('train-target-label') as HTMLInputElement).disabled).toBe(true);
    expect((byTestId('train-target-category') as HTMLInputElement).disabled).toBe(true);
    expect(byTestId('train-target-label')!.closest('label')!.getAttribute('title')).toContain('Autoencoder learns benign traffic');
    expect((byTestId('train-param-targetFpr') as HTMLInputElement).value).toBe('0.05');
    expect(byTestId('train-summary')!.textContent).toContain('Benign / attack');
    expect(startBtn().disabled).toBe(false);
    // unlabelled data: the unsupervised kinds stay, the others are disabled
    await change(byTestId('train-dataset'), '8');
    await flush();
    expect((byTestId('train-model-dnn') as HTMLInputElement).disabled).toBe(true);
    expect((byTestId('train-model-autoencoder') as HTMLInputElement).disabled).toBe(false);
    expect((byTestId('train-dataset') as HTMLSelectElement).querySelector('optgroup:last-of-type')!.getAttribute('label')).toBe('Unlabelled (Isolation forest, Autoencoder only)');
  });

  it('a slow or missing backend is said next to the neural kinds', async () => {
    useFakeTransport({});
    useApp.setState({ neural: { status: 'ready', info: { ...wasmRuntime, backend: 'cpu', label: 'JavaScript (CPU)' } } });
    const r = await render(<Harness preset={7} />);
    expect(byTestId('train-neural-runtime')!.textContent).toContain('JavaScript (CPU) (slow)');
    expect(byTestId('train-neural-runtime')!.className).toContain('warn-text');
    r.unmount();
    useApp.setState({ neural: { status: 'ready', info: { ...wasmRuntime, backend: null, label: 'unavailable', error: 'no backend loaded' } } });
    await render(<Harness preset={7} />);
    expect(byTestId('train-neural-runtime')!.textContent).toContain('could not be loaded');
    expect(byTestId('train-neural-runtime')!.getAttribute('title')).toContain('no backend loaded');
  });

  it('shows epoch and batch, and draws train and validation loss per epoch from the history, keeping it between epochs', async () => {
    const t = useFakeTransport({ 'models.train': () => ({ jobId: 31 }) });
    wire(t);
    await render(<Harness preset={7} />);
    await click(byTestId('train-model-dnn'));
    await click(byTestId('train-target-binary'));
    await click(startBtn());
    await flush();
    const progress = (payload: Record<string, unknown>) => emit(t, { name: 'jobs.progress', payload: { jobId: 31, kind: 'train', phase: 'epochs', current: 0, total: 40, ...payload } as never });

    await emit(t, { name: 'jobs.progress', payload: { jobId: 31, kind: 'train', phase: 'preprocessing', current: 0, total: 0 } });
    expect(byTestId('train-loss-waiting')!.textContent).toContain('appear when the first epoch ends');
    expect(byTestId('train-loss-chart')).toBeNull();
    expect(byTestId('train-metric-chart')).toBeNull();

    await progress({ current: 0, batch: { current: 12, total: 99 } });
    expect(byTestId('train-phase')!.textContent).toBe('Training');
    expect(byTestId('train-progress-detail')!.textContent).toBe('Epoch 1 of 40 · batch 12 of 99');
    // 12 of 99 batches of the first of 40 epochs
    expect(byTestId('train-progress-bar')!.getAttribute('aria-valuetext')).toBe('Training 0.3%, Epoch 1 of 40 · batch 12 of 99');

    const h = (n: number) => Array.from({ length: n }, (_, i) => ({ round: i + 1, train: 0.6 / (i + 1), valid: 0.7 / (i + 1) }));
    await progress({ current: 1, batch: { current: 99, total: 99 }, metric: { name: 'valid_loss', value: 0.7 }, history: h(1) });
    expect(byTestId('train-loss-waiting')).toBeNull();
    const chart = () => byTestId('train-loss-chart')!;
    expect(chart().getAttribute('data-points')).toBe('1');
    expect(chart().getAttribute('aria-label')).toBe('Live training and validation loss per epoch, 1 epoch so far');
    await progress({ current: 1, batch: { current: 30, total: 99 } });
    expect(chart().getAttribute('data-points')).toBe('1');
    expect(byTestId('train-progress-detail')!.textContent).toBe('Epoch 2 of 40 · batch 30 of 99');
    const before = Number(byTestId('train-progress-bar')!.getAttribute('aria-valuenow'));
    await progress({ current: 1, batch: { current: 80, total: 99 } });
    expect(Number(byTestId('train-progress-bar')!.getAttribute('aria-valuenow'))).toBeGreaterThan(before);
    await progress({ current: 3, batch: { current: 99, total: 99 }, metric: { name: 'valid_loss', value: 0.7 / 3 }, history: h(3) });
    expect(chart().getAttribute('data-points')).toBe('3');
    expect(chart().getAttribute('aria-label')).toContain('3 epochs so far');
    expect(chart().textContent).toContain('validation loss');
    expect(byTestId('train-metric-value')!.textContent).toBe('0.2333');
    // evaluation after the epochs: the curves stay
    await emit(t, { name: 'jobs.progress', payload: { jobId: 31, kind: 'train', phase: 'evaluating', current: 0, total: 0 } });
    expect(chart().getAttribute('data-points')).toBe('3');
  });
});

describe('live loss history', () => {
  const h = (n: number) => Array.from({ length: n }, (_, i) => ({ round: i + 1, train: 1 / (i + 1), valid: 1.2 / (i + 1) }));
  it('takes the whole list when sent, keeps it when left out, and starts over with the next fold', () => {
    let x = nextHistory(null, { phase: 'fold 1/3: epochs', current: 2, total: 5, history: h(2) });
    expect(x).toEqual({ points: h(2), step: 'Fold 1/3' });
    const same = nextHistory(x, { phase: 'fold 1/3: epochs', current: 2, total: 5, history: h(2) });
    expect(same).toBe(x);
    expect(nextHistory(x, { phase: 'fold 1/3: epochs', current: 2, total: 5, batch: { current: 3, total: 9 } })).toBe(x);
    expect(nextHistory(x, { phase: 'fold 1/3: evaluating', current: 0, total: 0 })).toBe(x);
    // a new fold: the old curves go until its first epoch ends
    expect(nextHistory(x, { phase: 'fold 2/3: epochs', current: 0, total: 5, batch: { current: 1, total: 9 } })).toBeNull();
    x = nextHistory(x, { phase: 'fold 2/3: epochs', current: 1, total: 5, history: h(1) });
    expect(x).toEqual({ points: h(1), step: 'Fold 2/3' });
    // points that cannot be drawn are dropped
    expect(nextHistory(null, { phase: 'epochs', current: 2, total: 5, history: [{ round: 1, train: Number.NaN }, { round: 2, train: 0.3 }] })!.points).toEqual([{ round: 2, train: 0.3 }]);
    expect(nextHistory(null, { phase: 'boosting', current: 2, total: 5, metric: { name: 'valid_loss', value: 1 } })).toBeNull();
  });
});
