/** One thread of a PredictPool: decodes the model once, then scores row ranges into shared buffers. */
import { parentPort, workerData } from 'node:worker_threads';
import { predictProbaRange } from '../../../ml-core/models/flat/predict.js';
import { decodeBundle } from '../training/model-bundle.js';
import type { PredictReply, PredictRequest } from '../training/predict-pool.js';

const bundle = decodeBundle(workerData.file as Uint8Array);
parentPort!.postMessage('ready');
parentPort!.on('message', (m: PredictRequest) => {
  let reply: PredictReply;
  try {
    const X = { data: new Float32Array(m.X, 0, m.nSamples * m.nFeatures), nSamples: m.nSamples, nFeatures: m.nFeatures };
    predictProbaRange(bundle.model, X, m.start, m.end, new Float32Array(m.out), m.start);
    reply = { id: m.id, ok: true };
  } catch (err) {
    reply = { id: m.id, ok: false, message: (err as Error).message };
  }
  parentPort!.postMessage(reply);
});
