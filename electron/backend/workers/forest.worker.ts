/**
 * A forest-training thread. Started ahead of time (while the job loads and preprocesses the
 * data), it says 'ready', then grows the trees each 'fit' message assigns (ForestWorkerData.trees)
 * on the shared training matrix and sends them back as a ForestPart; it reports each finished
 * tree and stops a fit when the job's cancel flag is set. One thread serves every fit of a job
 * (k-fold trains several forests).
 */
import { parentPort } from 'node:worker_threads';
import { fitForestPart, forestPartTransferables, type ForestParamsInput } from '../../../ml-core/models/forest/forest.js';
import { FitCancelled } from '../../../ml-core/models/types.js';
import { CancelFlag } from '../jobs/cancel.js';
import type { ForestWorkerData, ForestWorkerMessage } from '../training/forest-runner.js';

const post = (m: ForestWorkerMessage) => parentPort!.postMessage(m);

parentPort!.on('message', (data: ForestWorkerData) => {
  const cancel = new CancelFlag(data.cancel);
  try {
    const train = {
      X: { data: new Float32Array(data.X), nSamples: data.nSamples, nFeatures: data.nFeatures },
      y: new Int32Array(data.y),
      nClasses: data.nClasses,
      ...(data.sampleWeight ? { sampleWeight: new Float32Array(data.sampleWeight) } : {}),
    };
    const part = fitForestPart(train, data.params as unknown as ForestParamsInput, data.trees, {
      isCancelled: () => cancel.cancelled,
      onProgress: (p: { current: number }) => post({ type: 'progress', done: p.current }),
    });
    const msg: ForestWorkerMessage = { type: 'done', part };
    parentPort!.postMessage(msg, forestPartTransferables(part) as ArrayBuffer[]);
  } catch (err) {
    post({ type: 'failed', message: (err as Error).message ?? String(err), cancelled: err instanceof FitCancelled });
  }
});
post({ type: 'ready' });
