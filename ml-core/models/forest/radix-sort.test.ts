import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import { lowCardinality } from './low-cardinality.js';
import { FloatArgsort, sortKey } from './radix-sort.js';

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1e-45, -1e-45, 1, -1];

/** The obvious argsort: order of values by numeric value, NaN last, -0 = +0. */
function naiveOrder(v: Float32Array): number[] {
  return Array.from(v.keys()).sort((a, b) => {
    const x = v[a]!;
    const y = v[b]!;
    if (x !== x) return y !== y ? 0 : 1;
    if (y !== y) return -1;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

describe('float argsort', () => {
  it('sortKey orders float32 values (NaN last, zeros equal)', () => {
    const vals = Float32Array.from([...SPECIAL, 2.5, -2.5, 3.4e38, -3.4e38]);
    for (const a of vals) {
      for (const b of vals) {
        const ka = sortKey(a);
        const kb = sortKey(b);
        if (a !== a || b !== b) expect(ka === kb ? a !== a && b !== b : ka < kb === (b !== b)).toBe(true);
        else {
          expect(ka < kb).toBe(a < b);
          expect(ka === kb).toBe(a === b);
        }
      }
    }
  });

  it('matches the obvious sort for short and long, tied and special inputs', () => {
    const sorter = new FloatArgsort();
    const rng = new Rng(1);
    for (const n of [0, 1, 2, 7, 48, 49, 300, 5000]) {
      for (const kind of ['normal', 'ties', 'special', 'wide']) {
        const v = new Float32Array(n + 3);
        for (let i = 0; i < v.length; i++) {
          v[i] =
            kind === 'normal' ? rng.normal() : kind === 'ties' ? rng.int(4) : kind === 'special' ? SPECIAL[rng.int(SPECIAL.length)]! : rng.normal() * 10 ** rng.int(30);
        }
        const order = Array.from(sorter.sort(v, 3, n).subarray(0, n));
        const sub = v.subarray(3);
        const got = order.map((i) => sub[i]!);
        const want = naiveOrder(sub).map((i) => sub[i]!);
        expect(got.map((x) => (x === 0 ? 0 : x))).toEqual(want.map((x) => (x === 0 ? 0 : x)));
        expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      }
    }
  });
});

describe('low-cardinality codes', () => {
  it('rank every value among the sorted distinct values; many-valued features get none', () => {
    const rng = new Rng(2);
    const n = 1000;
    const data = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) {
      data[i] = [0, -0, 1, 5, NaN, -3][rng.int(6)]!;
      data[n + i] = rng.normal();
      data[2 * n + i] = rng.int(256) / 7;
    }
    const low = lowCardinality({ data, nSamples: n, nFeatures: 3 });
    expect(low.codes[1]).toBeNull();
    for (const f of [0, 2]) {
      const values = low.values[f]!;
      const codes = low.codes[f]!;
      const distinct = [...new Set(Array.from(data.subarray(f * n, f * n + n), (x) => (x === 0 ? 0 : x)))].sort((a, b) => (a !== a ? 1 : b !== b ? -1 : a - b));
      expect(Array.from(values)).toEqual(distinct);
      for (let i = 0; i < n; i++) {
        const x = data[f * n + i]!;
        expect(Object.is(values[codes[i]!], x === 0 ? 0 : x) || (x !== x && values[codes[i]!] !== values[codes[i]!])).toBe(true);
      }
    }
  });
});
