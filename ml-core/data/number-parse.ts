/**
 * Decimal number parsing straight from bytes, with no string allocation on the common paths.
 *
 * Accepted syntax (after trimming spaces/tabs): [+-] digits [. digits] [(e|E) [+-] digits], with at
 * least one mantissa digit ("1.", ".5", "00012" are fine). Anything else (hex, "1_000", "Infinity")
 * is not a decimal number here: the parsers return NaN and `classifyNonNumber` says why.
 *
 * - `parseDecimal` returns exactly `Number(text)` (Clinger's fast path when the digits fit in 2^53
 *   and |exp10| <= 22, else `Number()` on the decoded text).
 * - `parseDecimalF32` returns exactly `Math.fround(Number(text))`, fast for up to 19 significant
 *   digits: an approximation with a proven error bracket is used whenever both ends of the bracket
 *   round to the same float32 (all but ~1 in 10^7 values), else it falls back to the exact path.
 * Both return NaN for non-finite results (overflow), which `classifyNonNumber` reports as NONFINITE.
 */

/** Exact powers of ten 10^0..10^22 (each exactly representable as a double). */
const EXACT_POW10 = new Float64Array(23);
for (let i = 0, p = 1; i <= 22; i++, p *= 10) EXACT_POW10[i] = p;

/** 10^0..10^308 as correctly rounded doubles (from literals). */
const POW10 = new Float64Array(309);
for (let i = 0; i <= 308; i++) POW10[i] = Number(`1e${i}`);

const MAX_EXACT_INT = 9007199254740991; // 2^53 - 1
const HI_LIMIT = 100000000000000; // 10^14: hi keeps up to 15 significant digits (< 10^15)
/** relative half-width of the bracket around the approximate value (error is below 2^-50) */
const BRACKET = 2 ** -48;
const F32_OVERFLOW = 3.4028235677973366e38; // doubles >= this round to Infinity in float32

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
}

/** Slow exact path: validated decimal text handed to Number(). */
function numberOfText(bytes: Uint8Array, start: number, end: number): number {
  const v = Number(latin1(bytes, start, end));
  return v - v === 0 ? v : NaN;
}

/**
 * Exactly Number(text) for decimal text in bytes[start, end); NaN when the text is not a decimal
 * number (empty, "inf", "-", words) or does not fit a finite double.
 */
export function parseDecimal(bytes: Uint8Array, start: number, end: number): number {
  let s = start;
  let e = end;
  while (s < e && (bytes[s] === 32 || bytes[s] === 9)) s++;
  while (e > s && (bytes[e - 1] === 32 || bytes[e - 1] === 9)) e--;
  if (s === e) return NaN;
  let i = s;
  let neg = false;
  let c = bytes[i];
  if (c === 45) {
    neg = true;
    i++;
  } else if (c === 43) {
    i++;
  }
  let mant = 0;
  let nDigits = 0;
  let exp10 = 0;
  let exact = true;
  let d = 0;
  while (i < e && (d = bytes[i] - 48) >= 0 && d <= 9) {
    if (mant <= 900719925474098) mant = mant * 10 + d;
    else exact = false, exp10++;
    nDigits++;
    i++;
  }
  if (i < e && bytes[i] === 46) {
    i++;
    while (i < e && (d = bytes[i] - 48) >= 0 && d <= 9) {
      if (mant <= 900719925474098) {
        mant = mant * 10 + d;
        exp10--;
      } else if (d !== 0) {
        exact = false;
      }
      nDigits++;
      i++;
    }
  }
  if (nDigits === 0) return NaN;
  if (i < e) {
    const x = exponentAt(bytes, i, e);
    if (x !== x) return NaN;
    exp10 += x;
  }
  if (!exact || mant > MAX_EXACT_INT) return numberOfText(bytes, s, e);
  let v: number;
  if (mant === 0) v = 0;
  else if (exp10 === 0) v = mant;
  else if (exp10 > 0 && exp10 <= 22) v = mant * EXACT_POW10[exp10];
  else if (exp10 < 0 && exp10 >= -22) v = mant / EXACT_POW10[-exp10];
  else return numberOfText(bytes, s, e);
  if (v - v !== 0) return NaN;
  return neg ? -v : v;
}

/**
 * Exactly Math.fround(Number(text)) for decimal text; NaN when not a decimal number or when the
 * float32 value is not finite.
 */
export function parseDecimalF32(bytes: Uint8Array, start: number, end: number): number {
  let s = start;
  let e = end;
  while (s < e && (bytes[s] === 32 || bytes[s] === 9)) s++;
  while (e > s && (bytes[e - 1] === 32 || bytes[e - 1] === 9)) e--;
  if (s === e) return NaN;
  let i = s;
  let neg = false;
  let c = bytes[i];
  if (c === 45) {
    neg = true;
    i++;
  } else if (c === 43) {
    i++;
  }
  const unsigned = i; // fallbacks parse the magnitude; the sign is applied at the end
  // value = (hi * 10^nLo + lo) * 10^exp10, hi < 10^15, lo < 10^nLo, nLo <= 4
  let hi = 0;
  let lo = 0;
  let nLo = 0;
  let nDigits = 0;
  let exp10 = 0;
  let overflow = false;
  let d = 0;
  while (i < e && (d = bytes[i] - 48) >= 0 && d <= 9) {
    if (hi < HI_LIMIT) hi = hi * 10 + d;
    else if (nLo < 4) lo = lo * 10 + d, nLo++;
    else overflow = true, exp10++;
    nDigits++;
    i++;
  }
  if (i < e && bytes[i] === 46) {
    i++;
    while (i < e && (d = bytes[i] - 48) >= 0 && d <= 9) {
      if (hi < HI_LIMIT) {
        hi = hi * 10 + d;
        exp10--;
      } else if (nLo < 4) {
        lo = lo * 10 + d;
        nLo++;
        exp10--;
      } else if (d !== 0) {
        overflow = true;
      }
      nDigits++;
      i++;
    }
  }
  if (nDigits === 0) return NaN;
  if (i < e) {
    const x = exponentAt(bytes, i, e);
    if (x !== x) return NaN;
    exp10 += x;
  }
  if (hi === 0) return neg ? -0 : 0; // all digits zero (lo is then zero too)
  let v: number;
  if (nLo === 0 && !overflow && exp10 >= -22 && exp10 <= 22) {
    // Clinger: hi < 10^15 and an exact power of ten -> correctly rounded double
    v = exp10 >= 0 ? hi * EXACT_POW10[exp10] : hi / EXACT_POW10[-exp10];
    v = Math.fround(v);
  } else if (!overflow && exp10 >= -300 && exp10 <= 300) {
    // at most 4 roundings of 2^-53 each: the true value lies within approx * (1 +- 2^-50)
    const m = hi * EXACT_POW10[nLo] + lo;
    const a = exp10 >= 0 ? m * POW10[exp10] : m / POW10[-exp10];
    const f0 = Math.fround(a * (1 - BRACKET));
    const f1 = Math.fround(a * (1 + BRACKET));
    if (f0 === f1 && a > 1e-290) v = f0;
    else v = Math.fround(numberOfText(bytes, unsigned, e));
  } else {
    v = Math.fround(numberOfText(bytes, unsigned, e));
  }
  if (v >= F32_OVERFLOW || v !== v) return NaN;
  return neg ? -v : v;
}

export const NUMBER_OK = 0;
export const NUMBER_EMPTY = 1;
export const NUMBER_NONFINITE = 2;
export const NUMBER_INVALID = 3;

/** ASCII-lowercase compare of bytes[s, e) with a lowercase ASCII word. */
function equalsLower(bytes: Uint8Array, s: number, e: number, word: string): boolean {
  if (e - s !== word.length) return false;
  for (let k = 0; k < word.length; k++) {
    let b = bytes[s + k];
    if (b >= 65 && b <= 90) b += 32;
    if (b !== word.charCodeAt(k)) return false;
  }
  return true;
}

/** True when bytes[start, end) (trimmed) is valid decimal syntax (whatever its magnitude). */
export function isDecimalSyntax(bytes: Uint8Array, start: number, end: number): boolean {
  let s = start;
  let e = end;
  while (s < e && (bytes[s] === 32 || bytes[s] === 9)) s++;
  while (e > s && (bytes[e - 1] === 32 || bytes[e - 1] === 9)) e--;
  let i = s;
  if (i < e && (bytes[i] === 45 || bytes[i] === 43)) i++;
  let nDigits = 0;
  while (i < e && bytes[i] >= 48 && bytes[i] <= 57) i++, nDigits++;
  if (i < e && bytes[i] === 46) {
    i++;
    while (i < e && bytes[i] >= 48 && bytes[i] <= 57) i++, nDigits++;
  }
  if (nDigits === 0) return false;
  if (i === e) return true;
  if (bytes[i] !== 101 && bytes[i] !== 69) return false;
  i++;
  if (i < e && (bytes[i] === 45 || bytes[i] === 43)) i++;
  if (i === e) return false;
  while (i < e && bytes[i] >= 48 && bytes[i] <= 57) i++;
  return i === e;
}

/**
 * Why a cell did not parse as a finite number: NUMBER_EMPTY (blank), NUMBER_NONFINITE
 * ([+-]Infinity / inf / NaN in any case, or a decimal too large for the storage type) or
 * NUMBER_INVALID (other text). Only called on the slow path (after a parser returned NaN).
 */
export function classifyNonNumber(bytes: Uint8Array, start: number, end: number): number {
  let s = start;
  let e = end;
  while (s < e && (bytes[s] === 32 || bytes[s] === 9)) s++;
  while (e > s && (bytes[e - 1] === 32 || bytes[e - 1] === 9)) e--;
  if (s === e) return NUMBER_EMPTY;
  let i = s;
  if (bytes[i] === 45 || bytes[i] === 43) i++;
  if (equalsLower(bytes, i, e, 'infinity') || equalsLower(bytes, i, e, 'inf') || equalsLower(bytes, i, e, 'nan')) {
    return NUMBER_NONFINITE;
  }
  if (isDecimalSyntax(bytes, s, e)) return NUMBER_NONFINITE; // overflow
  return NUMBER_INVALID;
}

/**
 * The signed exponent written at bytes[i..e) as `e5`, `E+5` or `e-5` (the rest of the field), or NaN
 * when that text is not an exponent. Magnitudes saturate at 100000 (far beyond any double).
 */
function exponentAt(bytes: Uint8Array, i: number, e: number): number {
  const c = bytes[i];
  if (c !== 101 && c !== 69) return NaN;
  i++;
  let neg = false;
  if (i < e) {
    if (bytes[i] === 45) {
      neg = true;
      i++;
    } else if (bytes[i] === 43) {
      i++;
    }
  }
  if (i === e) return NaN;
  let x = 0;
  let d: number;
  while (i < e && (d = bytes[i] - 48) >= 0 && d <= 9) {
    if (x < 100000) x = x * 10 + d;
    i++;
  }
  return i < e ? NaN : neg ? -x : x;
}
