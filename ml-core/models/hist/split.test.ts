import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import { buildHistogram, buildHistogramNaive, HistogramPool, makeHistData, makeHistLayout } from './histogram.js';
import { emptySplit, findBestSplit, findBestSplitNaive, findBestSplitSparse, leafWeight, type SplitParams } from './split.js';

function randomNode(rng: Rng, nSamples: number, nBins: number[], stride: 2 | 3) {
  const layout = makeHistLayout(Int32Array.from(nBins), stride);
  const binned = new Uint8Array(nSamples * nBins.length);
  const signal = rng.int(nBins.length);
  const grad = new Float64Array(nSamples);
  const hess = new Float64Array(nSamples);
  for (let i = 0; i < nSamples; i++) {
    for (let c = 0; c < nBins.length; c++) binned[c * nSamples + i] = rng.int(nBins[c]!);
    // gradients depend on one column, so there is a real split to find
    const b = binned[signal * nSamples + i]!;
    grad[i] = (b < nBins[signal]! / 2 ? -0.5 : 0.5) + 0.3 * rng.normal();
    hess[i] = rng.uniform(0.05, 0.25);
  }
  const rows = Int32Array.from({ length: nSamples }, (_, i) => i);
  const hist = buildHistogramNaive(layout, binned, nSamples, rows, 0, nSamples, grad, hess, null);
  let g = 0;
  let h = 0;
  for (let i = 0; i < nSamples; i++) {
    g += grad[i]!;
    h += hess[i]!;
  }
  const sums = { g, h, count: nSamples };
  // the same node as a sparse histogram (touched bins only)
  const pool = new HistogramPool(layout);
  const sparse = pool.take();
  buildHistogram(sparse, makeHistData(binned, nSamples, layout), rows, 0, nSamples, grad, hess, sums, null, true, pool);
  return { layout, hist, sums, signal, sparse };
}

describe('split finders', () => {
  const paramSets: SplitParams[] = [
    { lambda: 1, gamma: 0, minChildWeight: 1e-3, minSamplesLeaf: 1 },
    { lambda: 0, gamma: 0, minChildWeight: 1, minSamplesLeaf: 1 },
    { lambda: 5, gamma: 0.5, minChildWeight: 3, minSamplesLeaf: 1 },
    { lambda: 1, gamma: 0, minChildWeight: 1e-3, minSamplesLeaf: 40 },
    { lambda: 1, gamma: 0, minChildWeight: 0, minSamplesLeaf: 1 },
    { lambda: 1, gamma: 1e6, minChildWeight: 1e-3, minSamplesLeaf: 1 },
  ];
  it('fast equals naive over random nodes, parameters, strides and column subsets', () => {
    const rng = new Rng(9);
    let found = 0;
    for (let trial = 0; trial < 40; trial++) {
      const stride = trial % 2 === 0 ? 2 : 3;
      const nBins = Array.from({ length: 6 }, () => 1 + rng.int(40));
      const node = randomNode(rng, 50 + rng.int(400), nBins, stride);
      for (const params of paramSets) {
        if (stride === 2 && (params.minSamplesLeaf > 1 || params.minChildWeight <= 0)) continue; // needs counts
        for (const cols of [null, Int32Array.of(1, 3, 4)]) {
          const fast = emptySplit();
          const ok = findBestSplit(node.hist, node.layout, cols, node.sums, params, fast);
          const naive = findBestSplitNaive(node.hist, node.layout, cols, node.sums, params);
          expect(ok).toBe(naive.colIdx >= 0);
          // the sparse finder visits touched bins only and must agree (up to the histogram's rounding)
          const colMask = cols ? Uint8Array.from({ length: node.layout.nCols }, (_, c) => (cols.includes(c) ? 1 : 0)) : null;
          const sparse = emptySplit();
          expect(findBestSplitSparse(node.sparse.buf, node.sparse.touched, node.layout, colMask, node.sums, params, sparse)).toBe(ok);
          if (ok) {
            expect([sparse.colIdx, sparse.binIdx]).toEqual([naive.colIdx, naive.binIdx]);
            expect(sparse.gain).toBeCloseTo(naive.gain, 9);
          }
          // on the very same buffer, the dense scan and the touched-bins scan agree exactly
          const dense = emptySplit();
          expect(findBestSplit(node.sparse.buf, node.layout, cols, node.sums, params, dense)).toBe(ok);
          if (ok) expect(sparse).toEqual(dense);
          if (!ok) continue;
          found++;
          expect(fast.colIdx).toBe(naive.colIdx);
          expect(fast.binIdx).toBe(naive.binIdx);
          expect(fast.gain).toBe(naive.gain);
          expect(fast.gL).toBe(naive.gL);
          expect(fast.hL).toBe(naive.hL);
          if (stride === 3) {
            expect(fast.cL).toBe(naive.cL);
            expect(fast.cL).toBeGreaterThanOrEqual(params.minSamplesLeaf);
            expect(node.sums.count - fast.cL).toBeGreaterThanOrEqual(params.minSamplesLeaf);
          }
          expect(fast.hL).toBeGreaterThanOrEqual(params.minChildWeight);
          expect(node.sums.h - fast.hL).toBeGreaterThanOrEqual(params.minChildWeight);
        }
      }
    }
    expect(found).toBeGreaterThan(100);
  });

  it('finds the separating threshold of a clean two-group node', () => {
    // one column, 4 bins; rows in bins 0-1 have g = -1, rows in bins 2-3 have g = +1
    const layout = makeHistLayout(Int32Array.of(4), 2);
    const hist = Float64Array.of(-5, 1, -5, 1, 5, 1, 5, 1);
    const params = { lambda: 1, gamma: 0, minChildWeight: 0.5, minSamplesLeaf: 1 };
    const s = emptySplit();
    expect(findBestSplit(hist, layout, null, { g: 0, h: 4, count: 20 }, params, s)).toBe(true);
    expect(s.binIdx).toBe(1);
    expect(s.gain).toBeCloseTo(0.5 * (100 / 3 + 100 / 3 - 0), 12);
    expect(leafWeight(s.gL, s.hL, 1)).toBeCloseTo(10 / 3, 12);
  });

  it("counts zero-weight rows (g = h = 0) toward minSamplesLeaf", () => {
    // stride 3: bins of column 0 hold (g, h, count); bin 1 holds two zero-weight rows
    const layout = makeHistLayout(Int32Array.of(4), 3);
    const hist = Float64Array.of(-3, 1, 1, 0, 0, 2, 2, 1, 1, 1, 0.5, 1);
    const params = { lambda: 1, gamma: 0, minChildWeight: 0, minSamplesLeaf: 2 };
    const sums = { g: 0, h: 2.5, count: 5 };
    const fast = emptySplit();
    findBestSplit(hist, layout, null, sums, params, fast);
    const naive = findBestSplitNaive(hist, layout, null, sums, params);
    expect(fast).toEqual(naive);
    expect(fast.binIdx).toBe(1); // the only threshold leaving 3 rows on the left
    expect(fast.cL).toBe(3);
  });

  it('makes no split when the hessian cannot fill two children', () => {
    const layout = makeHistLayout(Int32Array.of(3), 2);
    const hist = Float64Array.of(-1, 0.1, 0, 0, 1, 0.1);
    const s = emptySplit();
    expect(findBestSplit(hist, layout, null, { g: 0, h: 0.2, count: 2 }, { lambda: 1, gamma: 0, minChildWeight: 0.15, minSamplesLeaf: 1 }, s)).toBe(false);
    expect(s.colIdx).toBe(-1);
  });
});
