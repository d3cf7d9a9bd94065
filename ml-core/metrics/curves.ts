/**
 * ROC and precision-recall curves. Scores of positives and negatives are sorted separately with
 * the native typed-array sort and merged from the top, so tied scores form one threshold and
 * 500k rows take a few tens of milliseconds.
 *
 * Thresholds mean "positive when score >= threshold". The first point of each curve (nothing
 * predicted positive) carries Number.MAX_VALUE as threshold (JSON-safe stand-in for +Infinity).
 * NaN scores count as -Infinity.
 */
import type { Curve, CurveSet } from './types.js';

type Scores = Float32Array | Float64Array;

/** Scores of positives and of negatives, each sorted ascending. */
function sortedByLabel(positive: Uint8Array, score: Scores): { pos: Float64Array; neg: Float64Array } {
  if (positive.length !== score.length) throw new RangeError(`${positive.length} labels but ${score.length} scores`);
  let nPos = 0;
  for (let i = 0; i < positive.length; i++) if (positive[i]) nPos++;
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(positive.length - nPos);
  let ip = 0;
  let ineg = 0;
  for (let i = 0; i < positive.length; i++) {
    const s = score[i]!;
    const v = s === s ? s : -Infinity;
    if (positive[i]) pos[ip++] = v;
    else neg[ineg++] = v;
  }
  pos.sort();
  neg.sort();
  return { pos, neg };
}

/**
 * Cumulative counts at every distinct threshold, from the highest: after step j, tp[j] positives
 * and fp[j] negatives have score >= thr[j]. Calls visit(thr, tp, fp) once per distinct score.
 */
function walkThresholds(pos: Float64Array, neg: Float64Array, visit: (thr: number, tp: number, fp: number) => void): void {
  let ip = pos.length - 1;
  let ineg = neg.length - 1;
  let tp = 0;
  let fp = 0;
  while (ip >= 0 || ineg >= 0) {
    const sp = ip >= 0 ? pos[ip]! : -Infinity;
    const sn = ineg >= 0 ? neg[ineg]! : -Infinity;
    // the next threshold is the larger head; -Infinity heads are only taken when that side has rows
    const thr = ip >= 0 && (ineg < 0 || sp >= sn) ? sp : sn;
    while (ip >= 0 && pos[ip] === thr) {
      tp++;
      ip--;
    }
    while (ineg >= 0 && neg[ineg] === thr) {
      fp++;
      ineg--;
    }
    visit(thr, tp, fp);
  }
}

/** Indices of at most maxPoints points, spread evenly along the curve's L1 length, first and last kept. */
function downsample(x: number[], y: number[], maxPoints: number): number[] {
  const n = x.length;
  const m = Math.max(2, Math.floor(maxPoints));
  if (n <= m) return Array.from({ length: n }, (_, i) => i);
  // drop points in the middle of straight runs first
  const keep: number[] = [0];
  for (let i = 1; i < n - 1; i++) {
    const a = keep[keep.length - 1]!;
    const cross = (x[i]! - x[a]!) * (y[i + 1]! - y[a]!) - (y[i]! - y[a]!) * (x[i + 1]! - x[a]!);
    if (Math.abs(cross) > 1e-15) keep.push(i);
  }
  keep.push(n - 1);
  if (keep.length <= m) return keep;
  const cum = new Float64Array(keep.length);
  for (let j = 1; j < keep.length; j++) {
    const a = keep[j - 1]!;
    const b = keep[j]!;
    cum[j] = cum[j - 1]! + Math.abs(x[b]! - x[a]!) + Math.abs(y[b]! - y[a]!);
  }
  const total = cum[keep.length - 1]!;
  const out: number[] = [keep[0]!];
  let j = 1;
  for (let s = 1; s < m - 1; s++) {
    const target = (total * s) / (m - 1);
    while (j < keep.length - 1 && cum[j]! < target) j++;
    if (j >= keep.length - 1) break;
    if (keep[j]! !== out[out.length - 1]) out.push(keep[j]!);
  }
  out.push(keep[keep.length - 1]!);
  return out;
}

function pick(arr: number[], idx: number[]): number[] {
  return idx.map((i) => arr[i]!);
}

/**
 * ROC curve: (false-positive rate, true-positive rate) at every distinct threshold, from (0, 0)
 * to (1, 1); auc is the exact trapezoid area over all thresholds (ties give a diagonal step).
 * The returned points are at most maxPoints (first and last kept). With no positive or no
 * negative, auc is NaN.
 */
export function rocCurve(positive: Uint8Array, score: Scores, maxPoints = 256): Curve {
  const { pos, neg } = sortedByLabel(positive, score);
  const P = pos.length;
  const N = neg.length;
  const x: number[] = [0];
  const y: number[] = [0];
  const thresholds: number[] = [Number.MAX_VALUE];
  let area = 0; // in units of (negatives × positives), doubled
  let prevTp = 0;
  let prevFp = 0;
  walkThresholds(pos, neg, (thr, tp, fp) => {
    area += (fp - prevFp) * (tp + prevTp);
    prevTp = tp;
    prevFp = fp;
    x.push(N > 0 ? fp / N : 0);
    y.push(P > 0 ? tp / P : 0);
    thresholds.push(thr);
  });
  const auc = P > 0 && N > 0 ? area / (2 * P * N) : NaN;
  const idx = downsample(x, y, maxPoints);
  return { x: pick(x, idx), y: pick(y, idx), thresholds: pick(thresholds, idx), auc };
}

/** ROC AUC alone (no points). NaN with no positive or no negative. */
export function rocAuc(positive: Uint8Array, score: Scores): number {
  const { pos, neg } = sortedByLabel(positive, score);
  const P = pos.length;
  const N = neg.length;
  if (P === 0 || N === 0) return NaN;
  let area = 0;
  let prevTp = 0;
  let prevFp = 0;
  walkThresholds(pos, neg, (_thr, tp, fp) => {
    area += (fp - prevFp) * (tp + prevTp);
    prevTp = tp;
    prevFp = fp;
  });
  return area / (2 * P * N);
}

/**
 * Precision-recall curve, recall ascending: first point (recall 0, precision 1) with threshold
 * Number.MAX_VALUE, then one point per distinct threshold from the highest. auc is average
 * precision as scikit-learn defines it: Σ_n (R_n − R_{n−1}) · P_n over thresholds (no
 * interpolation). With no positive, auc is NaN.
 */
export function prCurve(positive: Uint8Array, score: Scores, maxPoints = 256): Curve {
  const { pos, neg } = sortedByLabel(positive, score);
  const P = pos.length;
  const x: number[] = [0];
  const y: number[] = [1];
  const thresholds: number[] = [Number.MAX_VALUE];
  let ap = 0;
  let prevTp = 0;
  walkThresholds(pos, neg, (thr, tp, fp) => {
    const precision = tp / (tp + fp);
    if (P > 0) ap += ((tp - prevTp) / P) * precision;
    prevTp = tp;
    x.push(P > 0 ? tp / P : 0);
    y.push(precision);
    thresholds.push(thr);
  });
  const idx = downsample(x, y, maxPoints);
  return { x: pick(x, idx), y: pick(y, idx), thresholds: pick(thresholds, idx), auc: P > 0 ? ap : NaN };
}

/** Average precision alone. */
export function averagePrecision(positive: Uint8Array, score: Scores): number {
  const { pos, neg } = sortedByLabel(positive, score);
  const P = pos.length;
  if (P === 0) return NaN;
  let ap = 0;
  let prevTp = 0;
  walkThresholds(pos, neg, (_thr, tp, fp) => {
    ap += ((tp - prevTp) / P) * (tp / (tp + fp));
    prevTp = tp;
  });
  return ap;
}

/** Most one-vs-rest curve sets curveSets returns. */
export const MAX_CLASS_CURVES = 20;

/**
 * Curves for an evaluation. proba is row-major: proba[sampleIdx * nClasses + classIdx].
 * First the binary 'attack' set (when benign >= 0; positive = any non-benign class; score =
 * attackScore, else 1 − proba[benign]), then one-vs-rest sets for classes with support > 0, the
 * MAX_CLASS_CURVES largest supports first (ties by class index). A set whose positives or
 * negatives would be 0 is left out (its AUC is undefined).
 */
export function curveSets(
  yTrue: Int32Array,
  proba: Float32Array,
  classes: string[],
  benign: number,
  attackScore?: Float32Array,
  maxPoints = 256,
): CurveSet[] {
  const n = yTrue.length;
  const K = classes.length;
  if (proba.length !== n * K) throw new RangeError(`proba has ${proba.length} values, expected ${n} × ${K}`);
  if (attackScore && attackScore.length !== n) throw new RangeError(`attackScore has ${attackScore.length} values, expected ${n}`);
  const support = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    const c = yTrue[i]!;
    if (!(c >= 0 && c < K)) throw new RangeError(`class index ${c} at row ${i} is outside 0..${K - 1}`);
    support[c]!++;
  }
  const out: CurveSet[] = [];
  const positive = new Uint8Array(n);
  const score = new Float32Array(n);
  const make = (name: string, positives: number): void => {
    const negatives = n - positives;
    if (positives === 0 || negatives === 0) return;
    out.push({ name, roc: rocCurve(positive, score, maxPoints), pr: prCurve(positive, score, maxPoints), positives, negatives });
  };
  if (benign >= 0 && benign < K) {
    for (let i = 0; i < n; i++) {
      positive[i] = yTrue[i] !== benign ? 1 : 0;
      score[i] = attackScore ? attackScore[i]! : 1 - proba[i * K + benign]!;
    }
    make('attack', n - support[benign]!);
  }
  const order = Array.from({ length: K }, (_, c) => c)
    .filter((c) => support[c]! > 0)
    .sort((a, b) => support[b]! - support[a]! || a - b)
    .slice(0, MAX_CLASS_CURVES);
  for (const c of order) {
    for (let i = 0; i < n; i++) {
      positive[i] = yTrue[i] === c ? 1 : 0;
      score[i] = proba[i * K + c]!;
    }
    make(classes[c]!, support[c]!);
  }
  return out;
}
