/**
 * Best split of a node from its gradient histogram (second-order gain, XGBoost style):
 *   gain = ½ [GL²/(HL+λ) + GR²/(HR+λ) − G²/(H+λ)] − γ
 * over every column and every threshold "bin <= binIdx goes left", subject to minChildWeight
 * (hessian sum of each child) and minSamplesLeaf (rows of each child, checked on stride-3
 * histograms, which the caller uses whenever minSamplesLeaf > 1 or minChildWeight is 0).
 * Ties keep the first candidate in (column list order, bin order). The naive finder recomputes
 * each side's sums from scratch for every candidate and is the reference for the fast one.
 *
 * Histogram layout: hist[(binOffset[colIdx] + binIdx) * stride + {0: g, 1: h, 2: count}].
 */
import type { HistLayout } from './histogram.js';

export interface SplitParams {
  /** L2 regularisation on leaf values */
  lambda: number;
  /** least gain a split must bring */
  gamma: number;
  /** least hessian sum in each child */
  minChildWeight: number;
  /** least rows in each child, at least 1 (checked only on stride-3 histograms) */
  minSamplesLeaf: number;
}

/** Sums of a node's rows. count is the true row count (used for minSamplesLeaf with stride 3). */
export interface NodeSums {
  g: number;
  h: number;
  count: number;
}

export interface SplitInfo {
  /** gain after gamma; only splits with gain > MIN_SPLIT_GAIN are taken */
  gain: number;
  colIdx: number;
  /** rows with bin <= binIdx go left */
  binIdx: number;
  gL: number;
  hL: number;
  /** left row count from the histogram (NaN with stride 2) */
  cL: number;
}

/** Gains at or below this are no split (guards against rounding noise). */
export const MIN_SPLIT_GAIN = 1e-12;

export function emptySplit(): SplitInfo {
  return { gain: -Infinity, colIdx: -1, binIdx: -1, gL: 0, hL: 0, cL: 0 };
}

/** Optimal leaf weight (before the learning rate): −G/(H+λ). */
export function leafWeight(g: number, h: number, lambda: number): number {
  return -g / (h + lambda);
}

/**
 * Fast finder: writes the best split of the node into `out` and returns whether one beats
 * MIN_SPLIT_GAIN. cols = the columns to search (null = all).
 */
export function findBestSplit(hist: Float64Array, layout: HistLayout, cols: Int32Array | null, sums: NodeSums, params: SplitParams, out: SplitInfo): boolean {
  const { binOffset, stride } = layout;
  const { lambda, minChildWeight } = params;
  const G = sums.g;
  const H = sums.h;
  const C = sums.count;
  const useCounts = stride === 3;
  const msl = Math.max(1, params.minSamplesLeaf);
  const parentTerm = (G * G) / (H + lambda);
  const gamma = params.gamma;
  let bestGain = MIN_SPLIT_GAIN;
  let bestCol = -1;
  let bestBin = -1;
  let bestGL = 0;
  let bestHL = 0;
  let bestCL = NaN;
  const nColsSearch = cols ? cols.length : layout.nCols;
  if (H < 2 * minChildWeight || (useCounts && C < 2 * msl)) {
    out.gain = -Infinity;
    out.colIdx = -1;
    out.binIdx = -1;
    return false;
  }
  for (let j = 0; j < nColsSearch; j++) {
    const colIdx = cols ? cols[j]! : j;
    const k0 = binOffset[colIdx]! * stride;
    const nb = binOffset[colIdx + 1]! - binOffset[colIdx]!;
    let gL = 0;
    let hL = 0;
    let cL = 0;
    for (let b = 0; b < nb - 1; b++) {
      const k = k0 + b * stride;
      const gb = hist[k]!;
      const hb = hist[k + 1]!;
      // an empty bin leaves the sums, hence the gain, as they were: it cannot beat the best
      if (gb === 0 && hb === 0 && (stride === 2 || hist[k + 2] === 0)) continue;
      gL += gb;
      hL += hb;
      if (stride === 3) cL += hist[k + 2]!;
      if (hL < minChildWeight) continue;
      const hR = H - hL;
      if (hR < minChildWeight) continue;
      if (useCounts && (cL < msl || C - cL < msl)) continue;
      const gR = G - gL;
      const gain = 0.5 * ((gL * gL) / (hL + lambda) + (gR * gR) / (hR + lambda) - parentTerm) - gamma;
      if (gain > bestGain) {
        bestGain = gain;
        bestCol = colIdx;
        bestBin = b;
        bestGL = gL;
        bestHL = hL;
        bestCL = stride === 3 ? cL : NaN;
      }
    }
  }
  out.gain = bestCol >= 0 ? bestGain : -Infinity;
  out.colIdx = bestCol;
  out.binIdx = bestBin;
  out.gL = bestGL;
  out.hL = bestHL;
  out.cL = bestCL;
  return bestCol >= 0;
}

/**
 * Fast finder over a sparse histogram: visits only the touched bins (bitmap, ascending global bin
 * = column then bin order), which gives the same split as the dense scan, since an untouched bin
 * leaves the running sums, hence the gain, unchanged. colMask[colIdx] = 1 for searchable columns
 * (null = all).
 */
export function findBestSplitSparse(hist: Float64Array, touched: Int32Array, layout: HistLayout, colMask: Uint8Array | null, sums: NodeSums, params: SplitParams, out: SplitInfo): boolean {
  const { binOffset, stride, binCol, nBins } = layout;
  const { lambda, minChildWeight } = params;
  const G = sums.g;
  const H = sums.h;
  const C = sums.count;
  const useCounts = stride === 3;
  const msl = Math.max(1, params.minSamplesLeaf);
  const parentTerm = (G * G) / (H + lambda);
  const gamma = params.gamma;
  let bestGain = MIN_SPLIT_GAIN;
  let bestCol = -1;
  let bestBin = -1;
  let bestGL = 0;
  let bestHL = 0;
  let bestCL = NaN;
  out.gain = -Infinity;
  out.colIdx = -1;
  out.binIdx = -1;
  if (H < 2 * minChildWeight || (useCounts && C < 2 * msl)) return false;
  let col = -1;
  let skip = false;
  let lastBin = 0;
  let gL = 0;
  let hL = 0;
  let cL = 0;
  for (let w = 0; w < touched.length; w++) {
    let word = touched[w]!;
    while (word !== 0) {
      const low = word & -word;
      const g = (w << 5) + 31 - Math.clz32(low);
      word ^= low;
      const c = binCol[g]!;
      if (c !== col) {
        col = c;
        skip = colMask !== null && colMask[c] === 0;
        lastBin = binOffset[c]! + nBins[c]! - 1;
        gL = 0;
        hL = 0;
        cL = 0;
      }
      if (skip || g === lastBin) continue;
      const k = g * stride;
      gL += hist[k]!;
      hL += hist[k + 1]!;
      if (stride === 3) cL += hist[k + 2]!;
      if (hL < minChildWeight) continue;
      const hR = H - hL;
      if (hR < minChildWeight) continue;
      if (useCounts && (cL < msl || C - cL < msl)) continue;
      const gR = G - gL;
      const gain = 0.5 * ((gL * gL) / (hL + lambda) + (gR * gR) / (hR + lambda) - parentTerm) - gamma;
      if (gain > bestGain) {
        bestGain = gain;
        bestCol = c;
        bestBin = g - binOffset[c]!;
        bestGL = gL;
        bestHL = hL;
        bestCL = stride === 3 ? cL : NaN;
      }
    }
  }
  if (bestCol < 0) return false;
  out.gain = bestGain;
  out.colIdx = bestCol;
  out.binIdx = bestBin;
  out.gL = bestGL;
  out.hL = bestHL;
  out.cL = bestCL;
  return true;
}

/** Naive reference finder: every candidate's sums recomputed from its bins, same rules and tie order. */
export function findBestSplitNaive(hist: Float64Array, layout: HistLayout, cols: Int32Array | null, sums: NodeSums, params: SplitParams): SplitInfo {
  const { binOffset, stride } = layout;
  const best = emptySplit();
  const colList = cols ?? Int32Array.from({ length: layout.nCols }, (_, c) => c);
  for (const colIdx of colList) {
    const nb = binOffset[colIdx + 1]! - binOffset[colIdx]!;
    for (let binIdx = 0; binIdx < nb - 1; binIdx++) {
      let gL = 0;
      let hL = 0;
      let cL = 0;
      for (let b = 0; b <= binIdx; b++) {
        const k = (binOffset[colIdx]! + b) * stride;
        gL += hist[k]!;
        hL += hist[k + 1]!;
        if (stride === 3) cL += hist[k + 2]!;
      }
      const gR = sums.g - gL;
      const hR = sums.h - hL;
      if (hL < params.minChildWeight || hR < params.minChildWeight) continue;
      const msl = Math.max(1, params.minSamplesLeaf);
      if (stride === 3 && (cL < msl || sums.count - cL < msl)) continue;
      const score = (g: number, h: number) => (g * g) / (h + params.lambda);
      const gain = 0.5 * (score(gL, hL) + score(gR, hR) - score(sums.g, sums.h)) - params.gamma;
      if (gain > MIN_SPLIT_GAIN && gain > best.gain) {
        Object.assign(best, { gain, colIdx, binIdx, gL, hL, cL: stride === 3 ? cL : NaN });
      }
    }
  }
  return best;
}
