import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import type { ColMatrix } from '../types.js';
import { binColumns, binOf, fitBinMapper, fitBins, Float32ArgSorter, splittableFeatures, thresholdOf, valueBinEdges } from './binning.js';

function colMatrix(columns: number[][]): ColMatrix {
  const nSamples = columns[0]!.length;
  const data = new Float32Array(nSamples * columns.length);
  columns.forEach((c, f) => data.set(c, f * nSamples));
  return { data, nSamples, nFeatures: columns.length };
}

function edgesOf(mapper: ReturnType<typeof fitBinMapper>, featureIdx: number): number[] {
  return Array.from(mapper.edges.subarray(mapper.edgeStart[featureIdx]!, mapper.edgeStart[featureIdx + 1]!));
}

describe('fitBinMapper', () => {
  it('gives one bin per distinct value when there are few, with edges halfway between them', () => {
    const m = fitBinMapper(colMatrix([[3, 1, 2, 1, 3, 3]]));
    expect(m.nBins[0]).toBe(3);
    expect(edgesOf(m, 0)).toEqual([1.5, 2.5, Infinity]);
    expect([1, 2, 3].map((x) => binOf(m, 0, x))).toEqual([0, 1, 2]);
  });

  it('keeps at most maxBins bins, balanced by count, and gives a dominant value a bin of its own', () => {
    const rng = new Rng(1);
    const values = Array.from({ length: 10_000 }, (_, i) => (i < 6000 ? 0 : rng.uniform(1, 100)));
    const X = colMatrix([values]);
    const { mapper, binned } = fitBins(X, { maxBins: 16 });
    expect(mapper.nBins[0]).toBeLessThanOrEqual(16);
    const counts = new Array(mapper.nBins[0]).fill(0);
    for (const b of binned!) counts[b]++;
    expect(counts[0]).toBe(6000); // the zeros, alone
    const rest = counts.slice(1);
    expect(Math.max(...rest)).toBeLessThan(2 * (4000 / rest.length) + 1);
  });

  it('sends NaN to a dedicated last bin and never crashes on odd values', () => {
    const X = colMatrix([[NaN, 1, 2, NaN, Infinity, -Infinity, -0, 0]]);
    const m = fitBinMapper(X);
    expect(m.nanBin[0]).toBe(1);
    const nb = m.nBins[0]!;
    expect(binOf(m, 0, NaN)).toBe(nb - 1);
    expect(Number.isNaN(thresholdOf(m, 0, nb - 1))).toBe(true);
    expect(binOf(m, 0, -Infinity)).toBe(0);
    expect(binOf(m, 0, -0)).toBe(binOf(m, 0, 0));
    expect(binOf(m, 0, Infinity)).toBe(nb - 2);
    // thresholds are real values: x <= threshold(b) exactly when bin(x) <= b
    for (const x of [-Infinity, -0, 0, 0.5, 1, 1.5, 2, 3, Infinity]) {
      for (let b = 0; b < nb - 1; b++) expect(x <= thresholdOf(m, 0, b)).toBe(binOf(m, 0, x) <= b);
    }
  });

  it('handles an all-NaN column and a constant column', () => {
    const m = fitBinMapper(colMatrix([[NaN, NaN, NaN], [5, 5, 5], [1, 2, 3]]));
    expect(m.nBins[1]).toBe(1);
    expect(Array.from(splittableFeatures(m))).toEqual([0, 2]);
    expect(binOf(m, 0, NaN)).toBe(m.nBins[0]! - 1);
  });

  it('bins the training rows exactly as binColumns does, on both the hash and the sort paths', () => {
    const rng = new Rng(7);
    const n = 5000;
    const few = Array.from({ length: n }, () => [0, -0, 1.5, -2, 7][rng.int(5)]!);
    const many = Array.from({ length: n }, () => (rng.next() < 0.02 ? NaN : rng.normal() * 1e3));
    const ties = Array.from({ length: n }, () => Math.round(rng.normal() * 200));
    const X = colMatrix([few, many, ties]);
    for (const maxBins of [255, 32, 2]) {
      const { mapper, binned } = fitBins(X, { maxBins });
      expect(Array.from(binned!)).toEqual(Array.from(binColumns(mapper, X, Int32Array.of(0, 1, 2))));
      expect(mapper).toEqual(fitBinMapper(X, { maxBins }));
      for (let f = 0; f < 3; f++) {
        for (let i = 0; i < n; i += 97) expect(binned![f * n + i]).toBe(binOf(mapper, f, X.data[f * n + i]!));
      }
    }
  });

  it('learns edges from a seeded row sample when there are more rows than sampleSize', () => {
    const rng = new Rng(3);
    const X = colMatrix([Array.from({ length: 3000 }, () => rng.normal())]);
    const a = fitBins(X, { sampleSize: 500, seed: 1 });
    const b = fitBins(X, { sampleSize: 500, seed: 1 });
    expect(a.mapper).toEqual(b.mapper);
    expect(Array.from(a.binned!)).toEqual(Array.from(binColumns(a.mapper, X, Int32Array.of(0))));
  });

  it('rejects maxBins outside 2..255', () => {
    const X = colMatrix([[1, 2]]);
    expect(() => fitBinMapper(X, { maxBins: 256 })).toThrow(/maxBins/);
    expect(() => fitBinMapper(X, { maxBins: 1 })).toThrow(/maxBins/);
  });
});

describe('valueBinEdges', () => {
  it('never makes more bins than asked and ends with +Infinity', () => {
    const k = 1000;
    const distinct = Float64Array.from({ length: k }, (_, i) => i);
    const counts = new Float64Array(k).fill(1);
    const e = valueBinEdges(distinct, counts, k, 10);
    expect(e.length).toBeLessThanOrEqual(10);
    expect(e[e.length - 1]).toBe(Infinity);
  });
});

describe('Float32ArgSorter', () => {
  it('orders like a comparator sort and puts NaN last', () => {
    const rng = new Rng(5);
    const values = Float32Array.from({ length: 3000 }, () => (rng.next() < 0.05 ? NaN : rng.normal() * 10 ** rng.int(6)));
    const sorter = new Float32ArgSorter(10);
    const m = sorter.sort(values);
    const got = Array.from(sorter.order.subarray(0, values.length), (i) => values[i]!);
    const finite = Array.from(values).filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    expect(m).toBe(finite.length);
    expect(got.slice(0, m)).toEqual(finite);
    expect(got.slice(m).every((v) => Number.isNaN(v))).toBe(true);
  });
});
