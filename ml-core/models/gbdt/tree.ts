/**
 * Grows one regression tree on gradients (one boosting tree of one class). Pure apart from the
 * `rows` segment it partitions in place and the scratch it reuses: the trees of one round (one per
 * class) are independent given the gradients, so they can be grown by separate workers.
 *
 * Growth is leaf-wise (split the open leaf with the largest gain until maxLeaves) or depth-wise
 * (split every splittable leaf level by level until maxDepth). Only the smaller child's histogram
 * is built; the larger one is the parent's minus it.
 *
 * Rows of a node are a contiguous segment rows[start..end), kept in ascending order (stable
 * partition) so histogram passes read the binned matrix front to back. Nodes whose rows hold
 * fewer (row, column) entries than the histogram has bins get sparse histograms (see
 * ../hist/histogram.ts).
 */
import { buildHistogram, HistogramPool, subtractHistogram, type HistData, type HistLayout, type NodeHistogram } from '../hist/histogram.js';
import { emptySplit, findBestSplit, findBestSplitSparse, leafWeight, type NodeSums, type SplitInfo, type SplitParams } from '../hist/split.js';
import type { GbdtGrowth } from './params.js';

export interface TreeParams extends SplitParams {
  learningRate: number;
  /** most |leaf weight| before the learning rate; 0 = no limit */
  maxDeltaStep: number;
  /** 0 = no limit */
  maxLeaves: number;
  /** 0 = no limit */
  maxDepth: number;
  growth: GbdtGrowth;
}

/** The binned training data every tree of a fit shares (read only). */
export interface TreeData {
  nSamples: number;
  /** column-major bins: binned[colIdx * nSamples + sampleIdx] = binIdx (partitioning reads it) */
  binned: Uint8Array;
  /** sparse row-major copy for the histogram builder */
  hist: HistData;
}

/** A grown tree in node arrays (node 0 = root); children after parents. */
export interface GrownTree {
  nNodes: number;
  /** column split on; -1 for a leaf */
  col: Int32Array;
  /** rows with bin <= bin[n] go left */
  bin: Int32Array;
  left: Int32Array;
  right: Int32Array;
  /** leaf output, learning rate applied, rounded to float32 (what the flat forest stores) */
  value: Float64Array;
  /** split gain (before gamma) on internal nodes */
  gain: Float64Array;
  /** training rows that reached the node (every node; the path-dependent TreeSHAP explainer weighs branches by it) */
  cover: Float64Array;
  /** leaves: their rows are rows[start[n]..end[n]) of the rows array given to buildTree */
  start: Int32Array;
  end: Int32Array;
}

/**
 * A node gets a sparse histogram when its rows hold fewer (row, column) entries than this many
 * times the histogram's bins: measured on CICIDS (13.5k bins) 1..16 all beat dense, 4 best.
 */
const SPARSE_FACTOR = 4;

/** Reusable buffers of one tree grower (one per worker). */
export class TreeScratch {
  readonly pool: HistogramPool;
  readonly partition: Int32Array;
  readonly colMask: Uint8Array;
  constructor(
    readonly layout: HistLayout,
    nSamples: number,
  ) {
    this.pool = new HistogramPool(layout);
    this.partition = new Int32Array(nSamples);
    this.colMask = new Uint8Array(layout.nCols);
  }
}

interface OpenLeaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  sums: NodeSums;
  hist: NodeHistogram;
  split: SplitInfo;
}

/**
 * Grows a tree on rows[0..nRows) (row indices into the shared data, ascending; reordered in place).
 * grad/hess are per sample. cols = columns the tree may split on (ascending; null = all).
 */
export function buildTree(
  data: TreeData,
  grad: Float64Array,
  hess: Float64Array,
  rows: Int32Array,
  nRows: number,
  cols: Int32Array | null,
  params: TreeParams,
  scratch: TreeScratch = new TreeScratch(data.hist.layout, rows.length),
): GrownTree {
  const { binned, nSamples } = data;
  const layout = data.hist.layout;
  const pool = scratch.pool;
  // sparse histograms for nodes whose entries are fewer than SPARSE_FACTOR x the histogram's bins
  const sparseRows = (SPARSE_FACTOR * layout.totalBins) / Math.max(1, data.hist.entries.length / nSamples);
  let colMask: Uint8Array | null = null;
  if (cols) {
    colMask = scratch.colMask;
    colMask.fill(0);
    for (let j = 0; j < cols.length; j++) colMask[cols[j]!] = 1;
  }
  const build = (h: NodeHistogram, s: number, e: number, sums: NodeSums) =>
    buildHistogram(h, data.hist, rows, s, e, grad, hess, sums, cols, e - s < sparseRows, pool);
  const depthWise = params.growth === 'depth';
  const maxLeaves = params.maxLeaves > 0 ? params.maxLeaves : Infinity;
  const maxDepth = params.maxDepth > 0 ? params.maxDepth : Infinity;
  const mcw = params.minChildWeight;
  const msl = params.minSamplesLeaf;

  const col: number[] = [];
  const bin: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const gain: number[] = [];
  const cover: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  const addNode = (s: number, e: number, sums: NodeSums): number => {
    col.push(-1);
    bin.push(-1);
    left.push(-1);
    right.push(-1);
    let w = leafWeight(sums.g, sums.h, params.lambda);
    if (params.maxDeltaStep > 0) w = Math.min(Math.max(w, -params.maxDeltaStep), params.maxDeltaStep);
    value.push(Math.fround(w * params.learningRate));
    gain.push(0);
    cover.push(sums.count);
    start.push(s);
    end.push(e);
    return col.length - 1;
  };

  // a node is worth a histogram when a split could pass the depth, size and weight limits
  const splittable = (depth: number, sums: NodeSums) => depth < maxDepth && sums.count >= 2 * msl && sums.count >= 2 && sums.h >= 2 * mcw;
  const open: OpenLeaf[] = [];
  const tryOpen = (node: number, s: number, e: number, depth: number, sums: NodeSums, hist: NodeHistogram) => {
    const split = emptySplit();
    const found = hist.sparse
      ? findBestSplitSparse(hist.buf, hist.touched, layout, colMask, sums, params, split)
      : findBestSplit(hist.buf, layout, cols, sums, params, split);
    if (found) open.push({ node, start: s, end: e, depth, sums, hist, split });
    else pool.give(hist);
  };

  let g0 = 0;
  let h0 = 0;
  for (let i = 0; i < nRows; i++) {
    const r = rows[i]!;
    g0 += grad[r]!;
    h0 += hess[r]!;
  }
  const rootSums = { g: g0, h: h0, count: nRows };
  addNode(0, nRows, rootSums);
  if (splittable(0, rootSums)) {
    const hist = pool.take();
    build(hist, 0, nRows, rootSums);
    tryOpen(0, 0, nRows, 0, rootSums, hist);
  }

  let nLeaves = 1;
  const part = scratch.partition;
  while (open.length > 0 && nLeaves < maxLeaves) {
    // depth-wise: first opened (breadth first); leaf-wise: largest gain
    let pick = 0;
    if (!depthWise) for (let j = 1; j < open.length; j++) if (open[j]!.split.gain > open[pick]!.split.gain) pick = j;
    const leaf = open[pick]!;
    open.splice(pick, 1);
    const { node, split, sums } = leaf;
    const s = leaf.start;
    const e = leaf.end;

    // stable partition of rows[s..e): left rows stay in front, right rows go through the scratch
    const c = split.colIdx;
    const splitBin = split.binIdx;
    const colBins = binned.subarray(c * nSamples, (c + 1) * nSamples);
    let nl = s;
    let nr = 0;
    for (let i = s; i < e; i++) {
      const r = rows[i]!;
      if (colBins[r]! <= splitBin) rows[nl++] = r;
      else part[nr++] = r;
    }
    rows.set(part.subarray(0, nr), nl);
    const nL = nl - s;
    const nR = e - nl;
    if (nL === 0 || nR === 0) {
      // cannot happen with minChildWeight > 0; keep the node a leaf if rounding ever allows it
      pool.give(leaf.hist);
      continue;
    }
    const sumsL = { g: split.gL, h: split.hL, count: nL };
    const sumsR = { g: sums.g - split.gL, h: sums.h - split.hL, count: nR };
    const depth = leaf.depth + 1;
    const l = addNode(s, nl, sumsL);
    const r = addNode(nl, e, sumsR);
    col[node] = c;
    bin[node] = split.binIdx;
    left[node] = l;
    right[node] = r;
    gain[node] = split.gain + params.gamma;
    nLeaves++;

    const okL = splittable(depth, sumsL);
    const okR = splittable(depth, sumsR);
    if (!okL && !okR) {
      pool.give(leaf.hist);
      continue;
    }
    const smallIsLeft = nL <= nR;
    const small = pool.take();
    if (smallIsLeft) build(small, s, nl, sumsL);
    else build(small, nl, e, sumsR);
    const okSmall = smallIsLeft ? okL : okR;
    const okLarge = smallIsLeft ? okR : okL;
    if (okLarge) subtractHistogram(leaf.hist, small, cols);
    else pool.give(leaf.hist);
    const histL = smallIsLeft ? small : leaf.hist;
    const histR = smallIsLeft ? leaf.hist : small;
    if (okL) tryOpen(l, s, nl, depth, sumsL, histL);
    if (okR) tryOpen(r, nl, e, depth, sumsR, histR);
    if (!okSmall) pool.give(small);
  }
  for (const leaf of open) pool.give(leaf.hist);

  return {
    nNodes: col.length,
    col: Int32Array.from(col),
    bin: Int32Array.from(bin),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float64Array.from(value),
    gain: Float64Array.from(gain),
    cover: Float64Array.from(cover),
    start: Int32Array.from(start),
    end: Int32Array.from(end),
  };
}

/** Leaf reached by sample sampleIdx of a column-major binned matrix binned[colIdx * nSamples + sampleIdx]. */
export function leafOf(tree: GrownTree, binned: Uint8Array, nSamples: number, sampleIdx: number): number {
  let n = 0;
  while (tree.col[n]! >= 0) n = binned[tree.col[n]! * nSamples + sampleIdx]! <= tree.bin[n]! ? tree.left[n]! : tree.right[n]!;
  return n;
}
