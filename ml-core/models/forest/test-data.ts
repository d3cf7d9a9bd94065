/**
 * Test and benchmark helpers for the tree models (not used by the product): a RawFrame turned into a
 * column-major matrix without the preprocessing module (non-finite numbers -> 0, categorical
 * codes as numbers, optionally mapped through another frame's category strings), a stratified
 * split, and a few metrics.
 */
import { Rng } from '../../rng.js';
import type { RawFrame } from '../../preprocess/types.js';
import type { ColMatrix } from '../types.js';

/**
 * Column-major matrix of `frame` (rows `rows`, default all). Categorical codes are mapped through
 * `reference`'s category strings when given (unknown -> number of reference categories, missing -> -1).
 */
export function frameMatrix(frame: RawFrame, rows?: Int32Array | null, reference?: RawFrame): ColMatrix {
  const n = rows ? rows.length : frame.nSamples;
  const nFeatures = frame.columns.length;
  const data = new Float32Array(n * nFeatures);
  frame.columns.forEach((col, f) => {
    const off = f * n;
    if (col.kind === 'numeric') {
      for (let i = 0; i < n; i++) {
        const v = col.values[rows ? rows[i]! : i]!;
        data[off + i] = Number.isFinite(v) ? v : 0;
      }
    } else {
      let map: Int32Array | null = null;
      const ref = reference?.columns[f];
      if (ref && ref.kind === 'categorical') {
        if (ref.name !== col.name) throw new Error(`column ${f}: ${col.name} vs reference ${ref.name}`);
        const index = new Map(ref.categories.map((c, k) => [c, k]));
        map = Int32Array.from(col.categories, (c) => index.get(c) ?? ref.categories.length);
      }
      for (let i = 0; i < n; i++) {
        const code = col.codes[rows ? rows[i]! : i]!;
        data[off + i] = code < 0 ? -1 : map ? map[code]! : code;
      }
    }
  });
  return { data, nSamples: n, nFeatures };
}

/**
 * Like frameMatrix but categorical columns one-hot encoded over `reference`'s (else the frame's own)
 * categories; unknown and missing categories are all-zero rows.
 */
export function frameMatrixOneHot(frame: RawFrame, reference?: RawFrame): ColMatrix {
  const n = frame.nSamples;
  const cols: Float32Array[] = [];
  frame.columns.forEach((col, f) => {
    if (col.kind === 'numeric') {
      const c = new Float32Array(n);
      for (let i = 0; i < n; i++) c[i] = Number.isFinite(col.values[i]!) ? col.values[i]! : 0;
      cols.push(c);
      return;
    }
    const ref = reference?.columns[f];
    const cats = ref && ref.kind === 'categorical' ? ref.categories : col.categories;
    const index = new Map(cats.map((c, k) => [c, k]));
    const map = Int32Array.from(col.categories, (c) => index.get(c) ?? -1);
    const block = cats.map(() => new Float32Array(n));
    for (let i = 0; i < n; i++) {
      const code = col.codes[i]!;
      const k = code < 0 ? -1 : map[code]!;
      if (k >= 0) block[k]![i] = 1;
    }
    cols.push(...block);
  });
  const data = new Float32Array(n * cols.length);
  cols.forEach((c, f) => data.set(c, f * n));
  return { data, nSamples: n, nFeatures: cols.length };
}

/** Stratified split: per class, round(testFraction × count) shuffled rows go to test. Sorted indices. */
export function splitStratified(y: Int32Array, nClasses: number, testFraction: number, seed: number): { train: Int32Array; test: Int32Array } {
  const rng = new Rng(seed, 7);
  const train: number[] = [];
  const test: number[] = [];
  for (let c = 0; c < nClasses; c++) {
    const members: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === c) members.push(i);
    const arr = Int32Array.from(members);
    rng.shuffle(arr);
    let nTest = Math.round(testFraction * arr.length);
    if (arr.length >= 2) nTest = Math.min(Math.max(nTest, 1), arr.length - 1);
    for (let k = 0; k < arr.length; k++) (k < nTest ? test : train).push(arr[k]!);
  }
  const sort = (a: number[]): Int32Array => Int32Array.from(a).sort();
  return { train: sort(train), test: sort(test) };
}

export function pick(y: Int32Array, rows: Int32Array): Int32Array {
  return Int32Array.from(rows, (r) => y[r]!);
}

export function accuracy(yTrue: Int32Array, yPred: Int32Array): number {
  let ok = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) ok++;
  return ok / yTrue.length;
}

/** Macro F1 over the classes present in yTrue or yPred. */
export function macroF1(yTrue: Int32Array, yPred: Int32Array, nClasses: number): number {
  const tp = new Float64Array(nClasses);
  const fp = new Float64Array(nClasses);
  const fn = new Float64Array(nClasses);
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]!;
    const p = yPred[i]!;
    if (t === p) tp[t]!++;
    else {
      fp[p]!++;
      fn[t]!++;
    }
  }
  let sum = 0;
  let k = 0;
  for (let c = 0; c < nClasses; c++) {
    if (tp[c]! + fp[c]! + fn[c]! === 0) continue;
    sum += (2 * tp[c]!) / (2 * tp[c]! + fp[c]! + fn[c]!);
    k++;
  }
  return k ? sum / k : 0;
}

/** ROC AUC of `score` for `positive` (Mann-Whitney with tie-averaged ranks). */
export function rocAucSimple(positive: Uint8Array, score: ArrayLike<number>): number {
  const n = positive.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a]! - score[b]!);
  let nPos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && score[order[j + 1]!] === score[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (positive[order[k]!]) {
        nPos++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
