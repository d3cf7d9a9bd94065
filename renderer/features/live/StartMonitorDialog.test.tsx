// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { byTestId, change, cleanup, click, flush, render, useFakeTransport } from '../../test/helpers.js';
import { summary } from '../../test/fixtures.js';
import { useDatasets } from '../datasets/datasets.slice.js';
import { useModels } from '../models/models.slice.js';
import { summaryOf } from '../models/test-fixtures.js';
import { MonitorCard } from './MonitorPanel.js';
import { StartMonitorDialog, startInput } from './StartMonitorDialog.js';
import { useLive } from './live.slice.js';
import { DEFAULT_THRESHOLD_FORM } from './threshold.js';
import { monitorOf } from './test-fixtures.js';

const wait = (ms: number) => act(async () => void (await new Promise((r) => setTimeout(r, ms))));

beforeEach(() => {
  useModels.setState({ list: [], listStatus: 'idle', listError: null, details: {}, detailStatus: {} });
  useDatasets.setState({ list: [], listStatus: 'idle', listError: null });
  useLive.setState({ monitors: {}, focusMonitorId: null });
});
afterEach(cleanup);

describe('start form', () => {
  it('builds monitors.start input for each source kind and says what is missing', () => {
    const base = { modelId: '3', kind: 'replay-dataset' as const, datasetId: '5', path: '', speed: '100' as const, customSpeed: '', aggregateSeconds: '60', name: '', threshold: DEFAULT_THRESHOLD_FORM };
    expect(startInput(base).input).toEqual({ modelId: 3, source: { kind: 'replay', datasetId: 5, speed: 100 }, threshold: { mode: 'model' }, aggregateSeconds: 60 });
    expect(startInput({ ...base, kind: 'replay-file', path: ' /data/x.csv ', speed: 'max' }).input!.source).toEqual({ kind: 'replay', path: '/data/x.csv', speed: 'max' });
    expect(startInput({ ...base, kind: 'file', path: '/var/log/conn.log' }).input!.source).toEqual({ kind: 'file', path: '/var/log/conn.log' });
    expect(startInput({ ...base, kind: 'folder', path: '' }).errors).toEqual(['Give the folder to watch.']);
    expect(startInput({ ...base, speed: 'custom', customSpeed: '2000000' }).errors[0]).toContain('at most 1,000,000');
    expect(startInput({ ...base, threshold: { ...DEFAULT_THRESHOLD_FORM, mode: 'fpr', fprPercent: '0' } }).errors[0]).toContain('false-positive rate');
    expect(startInput({ ...base, threshold: { ...DEFAULT_THRESHOLD_FORM, mode: 'budget', alertsPerHour: '30' } }).input!.threshold).toEqual({ mode: 'budget', alertsPerHour: 30 });
  });

  it('calibrates a target FPR on the model, then starts a replay of its dataset', async () => {
    const t = useFakeTransport({
      'models.list': () => ({ models: [summaryOf({ id: 3, name: 'ET CICIDS', kind: 'extra-trees', datasetId: 7 })] }),
      'models.get': () => ({ ...summaryOf({ id: 3 }), threshold: null }),
      'datasets.list': () => ({ datasets: [summary] }),
      'models.calibrate': ({ fpr }: { fpr: number }) => ({ modelId: 3, threshold: 0.4213, fpr, detectionRate: 0.982, curve: [{ fpr: 0.001, tpr: 0.5, threshold: 0.9 }, { fpr: 0.02, tpr: 0.98, threshold: 0.4 }, { fpr: 1, tpr: 1, threshold: 0 }] }),
      'monitors.start': (input: unknown) => ({ ...monitorOf({ id: 9, name: 'Replay of Wednesday' }), input }),
    });
    let closed = false;
    await render(<StartMonitorDialog onClose={() => (closed = true)} />);
    await flush();
    expect((byTestId('monitor-model') as HTMLSelectElement).value).toBe('3');
    expect((byTestId('monitor-dataset') as HTMLSelectElement).value).toBe('7');
    await click(byTestId('threshold-mode-fpr'));
    await change(byTestId('threshold-fpr'), '2');
    await wait(300);
    await flush();
    expect(t.callsOf('models.calibrate').at(-1)!.input).toEqual({ id: 3, fpr: 0.02 });
    expect(byTestId('calibration-threshold')!.textContent).toBe('0.421');
    expect(byTestId('calibration-detection')!.textContent).toBe('98.20%');
    await change(byTestId('monitor-speed'), 'max');
    await click(byTestId('monitor-start-submit'));
    await flush();
    expect(t.callsOf('monitors.start')[0]!.input).toEqual({ modelId: 3, source: { kind: 'replay', datasetId: 7, speed: 'max' }, threshold: { mode: 'fpr', fpr: 0.02 }, aggregateSeconds: 60 });
    expect(closed).toBe(true);
    expect(useLive.getState().monitors[9]).toBeDefined();
  });

  it('changes a running monitor threshold and controls it', async () => {
    const t = useFakeTransport({
      'monitors.setThreshold': ({ id, threshold }: { id: number; threshold: unknown }) => monitorOf({ id, threshold: threshold as never, thresholdValue: 0.8 }),
      'monitors.pause': ({ id }: { id: number }) => monitorOf({ id, state: 'paused' }),
    });
    useLive.setState({ monitors: { 1: monitorOf() } });
    await render(<MonitorCard monitor={monitorOf()} focused={false} datasetName={() => 'Wednesday'} />);
    expect(byTestId('monitor-1')!.textContent).toContain('replay Wednesday · 100×');
    await click(byTestId('monitor-threshold-edit-1'));
    await click(byTestId('threshold-mode-score'));
    await change(byTestId('threshold-score'), '0.8');
    await click(byTestId('threshold-save'));
    await flush();
    expect(t.callsOf('monitors.setThreshold')[0]!.input).toEqual({ id: 1, threshold: { mode: 'score', value: 0.8 } });
    expect(useLive.getState().monitors[1]!.thresholdValue).toBe(0.8);
    await click(byTestId('monitor-pause-1'));
    await flush();
    expect(useLive.getState().monitors[1]!.state).toBe('paused');
  });
});
