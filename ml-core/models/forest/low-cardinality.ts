/**
 * Per-feature dictionaries for features with few distinct values (flags, counts, protocol codes):
 * codes[featureIdx][sample] = rank of the sample's value among the feature's sorted distinct
 * values, values[featureIdx] = those values (-0 and +0 are one value; NaN is one value, last).
 * The random-forest splitter sorts such a feature in a node by counting over its codes.
 */
import type { ColMatrix } from '../types.js';
import { sortKey } from './radix-sort.js';

/** Features with at most this many distinct values get codes (they fit a Uint8Array). */
export const LOW_CARDINALITY_MAX = 256;

export interface LowCardinality {
  /** per feature: Uint8Array(nSamples) of codes, or null when the feature has more distinct values */
  codes: Array<Uint8Array | null>;
  /** per feature: its sorted distinct values (float32), or null */
  values: Array<Float32Array | null>;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Canonical bits of a float32 value (one NaN, one zero). */
function bitsOf(v: number): number {
  if (v !== v) return 0x7fc00000;
  f32[0] = v === 0 ? 0 : v;
  return u32[0]!;
}

export function lowCardinality(X: ColMatrix, maxDistinct = LOW_CARDINALITY_MAX): LowCardinality {
  const { data, nSamples, nFeatures } = X;
  const codes: Array<Uint8Array | null> = [];
  const values: Array<Float32Array | null> = [];
  const size = 1024; // open addressing, power of two > 2 × maxDistinct
  const mask = size - 1;
  const slotBits = new Uint32Array(size);
  const slotUsed = new Uint8Array(size);
  const slotRank = new Int32Array(size);
  const distinct = new Uint32Array(maxDistinct);
  for (let f = 0; f < nFeatures; f++) {
    slotUsed.fill(0);
    let nDistinct = 0;
    const off = f * nSamples;
    let ok = true;
    for (let i = 0; i < nSamples; i++) {
      const b = bitsOf(data[off + i]!);
      let h = Math.imul(b, 0x9e3779b1) >>> 22;
      while (slotUsed[h] && slotBits[h] !== b) h = (h + 1) & mask;
      if (!slotUsed[h]) {
        if (nDistinct === maxDistinct) {
          ok = false;
          break;
        }
        slotUsed[h] = 1;
        slotBits[h] = b;
        distinct[nDistinct++] = b;
      }
    }
    if (!ok) {
      codes.push(null);
      values.push(null);
      continue;
    }
    // sort the distinct values by order key, rank them
    const vals = new Float32Array(nDistinct);
    const dv = new Uint32Array(vals.buffer);
    dv.set(distinct.subarray(0, nDistinct));
    const order = Array.from({ length: nDistinct }, (_, i) => i).sort((a, b) => sortKey(vals[a]!) - sortKey(vals[b]!));
    const sorted = Float32Array.from(order, (i) => vals[i]!);
    const sortedBits = new Uint32Array(sorted.buffer);
    for (let r = 0; r < nDistinct; r++) {
      const b = sortedBits[r]!;
      let h = Math.imul(b, 0x9e3779b1) >>> 22;
      while (slotBits[h] !== b) h = (h + 1) & mask;
      slotRank[h] = r;
    }
    const c = new Uint8Array(nSamples);
    for (let i = 0; i < nSamples; i++) {
      const b = bitsOf(data[off + i]!);
      let h = Math.imul(b, 0x9e3779b1) >>> 22;
      while (slotBits[h] !== b) h = (h + 1) & mask;
      c[i] = slotRank[h]!;
    }
    codes.push(c);
    values.push(sorted);
  }
  return { codes, values };
}
