/**
 * Score thresholds of a monitor. Scores are in [0, 1] (1 − P(benign), or the anomaly score).
 * - fpr: read off the model's held-out ROC curve (attack vs benign), stored with the model;
 * - budget: the threshold above which about `alertsPerHour` flows a hour fall at the observed flow
 *   rate, from a histogram of the scores seen so far (it adapts as traffic changes);
 * - score: fixed; model: the model's own class decision (null) or its stored anomaly threshold.
 */
import type { CurveSet } from '../../contract/dto.js';
import type { ThresholdCalibration, ThresholdSpec } from '../../contract/live.js';
import { FlowsightError } from '../../contract/errors.js';

/** Fine histogram bins used to place budget thresholds. */
export const FINE_BINS = 1000;

export function fineBin(score: number): number {
  const b = Math.floor(score * FINE_BINS);
  return b < 0 ? 0 : b >= FINE_BINS ? FINE_BINS - 1 : b;
}

/** The threshold whose held-out false-positive rate is at most `fpr` (the highest detection rate among those). */
export function calibrateFpr(modelId: number, curves: CurveSet[], fpr: number): ThresholdCalibration {
  const set = curves.find((c) => c.name === 'attack') ?? (curves.length === 1 ? curves[0] : undefined);
  if (!set || set.roc.x.length === 0 || set.negatives === 0) {
    throw new FlowsightError(
      'BAD_INPUT',
      'This model has no held-out benign rows to measure a false-positive rate on (it was tested without benign flows). Use a score threshold or an alerts-per-hour budget instead.',
    );
  }
  const { x, y, thresholds } = set.roc;
  let best = -1;
  for (let i = 0; i < x.length; i++) {
    if (x[i]! <= fpr + 1e-12 && Number.isFinite(thresholds[i]!) && (best < 0 || y[i]! > y[best]! || (y[i] === y[best] && x[i]! > x[best]!))) best = i;
  }
  if (best < 0) best = 0;
  const threshold = Math.min(1, Math.max(0, Number.isFinite(thresholds[best]!) ? thresholds[best]! : 1));
  const curve = x.map((v, i) => ({ fpr: v, tpr: y[i]!, threshold: Number.isFinite(thresholds[i]!) ? thresholds[i]! : 1 }));
  return { modelId, threshold, fpr: x[best]!, detectionRate: y[best]!, curve: thin(curve, 200) };
}

function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const out: T[] = [];
  const step = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)]!);
  return out;
}

/**
 * Budget thresholds: the lowest score s such that the share of seen flows scoring >= s is at most
 * budget / flowsPerHour. Before `minFlows` flows, the fallback (the model's own decision) holds.
 */
export function budgetThreshold(hist: Float64Array, alertsPerHour: number, flowsPerHour: number, minFlows = 1000): number | null {
  let total = 0;
  for (let i = 0; i < hist.length; i++) total += hist[i]!;
  if (total < minFlows || !(flowsPerHour > 0)) return null;
  const share = Math.min(1, alertsPerHour / flowsPerHour);
  const allowed = share * total;
  let above = 0;
  for (let b = hist.length - 1; b >= 0; b--) {
    if (above + hist[b]! > allowed) return Math.min(1, (b + 1) / hist.length);
    above += hist[b]!;
  }
  return 0;
}

/** The fixed threshold of a spec, or null when it is decided elsewhere (model, budget). */
export function fixedThreshold(spec: ThresholdSpec, calibrated: number | null): number | null {
  if (spec.mode === 'score') return spec.value;
  if (spec.mode === 'fpr') return calibrated;
  return null;
}
