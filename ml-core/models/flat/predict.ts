/**
 * The one predictor for every tree family (random forest, extra trees, boosting, isolation
 * forest): raw forest outputs, class probabilities, classes and attack scores, for a whole
 * row-major batch or for a row range written into a caller's buffer (so a worker can score its
 * share of a batch).
 *
 * Kernel (forestRawRange): rows go in blocks of up to BLOCK. A block is turned into int32 keys
 * (see ./pack.ts), walks tree 0, and is then reordered by the leaf it reached there, so rows that
 * sit next to each other tend to take the same paths in the other trees. Trees are outer and rows
 * inner (one tree stays in cache while the block walks it); eight rows walk a tree in lockstep
 * with a branch-free step. The leaves reached are folded into float64 accumulators per row, in
 * tree order, exactly as ./naive.ts does: the results are bitwise equal.
 */
import type { FlatForest, RowMatrix, TrainedTreeModel } from '../types.js';
import { floatKey, packForest } from './pack.js';

/** Most rows per block (sorting needs row index < 65536). */
const BLOCK = 1024;

function checkInput(forest: FlatForest, X: RowMatrix, rowStart: number, rowEnd: number): void {
  if (X.nFeatures !== forest.nFeatures) {
    throw new RangeError(`the model expects ${forest.nFeatures} features, the data has ${X.nFeatures}`);
  }
  if (X.data.length < X.nSamples * X.nFeatures) throw new RangeError(`X holds ${X.data.length} values, expected ${X.nSamples} × ${X.nFeatures}`);
  if (!(Number.isInteger(rowStart) && Number.isInteger(rowEnd) && rowStart >= 0 && rowStart <= rowEnd && rowEnd <= X.nSamples)) {
    throw new RangeError(`row range [${rowStart}, ${rowEnd}) is outside 0..${X.nSamples}`);
  }
}

/**
 * Leaves (node indices) reached in the tree whose root is at word offset `root` by the m rows of
 * `keys` (row-major int32 keys, nF per row), written to leaves[0 .. m). Step: next offset =
 * nodes[g | 2 | (key > thresholdKey)], i.e. right unless x <= threshold (NaN: right); leaves loop
 * onto themselves, so eight rows step together until none moves (eight independent walks keep
 * the CPU busy while each waits on its loads). Bit operations keep V8 from overflow checks.
 */
function walkTree(nodes: Int32Array, root: number, keys: Int32Array, nF: number, m: number, leaves: Int32Array): void {
  let r = 0;
  for (; r + 8 <= m; r += 8) {
    const b0 = r * nF;
    const b1 = b0 + nF;
    const b2 = b1 + nF;
    const b3 = b2 + nF;
    const b4 = b3 + nF;
    const b5 = b4 + nF;
    const b6 = b5 + nF;
    const b7 = b6 + nF;
    let g0 = root;
    let g1 = root;
    let g2 = root;
    let g3 = root;
    let g4 = root;
    let g5 = root;
    let g6 = root;
    let g7 = root;
    for (;;) {
      const n0 = nodes[g0 | 2 | +(keys[(b0 + nodes[g0]!) | 0]! > nodes[g0 | 1]!)]!;
      const n1 = nodes[g1 | 2 | +(keys[(b1 + nodes[g1]!) | 0]! > nodes[g1 | 1]!)]!;
      const n2 = nodes[g2 | 2 | +(keys[(b2 + nodes[g2]!) | 0]! > nodes[g2 | 1]!)]!;
      const n3 = nodes[g3 | 2 | +(keys[(b3 + nodes[g3]!) | 0]! > nodes[g3 | 1]!)]!;
      const n4 = nodes[g4 | 2 | +(keys[(b4 + nodes[g4]!) | 0]! > nodes[g4 | 1]!)]!;
      const n5 = nodes[g5 | 2 | +(keys[(b5 + nodes[g5]!) | 0]! > nodes[g5 | 1]!)]!;
      const n6 = nodes[g6 | 2 | +(keys[(b6 + nodes[g6]!) | 0]! > nodes[g6 | 1]!)]!;
      const n7 = nodes[g7 | 2 | +(keys[(b7 + nodes[g7]!) | 0]! > nodes[g7 | 1]!)]!;
      if (((n0 ^ g0) | (n1 ^ g1) | (n2 ^ g2) | (n3 ^ g3) | (n4 ^ g4) | (n5 ^ g5) | (n6 ^ g6) | (n7 ^ g7)) === 0) break;
      g0 = n0;
      g1 = n1;
      g2 = n2;
      g3 = n3;
      g4 = n4;
      g5 = n5;
      g6 = n6;
      g7 = n7;
    }
    leaves[r + 0] = g0 >> 2;
    leaves[r + 1] = g1 >> 2;
    leaves[r + 2] = g2 >> 2;
    leaves[r + 3] = g3 >> 2;
    leaves[r + 4] = g4 >> 2;
    leaves[r + 5] = g5 >> 2;
    leaves[r + 6] = g6 >> 2;
    leaves[r + 7] = g7 >> 2;
  }
  for (; r < m; r++) {
    const b = r * nF;
    let g = root;
    for (;;) {
      const n = nodes[g | 2 | +(keys[(b + nodes[g]!) | 0]! > nodes[g | 1]!)]!;
      if (n === g) break;
      g = n;
    }
    leaves[r] = g >> 2;
  }
}

interface Scratch {
  acc: Float64Array;
  leaves: Int32Array;
  leaves2: Int32Array;
  keys0: Int32Array;
  keys: Int32Array;
  perm: Int32Array;
  sortKeys: Float64Array;
}
let scratch: Scratch | null = null;

/**
 * Working arrays for a block of `cap` rows, reused from call to call in this thread (a call runs
 * to its end before the next starts): a worker scores a batch in many small chunks, and fresh
 * arrays per chunk cost more than the chunk's own sort.
 */
function scratchFor(cap: number, nF: number, nResults: number): Scratch {
  const s = scratch;
  if (s && s.leaves.length >= cap && s.keys.length >= cap * nF && s.acc.length >= cap * nResults) return s;
  const c = Math.max(cap, s?.leaves.length ?? 0);
  const kf = Math.max(cap * nF, s?.keys.length ?? 0);
  const ar = Math.max(cap * nResults, s?.acc.length ?? 0);
  scratch = {
    acc: new Float64Array(ar),
    leaves: new Int32Array(c),
    leaves2: new Int32Array(c),
    keys0: new Int32Array(kf),
    keys: new Int32Array(kf),
    perm: new Int32Array(c),
    sortKeys: new Float64Array(c),
  };
  return scratch;
}

/**
 * Raw outputs of rows [rowStart, rowEnd) of X written to `out`, row r at (outRow + r - rowStart) × nResults.
 * Semantics per `forest.aggregate` (see FlatForest in ../types.ts):
 * - mean: average over trees of the leaf value vectors
 * - sum: base[slot] + leaf value[0] of each tree added into slot treeResult[t] (slot 0 when null)
 * - isolation: 2^(-mean over trees of (leaf depth + leaf value) / base[0])
 */
export function forestRawRange(forest: FlatForest, X: RowMatrix, rowStart: number, rowEnd: number, out: Float32Array, outRow = rowStart): Float32Array {
  checkInput(forest, X, rowStart, rowEnd);
  const { nResults, nOutputs, nTrees, value, aggregate, treeRoot } = forest;
  if (!(Number.isInteger(outRow) && outRow >= 0) || out.length < (outRow + rowEnd - rowStart) * nResults) {
    throw new RangeError(`out holds ${out.length} values; rows ${outRow}..${outRow + rowEnd - rowStart} need ${(outRow + rowEnd - rowStart) * nResults}`);
  }
  if (aggregate !== 'mean' && aggregate !== 'sum' && aggregate !== 'isolation') throw new RangeError(`unknown aggregate '${String(aggregate)}'`);
  const n = rowEnd - rowStart;
  if (n === 0) return out;
  const { nodes, leafClass, leafScalar } = packForest(forest);
  const nF = X.nFeatures;
  const data = X.data;
  const cap = Math.min(BLOCK, n);
  const s = scratchFor(cap, nF, nResults);
  const { acc, leaves, leaves2, keys0, perm, sortKeys } = s;
  const keys = nTrees > 1 ? s.keys : keys0;
  const treeResult = forest.treeResult;
  for (let r0 = rowStart; r0 < rowEnd; r0 += BLOCK) {
    const r1 = Math.min(rowEnd, r0 + BLOCK);
    const m = r1 - r0;
    if (aggregate === 'sum') {
      for (let i = 0; i < m; i++) for (let j = 0; j < nResults; j++) acc[i * nResults + j] = forest.base[j]!;
    } else acc.fill(0, 0, m * nResults);
    const base = r0 * nF;
    for (let i = 0; i < m * nF; i++) keys0[i] = floatKey(data[base + i]!);
    // tree 0 in block order, then the block reordered by tree-0 leaf (row index in the low 16 bits
    // keeps the sort stable); accumulators follow the sorted order and are put back at the end
    walkTree(nodes, 4 * treeRoot[0]!, keys0, nF, m, leaves);
    for (let i = 0; i < m; i++) sortKeys[i] = leaves[i]! * 65536 + i;
    if (nTrees > 1) sortKeys.subarray(0, m).sort();
    for (let i = 0; i < m; i++) {
      const p = sortKeys[i]! % 65536;
      perm[i] = p;
      leaves2[i] = leaves[p]!;
      if (nTrees > 1) keys.set(keys0.subarray(p * nF, p * nF + nF), i * nF);
    }
    accumulate(aggregate, leaves2, m, acc, nResults, nOutputs, value, leafClass, leafScalar, aggregate === 'sum' && treeResult ? treeResult[0]! : 0);
    for (let t = 1; t < nTrees; t++) {
      walkTree(nodes, 4 * treeRoot[t]!, keys, nF, m, leaves);
      const slot = aggregate === 'sum' && treeResult ? treeResult[t]! : 0;
      accumulate(aggregate, leaves, m, acc, nResults, nOutputs, value, leafClass, leafScalar, slot);
    }
    const oo = (outRow + r0 - rowStart) * nResults;
    const c = forest.base[0]!;
    for (let i = 0; i < m; i++) {
      const src = i * nResults;
      const dst = oo + perm[i]! * nResults;
      for (let j = 0; j < nResults; j++) {
        const v = acc[src + j]!;
        out[dst + j] = aggregate === 'mean' ? v / nTrees : aggregate === 'sum' ? v : Math.pow(2, -(v / nTrees) / c);
      }
    }
  }
  return out;
}

/** Adds one tree's leaves (leaves[i] for accumulator row i) into the accumulators. */
function accumulate(
  aggregate: 'mean' | 'sum' | 'isolation',
  leaves: Int32Array,
  m: number,
  acc: Float64Array,
  nResults: number,
  nOutputs: number,
  value: Float32Array,
  leafClass: Int32Array,
  leafScalar: Float64Array,
  slot: number,
): void {
  if (aggregate === 'mean') {
    for (let i = 0; i < m; i++) {
      const g = leaves[i]!;
      const c = leafClass[g]!;
      const ao = i * nResults;
      if (c >= 0) acc[ao + c]! += 1;
      else {
        const vo = g * nOutputs;
        for (let j = 0; j < nResults; j++) acc[ao + j]! += value[vo + j]!;
      }
    }
  } else {
    for (let i = 0; i < m; i++) acc[i * nResults + slot]! += leafScalar[leaves[i]!]!;
  }
}

/** Raw outputs of every row of X: row-major nSamples × nResults. */
export function forestRaw(forest: FlatForest, X: RowMatrix, out?: Float32Array): Float32Array {
  const buf = out ?? new Float32Array(X.nSamples * forest.nResults);
  return forestRawRange(forest, X, 0, X.nSamples, buf, 0);
}

/** Raw outputs → class probabilities (nClasses per row) in place of `out`, per the model's link. */
function rawToProba(model: TrainedTreeModel, raw: Float32Array, m: number, out: Float32Array, oo: number): void {
  const k = model.nClasses;
  const nR = model.forest.nResults;
  switch (model.link) {
    case 'identity':
      for (let i = 0; i < m * k; i++) out[oo + i] = raw[i]!;
      return;
    case 'softmax':
      for (let i = 0; i < m; i++) {
        let mx = -Infinity;
        for (let c = 0; c < k; c++) mx = Math.max(mx, raw[i * nR + c]!);
        let sum = 0;
        for (let c = 0; c < k; c++) sum += Math.exp(raw[i * nR + c]! - mx);
        for (let c = 0; c < k; c++) out[oo + i * k + c] = Math.exp(raw[i * nR + c]! - mx) / sum;
      }
      return;
    case 'sigmoid':
      for (let i = 0; i < m; i++) {
        const p = 1 / (1 + Math.exp(-raw[i * nR]!));
        out[oo + i * k] = 1 - p;
        out[oo + i * k + 1] = p;
      }
      return;
    case 'anomaly':
      for (let i = 0; i < m; i++) {
        const s = raw[i * nR]!;
        out[oo + i * k] = 1 - s;
        out[oo + i * k + 1] = s;
      }
      return;
    default:
      throw new RangeError(`unknown output link '${String(model.link)}'`);
  }
}

function checkModel(model: TrainedTreeModel): void {
  const { link, nClasses, forest } = model;
  const expect = link === 'identity' || link === 'softmax' ? nClasses : 1;
  if (forest.nResults !== expect || ((link === 'sigmoid' || link === 'anomaly') && nClasses !== 2)) {
    throw new RangeError(`a '${link}' model with ${nClasses} classes cannot have ${forest.nResults} raw outputs`);
  }
}

/** Rows processed per chunk by the probability / class / score entry points (bounds the raw scratch). */
const CHUNK = 4096;

/** Class probabilities of rows [rowStart, rowEnd) into `out` (row r at (outRow + r - rowStart) × nClasses). */
export function predictProbaRange(model: TrainedTreeModel, X: RowMatrix, rowStart: number, rowEnd: number, out: Float32Array, outRow = rowStart): Float32Array {
  checkModel(model);
  const k = model.nClasses;
  const nR = model.forest.nResults;
  if (out.length < (outRow + rowEnd - rowStart) * k) throw new RangeError(`out is too small for rows up to ${outRow + rowEnd - rowStart}`);
  if (model.link === 'identity') return forestRawRange(model.forest, X, rowStart, rowEnd, out, outRow);
  const raw = new Float32Array(Math.min(CHUNK, Math.max(1, rowEnd - rowStart)) * nR);
  for (let a = rowStart; a < rowEnd; a += CHUNK) {
    const b = Math.min(rowEnd, a + CHUNK);
    forestRawRange(model.forest, X, a, b, raw, 0);
    rawToProba(model, raw, b - a, out, (outRow + a - rowStart) * k);
  }
  return out;
}

/** Class probabilities, row-major nSamples × nClasses (anomaly models: [1 - score, score]). */
export function predictProba(model: TrainedTreeModel, X: RowMatrix): Float32Array {
  return predictProbaRange(model, X, 0, X.nSamples, new Float32Array(X.nSamples * model.nClasses), 0);
}

/** Predicted classes of rows [rowStart, rowEnd) into `out` at outRow + r - rowStart. */
export function predictClassRange(model: TrainedTreeModel, X: RowMatrix, rowStart: number, rowEnd: number, out: Int32Array, outRow = rowStart): Int32Array {
  checkModel(model);
  const k = model.nClasses;
  if (out.length < outRow + rowEnd - rowStart) throw new RangeError(`out is too small for rows up to ${outRow + rowEnd - rowStart}`);
  const proba = new Float32Array(Math.min(CHUNK, Math.max(1, rowEnd - rowStart)) * k);
  for (let a = rowStart; a < rowEnd; a += CHUNK) {
    const b = Math.min(rowEnd, a + CHUNK);
    const m = b - a;
    if (model.link === 'anomaly') {
      forestRawRange(model.forest, X, a, b, proba, 0);
      const thr = model.threshold ?? 0.5;
      for (let i = 0; i < m; i++) out[outRow + a - rowStart + i] = proba[i]! >= thr ? 1 : 0;
      continue;
    }
    predictProbaRange(model, X, a, b, proba, 0);
    for (let i = 0; i < m; i++) {
      const o = i * k;
      let best = 0;
      for (let c = 1; c < k; c++) if (proba[o + c]! > proba[o + best]!) best = c;
      out[outRow + a - rowStart + i] = best;
    }
  }
  return out;
}

/** Predicted class per row: argmax of the probabilities (first on ties); anomaly models: score >= threshold → 1. */
export function predictClass(model: TrainedTreeModel, X: RowMatrix): Int32Array {
  return predictClassRange(model, X, 0, X.nSamples, new Int32Array(X.nSamples), 0);
}

/** Attack scores of rows [rowStart, rowEnd) into `out` at outRow + r - rowStart. */
export function attackScoreRange(model: TrainedTreeModel, X: RowMatrix, benign: number, rowStart: number, rowEnd: number, out: Float32Array, outRow = rowStart): Float32Array {
  checkModel(model);
  const k = model.nClasses;
  if (out.length < outRow + rowEnd - rowStart) throw new RangeError(`out is too small for rows up to ${outRow + rowEnd - rowStart}`);
  if (model.link !== 'anomaly' && !(Number.isInteger(benign) && benign >= 0 && benign < k)) {
    throw new RangeError(`benign class ${benign} is outside 0..${k - 1}`);
  }
  const proba = new Float32Array(Math.min(CHUNK, Math.max(1, rowEnd - rowStart)) * k);
  for (let a = rowStart; a < rowEnd; a += CHUNK) {
    const b = Math.min(rowEnd, a + CHUNK);
    const m = b - a;
    const oo = outRow + a - rowStart;
    if (model.link === 'anomaly') {
      forestRawRange(model.forest, X, a, b, out, oo);
      continue;
    }
    predictProbaRange(model, X, a, b, proba, 0);
    for (let i = 0; i < m; i++) out[oo + i] = 1 - proba[i * k + benign]!;
  }
  return out;
}

/** Attack score per row: classifiers 1 - P(benign); anomaly models the anomaly score. */
export function attackScore(model: TrainedTreeModel, X: RowMatrix, benign: number): Float32Array {
  return attackScoreRange(model, X, benign, 0, X.nSamples, new Float32Array(X.nSamples), 0);
}
