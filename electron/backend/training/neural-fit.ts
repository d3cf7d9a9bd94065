/**
 * Fitting a neural kind inside a training run: TensorFlow.js on the fastest backend this thread
 * can load, a validation share held back from the training rows (early stopping, schedule),
 * rebalancing and class weights on the rest, then fitNeural. The autoencoder learns benign rows
 * only and places its threshold on held-back benign rows at the target false-positive rate.
 */
import { thresholdForFpr } from '../../../ml-core/metrics/threshold.js';
import { toRowMajor } from '../../../ml-core/models/matrix.js';
import { anomalyScore, buildArch, fitNeural, reconstructionErrors, type NeuralData } from '../../../ml-core/models/neural/index.js';
import type { NeuralHyperParams, NeuralKind, TrainedNeuralModel } from '../../../ml-core/models/neural/types.js';
import type { FitControl } from '../../../ml-core/models/types.js';
import { classWeights, sampleWeightsFor } from '../../../ml-core/preprocess/balance.js';
import { transform } from '../../../ml-core/preprocess/pipeline.js';
import { stratifiedSplit } from '../../../ml-core/preprocess/split.js';
import type { FittedPreprocessor, RawFrame } from '../../../ml-core/preprocess/types.js';
import { NEURAL_KINDS, type JobProgress, type ModelKind, type NeuralTrainingInfo, type ParamValue } from '../../contract/dto.js';
import { FlowsightError } from '../../contract/errors.js';
import type { ResolvedParams } from './catalog.js';
import type { Labels } from './dataset-frame.js';
import { neuralThreads, ParallelStepper } from './neural-threads.js';
import { gather, rebalance } from './rebalance.js';
import type { TfRuntime } from './tf-runtime.js';

export function isNeuralKind(kind: ModelKind): kind is NeuralKind {
  return (NEURAL_KINDS as readonly string[]).includes(kind);
}

/** Share of the benign training rows an autoencoder holds back to place its threshold. */
const AUTOENCODER_THRESHOLD_SHARE = 0.2;

export function hyperParams(model: Record<string, ParamValue>, seed: number): NeuralHyperParams {
  const num = (k: string, d: number) => (typeof model[k] === 'number' ? (model[k] as number) : d);
  return {
    units: num('units', 64),
    layers: num('layers', 1),
    filters: num('filters', 32),
    dropout: num('dropout', 0),
    epochs: num('epochs', 20),
    batchSize: num('batchSize', 256),
    learningRate: num('learningRate', 0.001),
    lrSchedule: (model.lrSchedule as NeuralHyperParams['lrSchedule']) ?? 'constant',
    patience: num('patience', 0),
    weightDecay: num('weightDecay', 0),
    batchNorm: model.batchNorm === true,
    seed,
  };
}

export interface NeuralFitted {
  model: TrainedNeuralModel;
  fitSeconds: number;
  info: NeuralTrainingInfo;
}

function rows(pre: FittedPreprocessor, frame: RawFrame, idx: Int32Array) {
  return toRowMajor(transform(pre, frame, idx));
}

/** What one neural fit inside a training run works on. */
export interface NeuralFitJob {
  kind: NeuralKind;
  frame: RawFrame;
  labels: Labels;
  trainRows: Int32Array;
  pre: FittedPreprocessor;
  rp: ResolvedParams;
  seed: number;
  control: FitControl;
  progress: (p: JobProgress) => void;
  /** prefix of progress phases ('fold 2/5: ') */
  phase: string;
}

export async function fitNeuralOn(job: NeuralFitJob): Promise<NeuralFitted> {
  const { kind, labels, pre, rp, seed, progress, phase } = job;
  const { loadTf } = await import('./tf-runtime.js');
  progress({ phase: `${phase}starting TensorFlow.js`, current: 0, total: 0 });
  const runtime = await loadTf();
  const hp = hyperParams(rp.model, seed);
  // helper threads load TensorFlow.js while the rows are prepared
  const threads = neuralThreads(runtime.backend);
  const nClassesOut = kind === 'autoencoder' ? 2 : labels.classes.length;
  const arch = buildArch(kind, pre.outputNames.length, nClassesOut, hp);
  const helpers = threads > 1 ? ParallelStepper.start(arch, hp.batchSize, threads, runtime.backend) : null;
  try {
    return await fitWith(job, runtime, hp, helpers);
  } finally {
    await (await helpers?.catch(() => null))?.close();
  }
}

async function fitWith(job: NeuralFitJob, runtime: TfRuntime, hp: NeuralHyperParams, helpers: Promise<ParallelStepper> | null): Promise<NeuralFitted> {
  const { kind, frame, labels, trainRows, pre, rp, seed, control, progress, phase } = job;
  const tf = runtime.tf;
  const validShare = typeof rp.model.validation === 'number' ? rp.model.validation : 0.1;
  const nClasses = labels.classes.length;

  let fitIdx: Int32Array;
  let validIdx: Int32Array;
  let thresholdIdx: Int32Array | null = null;
  if (kind === 'autoencoder') {
    const benign = trainRows.filter((r) => labels.y[r] === labels.benign);
    if (benign.length < 20) throw new FlowsightError('BAD_INPUT', `An autoencoder learns from benign rows; the training split has ${benign.length}.`);
    const zeros = new Int32Array(labels.y.length);
    const t = stratifiedSplit(zeros, 1, AUTOENCODER_THRESHOLD_SHARE, seed, benign);
    thresholdIdx = t.test;
    const v = stratifiedSplit(zeros, 1, validShare, seed + 1, t.train);
    fitIdx = v.train;
    validIdx = v.test;
  } else {
    const v = stratifiedSplit(labels.y, nClasses, validShare, seed + 1, trainRows);
    fitIdx = v.train;
    validIdx = v.test;
  }

  let train: NeuralData;
  let valid: NeuralData;
  if (kind === 'autoencoder') {
    const X = rows(pre, frame, fitIdx);
    train = { X: X.data, nSamples: X.nSamples, nFeatures: X.nFeatures };
    const V = rows(pre, frame, validIdx);
    valid = { X: V.data, nSamples: V.nSamples, nFeatures: V.nFeatures };
  } else {
    const grown = rebalance(transform(pre, frame, fitIdx), gather(labels.y, fitIdx), rp.extra.resample, pre, nClasses, seed);
    const X = toRowMajor(grown.X);
    const weighting = rp.extra.classWeight;
    let weights: ArrayLike<number> | null = null;
    if (weighting === 'balanced' || weighting === 'balanced-sqrt') weights = classWeights(grown.y, nClasses, null, weighting);
    train = { X: X.data, nSamples: X.nSamples, nFeatures: X.nFeatures, y: grown.y, ...(weights ? { sampleWeight: sampleWeightsFor(grown.y, null, weights) } : {}) };
    const V = rows(pre, frame, validIdx);
    const vy = gather(labels.y, validIdx);
    valid = { X: V.data, nSamples: V.nSamples, nFeatures: V.nFeatures, y: vy, ...(weights ? { sampleWeight: sampleWeightsFor(vy, null, weights) } : {}) };
  }

  // a helper thread that cannot start only costs speed: train in this thread alone
  const parallel = helpers ? await helpers.catch(() => null) : null;
  const t0 = performance.now();
  const model = fitNeural(tf, train, valid, {
    ...(parallel ? { stepper: (a, w, b, local) => parallel.step(tf, a, w, b, local) } : {}),
    kind,
    nClasses,
    hp,
    params: rp.model,
    clock: () => performance.now(),
    control: {
      isCancelled: () => control.isCancelled?.() ?? false,
      onProgress: (p) =>
        progress({
          phase: `${phase}${p.phase}`,
          current: p.current,
          total: p.total,
          ...(p.batch ? { batch: p.batch } : {}),
          ...(p.metric ? { metric: p.metric } : {}),
          ...(p.history ? { history: p.history.map((h) => ({ round: h.round, train: h.train, ...(h.valid !== undefined ? { valid: h.valid } : {}) })) } : {}),
        }),
    },
  });

  if (kind === 'autoencoder' && thresholdIdx) {
    // the score's scale: the median reconstruction error of the training rows
    const fitErr = reconstructionErrors(tf, model.arch, model.weights, { data: train.X, nSamples: train.nSamples, nFeatures: train.nFeatures });
    const sorted = Float32Array.from(fitErr).sort();
    model.errorScale = sorted[sorted.length >> 1]! || 1;
    const T = rows(pre, frame, thresholdIdx);
    const err = reconstructionErrors(tf, model.arch, model.weights, T);
    const scores = err.map((e) => anomalyScore(e, model.errorScale!));
    const targetFpr = Number(rp.extra.targetFpr ?? 0.05);
    model.threshold = thresholdForFpr(scores, targetFpr);
  }
  const fitSeconds = (performance.now() - t0) / 1000;
  return {
    model,
    fitSeconds,
    info: {
      backend: runtime.backend,
      backendLabel: runtime.label,
      epochSeconds: model.training.epochSeconds,
      epochsRun: model.training.epochsRun,
      bestEpoch: model.training.bestEpoch,
      finalLearningRate: model.training.finalLearningRate,
      parameters: model.training.parameters,
      threads: parallel?.threads ?? 1,
    },
  };
}
