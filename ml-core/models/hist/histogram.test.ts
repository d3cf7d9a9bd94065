import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import { buildHistogram, buildHistogramNaive, HistogramPool, makeHistData, makeHistLayout, subtractHistogram, type HistLayout } from './histogram.js';

/** Random column-major binned data with skewed bins (so default bins matter). */
function randomData(rng: Rng, nSamples: number, nBins: number[]) {
  const nCols = nBins.length;
  const binned = new Uint8Array(nSamples * nCols);
  for (let c = 0; c < nCols; c++) {
    for (let i = 0; i < nSamples; i++) binned[c * nSamples + i] = rng.next() < 0.6 ? Math.min(1, nBins[c]! - 1) : rng.int(nBins[c]!);
  }
  const grad = Float64Array.from({ length: nSamples }, () => rng.normal());
  const hess = Float64Array.from({ length: nSamples }, () => rng.uniform(0.01, 0.25));
  return { binned, grad, hess };
}

function sumsOf(rows: Int32Array, start: number, end: number, grad: Float64Array, hess: Float64Array) {
  let g = 0;
  let h = 0;
  for (let i = start; i < end; i++) {
    g += grad[rows[i]!]!;
    h += hess[rows[i]!]!;
  }
  return { g, h, count: end - start };
}

function expectClose(a: Float64Array, b: Float64Array, layout: HistLayout, cols: Int32Array | null) {
  const colList = cols ?? Int32Array.from({ length: layout.nCols }, (_, c) => c);
  for (const c of colList) {
    for (let k = layout.binOffset[c]! * layout.stride; k < layout.binOffset[c + 1]! * layout.stride; k++) {
      expect(Math.abs(a[k]! - b[k]!)).toBeLessThan(1e-9 * (1 + Math.abs(b[k]!)));
    }
  }
}

describe('histogram builders', () => {
  const nBins = [2, 5, 255, 17, 1, 64, 3, 9, 200, 4];
  for (const stride of [2, 3] as const) {
    for (const sparse of [false, true]) {
      it(`fast (${sparse ? 'sparse' : 'dense'}, default-bin fix-up) equals naive, stride ${stride}, row and column subsets`, () => {
        const rng = new Rng(11 + stride);
        const nSamples = 3000;
        const layout = makeHistLayout(Int32Array.from(nBins), stride);
        const { binned, grad, hess } = randomData(rng, nSamples, nBins);
        const data = makeHistData(binned, nSamples, layout);
        const pool = new HistogramPool(layout);
        const rows = Int32Array.from({ length: nSamples }, (_, i) => i);
        const check = (rs: Int32Array, start: number, end: number, cols: Int32Array | null) => {
          const h = pool.take();
          expect(h.buf.every((v) => v === 0)).toBe(true);
          buildHistogram(h, data, rs, start, end, grad, hess, sumsOf(rs, start, end, grad, hess), cols, sparse, pool);
          expect(h.sparse).toBe(sparse);
          const naive = buildHistogramNaive(layout, binned, nSamples, rs, start, end, grad, hess, cols);
          expectClose(h.buf, naive, layout, cols);
          if (sparse) {
            // every nonzero bin is marked touched, in every column
            for (let b = 0; b < layout.totalBins; b++) {
              const touched = (h.touched[b >>> 5]! >>> (b & 31)) & 1;
              if (h.buf[b * stride] !== 0 || h.buf[b * stride + 1] !== 0) expect(touched).toBe(1);
            }
            expectClose(h.buf, buildHistogramNaive(layout, binned, nSamples, rs, start, end, grad, hess, null), layout, null);
          }
          pool.give(h);
        };
        for (const [start, end] of [
          [0, nSamples],
          [100, 2900],
          [7, 9],
          [5, 5],
        ] as const) {
          for (const cols of [null, Int32Array.of(0, 2, 5, 8)]) check(rows, start, end, cols);
        }
        // a scattered, ascending row subset
        const subset = Int32Array.from(rows.filter(() => rng.next() < 0.3));
        check(subset, 0, subset.length, null);
        // histograms come back from the pool all zero, whichever kind they were
        for (let i = 0; i < 4; i++) expect(pool.take().buf.every((v) => v === 0)).toBe(true);
      });
    }
  }

  it('stores exact row counts in stride-3 histograms', () => {
    const layout = makeHistLayout(Int32Array.of(3, 2), 3);
    const binned = Uint8Array.of(0, 1, 1, 2, 1, 0, 0, 1); // column-major, 4 rows
    const rows = Int32Array.of(0, 1, 2, 3);
    const grad = Float64Array.of(1, 2, 3, 4);
    const hess = Float64Array.of(1, 1, 1, 1);
    const pool = new HistogramPool(layout);
    for (const sparse of [false, true]) {
      const h = pool.take();
      buildHistogram(h, makeHistData(binned, 4, layout), rows, 0, 4, grad, hess, sumsOf(rows, 0, 4, grad, hess), null, sparse, pool);
      // column 0 bins: [0, 1, 1, 2]; column 1 bins: [1, 0, 0, 1]
      expect(Array.from(h.buf)).toEqual([1, 1, 1, 5, 2, 2, 4, 1, 1, 5, 2, 2, 5, 2, 2]);
      pool.give(h);
    }
  });

  it('subtraction trick: parent minus the smaller child equals the sibling built directly', () => {
    const rng = new Rng(21);
    const nSamples = 2000;
    for (const stride of [2, 3] as const) {
      for (const [parentSparse, childSparse] of [
        [false, false],
        [false, true],
        [true, true],
      ]) {
        const layout = makeHistLayout(Int32Array.from(nBins), stride);
        const { binned, grad, hess } = randomData(rng, nSamples, nBins);
        const data = makeHistData(binned, nSamples, layout);
        const pool = new HistogramPool(layout);
        const rows = Int32Array.from({ length: nSamples }, (_, i) => i);
        // partition on column 2 at bin 40 (stable, left first)
        const left = rows.filter((r) => binned[2 * nSamples + r]! <= 40);
        const right = rows.filter((r) => binned[2 * nSamples + r]! > 40);
        const parted = Int32Array.from([...left, ...right]);
        const nl = left.length;
        const parent = pool.take();
        buildHistogram(parent, data, rows, 0, nSamples, grad, hess, sumsOf(rows, 0, nSamples, grad, hess), null, parentSparse!, pool);
        const small = pool.take();
        buildHistogram(small, data, parted, nl, nSamples, grad, hess, sumsOf(parted, nl, nSamples, grad, hess), null, childSparse!, pool);
        subtractHistogram(parent, small, null);
        const direct = buildHistogramNaive(layout, binned, nSamples, parted, 0, nl, grad, hess, null);
        expectClose(parent.buf, direct, layout, null);
        pool.give(parent);
        pool.give(small);
        expect(pool.take().buf.every((v) => v === 0)).toBe(true);
      }
    }
  });

  it('picks each column\'s most frequent bin as its default', () => {
    const layout = makeHistLayout(Int32Array.of(4), 2);
    const data = makeHistData(Uint8Array.of(3, 3, 1, 3, 0), 5, layout);
    expect(data.defaultBin[0]).toBe(3);
    expect(Array.from(data.rowPtr)).toEqual([0, 0, 0, 1, 1, 2]);
    expect(Array.from(data.entries)).toEqual([1, 0]);
  });
});
