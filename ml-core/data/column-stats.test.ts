import { describe, expect, it } from 'vitest';
import { dictionaryStats, NumericStatsAccumulator, addCodeCounts } from './column-stats.js';
import { StringDictionary } from './dictionary.js';

describe('NumericStatsAccumulator', () => {
  it('matches a naive float64 computation, skipping NaN, across batches and merges', () => {
    let x = 3;
    const rnd = (): number => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const all: number[] = [];
    const a = new NumericStatsAccumulator();
    const b = new NumericStatsAccumulator();
    for (let k = 0; k < 7; k++) {
      const n = 1000 + k * 13;
      const v = new Float64Array(n + 5); // values beyond n must be ignored
      for (let i = 0; i < n; i++) v[i] = rnd() < 0.1 ? NaN : 1e6 + rnd() * 10; // large offset: naive sum-of-squares would lose digits
      v.fill(-1e300, n);
      for (let i = 0; i < n; i++) if (!Number.isNaN(v[i])) all.push(v[i]);
      (k % 2 === 0 ? a : b).add(v, n);
    }
    a.merge(b);
    const mean = all.reduce((s, v) => s + v, 0) / all.length;
    const std = Math.sqrt(all.reduce((s, v) => s + (v - mean) ** 2, 0) / all.length);
    const r = a.result(5, 2, 1);
    expect(r.count).toBe(all.length);
    expect(r.mean).toBeCloseTo(mean, 8);
    expect(r.std! / std).toBeCloseTo(1, 9);
    expect(r.min).toBe(Math.min(...all));
    expect(r.max).toBe(Math.max(...all));
    expect(r).toMatchObject({ missing: 5, nonFinite: 2, invalid: 1 });
  });

  it('reports nulls when there are no values, and works on Float32Array', () => {
    const a = new NumericStatsAccumulator();
    a.add(Float32Array.of(NaN, NaN), 2);
    expect(a.result(2, 0, 0)).toEqual({ count: 0, missing: 2, nonFinite: 0, invalid: 0, min: null, max: null, mean: null, std: null });
    a.add(Float32Array.of(1, 2, 3, 4), 4);
    expect(a.result(2, 0, 0)).toMatchObject({ count: 4, min: 1, max: 4, mean: 2.5, std: Math.sqrt(1.25) });
  });
});

describe('dictionaryStats', () => {
  it('counts distinct values and ranks the top 10 by count, ties by first seen', () => {
    const d = new StringDictionary();
    const names = 'a b c d e f g h i j k l'.split(' ');
    for (const s of names) d.internString(s);
    const counts = Int32Array.from([5, 0, 7, 1, 1, 9, 2, 2, 3, 1, 4, 6]);
    const s = dictionaryStats(counts, d, 3);
    expect(s.count).toBe(41);
    expect(s.distinct).toBe(11);
    expect(s.missing).toBe(3);
    expect(s.top).toEqual([
      { value: 'f', count: 9 },
      { value: 'c', count: 7 },
      { value: 'l', count: 6 },
      { value: 'a', count: 5 },
      { value: 'k', count: 4 },
      { value: 'i', count: 3 },
      { value: 'g', count: 2 },
      { value: 'h', count: 2 },
      { value: 'd', count: 1 },
      { value: 'e', count: 1 },
    ]);
    expect(dictionaryStats([], [], 0)).toMatchObject({ count: 0, distinct: 0, top: [] });
  });
  it('sums code counts of several readers', () => {
    expect(Array.from(addCodeCounts(Int32Array.of(1, 2), [3, 4, 5]))).toEqual([4, 6, 5]);
  });
});
