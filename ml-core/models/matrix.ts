import type { ColMatrix, RowMatrix } from './types.js';

/** Transpose a column-major matrix to row-major, optionally only some rows (in the given order). */
export function toRowMajor(m: ColMatrix, rows?: Int32Array): RowMatrix {
  const { nFeatures } = m;
  const n = rows ? rows.length : m.nSamples;
  const out = new Float32Array(n * nFeatures);
  // block over rows so each column's slice stays in cache while it is scattered
  const BLOCK = 512;
  for (let r0 = 0; r0 < n; r0 += BLOCK) {
    const r1 = Math.min(n, r0 + BLOCK);
    for (let f = 0; f < nFeatures; f++) {
      const base = f * m.nSamples;
      if (rows) {
        for (let r = r0; r < r1; r++) out[r * nFeatures + f] = m.data[base + rows[r]!]!;
      } else {
        for (let r = r0; r < r1; r++) out[r * nFeatures + f] = m.data[base + r]!;
      }
    }
  }
  return { data: out, nSamples: n, nFeatures };
}

/** toRowMajor of every row into `out` (at least nSamples × nFeatures long; reused between blocks). */
export function toRowMajorInto(m: ColMatrix, out: Float32Array): RowMatrix {
  const { nFeatures, nSamples: n } = m;
  if (out.length < n * nFeatures) throw new RangeError(`out holds ${out.length} values, ${n} × ${nFeatures} needed`);
  const BLOCK = 512;
  for (let r0 = 0; r0 < n; r0 += BLOCK) {
    const r1 = Math.min(n, r0 + BLOCK);
    for (let f = 0; f < nFeatures; f++) {
      const base = f * n;
      for (let r = r0; r < r1; r++) out[r * nFeatures + f] = m.data[base + r]!;
    }
  }
  return { data: out.subarray(0, n * nFeatures), nSamples: n, nFeatures };
}

/** Copy some rows of a column-major matrix into a new column-major matrix. */
export function takeRows(m: ColMatrix, rows: Int32Array): ColMatrix {
  const n = rows.length;
  const out = new Float32Array(n * m.nFeatures);
  for (let f = 0; f < m.nFeatures; f++) {
    const src = f * m.nSamples;
    const dst = f * n;
    for (let r = 0; r < n; r++) out[dst + r] = m.data[src + rows[r]!]!;
  }
  return { data: out, nSamples: n, nFeatures: m.nFeatures };
}
