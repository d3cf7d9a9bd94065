/**
 * Choosing a decision threshold on a score (flag when score >= threshold) from the scores of
 * benign rows. Scores are float32 (what models output), so "just above a score" is the next
 * float32 up.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The smallest float32 strictly greater than v (v itself for +Infinity and NaN). */
export function nextUpFloat32(v: number): number {
  f32[0] = v;
  const x = f32[0]!;
  if (x !== x || x === Infinity) return x;
  if (x === 0) {
    u32[0] = 1; // smallest positive subnormal
    return f32[0]!;
  }
  if (x > v) return x; // v was rounded up: that float32 is already above v
  if (x > 0) u32[0] = u32[0]! + 1;
  else u32[0] = u32[0]! - 1;
  return f32[0]!;
}

/**
 * The smallest threshold (a float32) such that at most maxFlagged of the scores are >= it.
 * maxFlagged >= the number of scores gives the lowest score (everything flagged). NaN scores are
 * never flagged and are ignored. Throws when there is no score.
 */
export function thresholdForBudget(scores: Float32Array | Float64Array, maxFlagged: number): number {
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] === scores[i]) n++;
  if (n === 0) throw new RangeError('no scores to choose a threshold from');
  const sorted = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] === scores[i]) sorted[j++] = scores[i]!;
  sorted.sort();
  const m = Math.max(0, Math.floor(maxFlagged));
  if (m >= n) return sorted[0]!;
  // the (m + 1)-th largest score must fall below the threshold; everything above it may be flagged
  return nextUpFloat32(sorted[n - m - 1]!);
}

/**
 * The smallest threshold such that the share of benign scores >= threshold is <= targetFpr
 * (targetFpr in [0, 1]).
 */
export function thresholdForFpr(benignScores: Float32Array | Float64Array, targetFpr: number): number {
  if (!(targetFpr >= 0 && targetFpr <= 1)) throw new RangeError(`targetFpr must be in [0, 1], got ${targetFpr}`);
  let n = 0;
  for (let i = 0; i < benignScores.length; i++) if (benignScores[i] === benignScores[i]) n++;
  // tolerance so that e.g. 0.01 * 300 = 3.0000000000000004 still allows 3 rows
  return thresholdForBudget(benignScores, Math.floor(targetFpr * n + 1e-9));
}
