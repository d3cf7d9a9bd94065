/**
 * Class imbalance: class weights, random oversampling and SMOTE. All of it works on training rows
 * only (pass the training split's row indices).
 */
import type { ColMatrix } from '../models/types.js';
import { Rng } from '../rng.js';

function classCounts(y: Int32Array, nClasses: number, rows: Int32Array | null | undefined): Float64Array {
  const counts = new Float64Array(nClasses);
  const n = rows ? rows.length : y.length;
  for (let i = 0; i < n; i++) {
    const r = rows ? rows[i]! : i;
    const c = y[r]!;
    if (!(c >= 0 && c < nClasses)) throw new RangeError(`class index ${c} at row ${r} is outside 0..${nClasses - 1}`);
    counts[c]!++;
  }
  return counts;
}

/**
 * Per-class weights. 'balanced' is scikit-learn's n / (k * count_c) where n counts the rows and k
 * the classes present in them; 'balanced-sqrt' is the square root of that (a milder correction).
 * Absent classes get 0.
 */
export function classWeights(
  y: Int32Array,
  nClasses: number,
  rows?: Int32Array | null,
  mode: 'balanced' | 'balanced-sqrt' = 'balanced',
): Float64Array {
  const counts = classCounts(y, nClasses, rows);
  let n = 0;
  let k = 0;
  for (let c = 0; c < nClasses; c++) {
    n += counts[c]!;
    if (counts[c]! > 0) k++;
  }
  const w = new Float64Array(nClasses);
  for (let c = 0; c < nClasses; c++) {
    if (counts[c]! === 0) continue;
    const b = n / (k * counts[c]!);
    w[c] = mode === 'balanced-sqrt' ? Math.sqrt(b) : b;
  }
  return w;
}

/** weights[y[rows[i]]] for every i (all rows of y when rows is null). */
export function sampleWeightsFor(y: Int32Array, rows: Int32Array | null, weights: ArrayLike<number>): Float32Array {
  const n = rows ? rows.length : y.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = weights[y[rows ? rows[i]! : i]!]!;
  return out;
}

export interface OversampleOptions {
  /** every class below this count grows to it (default: the largest class count in rows) */
  targetCount?: number;
  /** classes with fewer rows than this are left as they are (default 1: every present class grows) */
  minCount?: number;
}

/** How many rows each class should have after oversampling (0 = leave as is). */
function targets(counts: Float64Array, targetCount: number | undefined, minCount: number): Float64Array {
  let largest = 0;
  for (let c = 0; c < counts.length; c++) largest = Math.max(largest, counts[c]!);
  const target = Math.floor(targetCount ?? largest);
  const out = new Float64Array(counts.length);
  for (let c = 0; c < counts.length; c++) {
    const count = counts[c]!;
    if (count > 0 && count >= minCount && count < target) out[c] = target;
  }
  return out;
}

/**
 * Random oversampling: `rows` (in their order) followed, class by class, by extra copies of rows
 * of each class below the target. Copies are whole passes over the class plus a seeded sample
 * without replacement for the remainder, so each row is copied floor or ceil(need / count) times.
 */
export function randomOversample(
  y: Int32Array,
  rows: Int32Array | null,
  nClasses: number,
  options: OversampleOptions = {},
  seed = 0,
): Int32Array {
  const allRows = rows ?? Int32Array.from({ length: y.length }, (_, i) => i);
  const counts = classCounts(y, nClasses, allRows);
  const goal = targets(counts, options.targetCount, options.minCount ?? 1);
  let extra = 0;
  for (let c = 0; c < nClasses; c++) if (goal[c]! > 0) extra += goal[c]! - counts[c]!;
  const out = new Int32Array(allRows.length + extra);
  out.set(allRows);
  let pos = allRows.length;
  const rng = new Rng(seed);
  for (let c = 0; c < nClasses; c++) {
    if (goal[c]! === 0) continue;
    const members = subset(y, allRows, c);
    const count = members.length;
    const need = goal[c]! - count;
    const passes = Math.floor(need / count);
    for (let p = 0; p < passes; p++) {
      out.set(members, pos);
      pos += count;
    }
    const pick = rng.sample(count, need - passes * count);
    for (let i = 0; i < pick.length; i++) out[pos++] = members[pick[i]!]!;
  }
  return out;
}

function subset(y: Int32Array, rows: Int32Array, c: number): Int32Array {
  let count = 0;
  for (let i = 0; i < rows.length; i++) if (y[rows[i]!] === c) count++;
  const out = new Int32Array(count);
  let j = 0;
  for (let i = 0; i < rows.length; i++) if (y[rows[i]!] === c) out[j++] = rows[i]!;
  return out;
}

export interface SmoteOptions {
  /** neighbours to choose from (default 5) */
  k?: number;
  /** every chosen class below this count grows to it (default: the largest class count in rows) */
  targetCount?: number;
  /** classes to grow (default: every present class below the target) */
  classes?: number[];
  /** feature indices (e.g. ordinal-encoded categories) whose synthetic value is copied from the nearer parent */
  categoricalFeatures?: Int32Array;
}

/**
 * k nearest same-class neighbours of member `i` (brute force, squared Euclidean), ascending by
 * distance, ties by member index. `block` is row-major: block[member * nFeatures + featureIdx].
 */
export function nearestInClass(block: Float32Array, nMembers: number, nFeatures: number, i: number, k: number, outIdx: Int32Array, outDist: Float64Array): number {
  let found = 0;
  const bi = i * nFeatures;
  for (let j = 0; j < nMembers; j++) {
    if (j === i) continue;
    const bj = j * nFeatures;
    let d = 0;
    for (let f = 0; f < nFeatures; f++) {
      const t = block[bi + f]! - block[bj + f]!;
      d += t * t;
    }
    if (found < k) found++;
    else if (d >= outDist[k - 1]!) continue;
    // insert into the sorted top-k
    let p = found - 1;
    while (p > 0 && outDist[p - 1]! > d) {
      outDist[p] = outDist[p - 1]!;
      outIdx[p] = outIdx[p - 1]!;
      p--;
    }
    outDist[p] = d;
    outIdx[p] = j;
  }
  return found;
}

/**
 * SMOTE. Returns the training rows of X (in `rows` order) followed by synthetic rows, with their
 * classes. A synthetic row of class c takes a member x of c (members are used in turn, in a
 * seeded order), one of x's k nearest members of c at random (Euclidean on X as given: scale X
 * first if its columns have very different ranges), and a uniform gap g in [0, 1):
 * x + g * (neighbour - x); categorical features copy the nearer parent (x when g < 0.5).
 * A class with a single row gets copies of it.
 *
 * Cost: for every member used as a base, one pass over its class (O(count_c * nFeatures)), so a
 * class of count m costs up to O(m² · nFeatures); meant for minority classes.
 */
export function smote(
  X: ColMatrix,
  y: Int32Array,
  rows: Int32Array,
  nClasses: number,
  options: SmoteOptions = {},
  seed = 0,
): { X: ColMatrix; y: Int32Array } {
  const k = Math.max(1, Math.floor(options.k ?? 5));
  const { nFeatures } = X;
  const src = X.data;
  const nSrc = X.nSamples;
  const counts = classCounts(y, nClasses, rows);
  const goal = targets(counts, options.targetCount, 1);
  if (options.classes) {
    const chosen = new Uint8Array(nClasses);
    for (const c of options.classes) if (c >= 0 && c < nClasses) chosen[c] = 1;
    for (let c = 0; c < nClasses; c++) if (!chosen[c]) goal[c] = 0;
  }
  const isCategorical = new Uint8Array(nFeatures);
  if (options.categoricalFeatures) for (const f of options.categoricalFeatures) if (f >= 0 && f < nFeatures) isCategorical[f] = 1;

  let extra = 0;
  for (let c = 0; c < nClasses; c++) if (goal[c]! > 0) extra += goal[c]! - counts[c]!;
  const nOut = rows.length + extra;
  // column-major: data[featureIdx * nOut + sampleIdx]
  const data = new Float32Array(nOut * nFeatures);
  const yOut = new Int32Array(nOut);
  for (let f = 0; f < nFeatures; f++) {
    const s = f * nSrc;
    const d = f * nOut;
    for (let i = 0; i < rows.length; i++) data[d + i] = src[s + rows[i]!]!;
  }
  for (let i = 0; i < rows.length; i++) yOut[i] = y[rows[i]!]!;

  const rng = new Rng(seed);
  let pos = rows.length;
  const nnIdx = new Int32Array(k);
  const nnDist = new Float64Array(k);
  for (let c = 0; c < nClasses; c++) {
    if (goal[c]! === 0) continue;
    const members = subset(y, rows, c);
    const m = members.length;
    const need = goal[c]! - m;
    // row-major block of the class: block[member * nFeatures + featureIdx]
    const block = new Float32Array(m * nFeatures);
    for (let f = 0; f < nFeatures; f++) {
      const s = f * nSrc;
      for (let i = 0; i < m; i++) block[i * nFeatures + f] = src[s + members[i]!]!;
    }
    const kk = Math.min(k, m - 1);
    // neighbours, computed when a member is first used as a base
    const neighbours = new Int32Array(m * Math.max(1, kk));
    const nFound = new Int32Array(m).fill(-1);
    const baseOrder = rng.shuffle(Int32Array.from({ length: m }, (_, i) => i));
    for (let s = 0; s < need; s++) {
      const b = baseOrder[s % m]!;
      if (s % m === m - 1) rng.shuffle(baseOrder); // a fresh order for the next pass
      if (kk === 0) {
        for (let f = 0; f < nFeatures; f++) data[f * nOut + pos] = block[b * nFeatures + f]!;
      } else {
        if (nFound[b]! < 0) {
          nFound[b] = nearestInClass(block, m, nFeatures, b, kk, nnIdx, nnDist);
          neighbours.set(nnIdx.subarray(0, kk), b * kk);
        }
        const nb = neighbours[b * kk + rng.int(nFound[b]!)]!;
        const gap = rng.next();
        const pb = b * nFeatures;
        const pn = nb * nFeatures;
        for (let f = 0; f < nFeatures; f++) {
          const xb = block[pb + f]!;
          const xn = block[pn + f]!;
          data[f * nOut + pos] = isCategorical[f] ? (gap < 0.5 ? xb : xn) : xb + gap * (xn - xb);
        }
      }
      yOut[pos] = c;
      pos++;
    }
  }
  return { X: { data, nSamples: nOut, nFeatures }, y: yOut };
}
