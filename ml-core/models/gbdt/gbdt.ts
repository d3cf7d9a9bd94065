/**
 * Histogram gradient-boosting classifier (LightGBM / XGBoost-hist style).
 *
 * fitGbdt bins the training features once (../hist/binning.ts), then each round computes the
 * gradients of the loss at the current raw scores and grows one tree per result slot (binary: one
 * tree, sigmoid link; K classes: K trees, softmax link) with ./tree.ts. With a validation set it
 * tracks the validation log loss, stops after `earlyStoppingRounds` rounds without improvement and
 * keeps the trees of the best round. The result is a TrainedTreeModel around a 'sum' FlatForest
 * whose thresholds are real feature values (x <= threshold goes left, NaN right).
 */
import { Rng } from '../../rng.js';
import { binColumns, fitBins, splittableFeatures, thresholdOf, type BinMapper } from '../hist/binning.js';
import { makeHistData, makeHistLayout } from '../hist/histogram.js';
import { FitCancelled, type FitControl, type FlatForest, type TrainedTreeModel, type TrainSet } from '../types.js';
import { logisticGradients, logisticLossMean, softmaxGradients, softmaxLossMean, softmaxScratch } from './loss.js';
import { resolveGbdtParams, type GbdtParams } from './params.js';
import { buildTree, leafOf, TreeScratch, type GrownTree, type TreeData, type TreeParams } from './tree.js';

/** Seed streams: row draws use `round`, feature draws `COLS_STREAM + tree index`. */
const COLS_STREAM = 0x40000000;

export function fitGbdt(train: TrainSet, valid: TrainSet | null, params: Partial<GbdtParams> = {}, control: FitControl = {}): TrainedTreeModel {
  const p = resolveGbdtParams(params);
  checkTrainSet(train, 'training');
  if (valid) {
    checkTrainSet(valid, 'validation');
    if (valid.X.nFeatures !== train.X.nFeatures) throw new Error(`validation set has ${valid.X.nFeatures} features, training set ${train.X.nFeatures}`);
    if (valid.nClasses !== train.nClasses) throw new Error(`validation set has ${valid.nClasses} classes, training set ${train.nClasses}`);
  }
  const { nSamples, nFeatures } = train.X;
  const K = train.nClasses;
  const R = K === 2 ? 1 : K; // result slots = trees per round
  const y = train.y;

  control.onProgress?.({ phase: 'binning', current: 0, total: 1 });
  const fitted = fitBins(train.X, { maxBins: p.maxBins, seed: p.seed });
  const mapper = fitted.mapper;
  const features = splittableFeatures(mapper); // colIdx -> featureIdx
  // row counts in the histograms only when a count limit needs them
  const layout = makeHistLayout(Int32Array.from(features, (f) => mapper.nBins[f]!), p.minSamplesLeaf > 1 || p.minChildWeight <= 0 ? 3 : 2);
  const binned = new Uint8Array(nSamples * features.length); // binned[colIdx * nSamples + sampleIdx]
  features.forEach((f, c) => binned.set(fitted.binned!.subarray(f * nSamples, (f + 1) * nSamples), c * nSamples));
  const data: TreeData = { nSamples, binned, hist: makeHistData(binned, nSamples, layout) };
  const vbinned = valid ? binColumns(mapper, valid.X, features) : null;
  control.onProgress?.({ phase: 'binning', current: 1, total: 1 });

  const weight = train.sampleWeight ? Float64Array.from(train.sampleWeight) : null;
  const vweight = valid?.sampleWeight ? Float64Array.from(valid.sampleWeight) : null;
  const base = baseScores(y, K, weight);

  const raw = new Float64Array(R * nSamples); // raw[slot * nSamples + sampleIdx]
  for (let k = 0; k < R; k++) raw.fill(base[k]!, k * nSamples, (k + 1) * nSamples);
  const nValid = valid ? valid.X.nSamples : 0;
  const vraw = new Float64Array(R * nValid); // vraw[slot * nValid + sampleIdx]
  for (let k = 0; k < R; k++) vraw.fill(base[k]!, k * nValid, (k + 1) * nValid);

  const grad = new Float64Array(R * nSamples); // grad[slot * nSamples + sampleIdx]
  const hess = new Float64Array(R * nSamples);
  const sm = R > 1 ? softmaxScratch(nSamples) : null;
  const vsm = R > 1 && valid ? softmaxScratch(nValid) : null;
  const gradients = (): number =>
    R === 1 ? logisticGradients(raw, y, weight, grad, hess) : softmaxGradients(raw, y, K, weight, grad, hess, sm!);
  const validLoss = (): number => (R === 1 ? logisticLossMean(vraw, valid!.y, vweight) : softmaxLossMean(vraw, valid!.y, K, vweight, vsm!));

  const treeParams: TreeParams = {
    lambda: p.lambda,
    gamma: p.gamma,
    minChildWeight: p.minChildWeight,
    minSamplesLeaf: p.minSamplesLeaf,
    learningRate: p.learningRate,
    maxDeltaStep: p.maxDeltaStep,
    maxLeaves: p.maxLeaves,
    maxDepth: p.maxDepth,
    growth: p.growth,
  };
  const scratch = new TreeScratch(layout, nSamples);
  const roundRows = new Int32Array(nSamples);
  const treeRows = new Int32Array(nSamples);
  const inTree = new Uint8Array(nSamples);
  const nCols = layout.nCols;
  const nColsPerTree = Math.max(1, Math.round(p.colsample * nCols));

  const trees: GrownTree[] = [];
  const history: Array<{ round: number; train: number; valid?: number }> = [];
  let bestRound = -1;
  let bestLoss = Infinity;
  let trainLoss = gradients();

  for (let round = 0; round < p.maxRounds; round++) {
    if (control.isCancelled?.()) throw new FitCancelled();
    // rows of this round (Bernoulli draw, ascending)
    let nRound = 0;
    if (p.subsample < 1) {
      const rng = new Rng(p.seed, round);
      for (let i = 0; i < nSamples; i++) if (rng.next() < p.subsample) roundRows[nRound++] = i;
      if (nRound === 0) roundRows[nRound++] = rng.int(nSamples);
    } else {
      for (let i = 0; i < nSamples; i++) roundRows[i] = i;
      nRound = nSamples;
    }
    let anySplit = false;
    for (let slot = 0; slot < R; slot++) {
      if (slot > 0 && control.isCancelled?.()) throw new FitCancelled();
      const treeIdx = round * R + slot;
      const g = grad.subarray(slot * nSamples, (slot + 1) * nSamples);
      const h = hess.subarray(slot * nSamples, (slot + 1) * nSamples);
      let cols: Int32Array | null = null;
      if (nColsPerTree < nCols) cols = new Rng(p.seed, COLS_STREAM + treeIdx).sample(nCols, nColsPerTree).sort();
      let nRows = 0;
      if (p.minRowHessian > 0) {
        for (let i = 0; i < nRound; i++) {
          const r = roundRows[i]!;
          if (h[r]! >= p.minRowHessian) treeRows[nRows++] = r;
        }
      } else {
        treeRows.set(roundRows.subarray(0, nRound));
        nRows = nRound;
      }
      const tree = buildTree(data, g, h, treeRows, nRows, cols, treeParams, scratch);
      trees.push(tree);
      if (tree.nNodes > 1) anySplit = true;
      applyTree(tree, treeRows, nRows, raw.subarray(slot * nSamples, (slot + 1) * nSamples), inTree, binned);
      if (vbinned) {
        const v = vraw.subarray(slot * nValid, (slot + 1) * nValid);
        for (let i = 0; i < nValid; i++) v[i] += tree.value[leafOf(tree, vbinned, nValid, i)]!;
      }
    }
    trainLoss = gradients(); // loss after this round, and the next round's gradients
    const entry: { round: number; train: number; valid?: number } = { round: round + 1, train: trainLoss };
    if (valid) entry.valid = validLoss();
    history.push(entry);
    const tracked = valid ? entry.valid! : trainLoss;
    control.onProgress?.({ phase: 'boosting', current: round + 1, total: p.maxRounds, metric: { name: valid ? 'valid logloss' : 'train logloss', value: tracked } });
    if (tracked < bestLoss) {
      bestLoss = tracked;
      bestRound = round;
    }
    if (valid && p.earlyStoppingRounds > 0 && round - bestRound >= p.earlyStoppingRounds) break;
    // nothing left to learn: every tree of the round is a single leaf and the next round would see the same data
    if (!anySplit && p.subsample === 1 && p.colsample === 1) break;
  }
  const keptRounds = valid && p.earlyStoppingRounds > 0 ? bestRound + 1 : history.length;
  trees.length = keptRounds * R;

  const forest = toFlatForest(trees, R, base, mapper, features, nFeatures);
  return {
    kind: 'gradient-boosting',
    params: { ...p, roundsKept: keptRounds },
    nFeatures,
    nClasses: K,
    forest,
    link: R === 1 ? 'sigmoid' : 'softmax',
    featureImportance: gainImportance(trees, features, nFeatures),
    history,
  };
}

function checkTrainSet(s: TrainSet, what: string): void {
  const { nSamples, nFeatures, data } = s.X;
  if (data.length !== nSamples * nFeatures) throw new Error(`${what} matrix holds ${data.length} values, expected ${nSamples} x ${nFeatures}`);
  if (nSamples < 1) throw new Error(`${what} set is empty`);
  if (!(s.nClasses >= 2)) throw new Error(`gradient boosting needs at least 2 classes, got ${s.nClasses}`);
  if (s.y.length !== nSamples) throw new Error(`${what} labels: ${s.y.length} for ${nSamples} rows`);
  for (let i = 0; i < nSamples; i++) {
    const c = s.y[i]!;
    if (c < 0 || c >= s.nClasses) throw new Error(`${what} label ${c} at row ${i} is outside 0..${s.nClasses - 1}`);
  }
  if (s.sampleWeight) {
    if (s.sampleWeight.length !== nSamples) throw new Error(`${what} weights: ${s.sampleWeight.length} for ${nSamples} rows`);
    for (let i = 0; i < nSamples; i++) {
      const w = s.sampleWeight[i]!;
      if (!(w >= 0 && w < Infinity)) throw new Error(`${what} weight at row ${i} must be finite and >= 0, got ${w}`);
    }
  }
}

/** Initial raw scores (float32, as stored): binary log-odds of class 1, else log class priors. */
function baseScores(y: Int32Array, K: number, weight: Float64Array | null): Float64Array {
  const mass = new Float64Array(K);
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weight ? weight[i]! : 1;
    mass[y[i]!] += w;
    total += w;
  }
  const prior = (k: number) => Math.min(Math.max(total > 0 ? mass[k]! / total : 1 / K, 1e-7), 1 - 1e-7);
  if (K === 2) return Float64Array.of(Math.fround(Math.log(prior(1) / (1 - prior(1)))));
  return Float64Array.from({ length: K }, (_, k) => Math.fround(Math.log(prior(k))));
}

/** Adds a tree's leaf values to the raw scores of its slot (leaf segments for its rows, a walk for the rest). */
function applyTree(tree: GrownTree, rows: Int32Array, nRows: number, raw: Float64Array, inTree: Uint8Array, binned: Uint8Array): void {
  const nSamples = raw.length;
  if (tree.nNodes === 1) {
    const v = tree.value[0]!;
    for (let s = 0; s < nSamples; s++) raw[s] += v;
    return;
  }
  for (let n = 0; n < tree.nNodes; n++) {
    if (tree.col[n]! >= 0) continue;
    const v = tree.value[n]!;
    for (let i = tree.start[n]!; i < tree.end[n]!; i++) raw[rows[i]!] += v;
  }
  if (nRows === nSamples) return;
  for (let i = 0; i < nRows; i++) inTree[rows[i]!] = 1;
  for (let s = 0; s < nSamples; s++) {
    if (inTree[s]) inTree[s] = 0;
    else raw[s] += tree.value[leafOf(tree, binned, nSamples, s)]!;
  }
}

function toFlatForest(trees: GrownTree[], R: number, base: Float64Array, mapper: BinMapper, features: Int32Array, nFeatures: number): FlatForest {
  let nNodes = 0;
  for (const t of trees) nNodes += t.nNodes;
  const treeRoot = new Int32Array(trees.length);
  const treeResult = new Int32Array(trees.length);
  const feature = new Int32Array(nNodes);
  const threshold = new Float32Array(nNodes);
  const left = new Int32Array(nNodes);
  const right = new Int32Array(nNodes);
  const value = new Float32Array(nNodes);
  const cover = new Float32Array(nNodes);
  let at = 0;
  trees.forEach((t, treeIdx) => {
    treeRoot[treeIdx] = at;
    treeResult[treeIdx] = treeIdx % R;
    for (let n = 0; n < t.nNodes; n++) {
      const c = t.col[n]!;
      cover[at + n] = t.cover[n]!;
      if (c >= 0) {
        const featureIdx = features[c]!;
        feature[at + n] = featureIdx;
        threshold[at + n] = thresholdOf(mapper, featureIdx, t.bin[n]!);
        left[at + n] = at + t.left[n]!;
        right[at + n] = at + t.right[n]!;
      } else {
        feature[at + n] = -1;
        left[at + n] = -1;
        right[at + n] = -1;
        value[at + n] = t.value[n]!;
      }
    }
    at += t.nNodes;
  });
  return {
    nFeatures,
    nOutputs: 1,
    nResults: R,
    nTrees: trees.length,
    treeRoot,
    treeResult,
    feature,
    threshold,
    left,
    right,
    value,
    aggregate: 'sum',
    base: Float32Array.from(base),
    cover,
  };
}

/** Total split gain per feature over the kept trees, normalised to sum 1 (all 0 without splits). */
function gainImportance(trees: GrownTree[], features: Int32Array, nFeatures: number): Float64Array {
  const imp = new Float64Array(nFeatures);
  for (const t of trees) for (let n = 0; n < t.nNodes; n++) if (t.col[n]! >= 0) imp[features[t.col[n]!]!] += t.gain[n]!;
  let sum = 0;
  for (let f = 0; f < nFeatures; f++) sum += imp[f]!;
  if (sum > 0) for (let f = 0; f < nFeatures; f++) imp[f] = imp[f]! / sum;
  return imp;
}
