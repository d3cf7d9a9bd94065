import { describe, expect, it } from 'vitest';
import { classWeights, nearestInClass, randomOversample, sampleWeightsFor, smote } from './balance.js';
import type { ColMatrix } from '../models/types.js';
import { Rng } from '../rng.js';

describe('classWeights', () => {
  it("matches scikit-learn 'balanced' by hand, 0 for absent classes", () => {
    // counts 6, 3, 0, 1 → n = 10, k = 3 present
    const y = Int32Array.of(0, 0, 0, 0, 0, 0, 1, 1, 1, 3);
    const w = classWeights(y, 4);
    expect(Array.from(w)).toEqual([10 / 18, 10 / 9, 0, 10 / 3]);
    const s = classWeights(y, 4, null, 'balanced-sqrt');
    expect(s[0]).toBeCloseTo(Math.sqrt(10 / 18), 15);
    expect(s[3]).toBeCloseTo(Math.sqrt(10 / 3), 15);
    // only the given rows count: rows 0, 6, 7 → counts 1, 2 → n 3, k 2
    expect(Array.from(classWeights(y, 4, Int32Array.of(0, 6, 7)))).toEqual([1.5, 0.75, 0, 0]);
  });

  it('spreads weights to rows', () => {
    const y = Int32Array.of(0, 1, 1, 2);
    const w = Float64Array.of(0.5, 2, 4);
    expect(Array.from(sampleWeightsFor(y, Int32Array.of(3, 1), w))).toEqual([4, 2]);
    expect(Array.from(sampleWeightsFor(y, null, w))).toEqual([0.5, 2, 2, 4]);
  });
});

describe('randomOversample', () => {
  const y = Int32Array.from([...new Array(10).fill(0), 1, 1, 1, 2, ...new Array(5).fill(3)]);
  const rows = Int32Array.from({ length: y.length }, (_, i) => y.length - 1 - i); // reversed order

  it('grows every class below the largest count to it, keeping the rows first', () => {
    const out = randomOversample(y, rows, 4, {}, 3);
    expect(Array.from(out.subarray(0, rows.length))).toEqual(Array.from(rows));
    const counts = [0, 0, 0, 0];
    for (const r of out) counts[y[r]!]!++;
    expect(counts).toEqual([10, 10, 10, 10]);
    // class 1 (3 rows, need 7): every row copied 2 or 3 times in total... i.e. 3 or 4 occurrences
    const occ = new Map<number, number>();
    for (const r of out) if (y[r] === 1) occ.set(r, (occ.get(r) ?? 0) + 1);
    for (const v of occ.values()) expect(v === 3 || v === 4).toBe(true);
    expect(Array.from(randomOversample(y, rows, 4, {}, 3))).toEqual(Array.from(out));
    // a seed changes which rows fill the remainder
    const big = Int32Array.from({ length: 200 }, (_, i) => (i < 150 ? 0 : 1));
    expect(Array.from(randomOversample(big, null, 2, { targetCount: 90 }, 1))).not.toEqual(Array.from(randomOversample(big, null, 2, { targetCount: 90 }, 2)));
  });

  it('honours targetCount and minCount and only grows classes below target', () => {
    const out = randomOversample(y, null, 4, { targetCount: 6, minCount: 2 }, 1);
    const counts = [0, 0, 0, 0];
    for (const r of out) counts[y[r]!]!++;
    expect(counts).toEqual([10, 6, 1, 6]); // class 2 has 1 row < minCount: left alone
  });
});

/** column-major matrix from rows */
function colMatrix(rowsData: number[][]): ColMatrix {
  const nSamples = rowsData.length;
  const nFeatures = rowsData[0]!.length;
  const data = new Float32Array(nSamples * nFeatures);
  rowsData.forEach((r, i) => r.forEach((v, f) => (data[f * nSamples + i] = v)));
  return { data, nSamples, nFeatures };
}

function rowOf(m: ColMatrix, i: number): number[] {
  return Array.from({ length: m.nFeatures }, (_, f) => m.data[f * m.nSamples + i]!);
}

describe('nearestInClass', () => {
  it('matches a naive sort of distances', () => {
    const rng = new Rng(3);
    const m = 40;
    const d = 3;
    const block = new Float32Array(m * d).map(() => Math.round(rng.next() * 5));
    const idx = new Int32Array(4);
    const dist = new Float64Array(4);
    for (let i = 0; i < m; i++) {
      const found = nearestInClass(block, m, d, i, 4, idx, dist);
      expect(found).toBe(4);
      const naive = Array.from({ length: m }, (_, j) => j)
        .filter((j) => j !== i)
        .map((j) => ({ j, dd: Array.from({ length: d }, (_, f) => (block[i * d + f]! - block[j * d + f]!) ** 2).reduce((a, b) => a + b, 0) }))
        .sort((a, b) => a.dd - b.dd || a.j - b.j)
        .slice(0, 4);
      expect(Array.from(dist)).toEqual(naive.map((e) => e.dd));
      expect(Array.from(idx)).toEqual(naive.map((e) => e.j));
    }
  });
});

describe('smote', () => {
  it('adds rows on segments between same-class k-nearest neighbours, categorical copied from a parent', () => {
    const rng = new Rng(11);
    const data: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 60; i++) {
      data.push([rng.next() * 10, rng.next() * 10, rng.int(4)]);
      labels.push(0);
    }
    for (let i = 0; i < 9; i++) {
      data.push([20 + rng.next() * 5, rng.next() * 5, rng.int(3) + 10]);
      labels.push(1);
    }
    data.push([-50, -50, 7]); // class 2, a single row
    labels.push(2);
    const X = colMatrix(data);
    const y = Int32Array.from(labels);
    const rows = Int32Array.from({ length: y.length }, (_, i) => i).reverse();
    const k = 3;
    const res = smote(X, y, rows, 3, { k, categoricalFeatures: Int32Array.of(2) }, 5);
    expect(res.X.nSamples).toBe(180);
    expect(res.y.length).toBe(180);
    for (let i = 0; i < rows.length; i++) {
      expect(res.y[i]).toBe(y[rows[i]!]);
      expect(rowOf(res.X, i)).toEqual(rowOf(X, rows[i]!));
    }
    const counts = [0, 0, 0];
    for (const c of res.y) counts[c]!++;
    expect(counts).toEqual([60, 60, 60]);

    const members = (c: number): number[] => labels.flatMap((l, i) => (l === c ? [i] : []));
    const dist2 = (a: number[], b: number[]): number => (a[0]! - b[0]!) ** 2 + (a[1]! - b[1]!) ** 2 + (a[2]! - b[2]!) ** 2;
    const cls1 = members(1);
    // naive k-nearest sets
    const knn = new Map<number, number[]>();
    for (const i of cls1) {
      knn.set(
        i,
        cls1.filter((j) => j !== i).sort((a, b) => dist2(data[i]!, data[a]!) - dist2(data[i]!, data[b]!) || a - b).slice(0, k),
      );
    }
    let categoricalFromNeighbour = 0;
    for (let s = rows.length; s < res.y.length; s++) {
      const p = rowOf(res.X, s);
      if (res.y[s] === 2) {
        expect(p).toEqual(data[data.length - 1]); // single row: copies
        continue;
      }
      expect(res.y[s]).toBe(1);
      // some base a and one of its neighbours b with p = a + g (b - a), g in [0, 1), on features 0 and 1
      let ok = false;
      for (const a of cls1) {
        for (const b of knn.get(a)!) {
          const A = data[a]!;
          const B = data[b]!;
          const g = (p[0]! - A[0]!) / (B[0]! - A[0]!);
          if (!(g >= -1e-6 && g < 1 + 1e-6)) continue;
          if (Math.abs(A[1]! + g * (B[1]! - A[1]!) - p[1]!) > 1e-4) continue;
          // categorical: copied from the nearer parent
          const expected = g < 0.5 ? A[2] : B[2];
          if (p[2] !== expected && Math.abs(g - 0.5) > 1e-4) continue;
          if (p[2] === B[2] && B[2] !== A[2]) categoricalFromNeighbour++;
          ok = true;
        }
      }
      expect(ok).toBe(true);
      expect(Number.isInteger(p[2])).toBe(true);
    }
    expect(categoricalFromNeighbour).toBeGreaterThan(0);
  });

  it('honours targetCount and classes, and repeats with a seed', () => {
    const X = colMatrix([[0], [1], [2], [10], [11], [20], [21], [22], [23]]);
    const y = Int32Array.of(0, 0, 0, 1, 1, 2, 2, 2, 2);
    const rows = Int32Array.from({ length: 9 }, (_, i) => i);
    const a = smote(X, y, rows, 3, { targetCount: 5, classes: [1] }, 1);
    expect(Array.from(a.y.subarray(9))).toEqual([1, 1, 1]);
    for (let i = 9; i < 12; i++) {
      expect(a.X.data[i]).toBeGreaterThanOrEqual(10);
      expect(a.X.data[i]).toBeLessThanOrEqual(11);
    }
    const b = smote(X, y, rows, 3, { targetCount: 5, classes: [1] }, 1);
    expect(Array.from(b.X.data)).toEqual(Array.from(a.X.data));
    // only the training rows given count and are returned
    const c = smote(X, y, Int32Array.of(0, 1, 3, 4, 5), 3, {}, 2);
    expect(Array.from(c.y)).toEqual([0, 0, 1, 1, 2, 2]); // counts 2, 2, 1 → class 2 grows to 2
  });
});
