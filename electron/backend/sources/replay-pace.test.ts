import { describe, expect, it } from 'vitest';
import { MAX_GAP_MS, Pacer } from './replay-pace.js';

describe('Pacer', () => {
  it('1x follows the flow timestamps from the first flow', () => {
    const p = new Pacer(1);
    expect(p.delayFor(1_000_000, 50)).toBe(0);
    expect(p.delayFor(1_000_300, 50)).toBe(300);
    expect(p.delayFor(1_000_300, 350)).toBe(0);
    expect(p.delayFor(1_001_000, 360)).toBe(690); // due at 50 + 1000
  });

  it('N x is N times faster', () => {
    const p = new Pacer(10);
    p.delayFor(0, 0);
    expect(p.delayFor(1000, 0)).toBe(100);
    expect(p.delayFor(30_000, 100)).toBe(2900);
  });

  it('max never waits', () => {
    const p = new Pacer('max');
    expect(p.delayFor(0, 0)).toBe(0);
    expect(p.delayFor(1e12, 0)).toBe(0);
  });

  it('cuts idle gaps to 5 s of wall time and goes on from there', () => {
    const p = new Pacer(1);
    p.delayFor(0, 0);
    expect(p.delayFor(3_600_000, 0)).toBe(MAX_GAP_MS); // an idle hour
    expect(p.delayFor(3_601_000, MAX_GAP_MS)).toBe(1000); // pacing resumes after the cut
    const fast = new Pacer(100);
    fast.delayFor(0, 0);
    expect(fast.delayFor(100_000, 0)).toBe(1000); // 100 s at 100x: 1 s, not cut
    expect(fast.delayFor(10_000_000, 1000)).toBe(MAX_GAP_MS);
  });

  it('time going backwards: no wait, re-anchored', () => {
    const p = new Pacer(1);
    p.delayFor(10_000, 0);
    expect(p.delayFor(12_000, 0)).toBe(2000);
    expect(p.delayFor(5_000, 2000)).toBe(0);
    expect(p.delayFor(5_500, 2000)).toBe(500);
  });

  it('NaN times never wait and leave the schedule alone', () => {
    const p = new Pacer(1);
    expect(p.delayFor(NaN, 0)).toBe(0);
    p.delayFor(0, 0);
    expect(p.delayFor(NaN, 0)).toBe(0);
    expect(p.delayFor(1000, 0)).toBe(1000);
  });

  it('a consumer far behind re-anchors instead of bursting forever', () => {
    const p = new Pacer(1);
    p.delayFor(0, 0);
    expect(p.delayFor(100, 60_000)).toBe(0);
    expect(p.delayFor(1100, 60_000)).toBe(1000);
  });

  it('refuses speeds that are not positive', () => {
    expect(() => new Pacer(0)).toThrow(RangeError);
    expect(() => new Pacer(-1)).toThrow(RangeError);
    expect(() => new Pacer(NaN)).toThrow(RangeError);
  });
});
