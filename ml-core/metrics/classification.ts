/**
 * Classification metrics from class-index vectors, matching scikit-learn's definitions
 * (zero_division = 0).
 */
import type { ClassMetrics, ClassificationMetrics } from './types.js';

/** Row-major nClasses × nClasses counts: matrix[trueIdx * nClasses + predIdx]. */
export function confusionMatrix(yTrue: Int32Array, yPred: Int32Array, nClasses: number): Int32Array {
  if (yTrue.length !== yPred.length) throw new RangeError(`yTrue has ${yTrue.length} rows, yPred ${yPred.length}`);
  const m = new Int32Array(nClasses * nClasses);
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]!;
    const p = yPred[i]!;
    if (!(t >= 0 && t < nClasses) || !(p >= 0 && p < nClasses)) {
      throw new RangeError(`class index outside 0..${nClasses - 1} at row ${i} (true ${t}, predicted ${p})`);
    }
    m[t * nClasses + p]!++;
  }
  return m;
}

/**
 * Metrics of predictions against truth.
 * - macroF1: mean F1 over classes present in yTrue or yPred (scikit-learn's labels=None behaviour)
 * - weightedF1: F1 weighted by support
 * - balancedAccuracy: mean recall over classes present in yTrue
 * - mcc: multiclass Matthews correlation (Gorodkin's R_K); 0 when undefined
 * - detectionRate / falsePositiveRate: attack = any class but `benign` (-1: none, both null)
 * An empty input gives zeros (and nulls for the rates).
 */
export function classificationMetrics(yTrue: Int32Array, yPred: Int32Array, classes: string[], benign: number): ClassificationMetrics {
  const K = classes.length;
  const cm = confusionMatrix(yTrue, yPred, K);
  const n = yTrue.length;
  const support = new Float64Array(K);
  const predicted = new Float64Array(K);
  let correct = 0;
  for (let t = 0; t < K; t++) {
    for (let p = 0; p < K; p++) {
      const v = cm[t * K + p]!;
      support[t]! += v;
      predicted[p]! += v;
    }
    correct += cm[t * K + t]!;
  }

  const perClass: Record<string, ClassMetrics> = {};
  let f1Sum = 0;
  let f1Count = 0;
  let weightedF1 = 0;
  let recallSum = 0;
  let recallCount = 0;
  for (let c = 0; c < K; c++) {
    const tp = cm[c * K + c]!;
    const precision = predicted[c]! > 0 ? tp / predicted[c]! : 0;
    const recall = support[c]! > 0 ? tp / support[c]! : 0;
    const denom = support[c]! + predicted[c]!;
    const f1 = denom > 0 ? (2 * tp) / denom : 0;
    perClass[classes[c]!] = { precision, recall, f1, support: support[c]! };
    if (denom > 0) {
      f1Sum += f1;
      f1Count++;
    }
    if (support[c]! > 0) {
      recallSum += recall;
      recallCount++;
      weightedF1 += f1 * support[c]!;
    }
  }

  // Gorodkin: (c·s − Σ p_k t_k) / sqrt((s² − Σ p_k²)(s² − Σ t_k²))
  let sumPT = 0;
  let sumPP = 0;
  let sumTT = 0;
  for (let c = 0; c < K; c++) {
    sumPT += predicted[c]! * support[c]!;
    sumPP += predicted[c]! * predicted[c]!;
    sumTT += support[c]! * support[c]!;
  }
  const s2 = n * n;
  const mccDenom = Math.sqrt((s2 - sumPP) * (s2 - sumTT));
  const mcc = mccDenom > 0 ? (correct * n - sumPT) / mccDenom : 0;

  let detectionRate: number | null = null;
  let falsePositiveRate: number | null = null;
  if (benign >= 0 && benign < K) {
    const benignRows = support[benign]!;
    const attackRows = n - benignRows;
    // benign rows predicted benign, attack rows predicted benign
    const benignKept = cm[benign * K + benign]!;
    const missed = predicted[benign]! - benignKept;
    detectionRate = attackRows > 0 ? (attackRows - missed) / attackRows : null;
    falsePositiveRate = benignRows > 0 ? (benignRows - benignKept) / benignRows : null;
  }

  const matrix: number[][] = [];
  for (let t = 0; t < K; t++) matrix.push(Array.from(cm.subarray(t * K, (t + 1) * K)));

  return {
    accuracy: n > 0 ? correct / n : 0,
    macroF1: f1Count > 0 ? f1Sum / f1Count : 0,
    weightedF1: n > 0 ? weightedF1 / n : 0,
    balancedAccuracy: recallCount > 0 ? recallSum / recallCount : 0,
    mcc,
    detectionRate,
    falsePositiveRate,
    perClass,
    confusion: { labels: classes.slice(), matrix },
  };
}
