/**
 * Losses of the boosting classifier: binary logistic (one raw score per row, sigmoid link) and
 * multiclass softmax (nClasses raw scores per row). Each gradient pass computes the gradients and
 * hessians at the current raw scores and returns the (weighted) mean log loss there (unclipped:
 * −log p computed from the raw scores, so it stays exact where p underflows).
 *
 * Memory layout (class-major, so each class tree reads and updates contiguous slices):
 * raw[classIdx * nSamples + sampleIdx], grad/hess[classIdx * nSamples + sampleIdx].
 */

/** Smallest hessian (keeps leaf weights finite where probabilities saturate). */
const MIN_HESS = 1e-16;

/**
 * Logs of sums are taken over products of up to this many factors in [1, 16]: one Math.log per
 * block instead of per row (16^128 < 1e155 cannot overflow).
 */
const LOG_BLOCK = 128;

/** Logistic: grad/hess of every row at raw (y in {0, 1}); returns the mean log loss. weight null = all 1. */
export function logisticGradients(raw: Float64Array, y: Int32Array, weight: Float64Array | null, grad: Float64Array, hess: Float64Array): number {
  const n = y.length;
  // loss_i = log(1 + e^z) − y z = log(1 + e^−|z|) + max(z, 0) − y z
  let linear = 0;
  let logs = 0;
  let prod = 1;
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    const z = raw[i]!;
    const a = Math.abs(z);
    const e = Math.exp(-a);
    const d = 1 + e;
    const inv = 1 / d;
    const p = z >= 0 ? inv : e * inv;
    const yi = y[i]!;
    const pq = p * (1 - p);
    if (weight) {
      const w = weight[i]!;
      grad[i] = (p - yi) * w;
      hess[i] = (pq > MIN_HESS ? pq : MIN_HESS) * w;
      linear += w * (0.5 * (z + a) - yi * z);
      logs += w * Math.log(d);
      wsum += w;
    } else {
      grad[i] = p - yi;
      hess[i] = pq > MIN_HESS ? pq : MIN_HESS;
      linear += 0.5 * (z + a) - yi * z;
      prod *= d;
      if ((i & (LOG_BLOCK - 1)) === LOG_BLOCK - 1) {
        logs += Math.log(prod);
        prod = 1;
      }
    }
  }
  if (!weight) {
    logs += Math.log(prod);
    wsum = n;
  }
  return wsum > 0 ? (linear + logs) / wsum : 0;
}

/** Mean logistic log loss of raw scores (no gradients). */
export function logisticLossMean(raw: Float64Array, y: Int32Array, weight: Float64Array | null): number {
  let loss = 0;
  let wsum = 0;
  for (let i = 0; i < y.length; i++) {
    const z = raw[i]!;
    const w = weight ? weight[i]! : 1;
    loss += w * ((z > 0 ? z : 0) + Math.log1p(Math.exp(-Math.abs(z))) - (y[i] === 1 ? z : 0));
    wsum += w;
  }
  return wsum > 0 ? loss / wsum : 0;
}

/** Scratch of the softmax pass: per-row max and sum of exponentials. */
export interface SoftmaxScratch {
  rowMax: Float64Array;
  rowSum: Float64Array;
}

export function softmaxScratch(nSamples: number): SoftmaxScratch {
  return { rowMax: new Float64Array(nSamples), rowSum: new Float64Array(nSamples) };
}

/** Rows per block of the softmax passes: a block's slices of raw, grad and hess stay in cache. */
const SOFTMAX_BLOCK = 256;

/**
 * Softmax: grad/hess of every class at raw; returns the mean log loss. Works on blocks of rows,
 * class by class over contiguous slices (exp(raw − max) parks in grad between the passes).
 */
export function softmaxGradients(raw: Float64Array, y: Int32Array, nClasses: number, weight: Float64Array | null, grad: Float64Array, hess: Float64Array, scratch: SoftmaxScratch): number {
  const n = y.length;
  const { rowMax, rowSum } = scratch;
  // −log p_y = log(sum) + max − raw_y
  let linear = 0;
  let logs = 0;
  let prod = 1;
  let wsum = 0;
  for (let i0 = 0; i0 < n; i0 += SOFTMAX_BLOCK) {
    const i1 = Math.min(n, i0 + SOFTMAX_BLOCK);
    for (let i = i0; i < i1; i++) {
      rowMax[i] = raw[i]!;
      rowSum[i] = 0;
    }
    for (let k = 1; k < nClasses; k++) {
      const o = k * n;
      for (let i = i0; i < i1; i++) if (raw[o + i]! > rowMax[i]!) rowMax[i] = raw[o + i]!;
    }
    for (let k = 0; k < nClasses; k++) {
      const o = k * n;
      for (let i = i0; i < i1; i++) {
        const e = Math.exp(raw[o + i]! - rowMax[i]!);
        grad[o + i] = e;
        rowSum[i] += e;
      }
    }
    for (let i = i0; i < i1; i++) {
      const w = weight ? weight[i]! : 1;
      const sum = rowSum[i]!;
      linear += w * (rowMax[i]! - raw[y[i]! * n + i]!);
      wsum += w;
      if (weight) logs += w * Math.log(sum);
      else {
        prod *= sum; // sum in [1, nClasses]
        if (prod > 1e150) {
          logs += Math.log(prod);
          prod = 1;
        }
      }
      rowSum[i] = 1 / sum;
    }
    for (let k = 0; k < nClasses; k++) {
      const o = k * n;
      for (let i = i0; i < i1; i++) {
        const p = grad[o + i]! * rowSum[i]!;
        const w = weight ? weight[i]! : 1;
        grad[o + i] = (y[i] === k ? p - 1 : p) * w;
        hess[o + i] = Math.max(p * (1 - p), MIN_HESS) * w;
      }
    }
  }
  logs += Math.log(prod);
  return wsum > 0 ? (linear + logs) / wsum : 0;
}

/** Mean softmax log loss of class-major raw scores (no gradients). */
export function softmaxLossMean(raw: Float64Array, y: Int32Array, nClasses: number, weight: Float64Array | null, scratch: SoftmaxScratch): number {
  const n = y.length;
  const { rowMax, rowSum } = scratch;
  rowMax.fill(-Infinity);
  rowSum.fill(0);
  for (let k = 0; k < nClasses; k++) {
    const o = k * n;
    for (let i = 0; i < n; i++) if (raw[o + i]! > rowMax[i]!) rowMax[i] = raw[o + i]!;
  }
  for (let k = 0; k < nClasses; k++) {
    const o = k * n;
    for (let i = 0; i < n; i++) rowSum[i] += Math.exp(raw[o + i]! - rowMax[i]!);
  }
  let loss = 0;
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    const w = weight ? weight[i]! : 1;
    loss += w * (Math.log(rowSum[i]!) + rowMax[i]! - raw[y[i]! * n + i]!);
    wsum += w;
  }
  return wsum > 0 ? loss / wsum : 0;
}
