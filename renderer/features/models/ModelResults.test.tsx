// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { job, summary } from '../../test/fixtures.js';
import { byTestId, change, cleanup, click, flush, render, useFakeTransport } from '../../test/helpers.js';
import { useDatasets } from '../datasets/datasets.slice.js';
import { useJobs } from '../jobs/jobs.slice.js';
import { ModelResults, orderCurveSets } from './ModelResults.js';
import { useModels } from './models.slice.js';
import { curveSet, manyClasses, metrics, modelDetail, neuralDetail } from './test-fixtures.js';

const initialDs = useDatasets.getState();
beforeEach(() => {
  useModels.setState({ list: [], listStatus: 'idle', details: {}, detailStatus: {}, evaluation: null });
  useJobs.setState({ jobs: {}, touched: {}, loaded: false });
  useDatasets.setState({ ...initialDs, list: [summary, { ...summary, id: 9, name: 'KDDTest+' }], listStatus: 'ready' });
});
afterEach(cleanup);

describe('ModelResults', () => {
  it('shows what the model is, its headline metrics, confusion matrix, per-class table and charts', async () => {
    useFakeTransport({ 'models.get': () => modelDetail() });
    await render(<ModelResults id={3} />);
    await flush();
    expect(byTestId('results-title')!.textContent).toBe('GB · NSL-KDD · binary');
    expect(byTestId('model-fact-evaluation')!.textContent).toBe('30% hold-out');
    expect(byTestId('model-fact-test-rows')!.textContent).toBe('900');
    expect(byTestId('model-fact-fit')!.textContent).toBe('3.4 s');
    expect(byTestId('metric-accuracy')!.textContent).toBe('98.33%');
    expect(byTestId('metric-macro-f1')!.textContent).toMatch(/^98\.\d\d%$/);
    expect(byTestId('metric-mcc')!.textContent).toBe('0.930');
    expect(byTestId('metric-fpr')!.textContent).toBe('1.20%');
    const cells = byTestId('confusion-matrix')!.querySelectorAll('[data-testid^="confusion-cell-"]');
    expect(Array.from(cells).reduce((a, c) => a + Number(c.getAttribute('data-count')), 0)).toBe(900);
    expect(byTestId('per-class-row-attack')).not.toBeNull();
    expect(byTestId('per-class-row-benign')).not.toBeNull();
    expect(byTestId('per-class-table')!.querySelectorAll('tbody tr').length).toBe(2);
    expect(byTestId('roc-chart')!.getAttribute('aria-label')).toContain('ROC curve for attack');
    expect(byTestId('pr-chart')).not.toBeNull();
    expect(byTestId('importance-chart')!.getAttribute('data-shown')).toBe('20');
    await click(byTestId('importance-show-all'));
    expect(byTestId('importance-chart')!.getAttribute('data-shown')).toBe('30');
    expect(byTestId('history-chart')).not.toBeNull();
    expect(byTestId('threshold-info')).toBeNull();
  });

  it('orders curve sets attack first and switches the curves from the select', async () => {
    expect(orderCurveSets([curveSet('dos'), curveSet('attack'), curveSet('probe')]).map((c) => c.name)).toEqual(['attack', 'dos', 'probe']);
    // a binary model: attack vs benign, then one-vs-rest benign and attack (the same curve again)
    expect(orderCurveSets([curveSet('attack', 9), curveSet('benign'), curveSet('attack', 3)]).map((c) => [c.name, c.roc.auc])).toEqual([
      ['attack', 0.9],
      ['benign', curveSet('benign').roc.auc],
    ]);
    useFakeTransport({ 'models.get': () => modelDetail() });
    await render(<ModelResults id={3} />);
    await flush();
    const select = byTestId('curve-select') as HTMLSelectElement;
    expect(Array.from(select.options).map((o) => o.textContent)).toEqual(['Attack vs benign', 'benign vs rest']);
    await change(select, 'benign');
    expect(byTestId('roc-chart')!.getAttribute('aria-label')).toContain('for benign');
  });

  it('k-fold models show mean ± std; isolation forests their threshold; many classes stack', async () => {
    const big = manyClasses(23);
    useFakeTransport({
      'models.get': () =>
        modelDetail({
          kind: 'isolation-forest',
          evaluation: { kind: 'folds', folds: 5 },
          classes: big.labels,
          metrics: metrics(big.labels, big.matrix),
          history: null,
          threshold: { value: 0.6123, targetFpr: 0.01 },
          crossValidation: {
            folds: 5,
            accuracy: { mean: 0.9712, std: 0.0041 },
            macroF1: { mean: 0.61, std: 0.05 },
            weightedF1: { mean: 0.97, std: 0.004 },
            balancedAccuracy: { mean: 0.7, std: 0.03 },
            mcc: { mean: 0.95, std: 0.01 },
            detectionRate: null,
            falsePositiveRate: null,
          },
        }),
    });
    await render(<ModelResults id={3} />);
    await flush();
    expect(byTestId('metric-accuracy')!.textContent).toBe('97.12%± 0.41%');
    expect(byTestId('model-fact-evaluation')!.textContent).toBe('5-fold');
    expect(byTestId('threshold-info')!.textContent).toContain('0.6123');
    expect(byTestId('threshold-info')!.textContent).toContain('1.0%');
    expect(byTestId('confusion-matrix')!.getAttribute('data-classes')).toBe('23');
    expect(document.querySelector('.results-stack [data-testid="confusion-matrix"]')).not.toBeNull();
    expect(byTestId('history-chart')).toBeNull();
  });

  it('evaluates on another dataset and shows the metrics when the job finishes', async () => {
    const t = useFakeTransport({ 'models.get': () => modelDetail(), 'models.evaluate': () => ({ jobId: 21 }) });
    t.onEvent((e) => useJobs.getState().applyEvent(e));
    await render(<ModelResults id={3} />);
    await flush();
    await click(byTestId('evaluate-button'));
    const select = byTestId('evaluate-dataset') as HTMLSelectElement;
    // the training dataset (7) is not offered
    expect(Array.from(select.options).map((o) => o.value)).toEqual(['9']);
    await click(byTestId('evaluate-submit'));
    await flush();
    expect(t.callsOf('models.evaluate')[0]!.input).toEqual({ id: 3, datasetId: 9 });
    // the Evaluate button is gone: focus stays in the dialog, on Cancel evaluation
    expect(document.activeElement).toBe(byTestId('evaluate-cancel'));
    await act(async () => t.emit({ name: 'jobs.progress', payload: { jobId: 21, kind: 'evaluate', phase: 'scoring', current: 40, total: 100 } }));
    expect(byTestId('evaluate-progress-bar')!.getAttribute('aria-valuenow')).toBe('40');
    const m = metrics(['benign', 'attack'], [
      [100, 20],
      [5, 75],
    ]);
    await act(async () =>
      t.emit({ name: 'jobs.finished', payload: job({ id: 21, kind: 'evaluate', status: 'succeeded', result: { modelId: 3, datasetId: 9, metrics: m, predictRowsPerSecond: 900000, rows: 200 } }) }),
    );
    expect(byTestId('evaluate-result')!.textContent).toContain('200 rows scored');
    expect(byTestId('eval-metric-accuracy')!.textContent).toBe('87.50%');
    expect(byTestId('eval-confusion-cell-0-1')!.getAttribute('data-count')).toBe('20');
    expect(byTestId('evaluate-dialog')!.querySelector('h2')!.textContent).toContain('KDDTest+');
    expect(document.activeElement!.textContent).toBe('Done');
  });

  it('a neural model: loss per epoch with the kept epoch, how it was trained, every other view, no empty importance chart', async () => {
    useFakeTransport({ 'models.get': () => neuralDetail() });
    await render(<ModelResults id={4} />);
    await flush();
    const chart = byTestId('history-chart')!;
    expect(chart.getAttribute('data-points')).toBe('14');
    expect(chart.getAttribute('aria-label')).toBe('Training and validation loss per epoch, 14 epochs; epoch 8 kept');
    const svgText = Array.from(chart.querySelectorAll('text')).map((t) => t.textContent);
    expect(svgText).toContain('Epoch');
    expect(svgText).not.toContain('Round');
    expect(svgText).toContain('kept');
    const section = byTestId('history-section')!;
    expect(section.querySelector('h2')!.textContent).toBe('Training history');
    expect(section.textContent).toContain('Loss per epoch · 14 epochs · the weights of epoch 8 were kept');
    expect(byTestId('neural-fact-backend')!.textContent).toBe('WebAssembly (SIMD)');
    expect(byTestId('neural-fact-epoch-seconds')!.textContent).toBe('870 ms');
    expect(byTestId('neural-fact-epochs')!.textContent).toBe('14 run · best 8');
    expect(byTestId('neural-fact-parameters')!.textContent).toBe('74,562');
    expect(byTestId('neural-fact-learning-rate')!.textContent).toBe('0.0005');
    // the other views stay
    expect(byTestId('metric-accuracy')!.textContent).toBe('98.33%');
    expect(byTestId('confusion-matrix')).not.toBeNull();
    expect(byTestId('per-class-row-attack')).not.toBeNull();
    expect(byTestId('roc-chart')).not.toBeNull();
    expect(byTestId('importance-chart')).toBeNull();
    expect(byTestId('importance-empty')!.textContent).toBe('No feature importance was stored for this network.');
    // the history comes first, full width, when there is no importance to show beside it
    expect(document.querySelector('.results-stack > [data-testid="history-section"]:first-child')).not.toBeNull();
  });

  it('a neural model with importance sits beside it; boosting keeps “Round”; an autoencoder explains its threshold', async () => {
    useFakeTransport({ 'models.get': ({ id }: { id: number }) => (id === 4 ? neuralDetail({ importance: [{ feature: 'src_bytes', importance: 0.6 }, { feature: 'dst_bytes', importance: 0.4 }] }) : id === 5 ? neuralDetail({ id: 5, kind: 'autoencoder', threshold: { value: 0.42, targetFpr: 0.05 } }) : modelDetail()) });
    const r = await render(<ModelResults id={4} />);
    await flush();
    expect(byTestId('importance-chart')).not.toBeNull();
    expect(document.getElementById('importance-title')!.parentElement!.textContent).toContain('2 of 41 features · share of the mean |gradient × input|');
    expect(document.querySelector('.results-grid > [data-testid="history-section"]')).not.toBeNull();
    r.unmount();
    const b = await render(<ModelResults id={3} />);
    await flush();
    const texts = Array.from(byTestId('history-chart')!.querySelectorAll('text')).map((t) => t.textContent);
    expect(texts).toContain('Round');
    expect(texts).not.toContain('Epoch');
    expect(byTestId('history-section')!.querySelector('h2')!.textContent).toBe('Boosting history');
    expect(byTestId('neural-facts')).toBeNull();
    b.unmount();
    await render(<ModelResults id={5} />);
    await flush();
    expect(byTestId('threshold-info')!.textContent).toContain('reconstruction error');
  });

  it('says so when the model is gone', async () => {
    useFakeTransport({
      'models.get': () => {
        throw Object.assign(new Error('no model 3'), { code: 'NOT_FOUND' });
      },
    });
    await render(<ModelResults id={3} />);
    await flush();
    expect(document.querySelector('[role="alert"]')!.textContent).toContain('This model no longer exists.');
  });
});
