// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DoctorReport, NeuralRuntimeInfo } from '../../electron/contract/index.js';
import { api } from '../api/client.js';
import { ApiCallError } from '../api/errors.js';
import { useJobs } from '../features/jobs/jobs.slice.js';
import { wasmRuntime } from '../features/models/test-fixtures.js';
import { job } from '../test/fixtures.js';
import { byTestId, cleanup, flush, render, useFakeTransport } from '../test/helpers.js';
import { StatusBar, neuralStatus } from './StatusBar.js';
import { useApp } from './app.slice.js';
import { wireStores } from './wire.js';

function doctor(neural: NeuralRuntimeInfo): DoctorReport {
  return {
    app: { version: '0.1.0', workspacePath: '/w.sqlite', schemaVersion: 2, node: '20.20.2', sqlite: '3.53', platform: 'linux-x64', face: 'browser' },
    electron: null,
    cpus: 2,
    memoryBytes: 8e9,
    workspace: { path: '/w.sqlite', schemaVersion: 2, sizeBytes: 1e6, datasets: 0, models: 0 },
    neural,
  };
}

const none: NeuralRuntimeInfo = { backend: null, label: 'unavailable', requested: 'auto', skipped: [], version: null, error: 'the probe thread stopped (exit code 1)' };

beforeEach(() => {
  useApp.setState({ info: null, neural: { status: 'checking' }, connection: { status: 'open', attempts: 0, retryAt: null, everOpened: true } });
  useJobs.setState({ jobs: {}, touched: {}, loaded: false });
});
afterEach(cleanup);

describe('status bar: neural runtime', () => {
  it('says “checking” until app.doctor answers, then the backend, with the skipped faster ones in the tooltip', async () => {
    let answer: (r: DoctorReport) => void = () => {};
    const t = useFakeTransport({ 'app.doctor': () => new Promise<DoctorReport>((resolve) => (answer = resolve)) });
    await render(<StatusBar />);
    void useApp.getState().loadNeural();
    void useApp.getState().loadNeural();
    const item = () => byTestId('status-neural')!;
    expect(item().textContent).toBe('Neural: checking…');
    expect(t.callsOf('app.doctor')).toHaveLength(1);
    await act(async () => answer(doctor(wasmRuntime)));
    await flush();
    expect(item().textContent).toBe('Neural: WebAssembly (SIMD)');
    expect(item().getAttribute('data-backend')).toBe('wasm');
    const title = item().getAttribute('title')!;
    expect(title).toContain('Neural networks train on WebAssembly (SIMD) (TensorFlow.js 4.22.0).');
    expect(title).toContain("• TensorFlow native (GPU): Cannot find module '@tensorflow/tfjs-node-gpu'.");
    expect(title).toContain("• TensorFlow native (CPU): Cannot find module '@tensorflow/tfjs-node'.");
    // keyboard and screen readers reach the same words
    expect(item().tabIndex).toBe(0);
    expect(document.getElementById(item().getAttribute('aria-describedby')!)!.textContent).toBe(title);
    // known: not asked again
    await act(async () => useApp.getState().loadNeural());
    expect(t.callsOf('app.doctor')).toHaveLength(1);
  });

  it('no backend: “unavailable” with the reason; a forced slow backend warns', () => {
    const missing = neuralStatus({ status: 'ready', info: none });
    expect(missing).toMatchObject({ text: 'unavailable', tone: 'warn' });
    expect(missing.details).toBe('Neural networks cannot be trained here: the probe thread stopped (exit code 1).');
    const forced = neuralStatus({ status: 'ready', info: { ...wasmRuntime, backend: 'cpu', label: 'JavaScript (CPU)', requested: 'cpu', skipped: [] } });
    expect(forced).toMatchObject({ text: 'JavaScript (CPU)', tone: 'warn' });
    expect(forced.details).toContain('Backend forced by FLOWSIGHT_TF_BACKEND=cpu.');
    expect(forced.details).toContain('Plain JavaScript is slow');
    expect(neuralStatus({ status: 'error', error: 'Connection lost.' })).toMatchObject({ text: 'unavailable', details: 'The neural runtime could not be checked: Connection lost.' });
  });

  it('is asked once at start without holding anything up, and again after a reconnect only if the question failed', async () => {
    let fail = true;
    const t = useFakeTransport({
      'app.info': () => doctor(none).app,
      'datasets.list': () => ({ datasets: [] }),
      'jobs.list': () => ({ jobs: [] }),
      'app.doctor': () => {
        if (fail) throw new ApiCallError('DISCONNECTED', 'Connection lost.');
        return doctor(none);
      },
    });
    const off = wireStores(api);
    try {
      await render(<StatusBar />);
      await flush();
      expect(t.callsOf('app.doctor')).toHaveLength(1);
      expect(byTestId('status-neural')!.textContent).toBe('Neural: unavailable');
      expect(byTestId('status-neural')!.getAttribute('title')).toBe('The neural runtime could not be checked: Connection lost.');
      fail = false;
      act(() => t.setConnection({ status: 'reconnecting', attempts: 1, retryAt: null, everOpened: true }));
      await act(async () => t.setConnection({ status: 'open', attempts: 0, retryAt: null, everOpened: true }));
      await flush();
      expect(t.callsOf('app.doctor')).toHaveLength(2);
      expect(byTestId('status-neural')!.textContent).toBe('Neural: unavailable');
      expect(byTestId('status-neural')!.getAttribute('title')).toContain('the probe thread stopped (exit code 1)');
      // a known answer is not asked for again
      act(() => t.setConnection({ status: 'reconnecting', attempts: 1, retryAt: null, everOpened: true }));
      await act(async () => t.setConnection({ status: 'open', attempts: 0, retryAt: null, everOpened: true }));
      await flush();
      expect(t.callsOf('app.doctor')).toHaveLength(2);
    } finally {
      off();
    }
  });

  it('names a running neural training’s phase in words, its share moving with the batches', async () => {
    useFakeTransport({});
    useJobs.setState({
      jobs: { 5: job({ id: 5, kind: 'train', title: 'Train DNN on NSL-KDD', progress: { phase: 'epochs', current: 1, total: 4, batch: { current: 50, total: 100 } } }) },
    });
    await render(<StatusBar />);
    expect(byTestId('status-job')!.textContent).toBe('Train DNN on NSL-KDD · Training 37.5%');
  });
});
