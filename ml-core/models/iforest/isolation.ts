/**
 * Isolation Forest (Liu, Ting & Zhou, ICDM 2008), as scikit-learn's IsolationForest builds it:
 * each tree grows on a subsample drawn without replacement, splits on one random non-constant
 * feature at a random threshold uniform in the node's [min, max), down to depth
 * ceil(log2(subsample size)). A leaf stores c(size), the average path length of an unsuccessful
 * search in a binary search tree of that many points, so path length = depth + leaf value and
 * score = 2^(-mean path length / c(subsample size)) (./flat/predict.ts, aggregate 'isolation').
 *
 * Tree t draws from `new Rng(seed, t)` only, so parts fitted in different workers combine into
 * the same forest as one fit.
 */
import { Rng } from '../../rng.js';
import { forestRaw } from '../flat/predict.js';
import { toRowMajor } from '../matrix.js';
import { FitCancelled, type ColMatrix, type FitControl, type FlatForest, type TrainedTreeModel } from '../types.js';

/** Values closer than this count as equal (scikit-learn's FEATURE_THRESHOLD). */
const FEATURE_THRESHOLD = 1e-7;

export interface IsolationParams {
  nTrees: number;
  /** subsample per tree: 'auto' = min(256, n); an integer >= 2 = that many rows; a fraction in (0, 1) of the rows */
  maxSamples: number | 'auto';
  /** features per tree: a fraction in (0, 1] of nFeatures (1 = all, scikit-learn's default) */
  maxFeatures: number;
  seed: number;
  /**
   * 'auto': decision threshold 0.5 on the score (scikit-learn's offset -0.5); a fraction in
   * (0, 0.5]: the threshold is the (1 - contamination) quantile of the training scores
   */
  contamination: 'auto' | number;
}

export const ISOLATION_DEFAULTS: Readonly<IsolationParams> = {
  nTrees: 100,
  maxSamples: 'auto',
  maxFeatures: 1,
  seed: 42,
  contamination: 'auto',
};

export function resolveIsolationParams(partial: Partial<IsolationParams> = {}): IsolationParams {
  const p: IsolationParams = { ...ISOLATION_DEFAULTS };
  for (const [k, v] of Object.entries(partial)) if (v !== undefined) (p as unknown as Record<string, unknown>)[k] = v;
  const bad = (msg: string): never => {
    throw new RangeError(msg);
  };
  if (!(Number.isInteger(p.nTrees) && p.nTrees >= 1)) bad(`nTrees must be an integer >= 1, got ${p.nTrees}`);
  const ms = p.maxSamples;
  if (!(ms === 'auto' || (typeof ms === 'number' && ((ms > 0 && ms < 1) || (Number.isInteger(ms) && ms >= 2))))) {
    bad(`maxSamples must be 'auto', an integer >= 2 or a fraction in (0, 1), got ${String(ms)}`);
  }
  if (!(p.maxFeatures > 0 && p.maxFeatures <= 1)) bad(`maxFeatures must be a fraction in (0, 1], got ${p.maxFeatures}`);
  if (!Number.isInteger(p.seed)) bad(`seed must be an integer, got ${p.seed}`);
  const c = p.contamination;
  if (!(c === 'auto' || (typeof c === 'number' && c > 0 && c <= 0.5))) bad(`contamination must be 'auto' or a fraction in (0, 0.5], got ${String(c)}`);
  return p;
}

/** c(n): average path length of an unsuccessful BST search among n points (scikit-learn's _average_path_length). */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + 0.5772156649015329) - (2 * (n - 1)) / n;
}

/** Subsample size for n training rows. */
export function isolationSubsample(maxSamples: number | 'auto', n: number): number {
  let m: number;
  if (maxSamples === 'auto') m = Math.min(256, n);
  else if (maxSamples < 1) m = Math.floor(maxSamples * n);
  else m = Math.min(maxSamples, n);
  return Math.max(Math.min(2, n), m);
}

/** One isolation tree, nodes in depth-first preorder (left child = node + 1); nodeSamples = training rows in the node. */
export interface IsolationTree {
  nNodes: number;
  feature: Int32Array;
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  nodeSamples: Int32Array;
}

/** Trees [start, start + count) of an isolation forest. */
export interface IsolationPart {
  params: IsolationParams;
  nFeatures: number;
  /** training rows the forest is fitted on (rows.length, or nSamples) */
  nRows: number;
  subsample: number;
  start: number;
  count: number;
  trees: IsolationTree[];
}

/** Grows one isolation tree on X's rows idx[0..n) (idx is reordered). */
function growTree(X: ColMatrix, idx: Int32Array, n: number, features: Int32Array, maxDepth: number, rng: Rng): IsolationTree {
  const cap = 2 * n;
  const feature = new Int32Array(cap);
  const threshold = new Float32Array(cap);
  const left = new Int32Array(cap);
  const right = new Int32Array(cap);
  const nodeSamples = new Int32Array(cap);
  const nF = features.length;
  const feats = Int32Array.from(features);
  const constFeats = new Int32Array(nF);
  const xs = new Float32Array(n);
  // stack entries: start, end, depth, parent, isLeft, nConstant
  const stack: number[] = [0, n, 0, -1, 0, 0];
  let nNodes = 0;
  const { data, nSamples } = X;
  while (stack.length) {
    const nConst = stack.pop()!;
    const isLeft = stack.pop()!;
    const parent = stack.pop()!;
    const depth = stack.pop()!;
    const end = stack.pop()!;
    const start = stack.pop()!;
    const node = nNodes++;
    if (parent >= 0) {
      if (isLeft) left[parent] = node;
      else right[parent] = node;
    }
    nodeSamples[node] = end - start;
    feature[node] = -1;
    left[node] = -1;
    right[node] = -1;
    if (end - start < 2 || depth >= maxDepth) continue;

    // scikit-learn RandomSplitter with max_features = 1: draw until one non-constant feature is found
    let fI = nF;
    let nDrawnConst = 0;
    let nFoundConst = 0;
    let nTotalConst = nConst;
    let nVisited = 0;
    let bestF = -1;
    let thr = 0;
    while (fI > nTotalConst && (nVisited < 1 || nVisited <= nFoundConst + nDrawnConst)) {
      nVisited++;
      let fJ = nDrawnConst + rng.int(fI - nFoundConst - nDrawnConst);
      if (fJ < nConst) {
        const t = feats[nDrawnConst]!;
        feats[nDrawnConst] = feats[fJ]!;
        feats[fJ] = t;
        nDrawnConst++;
        continue;
      }
      fJ += nFoundConst;
      const f = feats[fJ]!;
      const off = f * nSamples;
      let mn = Infinity;
      let mx = -Infinity;
      for (let i = start; i < end; i++) {
        const v = data[off + idx[i]!]!;
        xs[i] = v;
        if (v < mn) mn = v;
        if (v > mx) mx = v;
      }
      if (!(mx > mn + FEATURE_THRESHOLD)) {
        feats[fJ] = feats[nTotalConst]!;
        feats[nTotalConst] = f;
        nFoundConst++;
        nTotalConst++;
        continue;
      }
      fI--;
      feats[fJ] = feats[fI]!;
      feats[fI] = f;
      thr = Math.fround(mn + (mx - mn) * rng.next());
      if (thr >= mx) thr = mn;
      bestF = f;
      break;
    }
    for (let i = 0; i < nConst; i++) feats[i] = constFeats[i]!;
    for (let i = 0; i < nFoundConst; i++) constFeats[nConst + i] = feats[nConst + i]!;
    if (bestF < 0) continue;
    // partition idx[start, end) by xs <= thr (xs holds bestF's values: the loop stopped right after gathering it)
    let p = start;
    let e = end;
    while (p < e) {
      if (xs[p]! <= thr) p++;
      else {
        e--;
        const ti = idx[p]!;
        idx[p] = idx[e]!;
        idx[e] = ti;
        const tx = xs[p]!;
        xs[p] = xs[e]!;
        xs[e] = tx;
      }
    }
    feature[node] = bestF;
    threshold[node] = thr;
    stack.push(p, end, depth + 1, node, 0, nTotalConst);
    stack.push(start, p, depth + 1, node, 1, nTotalConst);
  }
  return {
    nNodes,
    feature: feature.slice(0, nNodes),
    threshold: threshold.slice(0, nNodes),
    left: left.slice(0, nNodes),
    right: right.slice(0, nNodes),
    nodeSamples: nodeSamples.slice(0, nNodes),
  };
}

/** Fits trees [trees.start, trees.start + trees.count) on X's rows `rows` (null = all rows). */
export function fitIsolationPart(
  X: ColMatrix,
  rows: Int32Array | null,
  paramsIn: Partial<IsolationParams>,
  trees: { start: number; count: number },
  control?: FitControl,
): IsolationPart {
  const params = resolveIsolationParams(paramsIn);
  const nRows = rows ? rows.length : X.nSamples;
  if (nRows < 2) throw new RangeError(`an isolation forest needs at least 2 training rows, got ${nRows}`);
  if (X.data.length < X.nSamples * X.nFeatures) throw new RangeError(`X holds ${X.data.length} values, expected ${X.nSamples} × ${X.nFeatures}`);
  if (rows) for (let i = 0; i < rows.length; i++) if (!(rows[i]! >= 0 && rows[i]! < X.nSamples)) throw new RangeError(`row ${rows[i]} is outside 0..${X.nSamples - 1}`);
  const { start, count } = trees;
  if (!(Number.isInteger(start) && Number.isInteger(count) && start >= 0 && count >= 0 && start + count <= params.nTrees)) {
    throw new RangeError(`trees [${start}, ${start + count}) are not inside 0..${params.nTrees}`);
  }
  const m = isolationSubsample(params.maxSamples, nRows);
  const maxDepth = Math.ceil(Math.log2(Math.max(m, 2)));
  const nFeatTree = Math.max(1, Math.floor(params.maxFeatures * X.nFeatures));
  const pool = new Int32Array(Math.max(nRows, X.nFeatures));
  const out: IsolationTree[] = [];
  for (let j = 0; j < count; j++) {
    if (control?.isCancelled?.()) throw new FitCancelled();
    const t = start + j;
    const rng = new Rng(params.seed, t);
    // subsample without replacement (partial Fisher-Yates over row positions)
    const pick = rng.sample(nRows, m, pool);
    const idx = new Int32Array(m);
    for (let i = 0; i < m; i++) idx[i] = rows ? rows[pick[i]!]! : pick[i]!;
    const features =
      nFeatTree >= X.nFeatures ? Int32Array.from({ length: X.nFeatures }, (_, f) => f) : rng.sample(X.nFeatures, nFeatTree, pool).sort();
    out.push(growTree(X, idx, m, features, maxDepth, rng));
    control?.onProgress?.({ phase: 'trees', current: j + 1, total: count });
  }
  return { params, nFeatures: X.nFeatures, nRows, subsample: m, start, count, trees: out };
}

/**
 * Joins parts holding trees 0..nTrees-1 into a model. The 'auto' contamination gives threshold
 * 0.5; a numeric contamination needs the training data (`X`, `rows`) to place the threshold at
 * the (1 - contamination) quantile of the training scores.
 */
export function combineIsolationParts(parts: IsolationPart[], X?: ColMatrix, rows?: Int32Array | null): TrainedTreeModel {
  if (parts.length === 0) throw new RangeError('no isolation-forest parts to combine');
  const sorted = [...parts].sort((a, b) => a.start - b.start);
  const { params, nFeatures, subsample } = sorted[0]!;
  let next = 0;
  const paramsKey = JSON.stringify(params);
  for (const p of sorted) {
    if (p.nFeatures !== nFeatures || p.subsample !== subsample || p.nRows !== sorted[0]!.nRows || JSON.stringify(p.params) !== paramsKey) {
      throw new RangeError('isolation-forest parts come from different training sets or parameters');
    }
    if (p.start !== next) throw new RangeError(`isolation-forest parts leave trees ${next}..${p.start - 1} missing or overlap at ${p.start}`);
    next = p.start + p.count;
  }
  if (next !== params.nTrees) throw new RangeError(`isolation-forest parts hold ${next} of ${params.nTrees} trees`);
  const trees = sorted.flatMap((p) => p.trees);
  let nNodes = 0;
  for (const t of trees) nNodes += t.nNodes;
  const feature = new Int32Array(nNodes);
  const threshold = new Float32Array(nNodes);
  const left = new Int32Array(nNodes);
  const right = new Int32Array(nNodes);
  const value = new Float32Array(nNodes);
  const cover = new Float32Array(nNodes);
  const treeRoot = new Int32Array(trees.length);
  const importance = new Float64Array(nFeatures);
  let off = 0;
  trees.forEach((t, ti) => {
    treeRoot[ti] = off;
    feature.set(t.feature, off);
    threshold.set(t.threshold, off);
    for (let i = 0; i < t.nNodes; i++) {
      const l = t.left[i]!;
      const r = t.right[i]!;
      left[off + i] = l < 0 ? -1 : l + off;
      right[off + i] = r < 0 ? -1 : r + off;
      value[off + i] = averagePathLength(t.nodeSamples[i]!);
      cover[off + i] = t.nodeSamples[i]!;
      if (t.feature[i]! >= 0) importance[t.feature[i]!]! += t.nodeSamples[i]!;
    }
    off += t.nNodes;
  });
  let sum = 0;
  for (let f = 0; f < nFeatures; f++) sum += importance[f]!;
  if (sum > 0) for (let f = 0; f < nFeatures; f++) importance[f]! /= sum;

  const forest: FlatForest = {
    nFeatures,
    nOutputs: 1,
    nResults: 1,
    nTrees: trees.length,
    treeRoot,
    treeResult: null,
    feature,
    threshold,
    left,
    right,
    value,
    aggregate: 'isolation',
    base: Float32Array.of(averagePathLength(subsample)),
    cover,
  };
  const model: TrainedTreeModel = {
    kind: 'isolation-forest',
    params: { ...params, subsample },
    nFeatures,
    nClasses: 2,
    forest,
    link: 'anomaly',
    threshold: 0.5,
    featureImportance: importance,
  };
  if (params.contamination !== 'auto') {
    if (!X) throw new RangeError('a numeric contamination needs the training rows to place the threshold');
    const scores = forestRaw(forest, toRowMajor(X, rows ?? undefined));
    model.threshold = quantile(scores, 1 - params.contamination);
  }
  return model;
}

/** Linear-interpolation quantile (numpy's default) of the values. */
function quantile(values: Float32Array, q: number): number {
  const s = Float64Array.from(values).sort();
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/**
 * Fits an isolation forest on X's rows `rows` (null = all; the caller passes the benign rows).
 * Anomaly score in (0, 1) via predict: attackScore / forestRaw; class 1 (anomaly) when score >= threshold.
 */
export function fitIsolationForest(X: ColMatrix, rows: Int32Array | null, params: Partial<IsolationParams> = {}, control?: FitControl): TrainedTreeModel {
  const resolved = resolveIsolationParams(params);
  const part = fitIsolationPart(X, rows, resolved, { start: 0, count: resolved.nTrees }, control);
  return combineIsolationParts([part], X, rows);
}

/** Sets the anomaly decision threshold (score >= threshold → anomaly) of an anomaly model; returns the model. */
export function setAnomalyThreshold(model: TrainedTreeModel, threshold: number): TrainedTreeModel {
  if (model.link !== 'anomaly') throw new RangeError(`only anomaly models have a score threshold; this is a '${model.link}' model`);
  if (!Number.isFinite(threshold)) throw new RangeError(`the threshold must be a finite number, got ${threshold}`);
  model.threshold = threshold;
  return model;
}
