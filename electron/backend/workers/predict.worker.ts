/** One thread of a PredictPool: decodes the model once, then scores chunks of rows into shared buffers. */
import { parentPort, workerData } from 'node:worker_threads';
import { decodeBundle } from '../training/model-bundle.js';
import { scoreChunks, type PredictReply, type PredictRequest } from '../training/predict-pool.js';

const bundle = decodeBundle(workerData.file as Uint8Array);
parentPort!.postMessage('ready');
parentPort!.on('message', (m: PredictRequest) => {
  let reply: PredictReply;
  try {
    const X = { data: new Float32Array(m.X, 0, m.nSamples * m.nFeatures), nSamples: m.nSamples, nFeatures: m.nFeatures };
    scoreChunks(bundle.model, X, new Float32Array(m.out), new Int32Array(m.cursor));
    reply = { id: m.id, ok: true };
  } catch (err) {
    reply = { id: m.id, ok: false, message: (err as Error).message };
  }
  parentPort!.postMessage(reply);
});
