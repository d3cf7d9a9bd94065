import { describe, expect, it } from 'vitest';
import { epochToMs, parseFlowTime, parseFlowTimes, parseTimeBytes } from './flow-time.js';

const U = (s: string) => Date.parse(s); // ISO strings with Z

describe('parseFlowTime', () => {
  it('reads the corrected-CICIDS and ISO styles as UTC', () => {
    expect(parseFlowTime('2017-07-07 12:59:45')).toBe(U('2017-07-07T12:59:45Z'));
    expect(parseFlowTime('2017-07-07 12:59:45.123')).toBe(U('2017-07-07T12:59:45.123Z'));
    expect(parseFlowTime('2017-07-07 19:14:04.346778')).toBeCloseTo(U('2017-07-07T19:14:04.346Z') + 0.778, 6);
    expect(parseFlowTime('2017-07-07T12:59:45Z')).toBe(U('2017-07-07T12:59:45Z'));
    expect(parseFlowTime('2017-07-07T14:59:45+02:00')).toBe(U('2017-07-07T12:59:45Z'));
    expect(parseFlowTime('2017-07-07T07:59:45-0500')).toBe(U('2017-07-07T12:59:45Z'));
    expect(parseFlowTime('2017-07-07')).toBe(U('2017-07-07T00:00:00Z'));
  });

  it('reads the original CICIDS2017 month/day/year styles', () => {
    expect(parseFlowTime('7/7/2017 8:59')).toBe(U('2017-07-07T08:59:00Z'));
    expect(parseFlowTime('07/07/2017 08:59:01 AM')).toBe(U('2017-07-07T08:59:01Z'));
    expect(parseFlowTime('07/07/2017 12:10:01 AM')).toBe(U('2017-07-07T00:10:01Z'));
    expect(parseFlowTime('07/07/2017 12:10:01 PM')).toBe(U('2017-07-07T12:10:01Z'));
    expect(parseFlowTime('7/3/2017 1:05:00 pm')).toBe(U('2017-07-03T13:05:00Z'));
    expect(parseFlowTime('25/12/2017 10:00')).toBe(U('2017-12-25T10:00:00Z')); // day first when it must be
  });

  it('reads epoch seconds, milliseconds and microseconds', () => {
    expect(parseFlowTime('1331901000.123')).toBeCloseTo(1331901000123, 3);
    expect(parseFlowTime('1424242190')).toBe(1424242190000); // UNSW-NB15 stime
    expect(parseFlowTime('1499432385123')).toBe(1499432385123);
    expect(parseFlowTime('1499432385123456')).toBeCloseTo(1499432385123.456, 3);
    expect(parseFlowTime('928.943457')).toBeCloseTo(928943.457, 3);
    expect(epochToMs(NaN)).toBeNaN();
  });

  it('is NaN for empty, unset and unreadable cells and impossible dates', () => {
    for (const s of ['', '  ', '-', 'yesterday', '2017-13-01 00:00:00', '2017-02-30 10:00', '13/13/2017 8:00', '07/07/2017 13:00 PM', '1.2.3']) {
      expect(parseFlowTime(s), s).toBeNaN();
    }
  });

  it('parses a dictionary of values', () => {
    const t = parseFlowTimes(['2017-07-07 12:00:00', 'x', '1000']);
    expect(Array.from(t)).toEqual([U('2017-07-07T12:00:00Z'), NaN, 1_000_000]);
  });

  it('parses a big dictionary', () => {
    const values = Array.from({ length: 100_000 }, (_, i) => `2017-07-07 12:${String(Math.floor(i / 6000) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.${i}`);
    const out = parseFlowTimes(values);
    expect(out.every((v) => Number.isFinite(v))).toBe(true);
    expect(out[6001]).toBe(Date.UTC(2017, 6, 7, 12, 1, 1) + Number(`0.6001`) * 1000);
  });
});

describe('parseFlowTime fast path', () => {
  it('agrees with Date.UTC on CICFlowMeter timestamps, fractions, leap days and invalid dates', () => {
    expect(parseFlowTime('2017-07-07 12:59:45')).toBe(Date.UTC(2017, 6, 7, 12, 59, 45));
    expect(parseFlowTime('2017-07-07 12:59:45.123')).toBe(Date.UTC(2017, 6, 7, 12, 59, 45, 123));
    expect(parseFlowTime('2017-07-07T00:00:00Z')).toBe(Date.UTC(2017, 6, 7));
    expect(parseFlowTime('2016-02-29 23:59:59.5')).toBe(Date.UTC(2016, 1, 29, 23, 59, 59, 500));
    expect(parseFlowTime('2016-02-29 23:59:59.999999')).toBeCloseTo(Date.UTC(2016, 1, 29, 23, 59, 59, 999) + 0.999, 3);
    expect(parseFlowTime('1999-12-31 23:59:60')).toBe(Date.UTC(2000, 0, 1));
    expect(parseFlowTime('2017-02-29 10:00:00')).toBeNaN();
    expect(parseFlowTime('2017-13-01 10:00:00')).toBeNaN();
    // other shapes still take the general path
    expect(parseFlowTime('2017-07-07 12:59:45+02:00')).toBe(Date.UTC(2017, 6, 7, 10, 59, 45));
    for (let i = 0; i < 1000; i++) {
      const t = Math.floor(Math.random() * 4e12);
      expect(parseFlowTime(new Date(t).toISOString().replace('T', ' ').replace('Z', ''))).toBe(t);
    }
  });
});

describe('parseTimeBytes', () => {
  const bytes = (s: string) => new TextEncoder().encode(`x,${s},y`);
  const at = (s: string) => parseTimeBytes(bytes(s), 2, 2 + new TextEncoder().encode(s).length);

  it('reads timestamps from the bytes of a record like parseFlowTime reads the text', () => {
    for (const s of ['2017-07-07 12:59:21.088203', '2017-07-07 12:59:21', '2017-07-07T12:59:21Z', '2016-02-29 00:00:00.5', '7/7/2017 8:59', '1331901000.123', '', '-', 'garbage', '2017-02-30 10:00:00']) {
      const want = parseFlowTime(s);
      if (Number.isNaN(want)) expect(at(s)).toBeNaN();
      else expect(at(s)).toBeCloseTo(want, 6);
    }
  });
});
