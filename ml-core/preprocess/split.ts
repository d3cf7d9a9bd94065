/**
 * Seeded, stratified row splits. All results are sorted Int32Array row indices.
 */
import { Rng } from '../rng.js';

/** Row indices grouped by class: rows of class c are order[start[c] .. start[c + 1]). */
interface ClassGroups {
  order: Int32Array;
  start: Int32Array;
}

function groupByClass(y: Int32Array, nClasses: number, rows: Int32Array | null): ClassGroups {
  const n = rows ? rows.length : y.length;
  const start = new Int32Array(nClasses + 1);
  for (let i = 0; i < n; i++) {
    const r = rows ? rows[i]! : i;
    const c = y[r]!;
    if (!(c >= 0 && c < nClasses)) throw new RangeError(`class index ${c} at row ${r} is outside 0..${nClasses - 1}`);
    start[c + 1]!++;
  }
  for (let c = 0; c < nClasses; c++) start[c + 1]! += start[c]!;
  const fill = start.slice(0, nClasses);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows ? rows[i]! : i;
    order[fill[y[r]!]!++] = r;
  }
  return { order, start };
}

/**
 * Rows of one class split into parts: test and valid take their rounded shares, train the rest.
 * A class with >= 2 rows gets >= 1 test row (when test > 0) and keeps >= 1 train row; a class
 * with >= 3 rows also gets >= 1 valid row (when valid > 0).
 */
function allocate(count: number, test: number, valid: number): [nTest: number, nValid: number] {
  let nTest = Math.round(test * count);
  let nValid = Math.round(valid * count);
  const minTest = count >= 2 && test > 0 ? 1 : 0;
  const minValid = count >= 3 && valid > 0 ? 1 : 0;
  nTest = Math.max(nTest, minTest);
  nValid = Math.max(nValid, minValid);
  const cap = Math.max(0, count - 1);
  while (nTest + nValid > cap) {
    if (nValid > minValid && (nValid >= nTest || nTest <= minTest)) nValid--;
    else if (nTest > minTest) nTest--;
    else break;
  }
  return [nTest, nValid];
}

function checkFraction(name: string, v: number, allowZero: boolean): void {
  if (!(allowZero ? v >= 0 && v < 1 : v > 0 && v < 1)) {
    throw new RangeError(`${name} must be ${allowZero ? 'in [0, 1)' : 'in (0, 1)'}, got ${v}`);
  }
}

function splitParts(
  y: Int32Array,
  nClasses: number,
  rows: Int32Array | null,
  test: number,
  valid: number,
  seed: number,
): { train: Int32Array; valid: Int32Array; test: Int32Array } {
  const { order, start } = groupByClass(y, nClasses, rows);
  const rng = new Rng(seed);
  let nTestAll = 0;
  let nValidAll = 0;
  const alloc = new Int32Array(nClasses * 2);
  for (let c = 0; c < nClasses; c++) {
    const [t, v] = allocate(start[c + 1]! - start[c]!, test, valid);
    alloc[2 * c] = t;
    alloc[2 * c + 1] = v;
    nTestAll += t;
    nValidAll += v;
  }
  const trainOut = new Int32Array(order.length - nTestAll - nValidAll);
  const validOut = new Int32Array(nValidAll);
  const testOut = new Int32Array(nTestAll);
  let iTrain = 0;
  let iValid = 0;
  let iTest = 0;
  for (let c = 0; c < nClasses; c++) {
    const group = order.subarray(start[c]!, start[c + 1]!);
    rng.shuffle(group);
    const t = alloc[2 * c]!;
    const v = alloc[2 * c + 1]!;
    testOut.set(group.subarray(0, t), iTest);
    iTest += t;
    validOut.set(group.subarray(t, t + v), iValid);
    iValid += v;
    trainOut.set(group.subarray(t + v), iTrain);
    iTrain += group.length - t - v;
  }
  return { train: trainOut.sort(), valid: validOut.sort(), test: testOut.sort() };
}

/**
 * Stratified train/test split: per class, shuffle (seeded) and put round(testSize * count) rows in
 * test; every class with >= 2 rows lands in both parts, a class with 1 row goes to train.
 * `rows` restricts the split to those rows (default: all rows of y).
 */
export function stratifiedSplit(
  y: Int32Array,
  nClasses: number,
  testSize: number,
  seed: number,
  rows: Int32Array | null = null,
): { train: Int32Array; test: Int32Array } {
  checkFraction('testSize', testSize, false);
  const { train, test } = splitParts(y, nClasses, rows, testSize, 0, seed);
  return { train, test };
}

/**
 * Stratified three-way split; `test` and `valid` are shares of all rows (valid may be 0).
 * Per class: round(test * count) test rows, round(valid * count) valid rows, the rest train; a
 * class with >= 2 rows has >= 1 test row, with >= 3 rows also >= 1 valid row, and always >= 1 train row.
 */
export function trainValidTestSplit(
  y: Int32Array,
  nClasses: number,
  sizes: { test: number; valid: number },
  seed: number,
  rows: Int32Array | null = null,
): { train: Int32Array; valid: Int32Array; test: Int32Array } {
  checkFraction('test', sizes.test, false);
  checkFraction('valid', sizes.valid, true);
  if (sizes.test + sizes.valid >= 1) throw new RangeError('test + valid must be below 1');
  return splitParts(y, nClasses, rows, sizes.test, sizes.valid, seed);
}

/**
 * Stratified k-fold: per class, rows are shuffled (seeded) and dealt to folds in turn, continuing
 * from where the previous class stopped, so every class's count per fold differs by at most 1 and
 * fold sizes differ by at most 1. Each row is in exactly one test fold.
 */
export function stratifiedKFold(
  y: Int32Array,
  nClasses: number,
  k: number,
  seed: number,
  rows: Int32Array | null = null,
): Array<{ train: Int32Array; test: Int32Array }> {
  const n = rows ? rows.length : y.length;
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer >= 2, got ${k}`);
  if (k > n) throw new RangeError(`cannot make ${k} folds from ${n} rows`);
  const { order, start } = groupByClass(y, nClasses, rows);
  const rng = new Rng(seed);
  for (let c = 0; c < nClasses; c++) rng.shuffle(order.subarray(start[c]!, start[c + 1]!));
  // fold of the row at position i of `order` is i % k
  const foldSize = new Int32Array(k);
  for (let i = 0; i < n; i++) foldSize[i % k]!++;
  const tests = Array.from({ length: k }, (_, f) => new Int32Array(foldSize[f]!));
  const fill = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const f = i % k;
    tests[f]![fill[f]!++] = order[i]!;
  }
  // all rows sorted, to build each complement in one merge
  const all = order.slice().sort();
  return tests.map((test) => {
    test.sort();
    const train = new Int32Array(n - test.length);
    let j = 0;
    let t = 0;
    for (let i = 0; i < n; i++) {
      const r = all[i]!;
      if (t < test.length && test[t] === r) t++;
      else train[j++] = r;
    }
    return { train, test };
  });
}

/** The rows (of `rows`, or of all of y when null) whose class is classIdx, in the given order. */
export function subsetByClass(y: Int32Array, rows: Int32Array | null, classIdx: number): Int32Array {
  const n = rows ? rows.length : y.length;
  let count = 0;
  for (let i = 0; i < n; i++) if (y[rows ? rows[i]! : i] === classIdx) count++;
  const out = new Int32Array(count);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const r = rows ? rows[i]! : i;
    if (y[r] === classIdx) out[j++] = r;
  }
  return out;
}
