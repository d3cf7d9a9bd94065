import { describe, expect, it } from 'vitest';
import { nextUpFloat32, thresholdForBudget, thresholdForFpr } from './threshold.js';
import { Rng } from '../rng.js';

function share(scores: Float32Array, t: number): number {
  let c = 0;
  for (const s of scores) if (s >= t) c++;
  return c / scores.length;
}

function prevFloat32(v: number): number {
  const f = Float32Array.of(v);
  const u = new Uint32Array(f.buffer);
  if (v > 0) u[0]!--;
  else if (v < 0) u[0]!++;
  else return -1.4e-45;
  return f[0]!;
}

describe('thresholdForFpr', () => {
  it('matches hand examples', () => {
    const s = Float32Array.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0);
    const t = thresholdForFpr(s, 0.2);
    expect(t).toBe(nextUpFloat32(Math.fround(0.8)));
    expect(share(s, t)).toBe(0.2);
    expect(share(s, Math.fround(0.8))).toBe(0.3);
    // ties: half the scores at 0.9, 20% allowed → nothing at 0.9 may be flagged
    const tied = Float32Array.of(0.5, 0.5, 0.5, 0.5, 0.5, 0.9, 0.9, 0.9, 0.9, 0.9);
    expect(share(tied, thresholdForFpr(tied, 0.2))).toBe(0);
    expect(thresholdForFpr(tied, 0.5)).toBe(nextUpFloat32(0.5));
    expect(thresholdForFpr(tied, 1)).toBe(0.5);
    expect(() => thresholdForFpr(new Float32Array(0), 0.1)).toThrow(RangeError);
    expect(() => thresholdForFpr(tied, 1.5)).toThrow(RangeError);
  });

  it('is the smallest float32 threshold within the target on random data', () => {
    const rng = new Rng(9);
    for (let trial = 0; trial < 30; trial++) {
      const n = 50 + rng.int(500);
      const levels = 3 + rng.int(100);
      const s = new Float32Array(n).map(() => Math.floor(rng.next() * levels) / levels);
      const target = rng.next() * 0.3;
      const t = thresholdForFpr(s, target);
      expect(share(s, t)).toBeLessThanOrEqual(target + 1e-12);
      expect(share(s, prevFloat32(t))).toBeGreaterThan(target);
    }
  });

  it('budget: at most maxFlagged scores at or above', () => {
    const s = Float32Array.of(3, 1, 2, 2, 5);
    expect(thresholdForBudget(s, 0)).toBe(nextUpFloat32(5));
    expect(thresholdForBudget(s, 1)).toBe(nextUpFloat32(3));
    expect(thresholdForBudget(s, 2)).toBe(nextUpFloat32(2)); // 2 is tied: 4 rows would be flagged at 2
    expect(thresholdForBudget(s, 4)).toBe(nextUpFloat32(1));
    expect(thresholdForBudget(s, 9)).toBe(1);
  });
});

describe('nextUpFloat32', () => {
  it('steps one float32 up', () => {
    expect(nextUpFloat32(1)).toBe(1 + 2 ** -23);
    expect(nextUpFloat32(-1)).toBe(-1 + 2 ** -24);
    expect(nextUpFloat32(0)).toBe(2 ** -149);
    expect(nextUpFloat32(0.1)).toBe(Math.fround(0.1) > 0.1 ? Math.fround(0.1) : nextUpFloat32(Math.fround(0.1)));
    expect(nextUpFloat32(0.1)).toBeGreaterThan(0.1);
  });
});
