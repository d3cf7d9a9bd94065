/**
 * Argsort of float32 values by LSD radix sort on order-preserving uint32 keys (8-bit digits;
 * digits that are the same for every value are skipped), insertion sort for short runs. Used by
 * the random-forest splitter, which sorts every candidate feature of every node.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Order-preserving uint32 key of a float32: -Inf < ... < -0 = +0 < ... < +Inf < NaN (every NaN). */
export function sortKey(v: number): number {
  if (v !== v) return 0xffffffff;
  f32[0] = v === 0 ? 0 : v;
  const b = u32[0]!;
  return b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
}

/** Below this many values an insertion sort is faster than counting passes. */
const INSERTION_MAX = 48;

export class FloatArgsort {
  private keysA = new Uint32Array(0);
  private keysB = new Uint32Array(0);
  private idxA = new Int32Array(0);
  private idxB = new Int32Array(0);
  private readonly counts = new Uint32Array(4 * 256);

  private ensure(n: number): void {
    if (this.keysA.length >= n) return;
    const cap = Math.max(n, 256);
    this.keysA = new Uint32Array(cap);
    this.keysB = new Uint32Array(cap);
    this.idxA = new Int32Array(cap);
    this.idxB = new Int32Array(cap);
  }

  /**
   * Positions 0..n-1 of values[start, start + n) ordered by value (NaN last; ties in any order).
   * The returned array is scratch owned by this object, valid until the next call.
   */
  sort(values: Float32Array, start: number, n: number): Int32Array {
    this.ensure(n);
    let keys = this.keysA;
    let idx = this.idxA;
    for (let i = 0; i < n; i++) {
      keys[i] = sortKey(values[start + i]!);
      idx[i] = i;
    }
    if (n <= INSERTION_MAX) {
      for (let i = 1; i < n; i++) {
        const k = keys[i]!;
        const p = idx[i]!;
        let j = i - 1;
        while (j >= 0 && keys[j]! > k) {
          keys[j + 1] = keys[j]!;
          idx[j + 1] = idx[j]!;
          j--;
        }
        keys[j + 1] = k;
        idx[j + 1] = p;
      }
      return idx;
    }
    const counts = this.counts;
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      counts[k & 255]!++;
      counts[256 + ((k >>> 8) & 255)]!++;
      counts[512 + ((k >>> 16) & 255)]!++;
      counts[768 + (k >>> 24)]!++;
    }
    let outKeys = this.keysB;
    let outIdx = this.idxB;
    for (let d = 0; d < 4; d++) {
      const base = d * 256;
      const shift = d * 8;
      // skip a digit every key shares
      if (counts[base + ((keys[0]! >>> shift) & 255)] === n) continue;
      let sum = 0;
      for (let b = 0; b < 256; b++) {
        const c = counts[base + b]!;
        counts[base + b] = sum;
        sum += c;
      }
      for (let i = 0; i < n; i++) {
        const k = keys[i]!;
        const p = counts[base + ((k >>> shift) & 255)]!++;
        outKeys[p] = k;
        outIdx[p] = idx[i]!;
      }
      const tk = keys;
      keys = outKeys;
      outKeys = tk;
      const ti = idx;
      idx = outIdx;
      outIdx = ti;
    }
    return idx;
  }
}
