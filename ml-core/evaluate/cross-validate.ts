/**
 * Cross-validation and holdout evaluation around a caller's fit-and-predict function. The model
 * itself stays with the caller; this module owns the folds and the metrics.
 */
import { classificationMetrics } from '../metrics/classification.js';
import type { ClassificationMetrics, CrossValidationSummary, MeanSpread } from '../metrics/types.js';
import { stratifiedKFold, stratifiedSplit } from '../preprocess/split.js';

/** Mean and sample standard deviation (n − 1 denominator; 0 for one value, NaN for none). */
export function summarize(values: number[]): MeanSpread {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  if (n === 1) return { mean, std: 0 };
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return { mean, std: Math.sqrt(ss / (n - 1)) };
}

/** Summary of nullable per-fold values over the folds where they are defined; null when none is. */
function summarizeNullable(values: Array<number | null>): MeanSpread | null {
  const defined = values.filter((v): v is number => v !== null);
  return defined.length ? summarize(defined) : null;
}

export function summarizeFolds(perFold: ClassificationMetrics[]): CrossValidationSummary {
  const pick = (f: (m: ClassificationMetrics) => number): MeanSpread => summarize(perFold.map(f));
  return {
    folds: perFold.length,
    accuracy: pick((m) => m.accuracy),
    macroF1: pick((m) => m.macroF1),
    weightedF1: pick((m) => m.weightedF1),
    balancedAccuracy: pick((m) => m.balancedAccuracy),
    mcc: pick((m) => m.mcc),
    detectionRate: summarizeNullable(perFold.map((m) => m.detectionRate)),
    falsePositiveRate: summarizeNullable(perFold.map((m) => m.falsePositiveRate)),
  };
}

export interface CrossValidateOptions<P = Int32Array> {
  /** class index per row (all rows take part) */
  y: Int32Array;
  nClasses: number;
  folds: number;
  seed: number;
  /** class names, index = class index */
  classes: string[];
  /** index of the benign class, -1 for none */
  benign: number;
  /** train on `train` rows, return predicted class indices for `test` rows (same order) */
  fitAndPredict(train: Int32Array, test: Int32Array, fold: number): P;
  /** called after each fold */
  onFold?(fold: number, metrics: ClassificationMetrics): void;
}

export interface CrossValidationResult {
  perFold: ClassificationMetrics[];
  summary: CrossValidationSummary;
}

function gather(y: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = y[rows[i]!]!;
  return out;
}

function foldMetrics(y: Int32Array, test: Int32Array, pred: Int32Array, classes: string[], benign: number): ClassificationMetrics {
  if (!(pred instanceof Int32Array) || pred.length !== test.length) {
    throw new RangeError(`fitAndPredict must return an Int32Array of ${test.length} predictions`);
  }
  return classificationMetrics(gather(y, test), pred, classes, benign);
}

/** Stratified k-fold cross-validation (folds from stratifiedKFold with the same seed). */
export function crossValidate(opts: CrossValidateOptions): CrossValidationResult {
  const splits = stratifiedKFold(opts.y, opts.nClasses, opts.folds, opts.seed);
  const perFold: ClassificationMetrics[] = [];
  splits.forEach(({ train, test }, fold) => {
    const m = foldMetrics(opts.y, test, opts.fitAndPredict(train, test, fold), opts.classes, opts.benign);
    perFold.push(m);
    opts.onFold?.(fold, m);
  });
  return { perFold, summary: summarizeFolds(perFold) };
}

/** crossValidate with an async fitAndPredict; folds run one after another. */
export async function crossValidateAsync(opts: CrossValidateOptions<Promise<Int32Array>>): Promise<CrossValidationResult> {
  const splits = stratifiedKFold(opts.y, opts.nClasses, opts.folds, opts.seed);
  const perFold: ClassificationMetrics[] = [];
  for (let fold = 0; fold < splits.length; fold++) {
    const { train, test } = splits[fold]!;
    const m = foldMetrics(opts.y, test, await opts.fitAndPredict(train, test, fold), opts.classes, opts.benign);
    perFold.push(m);
    opts.onFold?.(fold, m);
  }
  return { perFold, summary: summarizeFolds(perFold) };
}

export interface HoldoutOptions {
  y: Int32Array;
  nClasses: number;
  testSize: number;
  seed: number;
  classes: string[];
  benign: number;
  fitAndPredict(train: Int32Array, test: Int32Array): Int32Array;
}

/** One stratified train/test split, fit, predict, score. */
export function holdout(opts: HoldoutOptions): { train: Int32Array; test: Int32Array; metrics: ClassificationMetrics } {
  const { train, test } = stratifiedSplit(opts.y, opts.nClasses, opts.testSize, opts.seed);
  const metrics = foldMetrics(opts.y, test, opts.fitAndPredict(train, test), opts.classes, opts.benign);
  return { train, test, metrics };
}
