/**
 * A forest-training thread of the backend's ForestPool. It lives as long as the backend and serves
 * every job that connects to it: each job gets its own MessagePort (ForestWorkerConnect), on which
 * it asks for a warm-up (a small synthetic forest, once per thread and kind, so the kernels are
 * compiled before the timed fit) and for fits: grow the trees ForestWorkerData.trees assigns on
 * the shared training matrix, report finished trees, send them back as a ForestPart, and stop
 * when the job's cancel flag is set. Requests are served one at a time, in order of arrival.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { fitForestPart, warmUpForest, type ForestParamsInput } from '../../../ml-core/models/forest/forest.js';
import type { ForestKind } from '../../../ml-core/models/forest/params.js';
import { FitCancelled } from '../../../ml-core/models/types.js';
import { CancelFlag } from '../jobs/cancel.js';
import type { ForestWorkerConnect, ForestWorkerData, ForestWorkerMessage, ForestWorkerWarm } from '../training/forest-runner.js';

/** Progress at most this often: each message wakes two other threads, on a machine whose cores are all growing trees. */
const PROGRESS_MS = 50;
const warmed = new Set<ForestKind>();

function warm(data: ForestWorkerWarm): void {
  if (warmed.has(data.warm)) return;
  warmed.add(data.warm);
  const go = new Int32Array(data.go);
  try {
    warmUpForest(data.warm, () => Atomics.load(go, 0) !== 0);
  } catch {
    /* a warm-up only saves time; the real fit reports any real problem */
  }
}

function fit(data: ForestWorkerData, post: (m: ForestWorkerMessage) => void): void {
  const cancel = new CancelFlag(data.cancel);
  try {
    const train = {
      X: { data: new Float32Array(data.X), nSamples: data.nSamples, nFeatures: data.nFeatures },
      y: new Int32Array(data.y),
      nClasses: data.nClasses,
      ...(data.sampleWeight ? { sampleWeight: new Float32Array(data.sampleWeight) } : {}),
    };
    let last = performance.now();
    const part = fitForestPart(train, data.params as unknown as ForestParamsInput, data.trees, {
      isCancelled: () => cancel.cancelled,
      onProgress: (p: { current: number }) => {
        const now = performance.now();
        if (now - last < PROGRESS_MS) return;
        last = now;
        post({ type: 'progress', done: p.current });
      },
    });
    post({ type: 'progress', done: data.trees.count });
    // copied, not transferred: measured, transferring the trees' buffers out of the thread made
    // its next fits 20-40% slower
    post({ type: 'done', part });
  } catch (err) {
    post({ type: 'failed', message: (err as Error).message ?? String(err), cancelled: err instanceof FitCancelled });
  }
}

function serve(port: MessagePort): void {
  const post = (m: ForestWorkerMessage) => port.postMessage(m);
  port.on('message', (data: ForestWorkerData | ForestWorkerWarm) => {
    if ('warm' in data) warm(data);
    else fit(data, post);
  });
  // the job ended (or its thread did): forget the port
  port.once('close', () => port.removeAllListeners());
}

parentPort!.on('message', (m: ForestWorkerConnect) => serve(m.connect));
