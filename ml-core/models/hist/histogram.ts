/**
 * Gradient histograms: for one tree node, the sums of gradient and hessian (and optionally the row
 * count) of its rows per (column, bin). The fast builder makes one pass over the node's rows and
 * fills every column at once from a row-major matrix of global bin indices; the naive builder walks
 * column by column from the plain binned matrix and is the reference it is tested against.
 *
 * Memory layout: hist[(binOffset[colIdx] + binIdx) * stride + slot], slot 0 = sum g, 1 = sum h,
 * 2 = row count (stride 3 only).
 */

export interface HistLayout {
  nCols: number;
  /** bins per column */
  nBins: Int32Array;
  /** first global bin of each column; nCols + 1 entries, the last is totalBins */
  binOffset: Int32Array;
  totalBins: number;
  /** Float64 slots per bin: 2 (g, h) or 3 (g, h, count) */
  stride: 2 | 3;
}

export function makeHistLayout(nBins: Int32Array, stride: 2 | 3): HistLayout {
  const nCols = nBins.length;
  const binOffset = new Int32Array(nCols + 1);
  for (let c = 0; c < nCols; c++) binOffset[c + 1] = binOffset[c]! + nBins[c]!;
  return { nCols, nBins, binOffset, totalBins: binOffset[nCols]!, stride };
}

/** A histogram buffer for the layout (all zero). */
export function newHistogram(layout: HistLayout): Float64Array {
  return new Float64Array(layout.totalBins * layout.stride);
}

/** Global bin indices of a row-major binned matrix: gbins[i] = binOffset[colIdx] + binned[i] (same shape). */
export function globalBinIndex(binned: Uint8Array, layout: HistLayout): Uint16Array | Uint32Array {
  const { nCols, binOffset } = layout;
  const out = layout.totalBins <= 0x10000 ? new Uint16Array(binned.length) : new Uint32Array(binned.length);
  for (let p = 0; p < binned.length; p += nCols) {
    for (let c = 0; c < nCols; c++) out[p + c] = binOffset[c]! + binned[p + c]!;
  }
  return out;
}

/** Zeroes the bins of the given columns (all when cols is null). */
export function clearHistogram(hist: Float64Array, layout: HistLayout, cols: Int32Array | null): void {
  if (!cols) {
    hist.fill(0);
    return;
  }
  const { binOffset, stride } = layout;
  for (let j = 0; j < cols.length; j++) {
    const c = cols[j]!;
    hist.fill(0, binOffset[c]! * stride, binOffset[c + 1]! * stride);
  }
}

/**
 * Fast builder: clears, then fills the histogram of rows[start..end) for the given columns (null = all).
 * gbins is row-major [sampleIdx * nCols + colIdx] = global bin (see globalBinIndex).
 */
export function buildHistogram(
  hist: Float64Array,
  layout: HistLayout,
  gbins: Uint16Array | Uint32Array,
  rows: Int32Array,
  start: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
  cols: Int32Array | null,
): void {
  clearHistogram(hist, layout, cols);
  const nCols = layout.nCols;
  if (layout.stride === 2) {
    if (cols) histSubset2(hist, gbins, nCols, rows, start, end, grad, hess, cols);
    else histAll2(hist, gbins, nCols, rows, start, end, grad, hess);
  } else if (cols) histSubset3(hist, gbins, nCols, rows, start, end, grad, hess, cols);
  else histAll3(hist, gbins, nCols, rows, start, end, grad, hess);
}

function histAll2(hist: Float64Array, gbins: Uint16Array | Uint32Array, nCols: number, rows: Int32Array, start: number, end: number, grad: Float64Array, hess: Float64Array): void {
  for (let i = start; i < end; i++) {
    const r = rows[i]!;
    const g = grad[r]!;
    const h = hess[r]!;
    const p1 = r * nCols + nCols;
    let p = r * nCols;
    // unrolled by 8 columns: ~1.6x faster in V8 than the plain loop
    for (; p + 8 <= p1; p += 8) {
      const k0 = gbins[p]! << 1;
      const k1 = gbins[p + 1]! << 1;
      const k2 = gbins[p + 2]! << 1;
      const k3 = gbins[p + 3]! << 1;
      const k4 = gbins[p + 4]! << 1;
      const k5 = gbins[p + 5]! << 1;
      const k6 = gbins[p + 6]! << 1;
      const k7 = gbins[p + 7]! << 1;
      hist[k0] += g;
      hist[k0 + 1] += h;
      hist[k1] += g;
      hist[k1 + 1] += h;
      hist[k2] += g;
      hist[k2 + 1] += h;
      hist[k3] += g;
      hist[k3 + 1] += h;
      hist[k4] += g;
      hist[k4 + 1] += h;
      hist[k5] += g;
      hist[k5 + 1] += h;
      hist[k6] += g;
      hist[k6 + 1] += h;
      hist[k7] += g;
      hist[k7 + 1] += h;
    }
    for (; p < p1; p++) {
      const k = gbins[p]! << 1;
      hist[k] += g;
      hist[k + 1] += h;
    }
  }
}

function histAll3(hist: Float64Array, gbins: Uint16Array | Uint32Array, nCols: number, rows: Int32Array, start: number, end: number, grad: Float64Array, hess: Float64Array): void {
  for (let i = start; i < end; i++) {
    const r = rows[i]!;
    const g = grad[r]!;
    const h = hess[r]!;
    const p1 = r * nCols + nCols;
    let p = r * nCols;
    for (; p + 4 <= p1; p += 4) {
      const k0 = gbins[p]! * 3;
      const k1 = gbins[p + 1]! * 3;
      const k2 = gbins[p + 2]! * 3;
      const k3 = gbins[p + 3]! * 3;
      hist[k0] += g;
      hist[k0 + 1] += h;
      hist[k0 + 2] += 1;
      hist[k1] += g;
      hist[k1 + 1] += h;
      hist[k1 + 2] += 1;
      hist[k2] += g;
      hist[k2 + 1] += h;
      hist[k2 + 2] += 1;
      hist[k3] += g;
      hist[k3 + 1] += h;
      hist[k3 + 2] += 1;
    }
    for (; p < p1; p++) {
      const k = gbins[p]! * 3;
      hist[k] += g;
      hist[k + 1] += h;
      hist[k + 2] += 1;
    }
  }
}

function histSubset2(hist: Float64Array, gbins: Uint16Array | Uint32Array, nCols: number, rows: Int32Array, start: number, end: number, grad: Float64Array, hess: Float64Array, cols: Int32Array): void {
  const m = cols.length;
  for (let i = start; i < end; i++) {
    const r = rows[i]!;
    const g = grad[r]!;
    const h = hess[r]!;
    const p0 = r * nCols;
    for (let j = 0; j < m; j++) {
      const k = gbins[p0 + cols[j]!]! << 1;
      hist[k] += g;
      hist[k + 1] += h;
    }
  }
}

function histSubset3(hist: Float64Array, gbins: Uint16Array | Uint32Array, nCols: number, rows: Int32Array, start: number, end: number, grad: Float64Array, hess: Float64Array, cols: Int32Array): void {
  const m = cols.length;
  for (let i = start; i < end; i++) {
    const r = rows[i]!;
    const g = grad[r]!;
    const h = hess[r]!;
    const p0 = r * nCols;
    for (let j = 0; j < m; j++) {
      const k = gbins[p0 + cols[j]!]! * 3;
      hist[k] += g;
      hist[k + 1] += h;
      hist[k + 2] += 1;
    }
  }
}

/**
 * Naive reference builder: a fresh histogram of rows[start..end), one column at a time, from the
 * plain row-major binned matrix binned[sampleIdx * nCols + colIdx] = binIdx. Columns not in cols stay 0.
 */
export function buildHistogramNaive(
  layout: HistLayout,
  binned: Uint8Array,
  rows: Int32Array,
  start: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
  cols: Int32Array | null,
): Float64Array {
  const { nCols, binOffset, stride } = layout;
  const hist = newHistogram(layout);
  const colList = cols ?? Int32Array.from({ length: nCols }, (_, c) => c);
  for (const colIdx of colList) {
    for (let i = start; i < end; i++) {
      const sampleIdx = rows[i]!;
      const binIdx = binned[sampleIdx * nCols + colIdx]!;
      const k = (binOffset[colIdx]! + binIdx) * stride;
      hist[k] += grad[sampleIdx]!;
      hist[k + 1] += hess[sampleIdx]!;
      if (stride === 3) hist[k + 2] += 1;
    }
  }
  return hist;
}

/** Subtraction trick: parent -= child over the given columns (null = all); the parent buffer then holds the sibling. */
export function subtractHistogram(parent: Float64Array, child: Float64Array, layout: HistLayout, cols: Int32Array | null): void {
  if (!cols) {
    for (let k = 0; k < parent.length; k++) parent[k] -= child[k]!;
    return;
  }
  const { binOffset, stride } = layout;
  for (let j = 0; j < cols.length; j++) {
    const c = cols[j]!;
    const k1 = binOffset[c + 1]! * stride;
    for (let k = binOffset[c]! * stride; k < k1; k++) parent[k] -= child[k]!;
  }
}
