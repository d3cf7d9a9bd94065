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

/**
 * Sorts float32 values ascending in place (no NaN expected): LSD radix sort, two 16-bit passes
 * over order-preserving uint32 keys. Several times faster than the native sort on large arrays.
 */
export function sortFloat32(a: Float32Array): Float32Array {
  const n = a.length;
  if (n < 2048) return a.sort();
  const bits = new Uint32Array(a.buffer, a.byteOffset, n);
  const keys = new Uint32Array(n);
  // negative: flip all bits; positive: set the sign bit → unsigned order = float order
  for (let i = 0; i < n; i++) {
    const x = bits[i]!;
    keys[i] = x & 0x80000000 ? ~x : x | 0x80000000;
  }
  const tmp = new Uint32Array(n);
  const count = new Uint32Array(65536);
  for (let i = 0; i < n; i++) count[keys[i]! & 0xffff]!++;
  for (let b = 0, sum = 0; b < 65536; b++) {
    const c = count[b]!;
    count[b] = sum;
    sum += c;
  }
  for (let i = 0; i < n; i++) tmp[count[keys[i]! & 0xffff]!++] = keys[i]!;
  count.fill(0);
  for (let i = 0; i < n; i++) count[tmp[i]! >>> 16]!++;
  for (let b = 0, sum = 0; b < 65536; b++) {
    const c = count[b]!;
    count[b] = sum;
    sum += c;
  }
  for (let i = 0; i < n; i++) keys[count[tmp[i]! >>> 16]!++] = tmp[i]!;
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    bits[i] = k & 0x80000000 ? k & 0x7fffffff : ~k;
  }
  return a;
}

/** Scores of positives and of negatives, each sorted ascending (float32 scores stay float32). */
function sortedByLabel(positive: Uint8Array, score: Scores): { pos: Scores; neg: Scores } {
  if (positive.length !== score.length) throw new RangeError(`${positive.length} labels but ${score.length} scores`);
  let nPos = 0;
  for (let i = 0; i < positive.length; i++) if (positive[i]) nPos++;
  const f32 = score instanceof Float32Array;
  const pos = f32 ? new Float32Array(nPos) : new Float64Array(nPos);
  const neg = f32 ? new Float32Array(positive.length - nPos) : new Float64Array(positive.length - nPos);
  let ip = 0;
  let ineg = 0;
  for (let i = 0; i < positive.length; i++) {
    const s = score[i]!;
    const v = s === s ? s : -Infinity;
    if (positive[i]) pos[ip++] = v;
    else neg[ineg++] = v;
  }
  if (pos instanceof Float32Array && neg instanceof Float32Array) {
    sortFloat32(pos);
    sortFloat32(neg);
  } else {
    pos.sort();
    neg.sort();
  }
  return { pos, neg };
}

/**
 * Cumulative counts at every distinct threshold, from the highest: at step j (1-based), tp[j]
 * positives and fp[j] negatives have score >= thr[j]. Step 0 is the empty prediction
 * (tp = fp = 0, thr = Number.MAX_VALUE). m = number of distinct thresholds.
 */
interface Walk {
  thr: Float64Array;
  tp: Float64Array;
  fp: Float64Array;
  m: number;
  P: number;
  N: number;
}

function walkThresholds(positive: Uint8Array, score: Scores): Walk {
  const { pos, neg } = sortedByLabel(positive, score);
  const P = pos.length;
  const N = neg.length;
  const thrs = new Float64Array(P + N + 1);
  const tps = new Float64Array(P + N + 1);
  const fps = new Float64Array(P + N + 1);
  thrs[0] = Number.MAX_VALUE;
  let ip = P - 1;
  let ineg = N - 1;
  let tp = 0;
  let fp = 0;
  let m = 0;
  while (ip >= 0 || ineg >= 0) {
    // the next threshold is the larger of the two heads (an exhausted side never wins)
    const thr = ip >= 0 && (ineg < 0 || pos[ip]! >= neg[ineg]!) ? pos[ip]! : neg[ineg]!;
    while (ip >= 0 && pos[ip] === thr) {
      tp++;
      ip--;
    }
    while (ineg >= 0 && neg[ineg] === thr) {
      fp++;
      ineg--;
    }
    m++;
    thrs[m] = thr;
    tps[m] = tp;
    fps[m] = fp;
  }
  return { thr: thrs, tp: tps, fp: fps, m, P, N };
}

/** Indices of at most maxPoints of the n points, spread evenly along the curve's L1 length, first and last kept. */
function downsample(x: Float64Array, y: Float64Array, n: number, maxPoints: number): number[] {
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

function toCurve(x: Float64Array, y: Float64Array, w: Walk, auc: number, maxPoints: number): Curve {
  const idx = downsample(x, y, w.m + 1, maxPoints);
  return { x: idx.map((i) => x[i]!), y: idx.map((i) => y[i]!), thresholds: idx.map((i) => w.thr[i]!), auc };
}

function rocFromWalk(w: Walk, maxPoints: number): Curve {
  const { tp, fp, m, P, N } = w;
  const x = new Float64Array(m + 1);
  const y = new Float64Array(m + 1);
  let area = 0; // doubled, in units of (negatives × positives)
  for (let j = 1; j <= m; j++) {
    area += (fp[j]! - fp[j - 1]!) * (tp[j]! + tp[j - 1]!);
    x[j] = N > 0 ? fp[j]! / N : 0;
    y[j] = P > 0 ? tp[j]! / P : 0;
  }
  return toCurve(x, y, w, P > 0 && N > 0 ? area / (2 * P * N) : NaN, maxPoints);
}

function prFromWalk(w: Walk, maxPoints: number): Curve {
  const { tp, fp, m, P } = w;
  const x = new Float64Array(m + 1);
  const y = new Float64Array(m + 1);
  y[0] = 1;
  let ap = 0;
  for (let j = 1; j <= m; j++) {
    const precision = tp[j]! / (tp[j]! + fp[j]!);
    if (P > 0) ap += ((tp[j]! - tp[j - 1]!) / P) * precision;
    x[j] = P > 0 ? tp[j]! / P : 0;
    y[j] = precision;
  }
  return toCurve(x, y, w, P > 0 ? ap : NaN, maxPoints);
}

/**
 * ROC curve: (false-positive rate, true-positive rate) at every distinct threshold, from (0, 0)
 * to (1, 1); auc is the exact trapezoid area over all thresholds (ties give a diagonal step).
 * The returned points are at most maxPoints (first and last kept). With no positive or no
 * negative, auc is NaN.
 */
export function rocCurve(positive: Uint8Array, score: Scores, maxPoints = 256): Curve {
  return rocFromWalk(walkThresholds(positive, score), maxPoints);
}

/** ROC AUC alone. NaN with no positive or no negative. */
export function rocAuc(positive: Uint8Array, score: Scores): number {
  const { tp, fp, m, P, N } = walkThresholds(positive, score);
  if (P === 0 || N === 0) return NaN;
  let area = 0;
  for (let j = 1; j <= m; j++) area += (fp[j]! - fp[j - 1]!) * (tp[j]! + tp[j - 1]!);
  return area / (2 * P * N);
}

/**
 * Precision-recall curve, recall ascending: first point (recall 0, precision 1) with threshold
 * Number.MAX_VALUE, then one point per distinct threshold from the highest. auc is average
 * precision as scikit-learn defines it: Σ_n (R_n − R_{n−1}) · P_n over thresholds (no
 * interpolation). With no positive, auc is NaN.
 */
export function prCurve(positive: Uint8Array, score: Scores, maxPoints = 256): Curve {
  return prFromWalk(walkThresholds(positive, score), maxPoints);
}

/** Average precision alone. NaN with no positive. */
export function averagePrecision(positive: Uint8Array, score: Scores): number {
  const { tp, fp, m, P } = walkThresholds(positive, score);
  if (P === 0) return NaN;
  let ap = 0;
  for (let j = 1; j <= m; j++) ap += ((tp[j]! - tp[j - 1]!) / P) * (tp[j]! / (tp[j]! + fp[j]!));
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
    const w = walkThresholds(positive, score);
    out.push({ name, roc: rocFromWalk(w, maxPoints), pr: prFromWalk(w, maxPoints), positives, negatives });
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
