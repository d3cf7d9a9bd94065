/** Shapes of evaluation results (plain JSON: stored with the model, sent to the UI and the CLI). */

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ConfusionMatrix {
  labels: string[];
  /** matrix[trueIdx][predIdx] = count */
  matrix: number[][];
}

export interface ClassificationMetrics {
  accuracy: number;
  macroF1: number;
  weightedF1: number;
  balancedAccuracy: number;
  mcc: number;
  /** share of attack rows predicted as any attack class (null when there is no benign class or no attack row) */
  detectionRate: number | null;
  /** share of benign rows predicted as any attack class (null when there is no benign class or no benign row) */
  falsePositiveRate: number | null;
  perClass: Record<string, ClassMetrics>;
  confusion: ConfusionMatrix;
}

export interface Curve {
  /** x values (ROC: false-positive rate; PR: recall), ascending for ROC */
  x: number[];
  /** y values (ROC: true-positive rate; PR: precision) */
  y: number[];
  /** score threshold at each point */
  thresholds: number[];
  /** area under the curve (PR: average precision) */
  auc: number;
}

export interface CurveSet {
  /** 'attack' for the binary attack-vs-benign curve, else the class name (one-vs-rest) */
  name: string;
  roc: Curve;
  pr: Curve;
  /** positives and negatives behind the curve */
  positives: number;
  negatives: number;
}

export interface MeanSpread {
  mean: number;
  std: number;
}

export interface CrossValidationSummary {
  folds: number;
  accuracy: MeanSpread;
  macroF1: MeanSpread;
  weightedF1: MeanSpread;
  balancedAccuracy: MeanSpread;
  mcc: MeanSpread;
  detectionRate: MeanSpread | null;
  falsePositiveRate: MeanSpread | null;
}
