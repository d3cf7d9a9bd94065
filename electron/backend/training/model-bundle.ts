/**
 * What a stored model file holds: the trained trees or network plus everything needed to score new flows
 * exactly as the model was evaluated — the input feature schema, the fitted preprocessing, the
 * class names — and where it came from. Encoded with ml-core/serialize (manifest JSON + binary
 * arrays); load(save(m)) predicts identically.
 */
import { toRowMajor } from '../../../ml-core/models/matrix.js';
import type { RowMatrix, TrainedTreeModel } from '../../../ml-core/models/types.js';
import { predictProba } from '../../../ml-core/models/flat/predict.js';
import { checkSchema, transform } from '../../../ml-core/preprocess/pipeline.js';
import type { FittedPreprocessor, RawFrame } from '../../../ml-core/preprocess/types.js';
import { predictNeural } from '../../../ml-core/models/neural/predict.js';
import type { Tf } from '../../../ml-core/models/neural/tf-types.js';
import type { TrainedNeuralModel } from '../../../ml-core/models/neural/types.js';
import {
  decodeModelFile,
  encodeModelFile,
  NEURAL_MODEL_TYPE,
  neuralModelFromFile,
  neuralModelToFile,
  treeModelFromFile,
  treeModelToFile,
} from '../../../ml-core/serialize/index.js';
import type { Evaluation, ModelKind, ParamValue, TargetName } from '../../contract/dto.js';
import { FlowsightError } from '../../contract/errors.js';
import { isUnsupervisedKind } from './catalog.js';

export const BUNDLE_FORMAT = 'flowsight-model';
/** 1: tree models; 2: adds neural models (a tree model file is the same in both) */
export const BUNDLE_VERSION = 2;

export type TrainedModel = TrainedTreeModel | TrainedNeuralModel;

export function isNeuralModel(m: TrainedModel): m is TrainedNeuralModel {
  return (m as TrainedNeuralModel).family === 'neural';
}

/** Kinds that learn benign traffic only and score anomalies (benign/attack target): the catalog's unsupervised ones. */
export function isAnomalyKind(kind: ModelKind): boolean {
  return isUnsupervisedKind(kind);
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  version: number;
  kind: ModelKind;
  target: TargetName;
  classes: string[];
  /** index of the benign class in `classes`, -1 when none */
  benign: number;
  /** input columns the model reads (name and kind), in the preprocessor's order */
  features: Array<{ name: string; kind: 'numeric' | 'categorical' }>;
  preprocessor: FittedPreprocessor;
  /** the tree or neural model's own manifest (ml-core/serialize) */
  model: unknown;
  training: {
    datasetId: number;
    datasetName: string;
    fingerprint: string;
    rows: number;
    seed: number;
    params: Record<string, ParamValue>;
    evaluation: Evaluation;
    createdAt: string;
  };
  metrics: { accuracy: number; macroF1: number; weightedF1: number; detectionRate: number | null; falsePositiveRate: number | null };
}

export interface ModelBundle {
  manifest: BundleManifest;
  model: TrainedModel;
  /** neural models: the TensorFlow.js they predict with (prepareBundle loads it) */
  tf?: Tf;
}

export function encodeBundle(b: ModelBundle): Uint8Array {
  const content = isNeuralModel(b.model) ? neuralModelToFile(b.model) : treeModelToFile(b.model);
  return encodeModelFile({ ...b.manifest, model: content.manifest }, content.arrays);
}

/** Loads what the model predicts with: TensorFlow.js for a neural model (in this thread, once). */
export async function prepareBundle(b: ModelBundle): Promise<ModelBundle> {
  if (isNeuralModel(b.model) && !b.tf) {
    // imported here: loading TensorFlow.js costs time that tree models should not pay
    const { loadTf } = await import('./tf-runtime.js');
    b.tf = (await loadTf()).tf;
  }
  return b;
}

/** Class probabilities, row-major nRows × nClasses. */
export function predictBundle(b: ModelBundle, X: RowMatrix): Float32Array {
  if (isNeuralModel(b.model)) {
    if (!b.tf) throw new Error('a neural model was used before prepareBundle loaded TensorFlow.js');
    return predictNeural(b.tf, b.model, X);
  }
  return predictProba(b.model, X);
}

export function decodeBundle(bytes: Uint8Array): ModelBundle {
  let decoded: { manifest: unknown; arrays: Record<string, ArrayBufferView> };
  try {
    decoded = decodeModelFile(bytes) as typeof decoded;
  } catch (err) {
    throw new FlowsightError('BAD_INPUT', `The stored model cannot be read: ${(err as Error).message}`);
  }
  const manifest = decoded.manifest as BundleManifest;
  if (manifest?.format !== BUNDLE_FORMAT) throw new FlowsightError('BAD_INPUT', 'The stored model is not a Flowsight model file.');
  if (manifest.version > BUNDLE_VERSION) {
    throw new FlowsightError('BAD_INPUT', `This model was saved by a newer Flowsight (model format ${manifest.version}; this version reads up to ${BUNDLE_VERSION}). Update Flowsight to use it.`);
  }
  const content = { manifest: manifest.model, arrays: decoded.arrays } as Parameters<typeof treeModelFromFile>[0];
  let model: TrainedModel;
  try {
    model = (manifest.model as { type?: string } | null)?.type === NEURAL_MODEL_TYPE ? neuralModelFromFile(content) : treeModelFromFile(content);
  } catch (err) {
    throw new FlowsightError('BAD_INPUT', `The stored model cannot be read: ${(err as Error).message}`);
  }
  return { manifest, model };
}

export interface Scores {
  /** row-major nRows × classes.length */
  proba: Float32Array;
  /** predicted class index per row */
  pred: Int32Array;
  /** attack score per row (1 - P(benign), or the anomaly score) */
  score: Float32Array;
  /** seconds spent in preprocessing + prediction */
  seconds: number;
}

/** Refuses a frame that lacks columns the model needs, naming them. */
export function assertSchema(b: ModelBundle, frame: RawFrame, dataName: string): void {
  const { missing, wrongKind } = checkSchema(b.manifest.preprocessor, frame);
  if (wrongKind.length) {
    const shown = wrongKind.slice(0, 8).map((w) => `"${w.name}" (the model expects ${w.expected})`).join(', ');
    throw new FlowsightError('BAD_INPUT', `${dataName} has columns of another type than this model was trained on: ${shown}. Set their roles on the dataset page to match.`);
  }
  if (missing.length) {
    const shown = missing.slice(0, 8).map((m) => `"${m}"`).join(', ');
    throw new FlowsightError(
      'BAD_INPUT',
      `${dataName} does not have the columns this model was trained on: missing ${shown}${missing.length > 8 ? ` and ${missing.length - 8} more` : ''}.`,
    );
  }
}

/** Preprocess and predict some rows (all when `rows` is omitted), in blocks to bound memory. */
export function scoreFrame(b: ModelBundle, frame: RawFrame, rows?: Int32Array | null, block = 65536): Scores {
  const n = rows ? rows.length : frame.nSamples;
  const nClasses = b.manifest.classes.length;
  const proba = new Float32Array(n * nClasses);
  const pred = new Int32Array(n);
  const score = new Float32Array(n);
  const t0 = performance.now();
  for (let start = 0; start < n; start += block) {
    const end = Math.min(n, start + block);
    const idx = rows ? rows.subarray(start, end) : rangeRows(start, end);
    const X = toRowMajor(transform(b.manifest.preprocessor, frame, idx));
    const p = predictBundle(b, X);
    proba.set(p, start * nClasses);
    decide(b, p, end - start, pred.subarray(start, end), score.subarray(start, end));
  }
  return { proba, pred, score, seconds: (performance.now() - t0) / 1000 };
}

function rangeRows(start: number, end: number): Int32Array {
  const r = new Int32Array(end - start);
  for (let i = 0; i < r.length; i++) r[i] = start + i;
  return r;
}

/**
 * Class and attack score from probabilities: argmax (ties: lowest index) and 1 - P(benign); an
 * anomaly model's score is P(anomaly) and its class follows the stored threshold.
 */
export function decide(b: ModelBundle, proba: Float32Array, n: number, pred: Int32Array, score: Float32Array): void {
  const k = b.manifest.classes.length;
  const benign = b.manifest.benign;
  if (b.model.link === 'anomaly') {
    const t = b.model.threshold ?? 0.5;
    for (let i = 0; i < n; i++) {
      const s = proba[i * 2 + 1]!;
      score[i] = s;
      pred[i] = s >= t ? 1 : 0;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let best = 0;
    let bestP = proba[o]!;
    for (let c = 1; c < k; c++) {
      const v = proba[o + c]!;
      if (v > bestP) {
        bestP = v;
        best = c;
      }
    }
    pred[i] = best;
    score[i] = benign >= 0 ? 1 - proba[o + benign]! : bestP;
  }
}
