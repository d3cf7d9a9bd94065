/**
 * Per-column statistics. Numeric: count/min/max/mean/std over non-NaN values, accumulated per
 * batch (two-pass mean/M2 inside a batch, Chan et al. merge across batches), all in float64.
 * Dictionary: distinct values and the top 10 from per-code counts.
 */
import type { ColumnStats } from './types.js';
import type { StringDictionary } from './dictionary.js';

/** A NumericStatsAccumulator as plain numbers (structured-clone-able; min/max are ±Infinity when empty). */
export interface NumericStatsState {
  count: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
}

export class NumericStatsAccumulator {
  count = 0;
  mean = 0;
  /** sum of squared deviations from the mean */
  m2 = 0;
  min = Infinity;
  max = -Infinity;

  /** Adds values[0, n); NaN entries are skipped. */
  add(values: Float32Array | Float64Array, n: number): void {
    let i = 0;
    while (i < n && values[i] !== values[i]) i++;
    if (i === n) return;
    // one pass of sums shifted by a sample value (the running mean once there is one), which
    // keeps the cancellation in m2 small: relative error ~ n * eps * ((mean - shift) / std)^2
    const shift = this.count > 0 ? this.mean : values[i];
    let cnt = 0;
    // two interleaved sets of sums: half the length of the add chains the loop waits on
    let s1 = 0;
    let s2 = 0;
    let t1 = 0;
    let t2 = 0;
    let min = Infinity;
    let max = -Infinity;
    for (; i + 1 < n; i += 2) {
      const v = values[i];
      const w = values[i + 1];
      if (v === v) {
        const d = v - shift;
        cnt++;
        s1 += d;
        s2 += d * d;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (w === w) {
        const e = w - shift;
        cnt++;
        t1 += e;
        t2 += e * e;
        if (w < min) min = w;
        if (w > max) max = w;
      }
    }
    if (i < n) {
      const v = values[i];
      if (v === v) {
        const d = v - shift;
        cnt++;
        s1 += d;
        s2 += d * d;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    s1 += t1;
    s2 += t2;
    const dm = s1 / cnt;
    const m2 = s2 - s1 * dm;
    this.mergeParts(cnt, shift + dm, m2 > 0 ? m2 : 0, min, max);
  }

  /** Adds another accumulator's (or a state's) values, as if they had been added here after these. */
  merge(o: NumericStatsAccumulator | NumericStatsState): void {
    if (o.count === 0) return;
    this.mergeParts(o.count, o.mean, o.m2, o.min, o.max);
  }

  toState(): NumericStatsState {
    return { count: this.count, mean: this.mean, m2: this.m2, min: this.min, max: this.max };
  }

  static fromState(s: NumericStatsState): NumericStatsAccumulator {
    const acc = new NumericStatsAccumulator();
    acc.count = s.count;
    acc.mean = s.mean;
    acc.m2 = s.m2;
    acc.min = s.min;
    acc.max = s.max;
    return acc;
  }

  private mergeParts(cnt: number, mean: number, m2: number, min: number, max: number): void {
    if (this.count === 0) {
      this.count = cnt;
      this.mean = mean;
      this.m2 = m2;
    } else {
      const total = this.count + cnt;
      const delta = mean - this.mean;
      this.mean += (delta * cnt) / total;
      this.m2 += m2 + (delta * delta * this.count * cnt) / total;
      this.count = total;
    }
    if (min < this.min) this.min = min;
    if (max > this.max) this.max = max;
  }

  /** Final stats; `missing` etc. come from the reader's counters for this column. */
  result(missing: number, nonFinite: number, invalid: number): ColumnStats {
    const has = this.count > 0;
    return {
      count: this.count,
      missing,
      nonFinite,
      invalid,
      min: has ? this.min : null,
      max: has ? this.max : null,
      mean: has ? this.mean : null,
      std: has ? Math.sqrt(this.m2 / this.count) : null,
    };
  }
}

/**
 * Stats of a dictionary column from per-code counts (as returned by a reader's `codeCounts`, or
 * summed over several readers): count = non-missing cells, distinct = codes seen at least once,
 * top = the 10 most frequent values (ties: lower code first).
 */
export function dictionaryStats(
  counts: ArrayLike<number>,
  dictionary: StringDictionary | readonly string[],
  missing: number,
  topN = 10,
): ColumnStats {
  const values = Array.isArray(dictionary) ? (dictionary as readonly string[]) : (dictionary as StringDictionary).values;
  let count = 0;
  let distinct = 0;
  const top: number[] = []; // codes, kept sorted by (count desc, code asc), at most topN
  for (let code = 0; code < counts.length; code++) {
    const c = counts[code];
    if (c <= 0) continue;
    count += c;
    distinct++;
    if (top.length < topN || c > counts[top[top.length - 1]]) {
      let k = top.length < topN ? top.length : topN - 1;
      top[k] = code;
      while (k > 0 && counts[top[k - 1]] < c) {
        top[k] = top[k - 1];
        top[k - 1] = code;
        k--;
      }
    }
  }
  return {
    count,
    missing,
    nonFinite: 0,
    invalid: 0,
    min: null,
    max: null,
    mean: null,
    std: null,
    distinct,
    top: top.map((code) => ({ value: values[code], count: counts[code] })),
  };
}

/** Adds per-code counts b into a (a grows as needed); for summing several readers' counts. */
export function addCodeCounts(a: Int32Array, b: ArrayLike<number>): Int32Array {
  let out = a;
  if (b.length > a.length) {
    out = new Int32Array(b.length);
    out.set(a);
  }
  for (let i = 0; i < b.length; i++) out[i] += b[i];
  return out;
}

// Type feedback for every path of `add` before it gets hot: without it V8 optimises the batch
// loop on the fly (OSR) and then deoptimises at the loop's exit or entry on every call.
for (const arr of [Float32Array.of(1, NaN, 2), Float64Array.of(NaN, 3, 4)]) {
  for (let k = 0; k < 3; k++) new NumericStatsAccumulator().add(arr, arr.length);
  const acc = new NumericStatsAccumulator();
  acc.add(arr, arr.length);
  acc.add(arr, arr.length);
  acc.add(arr, 1);
}
