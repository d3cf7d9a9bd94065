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
  return fitBins(X, { ...options, binTraining: false }).mapper;
}

/**
 * Learns the bin edges of every feature and (unless binTraining is false) bins the training
 * matrix in the same pass: binned[featureIdx * nSamples + sampleIdx] = binIdx (column-major,
 * every feature). Features with at most maxBins distinct values are counted with a small hash
 * table (no sort); the others are radix-sorted with their row indices, so bins are assigned by one
 * walk in sorted order instead of a search per value.
 */
export function fitBins(X: ColMatrix, options: BinningOptions & { binTraining?: boolean } = {}): { mapper: BinMapper; binned: Uint8Array | null } {
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
  // bin while learning only when the edges come from every row
  const fused = options.binTraining !== false && !sampleRows;
  const binned = options.binTraining === false ? null : new Uint8Array(nSamples * nFeatures);
  const values = new Float32Array(m); // one feature's (sampled) values
  const sorter = new Float32ArgSorter(m);
  const small = new SmallDistinct(maxBins);
  const perFeature: Float32Array[] = [];
  const nBins = new Int32Array(nFeatures);
  const nanBin = new Uint8Array(nFeatures);
  const distinct = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let featureIdx = 0; featureIdx < nFeatures; featureIdx++) {
    const base = featureIdx * nSamples;
    if (sampleRows) for (let i = 0; i < m; i++) values[i] = X.data[base + sampleRows[i]!]!;
    else values.set(X.data.subarray(base, base + nSamples));
    const out = fused ? binned!.subarray(base, base + nSamples) : null;
    let k: number;
    let nFinite: number;
    let upper: Float32Array;
    if (small.count(values)) {
      // few distinct values: one bin each, assigned through the hash codes
      k = small.sortedDistinct(distinct, counts);
      nFinite = small.nFinite;
      upper = valueBinEdges(distinct, counts, k, maxBins);
      if (out) small.writeBins(out, upper.length);
    } else {
      nFinite = sorter.sort(values); // values[sorter.order[j]] ascending for j < nFinite
      const order = sorter.order;
      k = 0;
      for (let j = 0; j < nFinite; j++) {
        const v = values[order[j]!]!;
        if (k > 0 && distinct[k - 1] === v) counts[k - 1]!++;
        else {
          distinct[k] = v;
          counts[k] = 1;
          k++;
        }
      }
      upper = valueBinEdges(distinct, counts, k, maxBins);
      if (out) {
        let b = 0;
        for (let j = 0; j < nFinite; j++) {
          const i = order[j]!;
          const v = values[i]!;
          while (v > upper[b]!) b++;
          out[i] = b;
        }
        for (let j = nFinite; j < m; j++) out[order[j]!] = upper.length; // NaN bin
      }
    }
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
  const mapper: BinMapper = { nFeatures, nBins, nanBin, edges, edgeStart };
  if (binned && !fused) {
    const all = Int32Array.from({ length: nFeatures }, (_, f) => f);
    binned.set(binColumns(mapper, X, all));
  }
  return { mapper, binned };
}

/**
 * Distinct values of a float32 column when there are at most `limit` of them: an open-addressing
 * hash table on the value bits (-0 folded into +0), with each row's distinct-value code kept so
 * that bins can be written without a search.
 */
class SmallDistinct {
  private table = new Int32Array(1024); // slot -> distinct index + 1 (0 = empty)
  private keys: Uint32Array;
  private cnt: Float64Array;
  private codes = new Uint16Array(0); // per row: distinct index, NAN_CODE for NaN
  private rank: Int32Array;
  private k = 0;
  private n = 0;
  nFinite = 0;
  constructor(private readonly limit: number) {
    this.keys = new Uint32Array(limit);
    this.cnt = new Float64Array(limit);
    this.rank = new Int32Array(limit);
  }

  /** Counts the distinct values; false when there are more than `limit`. */
  count(values: Float32Array): boolean {
    const n = values.length;
    if (this.codes.length < n) this.codes = new Uint16Array(n);
    const codes = this.codes;
    const bits = new Uint32Array(values.buffer, values.byteOffset, n);
    const table = this.table;
    const keys = this.keys;
    const cnt = this.cnt;
    table.fill(0);
    let k = 0;
    let nNan = 0;
    for (let i = 0; i < n; i++) {
      let b = bits[i]!;
      if ((b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0) {
        codes[i] = NAN_CODE;
        nNan++;
        continue;
      }
      if (b === 0x80000000) b = 0; // -0 -> +0
      let slot = Math.imul(b, 0x9e3779b1) >>> 22;
      for (;;) {
        const t = table[slot]!;
        if (t === 0) {
          if (k === this.limit) return false;
          keys[k] = b;
          cnt[k] = 1;
          table[slot] = ++k;
          codes[i] = k - 1;
          break;
        }
        if (keys[t - 1] === b) {
          cnt[t - 1]!++;
          codes[i] = t - 1;
          break;
        }
        slot = (slot + 1) & 1023;
      }
    }
    this.k = k;
    this.nFinite = n - nNan;
    this.n = n;
    return true;
  }

  /** Writes the distinct values ascending with their counts; returns how many. */
  sortedDistinct(distinct: Float64Array, counts: Float64Array): number {
    const k = this.k;
    const vals = new Float32Array(new Uint32Array(this.keys.subarray(0, k)).buffer);
    const idx = Array.from({ length: k }, (_, j) => j).sort((a, b) => vals[a]! - vals[b]!);
    for (let r = 0; r < k; r++) {
      distinct[r] = vals[idx[r]!]!;
      counts[r] = this.cnt[idx[r]!]!;
      this.rank[idx[r]!] = r;
    }
    return k;
  }

  /** Bins of the last counted column: one bin per distinct value, NaN to bin nanBinIdx. */
  writeBins(out: Uint8Array, nanBinIdx: number): void {
    const codes = this.codes;
    const rank = this.rank;
    for (let i = 0; i < this.n; i++) {
      const c = codes[i]!;
      out[i] = c === NAN_CODE ? nanBinIdx : rank[c]!;
    }
  }
}

const NAN_CODE = 0xffff;

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

/**
 * LSD radix argsort of float32 values (3 passes of 11 bits over order-preserving integer keys):
 * several times faster than sorting with a comparator on the 10^4..10^5 values binning sorts.
 */
export class Float32ArgSorter {
  /** after sort(): row indices in ascending value order, NaN rows last */
  order: Int32Array;
  private keys: Uint32Array;
  private keys2: Uint32Array;
  private order2: Int32Array;
  private counts = new Int32Array(3 * 2048);
  constructor(capacity: number) {
    this.keys = new Uint32Array(capacity);
    this.keys2 = new Uint32Array(capacity);
    this.order = new Int32Array(capacity);
    this.order2 = new Int32Array(capacity);
  }

  /** Orders values (-0 before +0); returns the number of non-NaN values. `values` is not changed. */
  sort(values: Float32Array): number {
    const n = values.length;
    if (this.keys.length < n) {
      this.keys = new Uint32Array(n);
      this.keys2 = new Uint32Array(n);
      this.order = new Int32Array(n);
      this.order2 = new Int32Array(n);
    }
    const bits = new Uint32Array(values.buffer, values.byteOffset, n);
    let keys = this.keys;
    let keys2 = this.keys2;
    let order = this.order;
    let order2 = this.order2;
    let m = 0;
    let nanAt = n;
    for (let i = 0; i < n; i++) {
      const b = bits[i]!;
      if ((b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0) {
        order[--nanAt] = i; // NaN rows park at the tail of both buffers; the passes sort [0, m)
        order2[nanAt] = i;
        continue;
      }
      keys[m] = b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0; // order-preserving key
      order[m++] = i;
    }
    const counts = this.counts;
    counts.fill(0);
    for (let i = 0; i < m; i++) {
      const k = keys[i]!;
      counts[k & 0x7ff]!++;
      counts[2048 + ((k >>> 11) & 0x7ff)]!++;
      counts[4096 + (k >>> 22)]!++;
    }
    for (let pass = 0; pass < 3; pass++) {
      const base = pass * 2048;
      let sum = 0;
      for (let d = 0; d < 2048; d++) {
        const c = counts[base + d]!;
        counts[base + d] = sum;
        sum += c;
      }
      const shift = pass * 11;
      for (let i = 0; i < m; i++) {
        const k = keys[i]!;
        const at = counts[base + ((k >>> shift) & 0x7ff)]!++;
        keys2[at] = k;
        order2[at] = order[i]!;
      }
      const t = keys;
      keys = keys2;
      keys2 = t;
      const o = order;
      order = order2;
      order2 = o;
    }
    this.order = order;
    this.order2 = order2;
    this.keys = keys;
    this.keys2 = keys2;
    return m;
  }
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
 * Bins the chosen features of X into a column-major matrix:
 * binned[colIdx * nSamples + sampleIdx] = bin of feature features[colIdx] (one byte per cell).
 * Column-major is what binning writes and partitioning reads sequentially; the histogram builder
 * makes its own sparse row-major copy (histogram.ts makeHistData).
 */
export function binColumns(mapper: BinMapper, X: ColMatrix, features: Int32Array): Uint8Array {
  const { nSamples } = X;
  const nCols = features.length;
  const out = new Uint8Array(nSamples * nCols);
  const e = mapper.edges;
  for (let colIdx = 0; colIdx < nCols; colIdx++) {
    const featureIdx = features[colIdx]!;
    const col = X.data.subarray(featureIdx * nSamples, (featureIdx + 1) * nSamples);
    const dst = out.subarray(colIdx * nSamples, (colIdx + 1) * nSamples);
    const s = mapper.edgeStart[featureIdx]!;
    const nb = mapper.nBins[featureIdx]!;
    const lastValueBin = nb - 1 - mapper.nanBin[featureIdx]!;
    if (lastValueBin <= 8) {
      // few bins: a linear scan beats a binary search
      for (let i = 0; i < nSamples; i++) {
        const x = col[i]!;
        let b = 0;
        if (x !== x) b = nb - 1;
        else while (b < lastValueBin && x > e[s + b]!) b++;
        dst[i] = b;
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
        dst[i] = b;
      }
    }
  }
  return out;
}

/** Real-valued threshold of the split "bin <= binIdx goes left": the bin's upper edge. */
export function thresholdOf(mapper: BinMapper, featureIdx: number, binIdx: number): number {
  return mapper.edges[mapper.edgeStart[featureIdx]! + binIdx]!;
}
