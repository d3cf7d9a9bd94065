/**
 * Random forest and extra-trees classifiers. Tree t always draws from `new Rng(seed, t)` (its
 * bootstrap, feature draws and thresholds), so a forest is the same however its trees are split
 * into parts (worker threads): fit parts with fitForestPart, join them with combineForestParts.
 * The training matrix is only read, never copied or written, so it may sit on a SharedArrayBuffer.
 */
import { Rng } from '../../rng.js';
import { FitCancelled, type FitControl, type FlatForest, type TrainSet, type TrainedTreeModel } from '../types.js';
import { featuresPerNode, resolveForestParams, type ForestKind, type ForestParams } from './params.js';
import { TreeBuilder, treeLeaf, type TrainedTree } from './tree-builder.js';

/** Out-of-bag probabilities are summed in fixed point (× 2^32) so the sums are exact and any grouping of trees gives the same result. */
const OOB_SCALE = 4294967296;

/** Trees [start, start + count) of a forest, as fitted by one worker. Plain typed arrays: structured-clone friendly. */
export interface ForestPart {
  params: ForestParams;
  nSamples: number;
  nFeatures: number;
  nClasses: number;
  start: number;
  count: number;
  trees: TrainedTree[];
  /** bootstrap only: nSamples × nClasses out-of-bag probability sums in fixed point (× 2^32); else null */
  oobSum: Float64Array | null;
  /** bootstrap only: number of trees for which each sample was out of bag; else null */
  oobCount: Int32Array | null;
}

export type ForestParamsInput = Partial<ForestParams> & { kind: ForestKind };

function checkTrainSet(train: TrainSet): void {
  const { X, y, nClasses } = train;
  if (!(nClasses >= 1)) throw new RangeError(`nClasses must be >= 1, got ${nClasses}`);
  if (X.data.length < X.nSamples * X.nFeatures) throw new RangeError(`X holds ${X.data.length} values, expected ${X.nSamples} × ${X.nFeatures}`);
  if (y.length !== X.nSamples) throw new RangeError(`y has ${y.length} labels for ${X.nSamples} samples`);
  if (X.nSamples === 0) throw new RangeError('the training set is empty');
  if (train.sampleWeight) {
    const w = train.sampleWeight;
    if (w.length !== X.nSamples) throw new RangeError(`sampleWeight has ${w.length} entries for ${X.nSamples} samples`);
    for (let i = 0; i < w.length; i++) {
      if (!(w[i]! >= 0 && w[i]! < Infinity)) throw new RangeError(`sample weight ${w[i]} at row ${i} is not a finite number >= 0`);
    }
  }
  for (let i = 0; i < y.length; i++) {
    const c = y[i]!;
    if (!(c >= 0 && c < nClasses)) throw new RangeError(`class index ${c} at row ${i} is outside 0..${nClasses - 1}`);
  }
}

/** scikit-learn 'balanced' class weights n / (nPresent × count_c) from (weighted by multiplicity) class counts. */
function balancedWeights(counts: Float64Array): Float64Array {
  let total = 0;
  let present = 0;
  for (let c = 0; c < counts.length; c++) {
    total += counts[c]!;
    if (counts[c]! > 0) present++;
  }
  const w = new Float64Array(counts.length);
  for (let c = 0; c < counts.length; c++) w[c] = counts[c]! > 0 ? total / (present * counts[c]!) : 0;
  return w;
}

/** Fits trees [trees.start, trees.start + trees.count) of the forest described by `params`. */
export function fitForestPart(
  train: TrainSet,
  paramsIn: ForestParamsInput,
  trees: { start: number; count: number },
  control?: FitControl,
): ForestPart {
  const params = resolveForestParams(paramsIn.kind, paramsIn);
  checkTrainSet(train);
  const { X, y, nClasses } = train;
  const n = X.nSamples;
  const { start, count } = trees;
  if (!(Number.isInteger(start) && Number.isInteger(count) && start >= 0 && count >= 0 && start + count <= params.nTrees)) {
    throw new RangeError(`trees [${start}, ${start + count}) are not inside 0..${params.nTrees}`);
  }

  // base weight per sample: sampleWeight × class weight ('balanced'); null = all ones
  let base: Float64Array | null = null;
  if (train.sampleWeight) {
    base = new Float64Array(n);
    for (let i = 0; i < n; i++) base[i] = train.sampleWeight[i]!;
  }
  const perTreeBalance = params.classWeight === 'balanced-subsample' && params.bootstrap;
  if (params.classWeight === 'balanced' || (params.classWeight === 'balanced-subsample' && !params.bootstrap)) {
    const counts = new Float64Array(nClasses);
    for (let i = 0; i < n; i++) counts[y[i]!]! += 1;
    const cw = balancedWeights(counts);
    if (!base) base = new Float64Array(n).fill(1);
    for (let i = 0; i < n; i++) base[i]! *= cw[y[i]!]!;
  }

  const builder = new TreeBuilder(X, y, {
    splitter: params.kind === 'extra-trees' ? 'random' : 'best',
    criterion: params.criterion,
    maxFeatures: featuresPerNode(params.maxFeatures, X.nFeatures),
    maxDepth: params.maxDepth,
    minSamplesSplit: params.minSamplesSplit,
    minSamplesLeaf: params.minSamplesLeaf,
    nClasses,
  });

  const oobSum = params.bootstrap ? new Float64Array(n * nClasses) : null;
  const oobCount = params.bootstrap ? new Int32Array(n) : null;
  const nBoot = Math.max(1, Math.round(params.maxSamples * n));
  const bootCounts = params.bootstrap ? new Int32Array(n) : null;
  const weights = params.bootstrap || base ? new Float64Array(n) : null;
  const rowsAll = new Int32Array(n);
  const out: TrainedTree[] = [];

  for (let j = 0; j < count; j++) {
    if (control?.isCancelled?.()) throw new FitCancelled();
    const t = start + j;
    const rng = new Rng(params.seed, t);
    let nRows = 0;
    if (bootCounts && weights) {
      bootCounts.fill(0);
      for (let d = 0; d < nBoot; d++) bootCounts[rng.int(n)]!++;
      let cw: Float64Array | null = null;
      if (perTreeBalance) {
        const counts = new Float64Array(nClasses);
        for (let i = 0; i < n; i++) counts[y[i]!]! += bootCounts[i]!;
        cw = balancedWeights(counts);
      }
      for (let i = 0; i < n; i++) {
        let w = bootCounts[i]!;
        if (w === 0) continue;
        let wi = base ? w * base[i]! : w;
        if (cw) wi *= cw[y[i]!]!;
        weights[i] = wi;
        if (wi > 0) rowsAll[nRows++] = i;
      }
    } else if (base && weights) {
      for (let i = 0; i < n; i++) {
        weights[i] = base[i]!;
        if (base[i]! > 0) rowsAll[nRows++] = i;
      }
    } else {
      for (let i = 0; i < n; i++) rowsAll[i] = i;
      nRows = n;
    }
    if (nRows === 0) throw new RangeError('no training sample has a positive weight');
    const tree = builder.build(rowsAll.subarray(0, nRows), weights, rng);
    out.push(tree);

    if (bootCounts && oobSum && oobCount) {
      for (let i = 0; i < n; i++) {
        if (bootCounts[i]! !== 0) continue;
        const leaf = treeLeaf(tree, X, i);
        oobCount[i]!++;
        const vo = leaf * nClasses;
        const so = i * nClasses;
        for (let c = 0; c < nClasses; c++) oobSum[so + c]! += Math.round(tree.value[vo + c]! * OOB_SCALE);
      }
    }
    control?.onProgress?.({ phase: 'trees', current: j + 1, total: count });
  }
  return { params, nSamples: n, nFeatures: X.nFeatures, nClasses, start, count, trees: out, oobSum, oobCount };
}

/**
 * Joins parts that together hold trees 0..nTrees-1 (any order, no gaps or overlaps) into one
 * model. `y` (the training labels) is needed only for the out-of-bag score.
 */
export function combineForestParts(parts: ForestPart[], y?: Int32Array): TrainedTreeModel {
  if (parts.length === 0) throw new RangeError('no forest parts to combine');
  const sorted = [...parts].sort((a, b) => a.start - b.start);
  const first = sorted[0]!;
  const { params, nFeatures, nClasses, nSamples } = first;
  let next = 0;
  const paramsKey = JSON.stringify(params);
  for (const p of sorted) {
    if (p.nFeatures !== nFeatures || p.nClasses !== nClasses || p.nSamples !== nSamples || JSON.stringify(p.params) !== paramsKey) {
      throw new RangeError('forest parts come from different training sets or parameters');
    }
    if (p.start !== next) throw new RangeError(`forest parts leave trees ${next}..${p.start - 1} missing or overlap at ${p.start}`);
    next = p.start + p.count;
  }
  if (next !== params.nTrees) throw new RangeError(`forest parts hold ${next} of ${params.nTrees} trees`);

  const trees = sorted.flatMap((p) => p.trees);
  const nTrees = trees.length;
  let nNodes = 0;
  for (const t of trees) nNodes += t.nNodes;
  const feature = new Int32Array(nNodes);
  const threshold = new Float32Array(nNodes);
  const left = new Int32Array(nNodes);
  const right = new Int32Array(nNodes);
  const value = new Float32Array(nNodes * nClasses);
  const cover = new Float32Array(nNodes);
  const treeRoot = new Int32Array(nTrees);
  const importance = new Float64Array(nFeatures);
  let nonTrivial = 0;
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
    }
    value.set(t.value, off * nClasses);
    cover.set(t.cover, off);
    if (t.nNodes > 1) {
      nonTrivial++;
      for (let f = 0; f < nFeatures; f++) importance[f]! += t.importance[f]!;
    }
    off += t.nNodes;
  });
  let sum = 0;
  for (let f = 0; f < nFeatures; f++) sum += importance[f]!;
  if (nonTrivial > 0 && sum > 0) for (let f = 0; f < nFeatures; f++) importance[f]! /= sum;
  else importance.fill(0);

  const forest: FlatForest = {
    nFeatures,
    nOutputs: nClasses,
    nResults: nClasses,
    nTrees,
    treeRoot,
    treeResult: null,
    feature,
    threshold,
    left,
    right,
    value,
    aggregate: 'mean',
    base: new Float32Array(0),
    cover,
  };

  let oobScore: number | undefined;
  if (params.bootstrap && y) {
    if (y.length !== nSamples) throw new RangeError(`y has ${y.length} labels, the forest was fitted on ${nSamples}`);
    const total = new Float64Array(nSamples * nClasses);
    const votes = new Int32Array(nSamples);
    for (const p of sorted) {
      if (!p.oobSum || !p.oobCount) continue;
      for (let i = 0; i < total.length; i++) total[i]! += p.oobSum[i]!;
      for (let i = 0; i < nSamples; i++) votes[i]! += p.oobCount[i]!;
    }
    let seen = 0;
    let right_ = 0;
    for (let i = 0; i < nSamples; i++) {
      if (votes[i] === 0) continue;
      seen++;
      const o = i * nClasses;
      let best = 0;
      for (let c = 1; c < nClasses; c++) if (total[o + c]! > total[o + best]!) best = c;
      if (best === y[i]) right_++;
    }
    if (seen > 0) oobScore = right_ / seen;
  }

  const model: TrainedTreeModel = {
    kind: params.kind,
    params: { ...params },
    nFeatures,
    nClasses,
    forest,
    link: 'identity',
    featureImportance: importance,
  };
  if (oobScore !== undefined) model.oobScore = oobScore;
  return model;
}

/** Fits the whole forest in this thread (one part holding every tree). */
export function fitForest(train: TrainSet, params: ForestParamsInput, control?: FitControl): TrainedTreeModel {
  const resolved = resolveForestParams(params.kind, params);
  const part = fitForestPart(train, resolved, { start: 0, count: resolved.nTrees }, control);
  return combineForestParts([part], train.y);
}

/**
 * Fits a small forest of `kind` on synthetic data (continuous, few-valued and two-valued
 * features, several classes) and throws it away: a fresh worker thread runs this while the job
 * still loads its data, so the tree kernels are compiled before the timed fit starts. It stops
 * between trees once `stop()` says the real fit is waiting. Measured: two fresh threads fitting 50
 * extra-trees each on the CICIDS2017 sample took 0.45 s cold and 0.36 s after this (about 60 ms,
 * spent while the data loads).
 */
export function warmUpForest(kind: ForestKind, stop: () => boolean = () => false, seed = 1): void {
  const n = 2000;
  const nFeatures = 12;
  const nClasses = 4;
  const nTrees = 6;
  const rng = new Rng(seed, 0);
  const data = new Float32Array(n * nFeatures);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = rng.int(nClasses);
  for (let f = 0; f < nFeatures; f++) {
    const off = f * n;
    for (let i = 0; i < n; i++) {
      const c = y[i]!;
      if (f % 3 === 0) data[off + i] = +(rng.next() < 0.2 + 0.15 * c);
      else if (f % 3 === 1) data[off + i] = rng.int(5) + (c & 1);
      else data[off + i] = rng.next() * 10 + c * (f % 2);
    }
  }
  try {
    fitForestPart({ X: { data, nSamples: n, nFeatures }, y, nClasses }, { kind, seed, nTrees }, { start: 0, count: nTrees }, { isCancelled: stop });
  } catch (err) {
    if (!(err instanceof FitCancelled)) throw err;
  }
}
