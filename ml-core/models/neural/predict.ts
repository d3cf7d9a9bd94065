/**
 * Batched inference: class probabilities (softmax classifiers), reconstruction errors and anomaly
 * scores (autoencoders). Large chunks: TensorFlow.js' cost per call dwarfs the arithmetic at the
 * default batch of 32 (measured on WebAssembly: 25k rows in 5 s at 32, 0.17 s at 4096).
 */
import type { RowMatrix } from '../types.js';
import { forward } from './graph.js';
import type { Tensor, Tf } from './tf-types.js';
import type { NeuralArch, TrainedNeuralModel } from './types.js';

export const PREDICT_CHUNK = 8192;

function uploadParams(tf: Tf, arch: NeuralArch, weights: Float32Array[]): Tensor[] {
  return arch.params.map((p, i) => tf.tensor(weights[i]!, p.shape, 'float32'));
}

/** Runs `perChunk` on each chunk's network output (inside tf.tidy). */
function eachChunk(tf: Tf, arch: NeuralArch, weights: Float32Array[], X: RowMatrix, perChunk: (out: Tensor, x: Tensor, start: number, n: number) => void, chunk = PREDICT_CHUNK): void {
  if (X.nFeatures !== arch.nInputs) throw new Error(`the network expects ${arch.nInputs} input columns, not ${X.nFeatures}`);
  const P = uploadParams(tf, arch, weights);
  try {
    for (let start = 0; start < X.nSamples; start += chunk) {
      const n = Math.min(chunk, X.nSamples - start);
      tf.tidy(() => {
        const x = tf.tensor2d(X.data.subarray(start * X.nFeatures, (start + n) * X.nFeatures), [n, X.nFeatures]);
        perChunk(forward(tf, arch, P, x, null), x, start, n);
      });
    }
  } finally {
    tf.dispose(P);
  }
}

/** Softmax probabilities, row-major [nSamples, nOutputs]. */
export function softmaxProba(tf: Tf, arch: NeuralArch, weights: Float32Array[], X: RowMatrix, chunk?: number): Float32Array {
  const k = arch.nOutputs;
  const out = new Float32Array(X.nSamples * k);
  eachChunk(tf, arch, weights, X, (z, _x, start) => out.set(tf.softmax(z).dataSync() as Float32Array, start * k), chunk);
  return out;
}

/** Mean squared reconstruction error per row. */
export function reconstructionErrors(tf: Tf, arch: NeuralArch, weights: Float32Array[], X: RowMatrix, chunk?: number): Float32Array {
  const out = new Float32Array(X.nSamples);
  eachChunk(tf, arch, weights, X, (z, x, start) => out.set(tf.mean(tf.square(tf.sub(z, x)), 1).dataSync() as Float32Array, start), chunk);
  return out;
}

/**
 * Anomaly score in [0, 1) from a reconstruction error: u / (1 + u) with u = ln(1 + error / scale).
 * Monotone, and slow to saturate: errors span orders of magnitude on flow data, and float32
 * still tells apart errors up to ~10^7 times the scale (1 - exp(-error / scale) rounded every
 * error past ~17 times the scale to 1, tying the ranking the ROC curve depends on).
 */
export function anomalyScore(error: number, scale: number): number {
  const u = Math.log1p(Math.max(0, error) / (scale > 0 ? scale : 1));
  return u / (1 + u);
}

/**
 * Class probabilities for every row, row-major [nSamples, nClasses]; an autoencoder gives
 * [1 - score, score] with score its anomaly score.
 */
export function predictNeural(tf: Tf, model: TrainedNeuralModel, X: RowMatrix): Float32Array {
  if (model.link === 'softmax') return softmaxProba(tf, model.arch, model.weights, X);
  const err = reconstructionErrors(tf, model.arch, model.weights, X);
  const out = new Float32Array(X.nSamples * 2);
  for (let i = 0; i < err.length; i++) {
    const s = anomalyScore(err[i]!, model.errorScale ?? 1);
    out[2 * i] = 1 - s;
    out[2 * i + 1] = s;
  }
  return out;
}
