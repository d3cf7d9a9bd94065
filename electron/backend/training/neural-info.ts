/**
 * The TensorFlow.js backend this installation trains neural models on, found once per process by
 * a short-lived probe thread (workers/tf-probe.worker.ts) and then remembered.
 */
import type { NeuralRuntimeInfo } from '../../contract/dto.js';
import { spawnWorker } from '../jobs/worker-host.js';

const PROBE_TIMEOUT_MS = 120_000;
let cached: Promise<NeuralRuntimeInfo> | null = null;

function failed(message: string): NeuralRuntimeInfo {
  return { backend: null, label: 'unavailable', requested: process.env.FLOWSIGHT_TF_BACKEND?.trim() || 'auto', skipped: [], version: null, error: message };
}

export function neuralRuntimeInfo(): Promise<NeuralRuntimeInfo> {
  cached ??= new Promise<NeuralRuntimeInfo>((resolve) => {
    let worker;
    try {
      worker = spawnWorker('tf-probe');
    } catch (err) {
      resolve(failed(`the probe thread could not start: ${(err as Error).message}`));
      return;
    }
    const w = worker;
    const timer = setTimeout(() => {
      void w.terminate();
      resolve(failed(`loading TensorFlow.js took longer than ${PROBE_TIMEOUT_MS / 1000} s`));
    }, PROBE_TIMEOUT_MS);
    timer.unref();
    w.once('message', (info: NeuralRuntimeInfo) => {
      clearTimeout(timer);
      resolve(info);
      void w.terminate();
    });
    w.once('error', (err) => {
      clearTimeout(timer);
      resolve(failed(err.message));
    });
    w.once('exit', (code) => {
      clearTimeout(timer);
      resolve(failed(`the probe thread stopped (exit code ${code})`));
    });
  });
  // a failure is not remembered: the next call probes again
  void cached.then((info) => {
    if (info.backend === null) cached = null;
  });
  return cached;
}
