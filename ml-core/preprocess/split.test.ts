import { describe, expect, it } from 'vitest';
import { stratifiedKFold, stratifiedSplit, subsetByClass, trainValidTestSplit } from './split.js';

/** labels: class c repeated counts[c] times, interleaved deterministically */
function labels(counts: number[]): Int32Array {
  const out: number[] = [];
  counts.forEach((n, c) => {
    for (let i = 0; i < n; i++) out.push(c);
  });
  // deterministic interleave so classes are not contiguous
  const y = Int32Array.from(out);
  for (let i = y.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    const t = y[i]!;
    y[i] = y[j]!;
    y[j] = t;
  }
  return y;
}

function countClass(y: Int32Array, rows: Int32Array, nClasses: number): number[] {
  const c = new Array<number>(nClasses).fill(0);
  for (const r of rows) c[y[r]!]!++;
  return c;
}

function isSorted(a: Int32Array): boolean {
  for (let i = 1; i < a.length; i++) if (a[i - 1]! >= a[i]!) return false;
  return true;
}

describe('stratifiedSplit', () => {
  const counts = [1000, 200, 37, 5, 2, 1, 0];
  const y = labels(counts);

  it('puts round(testSize * count) of each class in test, at least one when the class has 2 rows', () => {
    const { train, test } = stratifiedSplit(y, counts.length, 0.25, 42);
    expect(countClass(y, test, counts.length)).toEqual([250, 50, 9, 1, 1, 0, 0]);
    expect(countClass(y, train, counts.length)).toEqual([750, 150, 28, 4, 1, 1, 0]);
  });

  it('is disjoint, complete, sorted', () => {
    const { train, test } = stratifiedSplit(y, counts.length, 0.3, 1);
    expect(isSorted(train) && isSorted(test)).toBe(true);
    const all = [...train, ...test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: y.length }, (_, i) => i));
  });

  it('repeats with a seed and differs between seeds', () => {
    const a = stratifiedSplit(y, counts.length, 0.3, 5);
    const b = stratifiedSplit(y, counts.length, 0.3, 5);
    const c = stratifiedSplit(y, counts.length, 0.3, 6);
    expect(Array.from(a.test)).toEqual(Array.from(b.test));
    expect(Array.from(a.test)).not.toEqual(Array.from(c.test));
  });

  it('keeps one row in train even for a large test share, and splits a subset of rows', () => {
    const y2 = Int32Array.of(0, 0, 1, 1, 1, 0);
    const { train, test } = stratifiedSplit(y2, 2, 0.9, 3);
    expect(countClass(y2, train, 2)).toEqual([1, 1]);
    expect(countClass(y2, test, 2)).toEqual([2, 2]);
    const sub = stratifiedSplit(y2, 2, 0.5, 3, Int32Array.of(0, 1, 2, 3));
    expect([...sub.train, ...sub.test].sort()).toEqual([0, 1, 2, 3]);
    expect(countClass(y2, sub.test, 2)).toEqual([1, 1]);
  });

  it('rejects bad arguments', () => {
    expect(() => stratifiedSplit(y, counts.length, 0, 1)).toThrow(RangeError);
    expect(() => stratifiedSplit(y, counts.length, 1, 1)).toThrow(RangeError);
    expect(() => stratifiedSplit(Int32Array.of(0, 3), 2, 0.5, 1)).toThrow(/outside/);
  });
});

describe('trainValidTestSplit', () => {
  it('splits three ways by class with minimum one row per part where possible', () => {
    const counts = [1000, 100, 3, 2, 1];
    const y = labels(counts);
    const { train, valid, test } = trainValidTestSplit(y, counts.length, { test: 0.2, valid: 0.1 }, 9);
    expect(countClass(y, test, 5)).toEqual([200, 20, 1, 1, 0]);
    expect(countClass(y, valid, 5)).toEqual([100, 10, 1, 0, 0]);
    expect(countClass(y, train, 5)).toEqual([700, 70, 1, 1, 1]);
    expect(isSorted(train) && isSorted(valid) && isSorted(test)).toBe(true);
    expect([...train, ...valid, ...test].sort((a, b) => a - b)).toEqual(Array.from({ length: y.length }, (_, i) => i));
    const noValid = trainValidTestSplit(y, 5, { test: 0.2, valid: 0 }, 9);
    expect(noValid.valid.length).toBe(0);
    expect(Array.from(noValid.test)).toEqual(Array.from(stratifiedSplit(y, 5, 0.2, 9).test));
  });
});

describe('stratifiedKFold', () => {
  const counts = [103, 21, 7, 2];
  const y = labels(counts);

  it('puts every row in exactly one test fold, with balanced class counts', () => {
    const k = 5;
    const folds = stratifiedKFold(y, counts.length, k, 11);
    expect(folds.length).toBe(k);
    const seen = new Int32Array(y.length);
    for (const { train, test } of folds) {
      expect(isSorted(train) && isSorted(test)).toBe(true);
      expect(train.length + test.length).toBe(y.length);
      const inTest = new Set(test);
      for (const r of train) expect(inTest.has(r)).toBe(false);
      for (const r of test) seen[r]!++;
    }
    expect(seen.every((v) => v === 1)).toBe(true);
    for (let c = 0; c < counts.length; c++) {
      const perFold = folds.map((f) => countClass(y, f.test, counts.length)[c]!);
      expect(Math.max(...perFold) - Math.min(...perFold)).toBeLessThanOrEqual(1);
      expect(perFold.reduce((a, b) => a + b, 0)).toBe(counts[c]);
    }
    const sizes = folds.map((f) => f.test.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('repeats with a seed, differs between seeds, rejects bad k', () => {
    const a = stratifiedKFold(y, 4, 3, 1);
    const b = stratifiedKFold(y, 4, 3, 1);
    const c = stratifiedKFold(y, 4, 3, 2);
    expect(a.map((f) => Array.from(f.test))).toEqual(b.map((f) => Array.from(f.test)));
    expect(a.map((f) => Array.from(f.test))).not.toEqual(c.map((f) => Array.from(f.test)));
    expect(() => stratifiedKFold(y, 4, 1, 1)).toThrow(RangeError);
    expect(() => stratifiedKFold(Int32Array.of(0, 1), 2, 3, 1)).toThrow(RangeError);
  });
});

describe('subsetByClass', () => {
  it('keeps the rows of one class in the given order', () => {
    const y = Int32Array.of(0, 1, 1, 2, 1, 0);
    expect(Array.from(subsetByClass(y, null, 1))).toEqual([1, 2, 4]);
    expect(Array.from(subsetByClass(y, Int32Array.of(5, 4, 0, 2), 1))).toEqual([4, 2]);
    expect(Array.from(subsetByClass(y, Int32Array.of(5, 4, 0, 2), 0))).toEqual([5, 0]);
  });
});
