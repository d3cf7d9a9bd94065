/**
 * One training run, start to finish, as the train worker executes it: load the dataset's columns,
 * split (hold-out, a separate test dataset, or stratified k-fold), fit the preprocessing on the
 * training rows only, fit the model (forests across threads through `ForestRunner`), evaluate on
 * rows the model never saw, and build the stored model (bundle + summary + evaluation).
 *
 * Plain functions over repositories and typed arrays: the worker adds threads and SQLite; the
 * tests and the benchmark call it directly.
 */
import type { TargetName } from '../../../ml-core/data/types.js';
import { summarizeFolds } from '../../../ml-core/evaluate/index.js';
import { classificationMetrics } from '../../../ml-core/metrics/classification.js';
import { curveSets } from '../../../ml-core/metrics/curves.js';
import { thresholdForFpr } from '../../../ml-core/metrics/threshold.js';
import type { ClassificationMetrics, CurveSet } from '../../../ml-core/metrics/types.js';
import { fitGbdt } from '../../../ml-core/models/gbdt/index.js';
import { fitIsolationForest, setAnomalyThreshold } from '../../../ml-core/models/iforest/index.js';
import { takeRows, toRowMajor } from '../../../ml-core/models/matrix.js';
import { predictProba } from '../../../ml-core/models/flat/predict.js';
import { FitCancelled, type FitControl, type TrainSet } from '../../../ml-core/models/types.js';
import { classWeights, sampleWeightsFor } from '../../../ml-core/preprocess/balance.js';
import { fitPreprocessor, transform } from '../../../ml-core/preprocess/pipeline.js';
import { sklearnStratifiedSplit } from '../../../ml-core/preprocess/sklearn-split.js';
import { stratifiedKFold, stratifiedSplit } from '../../../ml-core/preprocess/split.js';
import type { FittedPreprocessor, RawFrame } from '../../../ml-core/preprocess/types.js';
import type { Evaluation, JobProgress, ModelKind, NeuralTrainingInfo, ParamValue } from '../../contract/dto.js';
import { FlowsightError } from '../../contract/errors.js';
import type { DatasetsRepo } from '../db/datasets.repo.js';
import type { NewModel, StoredDetail } from '../db/models.repo.js';
import { splitParams, type ResolvedParams } from './catalog.js';
import { binaryLabels, labelledRows, labelsOf, loadDatasetFrame, type DatasetFrame, type Labels } from './dataset-frame.js';
import { assertSchema, BUNDLE_VERSION, encodeBundle, isAnomalyKind, isNeuralModel, prepareBundle, scoreFrame, type BundleManifest, type ModelBundle, type Scores, type TrainedModel } from './model-bundle.js';
import { fitNeuralOn, isNeuralKind } from './neural-fit.js';
import type { ForestRunner } from './forest-runner.js';
import { KIND_NAMES } from './kind-names.js';
import { gather, rebalance } from './rebalance.js';

export interface TrainRequest {
  datasetId: number;
  model: ModelKind;
  target: TargetName;
  testSize?: number;
  testDatasetId?: number;
  folds?: number;
  seed: number;
  params: Record<string, ParamValue>;
  name?: string;
}

export interface TrainIo {
  datasets: DatasetsRepo;
  progress(p: JobProgress): void;
  isCancelled(): boolean;
  forests: ForestRunner;
}

export interface TrainOutput {
  model: NewModel;
  fitSeconds: number;
  metrics: ClassificationMetrics;
  neural?: NeuralTrainingInfo;
}

const DEFAULT_TEST_SIZE = 0.3;
/** boosting: share of the training rows held back for early stopping */
const BOOSTING_VALID = 0.1;
/** isolation forest: share of the benign training rows held back to choose the threshold */
const IFOREST_VALID = 0.2;

interface Fitted {
  pre: FittedPreprocessor;
  model: TrainedModel;
  fitSeconds: number;
  /** neural kinds: backend, epoch time, epochs */
  neural?: NeuralTrainingInfo;
}

function cancelled(io: TrainIo): void {
  if (io.isCancelled()) throw new FitCancelled();
}


/**
 * Fits preprocessing and model on `trainRows` of the frame. Progress `phase` names the fold when
 * cross-validating.
 */
async function fitOn(
  kind: ModelKind,
  frame: RawFrame,
  labels: Labels,
  trainRows: Int32Array,
  rp: ResolvedParams,
  seed: number,
  io: TrainIo,
  phase: string,
): Promise<Fitted> {
  const nClasses = labels.classes.length;
  io.progress({ phase: `${phase}preprocessing`, current: 0, total: 0 });
  const pre = fitPreprocessor(frame, trainRows, rp.preprocess);
  cancelled(io);
  const control: FitControl = {
    isCancelled: () => io.isCancelled(),
    onProgress: (p) =>
      io.progress({ phase: `${phase}${p.phase}`, current: p.current, total: p.total, ...(p.metric ? { metric: p.metric } : {}) }),
  };
  // fitSeconds: the model's fit on the prepared matrix (as the peers time fit() on theirs), so
  // applying the preprocessing and resampling are outside it
  let t0: number;

  if (isNeuralKind(kind)) {
    const f = await fitNeuralOn({ kind, frame, labels, trainRows, pre, rp, seed, control, progress: io.progress, phase });
    return { pre, model: f.model, fitSeconds: f.fitSeconds, neural: f.info };
  }

  if (kind === 'isolation-forest') {
    // benign training rows only; a share of them held back to place the threshold
    const benignRows = trainRows.filter((r) => labels.y[r] === 0);
    if (benignRows.length < 10) throw new FlowsightError('BAD_INPUT', `An isolation forest needs benign rows to learn from; the training split has ${benignRows.length}.`);
    const yb = new Int32Array(labels.y.length);
    const split = stratifiedSplit(yb, 1, IFOREST_VALID, seed, benignRows);
    const fitRows = split.train;
    const X = transform(pre, frame, fitRows);
    t0 = performance.now();
    const model = fitIsolationForest(X, null, { ...rp.model, seed } as never, control);
    const targetFpr = Number(rp.extra.targetFpr ?? 0.01);
    const validX = toRowMajor(transform(pre, frame, split.test));
    const p = predictProba(model, validX);
    const scores = new Float32Array(split.test.length);
    for (let i = 0; i < scores.length; i++) scores[i] = p[i * 2 + 1]!;
    setAnomalyThreshold(model, thresholdForFpr(scores, targetFpr));
    return { pre, model, fitSeconds: (performance.now() - t0) / 1000 };
  }

  // rebalancing, on the training rows only
  const grown = rebalance(transform(pre, frame, trainRows), gather(labels.y, trainRows), rp.extra.resample, pre, nClasses, seed);
  const X = grown.X;
  const y = grown.y;
  cancelled(io);
  t0 = performance.now();
  const weighting = rp.extra.classWeight;
  let sampleWeight: Float32Array | undefined;
  if (weighting === 'balanced' || weighting === 'balanced-sqrt') {
    sampleWeight = sampleWeightsFor(y, null, classWeights(y, nClasses, null, weighting));
  }

  if (kind === 'gradient-boosting') {
    const earlyStop = Number(rp.model.earlyStoppingRounds ?? 0) > 0;
    let train: TrainSet = { X, y, nClasses, ...(sampleWeight ? { sampleWeight } : {}) };
    let valid: TrainSet | null = null;
    if (earlyStop && y.length >= 50) {
      const s = stratifiedSplit(y, nClasses, BOOSTING_VALID, seed + 1);
      train = { X: takeRows(X, s.train), y: gather(y, s.train), nClasses, ...(sampleWeight ? { sampleWeight: pick(sampleWeight, s.train) } : {}) };
      valid = { X: takeRows(X, s.test), y: gather(y, s.test), nClasses, ...(sampleWeight ? { sampleWeight: pick(sampleWeight, s.test) } : {}) };
    }
    let model = fitGbdt(train, valid, { ...rp.model, seed } as never, control);
    if (valid) {
      // the held-back rows chose the number of rounds; the stored model learns from every training row
      const rounds = Number(model.params.roundsKept ?? model.history?.length ?? rp.model.maxRounds);
      const history = model.history;
      model = fitGbdt(
        { X, y, nClasses, ...(sampleWeight ? { sampleWeight } : {}) },
        null,
        { ...rp.model, seed, maxRounds: Math.max(1, rounds), earlyStoppingRounds: 0 } as never,
        control,
      );
      if (history) model.history = history;
    }
    return { pre, model, fitSeconds: (performance.now() - t0) / 1000 };
  }

  const model = await io.forests.fit(
    { X, y, nClasses, ...(sampleWeight ? { sampleWeight } : {}) },
    { ...rp.model, kind, seed },
    control,
  );
  return { pre, model, fitSeconds: (performance.now() - t0) / 1000 };
}

/**
 * The hold-out split: scikit-learn's own row choice (train_test_split with stratify and the same
 * seed), so figures compare with the reference stack's on identical rows; when a class has a single
 * row (scikit-learn refuses those), Flowsight's stratified split, which keeps it in training.
 */
export function holdoutSplit(y: Int32Array, nClasses: number, testSize: number, seed: number, rows: Int32Array): { train: Int32Array; test: Int32Array } {
  const counts = new Int32Array(nClasses);
  for (let i = 0; i < rows.length; i++) counts[y[rows[i]!]!]!++;
  const n = rows.length;
  const nTest = Math.ceil(testSize * n);
  let present = 0;
  let single = false;
  for (const c of counts) {
    if (c > 0) present++;
    if (c === 1) single = true;
  }
  if (!single && nTest >= present && n - nTest >= present) return sklearnStratifiedSplit(y, testSize, seed, rows);
  return stratifiedSplit(y, nClasses, testSize, seed, rows);
}

function pick(w: Float32Array, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = w[rows[i]!]!;
  return out;
}

type Predictions = Scores;

/** Metrics and curves for predictions against labels whose class list may extend the model's. */
export function evaluatePredictions(
  yTrue: Int32Array,
  p: Predictions,
  modelClasses: string[],
  allClasses: string[],
  benign: number,
): { metrics: ClassificationMetrics; curves: CurveSet[] } {
  const metrics = classificationMetrics(yTrue, p.pred, allClasses, benign);
  // curves need probabilities over the model's classes; rows of classes the model never saw count as negatives everywhere
  let curves = curveSets(yTrue, p.proba, modelClasses, benign, p.score);
  // two classes: the one-vs-rest curves repeat the attack-vs-benign one
  if (modelClasses.length === 2 && benign >= 0) curves = curves.slice(0, 1);
  return { metrics, curves };
}

function headline(m: ClassificationMetrics) {
  return {
    accuracy: m.accuracy,
    macroF1: m.macroF1,
    weightedF1: m.weightedF1,
    detectionRate: m.detectionRate,
    falsePositiveRate: m.falsePositiveRate,
  };
}

/** Runs one training request to a model ready to store. */
export async function runTraining(req: TrainRequest, io: TrainIo): Promise<TrainOutput> {
  const kind = req.model;
  const rp = splitParams(kind, req.params);
  // forest threads start while the data loads
  if (kind === 'extra-trees' || kind === 'random-forest') io.forests.prewarm?.(kind);
  try {
    return await train(req, io, kind, rp);
  } finally {
    await io.forests.close?.();
  }
}

async function train(req: TrainRequest, io: TrainIo, kind: ModelKind, rp: ResolvedParams): Promise<TrainOutput> {
  const target: TargetName = isAnomalyKind(kind) ? 'binary' : req.target;
  io.progress({ phase: 'loading', current: 0, total: 0 });
  const df: DatasetFrame = loadDatasetFrame(io.datasets, req.datasetId, target);
  let labels = labelsOf(df);
  if (isAnomalyKind(kind)) labels = binaryLabels(labels, `Dataset "${df.name}"`);
  else if (labels.classes.length < 2) {
    throw new FlowsightError('BAD_INPUT', `Dataset "${df.name}" has only one class (${labels.classes[0] ?? 'none'}) for the ${target} target; a classifier needs at least two.`);
  }
  cancelled(io);
  const rows = labelledRows(labels.y);
  const nClasses = labels.classes.length;
  const seed = req.seed;

  let evaluation: Evaluation;
  let fitted: Fitted;
  let metrics: ClassificationMetrics;
  let curves: CurveSet[];
  let crossValidation: StoredDetail['crossValidation'] = null;
  let testRows: number;
  let predictSeconds = 0;
  let predicted = 0;
  const modelClasses = labels.classes;

  const bundleOf = (f: Fitted, m: ClassificationMetrics | null, ev: Evaluation): ModelBundle => ({
    model: f.model,
    manifest: {
      format: 'flowsight-model',
      version: BUNDLE_VERSION,
      kind,
      target,
      classes: modelClasses,
      benign: labels.benign,
      features: f.pre.inputs.map((i) => ({ name: i.name, kind: i.kind })),
      preprocessor: f.pre,
      model: null,
      training: {
        datasetId: df.datasetId,
        datasetName: df.name,
        fingerprint: df.fingerprint,
        rows: rows.length,
        seed,
        params: rp.all,
        evaluation: ev,
        createdAt: new Date().toISOString(),
      },
      metrics: m ? headline(m) : { accuracy: 0, macroF1: 0, weightedF1: 0, detectionRate: null, falsePositiveRate: null },
    } satisfies BundleManifest,
  });

  if (req.folds !== undefined) {
    const k = req.folds;
    evaluation = { kind: 'folds', folds: k };
    const folds = stratifiedKFold(labels.y, nClasses, k, seed, rows);
    const pooledPred = new Int32Array(labels.y.length).fill(-1);
    const pooledProba = new Float32Array(labels.y.length * nClasses);
    const pooledScore = new Float32Array(labels.y.length);
    const perFold: ClassificationMetrics[] = [];
    for (let f = 0; f < folds.length; f++) {
      cancelled(io);
      const fold = folds[f]!;
      const fit = await fitOn(kind, df.frame, labels, fold.train, rp, seed, io, `fold ${f + 1}/${k}: `);
      const p = scoreFrame(await prepareBundle(bundleOf(fit, null, evaluation)), df.frame, fold.test);
      predictSeconds += p.seconds;
      predicted += fold.test.length;
      for (let i = 0; i < fold.test.length; i++) {
        const r = fold.test[i]!;
        pooledPred[r] = p.pred[i]!;
        pooledScore[r] = p.score[i]!;
        pooledProba.set(p.proba.subarray(i * nClasses, (i + 1) * nClasses), r * nClasses);
      }
      perFold.push(classificationMetrics(gather(labels.y, fold.test), p.pred, modelClasses, labels.benign));
    }
    crossValidation = summarizeFolds(perFold);
    const yAll = gather(labels.y, rows);
    const pooled: Predictions = {
      pred: gather(pooledPred, rows),
      score: pick(pooledScore, rows),
      proba: takeProba(pooledProba, rows, nClasses),
      seconds: 0,
    };
    ({ metrics, curves } = evaluatePredictions(yAll, pooled, modelClasses, modelClasses, labels.benign));
    testRows = rows.length;
    cancelled(io);
    // the stored model learns from every row
    fitted = await fitOn(kind, df.frame, labels, rows, rp, seed, io, 'final model: ');
  } else if (req.testDatasetId !== undefined) {
    const testDf = loadDatasetFrame(io.datasets, req.testDatasetId, target);
    evaluation = { kind: 'dataset', datasetId: testDf.datasetId, datasetName: testDf.name };
    let testLabels = labelsOf(testDf, isAnomalyKind(kind) ? undefined : modelClasses);
    if (isAnomalyKind(kind)) testLabels = binaryLabels(testLabels, `Test dataset "${testDf.name}"`);
    fitted = await fitOn(kind, df.frame, labels, rows, rp, seed, io, '');
    cancelled(io);
    io.progress({ phase: 'evaluating', current: 0, total: 0 });
    const bundle = await prepareBundle(bundleOf(fitted, null, evaluation));
    assertSchema(bundle, testDf.frame, `Test dataset "${testDf.name}"`);
    const tRows = labelledRows(testLabels.y);
    const p = scoreFrame(bundle, testDf.frame, tRows);
    predictSeconds = p.seconds;
    predicted = tRows.length;
    testRows = tRows.length;
    const benign = testLabels.classes.findIndex((c) => c === modelClasses[labels.benign]);
    ({ metrics, curves } = evaluatePredictions(gather(testLabels.y, tRows), p, modelClasses, testLabels.classes, labels.benign >= 0 ? benign : -1));
  } else {
    const testSize = req.testSize ?? DEFAULT_TEST_SIZE;
    evaluation = { kind: 'split', testSize };
    const split = holdoutSplit(labels.y, nClasses, testSize, seed, rows);
    fitted = await fitOn(kind, df.frame, labels, split.train, rp, seed, io, '');
    cancelled(io);
    io.progress({ phase: 'evaluating', current: 0, total: 0 });
    const p = scoreFrame(await prepareBundle(bundleOf(fitted, null, evaluation)), df.frame, split.test);
    predictSeconds = p.seconds;
    predicted = split.test.length;
    testRows = split.test.length;
    ({ metrics, curves } = evaluatePredictions(gather(labels.y, split.test), p, modelClasses, modelClasses, labels.benign));
  }

  io.progress({ phase: 'saving', current: 0, total: 0 });
  const bundle = bundleOf(fitted, metrics, evaluation);
  const file = encodeBundle(bundle);
  const head = crossValidation
    ? {
        accuracy: crossValidation.accuracy.mean,
        macroF1: crossValidation.macroF1.mean,
        weightedF1: crossValidation.weightedF1.mean,
        detectionRate: crossValidation.detectionRate?.mean ?? null,
        falsePositiveRate: crossValidation.falsePositiveRate?.mean ?? null,
      }
    : headline(metrics);
  const outNames = fitted.pre.outputNames;
  const importance = Array.from(fitted.model.featureImportance, (v, i) => ({ feature: outNames[i] ?? `f${i}`, importance: v }))
    .filter((f) => f.importance > 0)
    .sort((a, b) => b.importance - a.importance);
  const defaultName = `${KIND_NAMES[kind]} · ${df.name} · ${target}`;
  const model: NewModel = {
    name: req.name ?? defaultName,
    createdAt: bundle.manifest.training.createdAt,
    formatVersion: BUNDLE_VERSION,
    file,
    summary: {
      kind,
      datasetId: df.datasetId,
      datasetName: df.name,
      target,
      classes: modelClasses,
      evaluation,
      params: rp.all,
      seed,
      nFeatures: fitted.pre.outputNames.length,
      trainRows: req.folds !== undefined || req.testDatasetId !== undefined ? rows.length : rows.length - testRows,
      testRows,
      fitSeconds: round(fitted.fitSeconds, 4),
      ...head,
    },
    detail: {
      metrics,
      curves,
      importance,
      history: fitted.model.history?.map((h) => ({ round: h.round, train: h.train, ...(h.valid !== undefined ? { valid: h.valid } : {}) })) ?? null,
      neural: fitted.neural ?? null,
      crossValidation,
      threshold: fitted.model.link === 'anomaly' ? { value: fitted.model.threshold ?? 0.5, targetFpr: Number(rp.extra.targetFpr ?? 0.01) } : null,
      oobScore: isNeuralModel(fitted.model) ? null : (fitted.model.oobScore ?? null),
      features: fitted.pre.inputs.map((i) => i.name),
      predictRowsPerSecond: predictSeconds > 0 ? Math.round(predicted / predictSeconds) : 0,
    },
  };
  return { model, fitSeconds: fitted.fitSeconds, metrics, ...(fitted.neural ? { neural: fitted.neural } : {}) };
}


function takeProba(proba: Float32Array, rows: Int32Array, k: number): Float32Array {
  const out = new Float32Array(rows.length * k);
  for (let i = 0; i < rows.length; i++) out.set(proba.subarray(rows[i]! * k, rows[i]! * k + k), i * k);
  return out;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
