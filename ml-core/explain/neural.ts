/**
 * Attribution of one neural-model output to its input features, relative to a baseline row.
 *
 * Method 'gradient-input': integrated gradients (Sundararajan, Taly & Yan 2017), i.e. gradient ×
 * input with the gradient averaged along the straight line from the baseline to the row:
 * contribution_j = (x_j - b_j) · mean over k of ∂f/∂x_j at b + ((k + ½) / steps)(x - b). The
 * contributions then sum to f(x) - f(baseline) up to the quadrature error; when that gap is over
 * 2% of |f(x) - f(b)| the step count is raised (16 → 64 → 256 → 1024; batch-norm and pooling make
 * some CNN paths steep near the baseline) before settling for what it has.
 *
 * Method 'occlusion' (fallback when the gradient cannot be taken): contribution_j = f(x) - f(x
 * with feature j set to its baseline value). These need not sum to f(x) - f(b).
 *
 * Explained output f: softmax classifiers, the probability of class `classIdx`; autoencoders,
 * the anomaly score u / (1 + u), u = ln(1 + reconstruction MSE / errorScale) (classIdx 1), or
 * 1 - score (classIdx 0).
 *
 * Rows are single Float32Arrays of nFeatures (the model's preprocessed input space); the
 * interpolation batch is row-major [steps, nFeatures].
 */
import { forward } from '../models/neural/graph.js';
import type { Tensor, Tensor2D, Tf } from '../models/neural/tf-types.js';
import type { TrainedNeuralModel } from '../models/neural/types.js';

export interface NeuralAttribution {
  method: 'gradient-input' | 'occlusion';
  /** f(baseline) */
  base: number;
  /** f(x) */
  output: number;
  /** contribution per input feature */
  values: Float64Array;
}

export interface NeuralAttributionOptions {
  /** first number of integration steps (default 16) */
  steps?: number;
  /** 'auto' (default): gradients, occlusion only when they fail; 'occlusion': always occlusion */
  method?: 'auto' | 'occlusion';
}

/** Relative completeness gap above which integrated gradients retry with more steps. */
const MAX_GAP = 0.02;
const MAX_STEPS = 1024;

/** f of every row of a [n, nFeatures] batch, as a [n] tensor (inside tidy / grad). */
function explainedOutput(tf: Tf, model: TrainedNeuralModel, params: Tensor[], x: Tensor2D, classIdx: number): Tensor {
  const out = forward(tf, model.arch, params, x, null);
  if (model.link === 'softmax') {
    const p = tf.softmax(out);
    return tf.reshape(tf.slice(p, [0, classIdx], [-1, 1]), [-1]);
  }
  const err = tf.mean(tf.square(tf.sub(out, x)), 1);
  const scale = model.errorScale && model.errorScale > 0 ? model.errorScale : 1;
  const u = tf.log1p(tf.div(err, scale));
  const score = tf.div(u, tf.add(u, 1));
  return classIdx === 1 ? score : tf.sub(1, score);
}

function checkInputs(model: TrainedNeuralModel, x: Float32Array, baseline: Float32Array, classIdx: number): void {
  const d = model.arch.nInputs;
  if (x.length !== d) throw new RangeError(`the network expects ${d} input columns, the row has ${x.length}`);
  if (baseline.length !== d) throw new RangeError(`the baseline has ${baseline.length} values, the network expects ${d}`);
  if (!(Number.isInteger(classIdx) && classIdx >= 0 && classIdx < model.nClasses)) throw new RangeError(`class ${classIdx} is outside 0..${model.nClasses - 1}`);
  for (let j = 0; j < d; j++) {
    if (!Number.isFinite(x[j]!) || !Number.isFinite(baseline[j]!)) throw new RangeError(`input column ${j} is not a finite number (the preprocessing fills missing values)`);
  }
}

/** f(x) for each row of a row-major batch. */
function outputsOf(tf: Tf, model: TrainedNeuralModel, params: Tensor[], rows: Float32Array, n: number, classIdx: number): Float32Array {
  return tf.tidy(() => explainedOutput(tf, model, params, tf.tensor2d(rows, [n, model.arch.nInputs]), classIdx).dataSync() as Float32Array);
}

/** Mean gradient of f over the interpolation points between baseline and x (midpoint rule), times (x - b). */
function integratedGradients(tf: Tf, model: TrainedNeuralModel, params: Tensor[], x: Float32Array, b: Float32Array, classIdx: number, steps: number): Float64Array {
  const d = x.length;
  const pts = new Float32Array(steps * d); // row-major [steps, d]
  for (let k = 0; k < steps; k++) {
    const a = (k + 0.5) / steps;
    for (let j = 0; j < d; j++) pts[k * d + j] = b[j]! + a * (x[j]! - b[j]!);
  }
  const g = tf.tidy(() => {
    const t = tf.tensor2d(pts, [steps, d]);
    const grad = tf.grad((xx: Tensor) => tf.sum(explainedOutput(tf, model, params, xx as Tensor2D, classIdx)))(t);
    return tf.mean(grad, 0).dataSync() as Float32Array;
  });
  const values = new Float64Array(d);
  for (let j = 0; j < d; j++) values[j] = (x[j]! - b[j]!) * g[j]!;
  return values;
}

function occlusion(tf: Tf, model: TrainedNeuralModel, params: Tensor[], x: Float32Array, b: Float32Array, classIdx: number, output: number): Float64Array {
  const d = x.length;
  const rows = new Float32Array(d * d); // row j: x with feature j at the baseline
  for (let j = 0; j < d; j++) {
    rows.set(x, j * d);
    rows[j * d + j] = b[j]!;
  }
  const f = outputsOf(tf, model, params, rows, d, classIdx);
  const values = new Float64Array(d);
  for (let j = 0; j < d; j++) values[j] = x[j] === b[j] ? 0 : output - f[j]!;
  return values;
}

/**
 * Attribution of output `classIdx` of `model` at row x relative to `baseline` (both in the model's
 * input space; a typical baseline is the preprocessed benign median, zeros after standard scaling).
 */
export async function neuralAttribution(
  tf: Tf,
  model: TrainedNeuralModel,
  x: Float32Array,
  baseline: Float32Array,
  classIdx: number,
  opts: NeuralAttributionOptions = {},
): Promise<NeuralAttribution> {
  checkInputs(model, x, baseline, classIdx);
  const d = x.length;
  const params = model.arch.params.map((p, i) => tf.tensor(model.weights[i]!, p.shape, 'float32'));
  try {
    const both = new Float32Array(2 * d);
    both.set(x, 0);
    both.set(baseline, d);
    const fo = outputsOf(tf, model, params, both, 2, classIdx);
    const output = fo[0]!;
    const base = fo[1]!;
    if (opts.method !== 'occlusion') {
      try {
        const delta = output - base;
        let steps = Math.max(1, Math.floor(opts.steps ?? 16));
        let values = integratedGradients(tf, model, params, x, baseline, classIdx, steps);
        for (;;) {
          let s = 0;
          for (let j = 0; j < d; j++) s += values[j]!;
          const gap = Math.abs(s - delta);
          if (gap <= MAX_GAP * Math.abs(delta) || gap < 1e-6 || steps >= MAX_STEPS) break;
          steps = Math.min(MAX_STEPS, steps * 4);
          values = integratedGradients(tf, model, params, x, baseline, classIdx, steps);
        }
        if (values.every((v) => Number.isFinite(v))) return { method: 'gradient-input', base, output, values };
      } catch {
        // an architecture TensorFlow.js cannot differentiate here: fall back to occlusion
      }
    }
    return { method: 'occlusion', base, output, values: occlusion(tf, model, params, x, baseline, classIdx, output) };
  } finally {
    tf.dispose(params);
  }
}
