/**
 * Feature binning for histogram tree learners: each feature's values map to at most `maxBins`
 * ordered bins chosen from the training values (one bin per distinct value when there are few,
 * else frequency-balanced bins where a value as frequent as a whole bin gets a bin of its own).
 * A bin is stored by its upper edge, so "bin <= b" in binned space is "x <= edge[b]" in real
 * values: the split thresholds of a trained tree are real feature values.
 *
 * NaN (missing) gets a dedicated last bin when the training values hold any, and is sent to the
 * last bin otherwise; either way it goes right at every split, as the flat predictor does.
 */
import { Rng } from '../../rng.js';
import type { ColMatrix } from '../types.js';

/** Most value bins a feature may have: bin indices (plus an optional NaN bin) must fit a Uint8. */
export const MAX_BINS = 255;

export interface BinMapper {
  nFeatures: number;
  /** bins per feature, NaN bin included; 1 = constant in training (never worth a split) */
  nBins: Int32Array;
  /** 1 when the feature's last bin is the dedicated NaN bin */
  nanBin: Uint8Array;
  /** upper edges, flattened: edges[edgeStart[featureIdx] + binIdx]; last value bin = +Infinity, NaN bin = NaN */
  edges: Float32Array;
  /** start of each feature's edges in `edges` (nFeatures + 1 entries) */
  edgeStart: Int32Array;
}

export interface BinningOptions {
  /** value bins per feature, 2..255 (default 255) */
  maxBins?: number;
  /** edges come from at most this many rows, drawn at random (default 200,000) */
  sampleSize?: number;
  /** seed of the row draw when nSamples > sampleSize (default 0) */
  seed?: number;
}

/** Learns the bin edges of every feature of a column-major matrix. */
export function fitBinMapper(X: ColMatrix, options: BinningOptions = {}): BinMapper {
  const maxBins = options.maxBins ?? MAX_BINS;
  if (!(maxBins >= 2 && maxBins <= MAX_BINS)) throw new Error(`maxBins must be in 2..${MAX_BINS}, got ${maxBins}`);
  const sampleSize = options.sampleSize ?? 200_000;
  const { nSamples, nFeatures } = X;
  let sampleRows: Int32Array | null = null;
  if (nSamples > sampleSize) {
    sampleRows = new Rng(options.seed ?? 0, 0x62696e).sample(nSamples, sampleSize);
    sampleRows.sort();
  }
  const m = sampleRows ? sampleRows.length : nSamples;
  const values = new Float32Array(m); // one feature's sampled values, sorted in place
  const perFeature: Float32Array[] = [];
  const nBins = new Int32Array(nFeatures);
  const nanBin = new Uint8Array(nFeatures);
  const distinct = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let featureIdx = 0; featureIdx < nFeatures; featureIdx++) {
    const base = featureIdx * nSamples;
    if (sampleRows) for (let i = 0; i < m; i++) values[i] = X.data[base + sampleRows[i]!]!;
    else values.set(X.data.subarray(base, base + nSamples));
    values.sort(); // typed-array sort: numeric, NaN last
    let nFinite = m;
    while (nFinite > 0 && Number.isNaN(values[nFinite - 1]!)) nFinite--;
    let k = 0;
    for (let i = 0; i < nFinite; i++) {
      const v = values[i]!;
      if (k > 0 && distinct[k - 1] === v) counts[k - 1]!++;
      else {
        distinct[k] = v;
        counts[k] = 1;
        k++;
      }
    }
    const upper = valueBinEdges(distinct, counts, k, maxBins);
    const hasNan = nFinite < m ? 1 : 0;
    const edges = new Float32Array(upper.length + hasNan);
    edges.set(upper);
    if (hasNan) edges[upper.length] = NaN;
    perFeature.push(edges);
    nBins[featureIdx] = edges.length;
    nanBin[featureIdx] = hasNan;
  }
  const edgeStart = new Int32Array(nFeatures + 1);
  for (let f = 0; f < nFeatures; f++) edgeStart[f + 1] = edgeStart[f]! + nBins[f]!;
  const edges = new Float32Array(edgeStart[nFeatures]!);
  perFeature.forEach((e, f) => edges.set(e, edgeStart[f]!));
  return { nFeatures, nBins, nanBin, edges, edgeStart };
}

/**
 * Upper edges of the value bins from k sorted distinct values and their counts: at most maxBins
 * bins, the last edge +Infinity. Edges sit halfway between neighbouring distinct values (rounded
 * to float32 without reaching the upper value).
 */
export function valueBinEdges(distinct: Float64Array, counts: Float64Array, k: number, maxBins: number): Float32Array {
  const out: number[] = [];
  if (k <= maxBins) {
    for (let i = 0; i + 1 < k; i++) out.push(midEdge(distinct[i]!, distinct[i + 1]!));
  } else {
    let rest = 0;
    for (let i = 0; i < k; i++) rest += counts[i]!;
    let binsLeft = maxBins;
    let acc = 0;
    for (let i = 0; i + 1 < k && binsLeft > 1; i++) {
      acc += counts[i]!;
      const target = rest / binsLeft;
      // close the bin once it holds its share, or early when the next value alone fills a bin
      if (acc >= target || counts[i + 1]! >= target) {
        out.push(midEdge(distinct[i]!, distinct[i + 1]!));
        rest -= acc;
        acc = 0;
        binsLeft--;
      }
    }
  }
  out.push(Infinity);
  return Float32Array.from(out);
}

/** A float32 edge e with lo <= e < hi (lo < hi float32 values). */
function midEdge(lo: number, hi: number): number {
  const mid = Math.fround(lo + (hi - lo) / 2);
  return mid >= lo && mid < hi ? mid : lo;
}

/** Bin of one value: the first bin whose upper edge is >= x; NaN to the last bin. */
export function binOf(mapper: BinMapper, featureIdx: number, x: number): number {
  const s = mapper.edgeStart[featureIdx]!;
  const nb = mapper.nBins[featureIdx]!;
  if (x !== x) return nb - 1;
  let lo = 0;
  let hi = nb - 1 - mapper.nanBin[featureIdx]!; // last value bin (edge +Infinity)
  const e = mapper.edges;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= e[s + mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Features with more than one bin (the ones a split can use), ascending. */
export function splittableFeatures(mapper: BinMapper): Int32Array {
  const out: number[] = [];
  for (let f = 0; f < mapper.nFeatures; f++) if (mapper.nBins[f]! > 1) out.push(f);
  return Int32Array.from(out);
}

/**
 * Bins the chosen features of X into a row-major matrix:
 * binned[sampleIdx * features.length + colIdx] = bin of feature features[colIdx].
 * (Row-major lets one pass over a node's rows fill every feature's histogram.)
 */
export function binRows(mapper: BinMapper, X: ColMatrix, features: Int32Array): Uint8Array {
  const { nSamples } = X;
  const nCols = features.length;
  const out = new Uint8Array(nSamples * nCols);
  for (let colIdx = 0; colIdx < nCols; colIdx++) {
    const featureIdx = features[colIdx]!;
    const col = X.data.subarray(featureIdx * nSamples, (featureIdx + 1) * nSamples);
    const s = mapper.edgeStart[featureIdx]!;
    const nb = mapper.nBins[featureIdx]!;
    const lastValueBin = nb - 1 - mapper.nanBin[featureIdx]!;
    const e = mapper.edges;
    if (lastValueBin <= 16) {
      // few bins: a linear scan beats a binary search
      for (let i = 0; i < nSamples; i++) {
        const x = col[i]!;
        let b = 0;
        if (x !== x) b = nb - 1;
        else while (b < lastValueBin && x > e[s + b]!) b++;
        out[i * nCols + colIdx] = b;
      }
    } else {
      for (let i = 0; i < nSamples; i++) {
        const x = col[i]!;
        let b: number;
        if (x !== x) b = nb - 1;
        else {
          let lo = 0;
          let hi = lastValueBin;
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (x <= e[s + mid]!) hi = mid;
            else lo = mid + 1;
          }
          b = lo;
        }
        out[i * nCols + colIdx] = b;
      }
    }
  }
  return out;
}

/** Real-valued threshold of the split "bin <= binIdx goes left": the bin's upper edge. */
export function thresholdOf(mapper: BinMapper, featureIdx: number, binIdx: number): number {
  return mapper.edges[mapper.edgeStart[featureIdx]! + binIdx]!;
}
