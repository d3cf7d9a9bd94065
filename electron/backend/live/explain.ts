/**
 * Why an alert fired: the per-feature contributions to the model's output for one flow, with the
 * flow's value and the benign typical range of each feature (for the signed bar chart of an alert).
 *
 * The flow's raw feature record becomes a 1-row RawFrame, the model's own preprocessing turns it
 * into the input row, and the model family's explainer attributes the explained output:
 * - tree models (ml-core/explain/tree-shap.ts, exact TreeSHAP): forests explain P(class); gradient
 *   boosting the class's raw score (log-odds); an isolation forest its average path length, shown
 *   here on the anomaly-score scale (see isolationToScore);
 * - neural models (ml-core/explain/neural.ts): integrated gradients of P(class) or of the
 *   autoencoder's anomaly score, from a baseline row of benign medians (see neuralBaseline).
 * Contributions of the model input columns a raw column expanded into (one-hot categories,
 * missing-value indicators) are summed back to that raw column, so there is one per analyst column.
 */
import { treeShap, ExplanationUnavailable } from '../../../ml-core/explain/tree-shap.js';
import { neuralAttribution } from '../../../ml-core/explain/neural.js';
import { transform } from '../../../ml-core/preprocess/pipeline.js';
import type { FittedPreprocessor, RawColumn, RawFrame } from '../../../ml-core/preprocess/types.js';
import type { AlertExplanation, FeatureContribution } from '../../contract/live.js';
import { FlowsightError } from '../../contract/errors.js';
import type { DatasetsRepo } from '../db/datasets.repo.js';
import type { ModelsRepo } from '../db/models.repo.js';
import { isBenignClass } from '../training/dataset-frame.js';
import { isNeuralModel, predictBundle, prepareBundle, type ModelBundle } from '../training/model-bundle.js';

export type BenignRanges = Record<string, { p5: number; median: number; p95: number }>;

export type FeatureRecord = Record<string, number | string | null>;

/** Most benign rows read per column for the percentiles (an even stride over them beyond that). */
export const BENIGN_SAMPLE_ROWS = 200_000;

/**
 * The 1-row frame of a feature record in the preprocessor's input order. Numbers as numbers
 * (a numeric string is parsed; null, '' or text that is not a number = missing), categories as
 * strings (a number becomes its decimal string; null = missing). Refuses a record that lacks a
 * model input column, naming them.
 */
export function frameOfRecord(pre: FittedPreprocessor, features: FeatureRecord): RawFrame {
  const missing = pre.inputs.filter((i) => !Object.prototype.hasOwnProperty.call(features, i.name)).map((i) => `"${i.name}"`);
  if (missing.length) {
    throw new FlowsightError(
      'BAD_INPUT',
      `The flow lacks columns the model reads: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ` and ${missing.length - 8} more` : ''}.`,
    );
  }
  const columns: RawColumn[] = pre.inputs.map((input) => {
    const v = features[input.name];
    if (input.kind === 'numeric') {
      const num = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      return { name: input.name, kind: 'numeric', values: Float64Array.of(num) };
    }
    if (v === null || v === undefined) return { name: input.name, kind: 'categorical', codes: Int32Array.of(-1), categories: [] };
    return { name: input.name, kind: 'categorical', codes: Int32Array.of(0), categories: [String(v)] };
  });
  return { nSamples: 1, columns };
}

/** The model input row of a 1-row frame (column-major with one row is the row itself). */
function inputRow(pre: FittedPreprocessor, frame: RawFrame): Float32Array {
  return transform(pre, frame).data;
}

/** Sums model-input contributions back to the raw input columns they came from. */
function perInputColumn(pre: FittedPreprocessor, values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(pre.inputs.length);
  for (let o = 0; o < pre.outputSource.length; o++) out[pre.outputSource[o]!]! += values[o]!;
  return out;
}

/** Class explained by default: the predicted class when it is not benign, else the most probable non-benign one. */
function defaultClass(proba: Float32Array, benign: number): number {
  let best = 0;
  for (let c = 1; c < proba.length; c++) if (proba[c]! > proba[best]!) best = c;
  if (benign < 0 || best !== benign || proba.length < 2) return best;
  let alt = -1;
  for (let c = 0; c < proba.length; c++) if (c !== benign && (alt < 0 || proba[c]! > proba[alt]!)) alt = c;
  return alt;
}

/**
 * Neural baseline in the model's input space: each numeric column at its benign median when the
 * ranges are known, else at the preprocessed 0 (the training mean after standard scaling, the raw
 * 0 without scaling), its missing indicator at 0; categorical columns as missing (one-hot: all
 * zero; ordinal: -1).
 */
function neuralBaseline(pre: FittedPreprocessor, benign: BenignRanges | null): Float32Array {
  const rec: FeatureRecord = {};
  for (const i of pre.inputs) rec[i.name] = i.kind === 'numeric' && benign?.[i.name] ? benign[i.name]!.median : null;
  const row = inputRow(pre, frameOfRecord(pre, rec));
  for (let o = 0; o < pre.outputSource.length; o++) {
    const src = pre.outputSource[o]!;
    const input = pre.inputs[src]!;
    if (input.kind !== 'numeric') continue;
    // a numeric column's outputs: its value, then its missing indicator when it has one
    const isIndicator = o > 0 && pre.outputSource[o - 1] === src;
    if (isIndicator || !benign?.[input.name]) row[o] = 0;
  }
  return row;
}

/**
 * An isolation forest's TreeSHAP explains the average path length E (additive over trees); the
 * anomaly score s = 2^(-E / c) is a decreasing function of it. The contributions are put on the
 * score's scale by one common factor (s(x) - s(base)) / (E(x) - E(base)) (the derivative when the
 * two are equal): the sum then goes exactly from the base score to the flow's score, each
 * feature keeps its share, and a feature that shortens the path gets a positive contribution.
 */
function isolationToScore(base: number, output: number, values: Float64Array, c: number): { base: number; output: number; values: Float64Array } {
  const s = (e: number) => Math.pow(2, -e / c);
  const sb = s(base);
  const sx = s(output);
  const dE = output - base;
  const factor = Math.abs(dE) > 1e-12 ? (sx - sb) / dE : (-Math.LN2 / c) * sx;
  return { base: sb, output: sx, values: values.map((v) => v * factor) };
}

/**
 * The explanation of one flow's score. classIdx: the class explained (default: the predicted class
 * when it is not benign, else the most probable non-benign class; anomaly models: the anomaly
 * output). Every model input column is returned, largest |contribution| first (`top` cuts the list).
 */
export async function explainFlow(bundle: ModelBundle, features: FeatureRecord, benign: BenignRanges | null, opts: { classIdx?: number; top?: number } = {}): Promise<AlertExplanation> {
  const { manifest } = bundle;
  const pre = manifest.preprocessor;
  const classes = manifest.classes;
  const x = inputRow(pre, frameOfRecord(pre, features));
  const model = bundle.model;
  const anomaly = model.link === 'anomaly';
  let classIdx = opts.classIdx;
  if (classIdx === undefined) {
    if (anomaly) classIdx = 1;
    else {
      await prepareBundle(bundle);
      classIdx = defaultClass(predictBundle(bundle, { data: x, nSamples: 1, nFeatures: x.length }), manifest.benign);
    }
  }
  if (!(Number.isInteger(classIdx) && classIdx >= 0 && classIdx < classes.length)) {
    throw new FlowsightError('BAD_INPUT', `Class ${classIdx} is not one of this model's ${classes.length} classes.`);
  }
  const className = classes[classIdx]!;

  let method: AlertExplanation['method'];
  let output: string;
  let baseValue: number;
  let value: number;
  let values: Float64Array;
  if (isNeuralModel(model)) {
    await prepareBundle(bundle);
    const a = await neuralAttribution(bundle.tf!, model, x, neuralBaseline(pre, benign), classIdx);
    method = a.method;
    output = anomaly ? (classIdx === 1 ? 'anomaly score' : 'normality score (1 − anomaly score)') : `P(${className})`;
    baseValue = a.base;
    value = a.output;
    values = a.values;
  } else {
    let r;
    try {
      r = treeShap(model, x, classIdx);
    } catch (err) {
      if (err instanceof ExplanationUnavailable) throw new FlowsightError('BAD_INPUT', err.message);
      throw err;
    }
    method = 'tree-shap';
    baseValue = r.base;
    value = r.output;
    values = r.values;
    const agg = model.forest.aggregate;
    if (agg === 'mean') output = `P(${className})`;
    else if (agg === 'sum') output = model.forest.nResults === 1 ? `log-odds of ${className}` : `raw score of ${className} (log-odds scale)`;
    else {
      const sc = isolationToScore(r.base, r.output, r.values, model.forest.base[0]!);
      const sign = classIdx === 1 ? 1 : -1;
      baseValue = classIdx === 1 ? sc.base : 1 - sc.base;
      value = classIdx === 1 ? sc.output : 1 - sc.output;
      values = sc.values.map((v) => sign * v);
      output = classIdx === 1 ? 'anomaly score' : 'normality score (1 − anomaly score)';
    }
  }

  const perColumn = perInputColumn(pre, values);
  const contributions: FeatureContribution[] = pre.inputs.map((input, i) => {
    const raw = features[input.name];
    const flowValue = raw === undefined ? null : input.kind === 'numeric' && typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    const range = input.kind === 'numeric' ? (benign?.[input.name] ?? null) : null;
    return { feature: input.name, value: flowValue, contribution: perColumn[i]!, benign: range ? { p5: range.p5, median: range.median, p95: range.p95 } : null };
  });
  contributions.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.feature.localeCompare(b.feature));
  const top = opts.top !== undefined && opts.top >= 0 ? Math.floor(opts.top) : contributions.length;
  return { method, output, baseValue, value, contributions: contributions.slice(0, top) };
}

/** Linear-interpolation quantile of sorted values. */
function quantileSorted(s: Float64Array, q: number): number {
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

const rangeCache = new Map<number, BenignRanges | null>();

/** Forget cached ranges (tests; a model id reused by a new workspace). */
export function clearBenignRangeCache(): void {
  rangeCache.clear();
}

/**
 * 5th/50th/95th percentiles of each numeric model input column over the benign rows of the model's
 * training dataset (null when the dataset is gone or unlabelled, or has no benign row); cached per
 * model id. Reads only the label column and the model's numeric columns; beyond
 * BENIGN_SAMPLE_ROWS benign rows, an even stride of them.
 */
export function benignRanges(datasets: DatasetsRepo, models: ModelsRepo, modelId: number): BenignRanges | null {
  if (rangeCache.has(modelId)) return rangeCache.get(modelId)!;
  const summary = models.summary(modelId);
  const result = computeRanges(datasets, summary.datasetId, models.detail(modelId).features);
  rangeCache.set(modelId, result);
  return result;
}

function computeRanges(datasets: DatasetsRepo, datasetId: number | null, featureNames: string[]): BenignRanges | null {
  if (datasetId === null || !datasets.exists(datasetId)) return null;
  const targets = datasets.meta(datasetId).targets;
  if (!targets) return null;
  const cols = datasets.columns(datasetId);
  const labelCol = cols.find((c) => c.name === targets.labelColumn);
  if (!labelCol || labelCol.storage !== 'dict') return null;
  const codes = datasets.readColumn(datasetId, labelCol) as Int32Array;
  const benignCode = targets.label.map((l) => (targets.binary[l] ?? (isBenignClass(l) ? 'benign' : 'attack')) === 'benign');
  let nBenign = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i]! >= 0 && benignCode[codes[i]!]) nBenign++;
  if (nBenign === 0) return null;
  const stride = Math.max(1, Math.ceil(nBenign / BENIGN_SAMPLE_ROWS));
  const rows: number[] = [];
  let k = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i]! >= 0 && benignCode[codes[i]!] && k++ % stride === 0) rows.push(i);

  const wanted = new Set(featureNames);
  const out: BenignRanges = {};
  for (const c of cols) {
    if (!wanted.has(c.name) || c.role !== 'numeric' || c.storage === 'dict') continue;
    const values = datasets.readColumn(datasetId, c) as Float32Array | Float64Array;
    const v = new Float64Array(rows.length);
    let n = 0;
    for (const r of rows) {
      const x = values[r]!;
      if (x - x === 0) v[n++] = x;
    }
    if (n === 0) continue;
    const s = v.subarray(0, n).sort();
    out[c.name] = { p5: quantileSorted(s, 0.05), median: quantileSorted(s, 0.5), p95: quantileSorted(s, 0.95) };
  }
  return out;
}
