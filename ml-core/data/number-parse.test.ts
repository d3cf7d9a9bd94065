import { describe, expect, it } from 'vitest';
import {
  classifyNonNumber,
  isDecimalSyntax,
  NUMBER_EMPTY,
  NUMBER_INVALID,
  NUMBER_NONFINITE,
  NUMBER_OK,
  parseDecimal,
  parseDecimalF32,
} from './number-parse.js';

const enc = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

/** seeded PRNG (mulberry32) */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** bit-exact equality (distinguishes -0 and 0; NaN equals NaN) */
function sameBits(a: number, b: number): boolean {
  return Object.is(a, b);
}

/** the oracle: Number(text) where the text is decimal syntax, else NaN; non-finite -> NaN */
function oracle(text: string): number {
  if (!/^[ \t]*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?[ \t]*$/.test(text)) return NaN;
  const v = Number(text);
  return Number.isFinite(v) ? v : NaN;
}
function oracleF32(text: string): number {
  const v = Math.fround(oracle(text));
  return Number.isFinite(v) ? v : NaN;
}

function check(text: string): void {
  const b = enc(`x${text}y`); // parse from the middle of a buffer
  const got = parseDecimal(b, 1, b.length - 1);
  const want = oracle(text);
  if (!sameBits(got, want)) throw new Error(`parseDecimal(${JSON.stringify(text)}) = ${got}, Number() = ${want}`);
  const got32 = parseDecimalF32(b, 1, b.length - 1);
  const want32 = oracleF32(text);
  if (!sameBits(got32, want32)) throw new Error(`parseDecimalF32(${JSON.stringify(text)}) = ${got32}, fround(Number()) = ${want32}`);
}

const EDGE = [
  '0', '-0', '+0', '0.0', '-0.0', '00012', '1.', '.5', '-.5', '+.5', '1e5', '1E5', '1e+5', '1e-5', '1e-7', '0.1', '0.2', '0.3',
  '123456789012345678', '1.7976931348623157e308', '1.7976931348623159e308', '2.2250738585072014e-308', '5e-324', '4.9e-324',
  '2e-324', '1e-400', '1e400', '9007199254740991', '9007199254740992', '9007199254740993', '900719925474099.1',
  '13110.093192228716', '157.95293002685202', '8441.333333333332', '1121.3333333333333', '0.20696377754211426',
  '1547127288.026074', '1700828217.314165', '3.4028234663852886e38', '3.4028235677973366e38', '3.4028235677973362e38',
  '1.401298464324817e-45', '7e-46', '0.000000000000000000000000000001', '100000000000000000000000', '1e22', '1e23',
  '123.456e-10', ' 12 ', '\t7\t', '  -3.25  ', '0e999999', '1e0000000000000000001', '12345678901234567890123456789',
  '0.1000000000000000000000000000', '99999999999999999999', '4294967295', '-2147483648', '65535', '1e-22', '1e-23',
  '8.589973e9', '1.00000017881393432617187499', '1.000000178813934326171875', '1.00000017881393432617187501',
  '16777217', '16777219', '33554435', '0.30000000000000004',
];
const INVALID = ['', ' ', '.', '-', '+', 'e5', '1e', '1e+', '1.2.3', '1,5', '0x10', '1_000', 'abc', '12abc', '--1', '+-1', '1 2', 'Infinity', 'NaN', 'inf', '٣'];

describe('parseDecimal / parseDecimalF32', () => {
  it('matches Number() bit for bit on edge values', () => {
    for (const t of EDGE) check(t);
    expect(Object.is(parseDecimal(enc('-0'), 0, 2), -0)).toBe(true);
    expect(parseDecimal(enc('00012'), 0, 5)).toBe(12);
    expect(parseDecimal(enc('1.7976931348623157e308'), 0, 22)).toBe(Number.MAX_VALUE);
  });

  it('returns NaN for text that is not a decimal number', () => {
    for (const t of INVALID) {
      const b = enc(t);
      expect(parseDecimal(b, 0, b.length), t).toBeNaN();
      expect(parseDecimalF32(b, 0, b.length), t).toBeNaN();
    }
  });

  it('matches Number() on many random values of every shape', () => {
    const r = rng(12345);
    const digits = (n: number): string => {
      let s = '';
      for (let i = 0; i < n; i++) s += String(Math.floor(r() * 10));
      return s;
    };
    for (let k = 0; k < 200_000; k++) {
      const shape = k % 8;
      let t: string;
      if (shape === 0) t = String(r() * 10 ** Math.floor(r() * 40 - 20)); // JS shortest repr
      else if (shape === 1) t = String((r() - 0.5) * 2 ** Math.floor(r() * 200 - 100));
      else if (shape === 2) t = digits(1 + Math.floor(r() * 20)) + '.' + digits(Math.floor(r() * 20));
      else if (shape === 3) t = '-' + digits(1 + Math.floor(r() * 25));
      else if (shape === 4) t = digits(1 + Math.floor(r() * 18)) + 'e' + String(Math.floor(r() * 80 - 40));
      else if (shape === 5) t = String(Math.fround(r() * 1000)); // values near float32 grid points
      else if (shape === 6) t = (r() * 1e6).toFixed(Math.floor(r() * 12));
      else t = '.' + digits(1 + Math.floor(r() * 22)) + 'E-' + String(Math.floor(r() * 30));
      check(t);
    }
  });

  it('rounds to float32 exactly on values at float32 rounding boundaries', () => {
    const r = rng(7);
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    for (let k = 0; k < 20_000; k++) {
      u[0] = Math.floor(r() * 0x7f000000);
      const a = f[0];
      u[0]++;
      const b = f[0];
      const mid = a + (b - a) / 2; // exactly representable as double: ties at the midpoint
      check(String(mid));
      check(mid.toPrecision(17));
      check(mid.toPrecision(9));
    }
  });
});

describe('classifyNonNumber', () => {
  const cls = (t: string): number => {
    const b = enc(t);
    return classifyNonNumber(b, 0, b.length);
  };
  it('classifies empty, non-finite and invalid text', () => {
    expect(cls('')).toBe(NUMBER_EMPTY);
    expect(cls('   ')).toBe(NUMBER_EMPTY);
    for (const t of ['Infinity', '-Infinity', '+Infinity', 'inf', '-inf', 'INF', 'NaN', 'nan', 'NAN', ' Infinity ', '1e400']) {
      expect(cls(t), t).toBe(NUMBER_NONFINITE);
    }
    for (const t of ['abc', '-', '(empty)', '1.2.3', 'infinit', 'nana', '0x1f']) expect(cls(t), t).toBe(NUMBER_INVALID);
    expect(NUMBER_OK).toBe(0);
  });
  it('isDecimalSyntax agrees with the oracle regex', () => {
    for (const t of [...EDGE, ...INVALID]) {
      const b = enc(t);
      const want = /^[ \t]*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?[ \t]*$/.test(t);
      expect(isDecimalSyntax(b, 0, b.length), t).toBe(want);
    }
  });
});
