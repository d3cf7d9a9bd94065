import { describe, expect, it } from 'vitest';
import { toRowMajor, toRowMajorInto } from './matrix.js';

describe('toRowMajorInto', () => {
  it('writes the same matrix as toRowMajor into a reused, longer buffer', () => {
    const nSamples = 1100;
    const nFeatures = 7;
    const data = Float32Array.from({ length: nSamples * nFeatures }, (_, i) => i * 0.5 - 3);
    const m = { data, nSamples, nFeatures };
    const out = new Float32Array(nSamples * nFeatures + 50).fill(-1);
    const r = toRowMajorInto(m, out);
    expect(r.nSamples).toBe(nSamples);
    expect(Array.from(r.data)).toEqual(Array.from(toRowMajor(m).data));
    expect(out[nSamples * nFeatures]).toBe(-1);
    expect(() => toRowMajorInto(m, new Float32Array(10))).toThrow(RangeError);
  });
});
