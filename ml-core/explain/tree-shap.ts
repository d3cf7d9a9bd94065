/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature
 * attribution for tree ensembles", Algorithm 2): the Shapley values of one row for one output of a
 * tree ensemble, in time O(leaves × depth²) per tree instead of O(2^nFeatures).
 *
 * The value of a coalition S is the path-dependent conditional expectation E[f(x) | x_S]: at a
 * split on a feature in S follow the row, else take both children weighted by the share of the
 * node's training samples (`cover`) each received. ./shapley-reference.ts computes exactly that by
 * enumerating coalitions; the two are tested against each other.
 *
 * Explained output, per family (the space where the ensemble is a sum over trees):
 * - 'mean' forests (random forest, extra trees): class probability, the average over trees of the
 *   leaves' class fractions (exactly the model's predicted probability);
 * - 'sum' forests (gradient boosting): the class's raw score, base + sum of its trees' leaves
 *   (binary: the log-odds of class 1; class 0 is explained as its negation, the log-odds of 0);
 * - 'isolation' forests: the average path length (leaf depth + the leaf's c(n) correction) over
 *   trees. The anomaly score 2^(-pathLength / c(subsample)) is a decreasing function of it, so a
 *   negative contribution pushes towards "anomalous".
 *
 * Memory layout of the path scratch: path level d (tree depth d) holds up to d + 1 elements at
 * offset d(d + 1)/2 of four parallel arrays (feature, zero fraction, one fraction, weight); a
 * node copies its parent's level into its own and extends it, so no per-node objects are made.
 */
import type { FlatForest, TrainedTreeModel } from '../models/types.js';

export interface TreeShapResult {
  /** expected output over the training distribution (path-dependent): the value of the empty coalition */
  base: number;
  /** contribution per model input feature; base + sum(values) = output */
  values: Float64Array;
  /** the model's explained output for this row */
  output: number;
  /** 'probability' | 'raw score (log-odds)' | 'anomaly path length' */
  outputName: string;
}

/** Thrown when a model cannot be explained (no cover stored, bad class). */
export class ExplanationUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExplanationUnavailable';
  }
}

/** How one explained output is read off the forest: which trees, which leaf slot, which scale. */
export interface TreeOutputSpec {
  /** per tree: multiplier of its leaf values (0: tree does not count for this output) */
  treeScale: Float64Array;
  /** offset in value[] of the leaf's number: value[leaf * nOutputs + slot] */
  slot: number;
  /** constant added to the output (boosting: base score) */
  offset: number;
  /** isolation forests: add the leaf depth to the leaf value */
  addDepth: boolean;
  outputName: string;
}

/** The explained output of `model` for class `classIdx` (see the file comment). */
export function outputSpec(model: TrainedTreeModel, classIdx: number): TreeOutputSpec {
  const f = model.forest;
  const cover = f.cover;
  if (!cover || cover.length < f.feature.length) {
    throw new ExplanationUnavailable(
      'Explanation not available: this model was saved without the training sample counts of its tree nodes (cover). Retrain it with this version of Flowsight to get explanations.',
    );
  }
  if (!(Number.isInteger(classIdx) && classIdx >= 0 && classIdx < model.nClasses)) {
    throw new RangeError(`class ${classIdx} is outside 0..${model.nClasses - 1}`);
  }
  const nTrees = f.nTrees;
  const treeScale = new Float64Array(nTrees);
  switch (f.aggregate) {
    case 'mean':
      treeScale.fill(1 / nTrees);
      return { treeScale, slot: classIdx, offset: 0, addDepth: false, outputName: 'probability' };
    case 'sum': {
      // binary boosting: one raw score, the log-odds of class 1; class 0's log-odds is its negation
      const binary = f.nResults === 1;
      const resultSlot = binary ? 0 : classIdx;
      const sign = binary && classIdx === 0 ? -1 : 1;
      for (let t = 0; t < nTrees; t++) treeScale[t] = (f.treeResult ? f.treeResult[t]! : 0) === resultSlot ? sign : 0;
      return { treeScale, slot: 0, offset: sign * f.base[resultSlot]!, addDepth: false, outputName: 'raw score (log-odds)' };
    }
    case 'isolation':
      treeScale.fill(1 / nTrees);
      return { treeScale, slot: 0, offset: 0, addDepth: true, outputName: 'anomaly path length' };
    default:
      throw new RangeError(`unknown aggregate '${String(f.aggregate)}'`);
  }
}

/** Fraction of node n's cover that went to child c (0.5 each when the node has no cover). */
export function coverRatio(cover: Float32Array, n: number, c: number): number {
  const p = cover[n]!;
  return p > 0 ? cover[c]! / p : 0.5;
}

/** Leaf value of tree node `leaf` at depth `depth` for the output (before the tree's scale). */
function leafValue(f: FlatForest, spec: TreeOutputSpec, leaf: number, depth: number): number {
  const v = f.value[leaf * f.nOutputs + spec.slot]!;
  return spec.addDepth ? depth + v : v;
}

interface TreeInfo {
  /** deepest leaf over all trees */
  maxDepth: number;
}
const infoCache = new WeakMap<FlatForest, TreeInfo>();
/** per forest and output: expected value (the base) and which nodes have a non-zero leaf below them */
const outputCache = new WeakMap<FlatForest, Map<number, { base: number; live: Uint8Array }>>();

function infoOf(f: FlatForest): TreeInfo {
  let info = infoCache.get(f);
  if (info) return info;
  let maxDepth = 0;
  const stackNode: number[] = [];
  const stackDepth: number[] = [];
  for (let t = 0; t < f.nTrees; t++) {
    stackNode.push(f.treeRoot[t]!);
    stackDepth.push(0);
    while (stackNode.length) {
      const n = stackNode.pop()!;
      const d = stackDepth.pop()!;
      if (f.feature[n]! < 0) {
        if (d > maxDepth) maxDepth = d;
        continue;
      }
      stackNode.push(f.left[n]!, f.right[n]!);
      stackDepth.push(d + 1, d + 1);
    }
  }
  info = { maxDepth };
  infoCache.set(f, info);
  return info;
}

/** Path-dependent expectation of one tree's leaf value with no feature known (cover-weighted). */
function treeExpectation(f: FlatForest, spec: TreeOutputSpec, n: number, depth: number): number {
  if (f.feature[n]! < 0) return leafValue(f, spec, n, depth);
  const l = f.left[n]!;
  const r = f.right[n]!;
  return coverRatio(f.cover!, n, l) * treeExpectation(f, spec, l, depth + 1) + coverRatio(f.cover!, n, r) * treeExpectation(f, spec, r, depth + 1);
}

/** 1 on node n when a leaf below it (or n itself) has a non-zero value for the output; returns that flag. */
function markLive(f: FlatForest, spec: TreeOutputSpec, n: number, depth: number, live: Uint8Array): number {
  let v: number;
  if (f.feature[n]! < 0) v = leafValue(f, spec, n, depth) !== 0 ? 1 : 0;
  else v = markLive(f, spec, f.left[n]!, depth + 1, live) | markLive(f, spec, f.right[n]!, depth + 1, live);
  live[n] = v;
  return v;
}

/**
 * Base value and live-node mask of an output, computed once per forest and class. Shapley values
 * are linear in the leaf values, so a subtree whose leaves are all 0 for the output (a forest's
 * pure leaves of other classes) adds nothing and is skipped.
 */
function cachedOutput(f: FlatForest, spec: TreeOutputSpec, classIdx: number): { base: number; live: Uint8Array } {
  let m = outputCache.get(f);
  if (!m) {
    m = new Map();
    outputCache.set(f, m);
  }
  let c = m.get(classIdx);
  if (!c) {
    let base = spec.offset;
    const live = new Uint8Array(f.feature.length);
    for (let t = 0; t < f.nTrees; t++) {
      const s = spec.treeScale[t]!;
      if (s === 0) continue;
      base += s * treeExpectation(f, spec, f.treeRoot[t]!, 0);
      markLive(f, spec, f.treeRoot[t]!, 0, live);
    }
    c = { base, live };
    m.set(classIdx, c);
  }
  return c;
}

/** The explained output by walking the row down every tree (x <= threshold left, NaN right), float64. */
export function treeOutput(model: TrainedTreeModel, x: Float32Array, spec: TreeOutputSpec): number {
  const f = model.forest;
  let out = spec.offset;
  for (let t = 0; t < f.nTrees; t++) {
    const s = spec.treeScale[t]!;
    if (s === 0) continue;
    let n = f.treeRoot[t]!;
    let depth = 0;
    while (f.feature[n]! >= 0) {
      n = x[f.feature[n]!]! <= f.threshold[n]! ? f.left[n]! : f.right[n]!;
      depth++;
    }
    out += s * leafValue(f, spec, n, depth);
  }
  return out;
}

/** Scratch for the recursion (module level: one call runs to its end before the next starts). */
let pFeat = new Int32Array(0);
let pZero = new Float64Array(0);
let pOne = new Float64Array(0);
let pW = new Float64Array(0);
/** recip[k] = 1 / k: the unwinding loops multiply instead of divide (a division in their dependency chain doubles their time) */
let recip = new Float64Array(0);

function ensureScratch(maxDepth: number): void {
  const need = ((maxDepth + 2) * (maxDepth + 3)) / 2;
  if (pFeat.length >= need) return;
  pFeat = new Int32Array(need);
  pZero = new Float64Array(need);
  pOne = new Float64Array(need);
  pW = new Float64Array(need);
  recip = Float64Array.from({ length: maxDepth + 4 }, (_, k) => (k > 0 ? 1 / k : 0));
}

/**
 * Adds element (feature pi, zero fraction pz, one fraction po) to the path of `len` elements at
 * offset `o`, updating the permutation weights of every subset size (EXTEND).
 */
function extendPath(o: number, len: number, pz: number, po: number, pi: number): void {
  const w = pW;
  pFeat[o + len] = pi;
  pZero[o + len] = pz;
  pOne[o + len] = po;
  w[o + len] = len === 0 ? 1 : 0;
  const inv = 1 / (len + 1);
  for (let i = len - 1; i >= 0; i--) {
    const wi = w[o + i]!;
    w[o + i + 1]! += po * wi * (i + 1) * inv;
    w[o + i] = pz * wi * (len - i) * inv;
  }
}

/** Removes element k from the path of `len` elements at offset `o` (UNWIND); the path then holds len - 1. */
function unwindPath(o: number, len: number, k: number): void {
  const l = len - 1;
  const one = pOne[o + k]!;
  const zero = pZero[o + k]!;
  let next = pW[o + l]!;
  for (let j = l - 1; j >= 0; j--) {
    if (one !== 0) {
      const t = pW[o + j]!;
      pW[o + j] = (next * (l + 1)) / ((j + 1) * one);
      next = t - (pW[o + j]! * zero * (l - j)) / (l + 1);
    } else {
      pW[o + j] = (pW[o + j]! * (l + 1)) / (zero * (l - j));
    }
  }
  for (let j = k; j < l; j++) {
    pFeat[o + j] = pFeat[o + j + 1]!;
    pZero[o + j] = pZero[o + j + 1]!;
    pOne[o + j] = pOne[o + j + 1]!;
  }
}

/** Sum of the weights the path would have with element k unwound, without changing it. */
function unwoundSum(o: number, len: number, k: number): number {
  const pw = pW;
  const rc = recip;
  const l = len - 1;
  const one = pOne[o + k]!;
  const zero = pZero[o + k]!;
  let next = pw[o + l]!;
  let total = 0;
  if (one !== 0) {
    const a = (l + 1) / one;
    const b = zero / (l + 1);
    for (let j = l - 1; j >= 0; j--) {
      const w = next * a * rc[j + 1]!;
      total += w;
      next = pw[o + j]! - w * b * (l - j);
    }
  } else {
    const a = (l + 1) / zero;
    for (let j = l - 1; j >= 0; j--) total += pw[o + j]! * a * rc[l - j]!;
  }
  return total;
}

/** zero × unwoundSum of an element whose one fraction is 0 (the same for every such element). */
function coldUnwoundSum(o: number, len: number): number {
  const pw = pW;
  const rc = recip;
  const l = len - 1;
  let total = 0;
  for (let j = l - 1; j >= 0; j--) total += pw[o + j]! * rc[l - j]!;
  return total * (l + 1);
}

/**
 * One tree's contributions added into phi (times `scale`). `node` at tree depth `depth`; the
 * parent's path (parentLen elements) is at level depth - 1; pz/po/pi: the element this edge adds.
 */
function recurse(
  f: FlatForest,
  spec: TreeOutputSpec,
  live: Uint8Array,
  x: Float32Array,
  phi: Float64Array,
  scale: number,
  node: number,
  depth: number,
  parentLen: number,
  pz: number,
  po: number,
  pi: number,
): void {
  const o = (depth * (depth + 1)) / 2;
  if (depth > 0) {
    const po0 = ((depth - 1) * depth) / 2;
    for (let i = 0; i < parentLen; i++) {
      pFeat[o + i] = pFeat[po0 + i]!;
      pZero[o + i] = pZero[po0 + i]!;
      pOne[o + i] = pOne[po0 + i]!;
      pW[o + i] = pW[po0 + i]!;
    }
  }
  extendPath(o, parentLen, pz, po, pi);
  let len = parentLen + 1;
  const feat = f.feature[node]!;
  if (feat < 0) {
    const v = scale * leafValue(f, spec, node, depth);
    // element 0 is the root's placeholder. An element with one fraction 0 (the row goes the other
    // way) unwinds to (sum over j of w_j (l + 1) / (l - j)) / zero, so its contribution
    // (0 - zero) × that × v is the same -v × sum for all of them: computed once, not per element
    let coldSum = NaN;
    for (let i = 1; i < len; i++) {
      if (pOne[o + i] === 0) {
        if (coldSum !== coldSum) coldSum = coldUnwoundSum(o, len);
        phi[pFeat[o + i]!]! -= coldSum * v;
      } else {
        const w = unwoundSum(o, len, i);
        phi[pFeat[o + i]!]! += w * (pOne[o + i]! - pZero[o + i]!) * v;
      }
    }
    return;
  }
  const l = f.left[node]!;
  const r = f.right[node]!;
  const xv = x[feat]!;
  const goLeft = xv <= f.threshold[node]!; // NaN goes right, as in prediction
  const hot = goLeft ? l : r;
  const cold = goLeft ? r : l;
  let iz = 1;
  let io = 1;
  // a feature met again on the path: its earlier element is unwound and its fractions carried on
  for (let k = 1; k < len; k++) {
    if (pFeat[o + k] === feat) {
      iz = pZero[o + k]!;
      io = pOne[o + k]!;
      unwindPath(o, len, k);
      len--;
      break;
    }
  }
  const cover = f.cover!;
  const hz = iz * coverRatio(cover, node, hot);
  const cz = iz * coverRatio(cover, node, cold);
  // a branch no coalition can reach (no cover and not the row's way) adds nothing
  if (live[hot] && (hz !== 0 || io !== 0)) recurse(f, spec, live, x, phi, scale, hot, depth + 1, len, hz, io, feat);
  if (live[cold] && cz !== 0) recurse(f, spec, live, x, phi, scale, cold, depth + 1, len, cz, 0, feat);
}

/**
 * Shapley values of one preprocessed row for output `classIdx`. x: one row (nFeatures), the
 * model's input space. base + sum(values) = output (to rounding), and output is what the model's
 * own prediction gives for the row in the explained space (see the file comment).
 */
export function treeShap(model: TrainedTreeModel, x: Float32Array, classIdx: number): TreeShapResult {
  const f = model.forest;
  if (x.length < f.nFeatures) throw new RangeError(`the model expects ${f.nFeatures} features, the row has ${x.length}`);
  const spec = outputSpec(model, classIdx);
  const { maxDepth } = infoOf(f);
  ensureScratch(maxDepth);
  const { base, live } = cachedOutput(f, spec, classIdx);
  const phi = new Float64Array(f.nFeatures);
  for (let t = 0; t < f.nTrees; t++) {
    const s = spec.treeScale[t]!;
    const root = f.treeRoot[t]!;
    if (s === 0 || !live[root]) continue;
    recurse(f, spec, live, x, phi, s, root, 0, 0, 1, 1, -1);
  }
  return { base, values: phi, output: treeOutput(model, x, spec), outputName: spec.outputName };
}
