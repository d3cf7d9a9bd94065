/**
 * Losses of the boosting classifier: binary logistic (one raw score per row, sigmoid link) and
 * multiclass softmax (nClasses raw scores per row). Each pass computes the gradients and
 * hessians at the current raw scores and returns the (weighted) mean log loss there.
 *
 * Memory layout: raw[sampleIdx * nResults + classIdx]; grad/hess[classIdx * nSamples + sampleIdx]
 * (class-major, so each class tree reads a contiguous slice).
 */

/** Smallest hessian (keeps leaf weights finite where probabilities saturate). */
const MIN_HESS = 1e-16;
/** Probabilities are clipped to [EPS, 1 - EPS] in the log loss. */
const EPS = 1e-15;

/** Logistic: grad/hess of rows at raw; returns mean log loss. weight null = all 1. */
export function logisticGradients(raw: Float64Array, y: Int32Array, weight: Float64Array | null, grad: Float64Array, hess: Float64Array): number {
  const n = y.length;
  let loss = 0;
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    const z = raw[i]!;
    const p = 1 / (1 + Math.exp(-z));
    const yi = y[i] === 1 ? 1 : 0;
    const w = weight ? weight[i]! : 1;
    grad[i] = (p - yi) * w;
    hess[i] = Math.max(p * (1 - p), MIN_HESS) * w;
    loss += w * logisticLoss(z, yi);
    wsum += w;
  }
  return wsum > 0 ? loss / wsum : 0;
}

/** −log P(y) for raw score z (stable for large |z|). */
function logisticLoss(z: number, y: number): number {
  // log(1 + e^z) - y z
  const softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  return Math.min(softplus - y * z, -Math.log(EPS));
}

/** Mean logistic log loss of raw scores (no gradients). */
export function logisticLossMean(raw: Float64Array, y: Int32Array, weight: Float64Array | null): number {
  let loss = 0;
  let wsum = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weight ? weight[i]! : 1;
    loss += w * logisticLoss(raw[i]!, y[i] === 1 ? 1 : 0);
    wsum += w;
  }
  return wsum > 0 ? loss / wsum : 0;
}

/** Softmax: grad/hess of every class at raw; returns mean log loss. */
export function softmaxGradients(raw: Float64Array, y: Int32Array, nClasses: number, weight: Float64Array | null, grad: Float64Array, hess: Float64Array, probs: Float64Array): number {
  const n = y.length;
  const K = nClasses;
  let loss = 0;
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    const base = i * K;
    let max = -Infinity;
    for (let k = 0; k < K; k++) if (raw[base + k]! > max) max = raw[base + k]!;
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(raw[base + k]! - max);
      probs[k] = e;
      sum += e;
    }
    const yi = y[i]!;
    const w = weight ? weight[i]! : 1;
    const inv = 1 / sum;
    for (let k = 0; k < K; k++) {
      const p = probs[k]! * inv;
      const at = k * n + i;
      grad[at] = (k === yi ? p - 1 : p) * w;
      hess[at] = Math.max(p * (1 - p), MIN_HESS) * w;
    }
    // −log p_y = log(sum) + max − raw_y
    loss += w * Math.min(Math.log(sum) + max - raw[base + yi]!, -Math.log(EPS));
    wsum += w;
  }
  return wsum > 0 ? loss / wsum : 0;
}

/** Mean softmax log loss of raw scores (no gradients). */
export function softmaxLossMean(raw: Float64Array, y: Int32Array, nClasses: number, weight: Float64Array | null): number {
  const K = nClasses;
  let loss = 0;
  let wsum = 0;
  for (let i = 0; i < y.length; i++) {
    const base = i * K;
    let max = -Infinity;
    for (let k = 0; k < K; k++) if (raw[base + k]! > max) max = raw[base + k]!;
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(raw[base + k]! - max);
    const w = weight ? weight[i]! : 1;
    loss += w * Math.min(Math.log(sum) + max - raw[base + y[i]!]!, -Math.log(EPS));
    wsum += w;
  }
  return wsum > 0 ? loss / wsum : 0;
}
