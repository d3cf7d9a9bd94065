/**
 * Training loop of every neural kind: seeded shuffles and dropout masks, mini-batches, Adam with
 * an optional L2 penalty, a learning-rate schedule (constant, halve on plateau, cosine), class
 * weights (per-row weights in the loss), early stopping on the validation loss with the best
 * epoch's weights restored, progress per batch and epoch, and a cancel check between batches.
 *
 * Input rows are row-major (data[sampleIdx * nFeatures + featureIdx]), already preprocessed.
 */
import { Rng } from '../../rng.js';
import { FitCancelled, type FitControl } from '../types.js';
import { Adam, cosineRate, PlateauSchedule } from './adam.js';
import { buildArch, countParameters, initParams, layerParamIndex, layerWidths, sizeOf } from './arch.js';
import { forward, lossOf } from './graph.js';
import { reconstructionErrors, softmaxProba } from './predict.js';
import { convStep, isConvArch } from './conv-step.js';
import { autodiffStep, denseStep, isDenseArch, type StepBatch, type StepResult } from './step.js';
import type { Tf } from './tf-types.js';
import type { NeuralArch, NeuralFitProgress, NeuralHistoryPoint, NeuralHyperParams, NeuralKind, TrainedNeuralModel } from './types.js';

export interface NeuralData {
  /** row-major [nSamples, nFeatures] */
  X: Float32Array;
  nSamples: number;
  nFeatures: number;
  /** class per row (classifiers) */
  y?: Int32Array;
  /** per-row loss weights (class weights folded in); 1 when absent */
  sampleWeight?: Float32Array;
}

export interface NeuralFitOptions {
  kind: NeuralKind;
  /** classes (classifiers); ignored by the autoencoder */
  nClasses: number;
  hp: NeuralHyperParams;
  /** 'auto': the hand-written backward passes (dense, 1-D CNN) where they apply, else automatic differentiation */
  gradients?: 'auto' | 'dense' | 'autodiff';
  control?: Omit<FitControl, 'onProgress'> & { onProgress?(p: NeuralFitProgress): void };
  /** milliseconds; ml-core has no timer of its own */
  clock?: () => number;
  /** stored with the model */
  params?: Record<string, number | string | boolean>;
  /**
   * Computes one batch's loss and gradients instead of denseStep / autodiffStep in this thread
   * (the backend splits batches across threads with it); must return what `fallback` would.
   */
  stepper?: (arch: NeuralArch, weights: Float32Array[], batch: StepBatch, fallback: Stepper) => StepResult;
}

export type Stepper = (tf: Tf, arch: NeuralArch, weights: Float32Array[], batch: StepBatch) => StepResult;

/** The step this thread runs for `arch`: the hand-written dense pass where it applies, else autodiff. */
export function stepFor(arch: NeuralArch, gradients: NeuralFitOptions['gradients'] = 'auto'): Stepper {
  if (gradients === 'autodiff') return autodiffStep;
  if (isDenseArch(arch)) return denseStep;
  if (isConvArch(arch)) return convStep;
  return autodiffStep;
}

/** Weighted mean loss over a data set, without dropout and with running batch-norm statistics. */
export function datasetLoss(tf: Tf, arch: NeuralArch, weights: Float32Array[], d: NeuralData): number {
  const X = { data: d.X, nSamples: d.nSamples, nFeatures: d.nFeatures };
  if (arch.loss === 'reconstruction') {
    const e = reconstructionErrors(tf, arch, weights, X);
    let s = 0;
    for (let i = 0; i < e.length; i++) s += e[i]!;
    return s / Math.max(1, e.length);
  }
  const k = arch.nOutputs;
  const p = softmaxProba(tf, arch, weights, X);
  let s = 0;
  for (let i = 0; i < d.nSamples; i++) {
    const w = d.sampleWeight ? d.sampleWeight[i]! : 1;
    s -= w * Math.log(Math.max(p[i * k + d.y![i]!]!, 1e-12));
  }
  return s / Math.max(1, d.nSamples);
}

/**
 * Importance of each input column: mean |∂loss/∂x · x| over up to 2,048 rows (gradient × input),
 * normalised to sum 1.
 */
export function gradientImportance(tf: Tf, arch: NeuralArch, weights: Float32Array[], d: NeuralData, maxRows = 2048): Float64Array {
  const n = Math.min(maxRows, d.nSamples);
  const imp = new Float64Array(d.nFeatures);
  if (n === 0) return imp;
  const k = arch.nOutputs;
  tf.tidy(() => {
    const P = arch.params.map((p, i) => tf.tensor(weights[i]!, p.shape, 'float32'));
    const x = tf.tensor2d(d.X.subarray(0, n * d.nFeatures), [n, d.nFeatures]);
    let targets = {};
    if (arch.loss === 'softmax') {
      const woh = new Float32Array(n * k);
      const w = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        w[i] = d.sampleWeight ? d.sampleWeight[i]! : 1;
        woh[i * k + d.y![i]!] = w[i]!;
      }
      targets = { weightedOneHot: tf.tensor2d(woh, [n, k]), weight: tf.tensor2d(w, [n, 1]) };
    }
    const g = tf.grad((xx) => lossOf(tf, arch, forward(tf, arch, P, xx as typeof x, null), xx as typeof x, targets) as never)(x);
    const v = tf.mean(tf.abs(tf.mul(g, x)), 0).dataSync();
    let s = 0;
    for (let j = 0; j < v.length; j++) s += v[j]!;
    for (let j = 0; j < v.length; j++) imp[j] = s > 0 ? v[j]! / s : 0;
  });
  return imp;
}

/**
 * Fills a dropout mask: 0 with probability `rate`, else 1 / (1 - rate). A xorshift32 stream
 * seeded from the training Rng, inlined: the masks take a random number per unit per row (115k a
 * step for 256-128-64 at batch 256), and a method call per number was 2 ms of a 7 ms step.
 */
export function dropoutMask(mask: Float32Array, rate: number, seed: number): void {
  const keep = 1 / (1 - rate);
  const cut = Math.floor(rate * 4294967296);
  let x = seed | 0 || 0x9e3779b9;
  for (let j = 0; j < mask.length; j++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    mask[j] = x >>> 0 < cut ? 0 : keep;
  }
}

function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function fitNeural(tf: Tf, train: NeuralData, valid: NeuralData | null, opts: NeuralFitOptions): TrainedNeuralModel {
  const { hp, kind } = opts;
  const clock = opts.clock ?? (() => Date.now());
  const control = opts.control ?? {};
  const reconstruct = kind === 'autoencoder';
  const nClasses = reconstruct ? 2 : opts.nClasses;
  const n = train.nSamples;
  const d = train.nFeatures;
  if (n === 0) throw new Error('there are no training rows');
  if (!reconstruct && !train.y) throw new Error('a classifier needs class labels');
  const arch = buildArch(kind, d, nClasses, hp);
  const weights = initParams(arch, hp.seed);
  // moments for the parameters that train (batch-norm running statistics do not)
  const adam = new Adam(arch.params.map((p) => (p.trainable ? sizeOf(p.shape) : 0)));
  const decay = arch.params.map((p) => (p.decay ? hp.weightDecay : 0));
  const pIdx = layerParamIndex(arch);
  const widths = layerWidths(arch);
  const local = stepFor(arch, opts.gradients);
  const step = opts.stepper ? (_tf: Tf, a: NeuralArch, w: Float32Array[], b: StepBatch) => opts.stepper!(a, w, b, local) : local;

  const B = Math.max(1, Math.min(hp.batchSize, n));
  const nBatches = Math.ceil(n / B);
  const k = arch.nOutputs;
  const batch: StepBatch = {
    x: new Float32Array(B * d),
    n: 0,
    masks: new Map(),
    ...(reconstruct ? {} : { weightedOneHot: new Float32Array(B * k), weight: new Float32Array(B) }),
  };
  const dropouts: Array<{ layer: number; rate: number; width: number; mask: Float32Array }> = [];
  arch.layers.forEach((l, i) => {
    if (l.type === 'dropout' && l.rate > 0) dropouts.push({ layer: i, rate: l.rate, width: widths[i]!, mask: new Float32Array(B * widths[i]!) });
  });

  const rng = new Rng(hp.seed, 0x7a11);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const plateau = new PlateauSchedule(hp.learningRate);
  let lr = hp.learningRate;
  const history: NeuralHistoryPoint[] = [];
  let best = Infinity;
  let bestEpoch = 0;
  let bestWeights: Float32Array[] | null = null;
  let wait = 0;
  const progressEvery = Math.max(1, Math.ceil(nBatches / 25));
  const cancelled = () => {
    if (control.isCancelled?.()) throw new FitCancelled();
  };

  for (let epoch = 0; epoch < hp.epochs; epoch++) {
    if (hp.lrSchedule === 'cosine') lr = cosineRate(hp.learningRate, epoch, hp.epochs);
    rng.shuffle(order);
    const t0 = clock();
    let lossSum = 0;
    for (let b = 0; b < nBatches; b++) {
      cancelled();
      const start = b * B;
      const m = Math.min(B, n - start);
      batch.n = m;
      if (batch.weightedOneHot) batch.weightedOneHot.fill(0, 0, m * k);
      for (let i = 0; i < m; i++) {
        const r = order[start + i]!;
        batch.x.set(train.X.subarray(r * d, r * d + d), i * d);
        if (batch.weightedOneHot) {
          const w = train.sampleWeight ? train.sampleWeight[r]! : 1;
          batch.weight![i] = w;
          batch.weightedOneHot[i * k + train.y![r]!] = w;
        }
      }
      for (const dr of dropouts) {
        const mask = dr.mask.subarray(0, m * dr.width);
        dropoutMask(mask, dr.rate, rng.nextU32());
        batch.masks.set(dr.layer, mask);
      }
      const r = step(tf, arch, weights, batch);
      if (!Number.isFinite(r.loss)) {
        throw new Error(`training diverged at epoch ${epoch + 1} (the loss became ${r.loss}); lower the learning rate or scale the features`);
      }
      lossSum += r.loss * m;
      adam.step(weights, r.grads, lr, decay);
      for (const [layer, s] of r.batchStats) {
        const l = arch.layers[layer]!;
        if (l.type !== 'batchnorm') continue;
        const mean = weights[pIdx[layer]! + 2]!;
        const variance = weights[pIdx[layer]! + 3]!;
        const mom = l.momentum;
        const unbias = m > 1 ? m / (m - 1) : 1;
        for (let j = 0; j < mean.length; j++) {
          mean[j] = (1 - mom) * mean[j]! + mom * s.mean[j]!;
          variance[j] = (1 - mom) * variance[j]! + mom * s.variance[j]! * unbias;
        }
      }
      if ((b + 1) % progressEvery === 0 && b + 1 < nBatches) {
        control.onProgress?.({ phase: 'epochs', current: epoch, total: hp.epochs, batch: { current: b + 1, total: nBatches } });
      }
    }
    const seconds = (clock() - t0) / 1000;
    cancelled();
    const trainLoss = lossSum / n;
    const validLoss = valid && valid.nSamples > 0 ? datasetLoss(tf, arch, weights, valid) : undefined;
    const point: NeuralHistoryPoint = { round: epoch + 1, train: trainLoss, learningRate: lr, seconds };
    if (validLoss !== undefined) point.valid = validLoss;
    history.push(point);
    const monitored = validLoss ?? trainLoss;
    let stop = false;
    if (monitored < best - 1e-4 * Math.abs(best) || bestWeights === null) {
      if (monitored < best) best = monitored;
      bestEpoch = epoch + 1;
      bestWeights = weights.map((w) => w.slice());
      wait = 0;
    } else if (hp.patience > 0 && ++wait >= hp.patience) stop = true;
    if (hp.lrSchedule === 'plateau') lr = plateau.update(monitored);
    control.onProgress?.({
      phase: 'epochs',
      current: epoch + 1,
      total: hp.epochs,
      batch: { current: nBatches, total: nBatches },
      metric: { name: validLoss !== undefined ? 'valid_loss' : 'loss', value: monitored },
      history: history.map((h) => ({ ...h })),
    });
    if (stop) break;
  }

  // early stopping keeps the best epoch; without it the last epoch stands
  const kept = hp.patience > 0 && bestWeights ? bestWeights : weights;
  const keptEpoch = hp.patience > 0 ? bestEpoch : history.length;
  const importanceData = valid && valid.nSamples > 0 ? valid : train;
  return {
    kind,
    family: 'neural',
    params: opts.params ?? {},
    nFeatures: d,
    nClasses,
    arch,
    weights: kept,
    link: reconstruct ? 'anomaly' : 'softmax',
    featureImportance: gradientImportance(tf, arch, kept, importanceData),
    history,
    training: {
      epochsRun: history.length,
      bestEpoch: keptEpoch,
      epochSeconds: median(history.map((h) => h.seconds)),
      finalLearningRate: lr,
      parameters: countParameters(arch),
    },
  };
}
