/**
 * Byte -> text helpers for flow files: strict UTF-8 with a per-cell cp1252 repair, and a cheap
 * encoding sniffer for the head of a file. Pure ES2022: TextDecoder is reached through globalThis.
 */

type TextDecoderCtor = new (
  label?: string,
  opts?: { fatal?: boolean; ignoreBOM?: boolean },
) => { decode(b: Uint8Array): string };

let utf8Decoder: { decode(b: Uint8Array): string } | null = null;

function utf8(): { decode(b: Uint8Array): string } {
  if (utf8Decoder === null) {
    const TD = (globalThis as unknown as { TextDecoder: TextDecoderCtor }).TextDecoder;
    utf8Decoder = new TD('utf-8', { ignoreBOM: true }); // a BOM inside a cell is data
  }
  return utf8Decoder;
}

/** cp1252 code points for bytes 0x80..0x9F (undefined bytes map to the C1 control, as WHATWG does). */
const CP1252_HIGH = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152,
  0x008d, 0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122,
  0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
];

/** Largest slice handed to String.fromCharCode.apply at once (argument-count limits). */
const APPLY_CHUNK = 8192;

function charCodesToString(codes: ArrayLike<number>): string {
  const n = codes.length;
  if (n <= APPLY_CHUNK) return String.fromCharCode.apply(null, codes as unknown as number[]);
  const parts: string[] = [];
  for (let i = 0; i < n; i += APPLY_CHUNK) {
    const end = Math.min(n, i + APPLY_CHUNK);
    const slice: number[] = new Array(end - i);
    for (let j = i; j < end; j++) slice[j - i] = codes[j];
    parts.push(String.fromCharCode.apply(null, slice));
  }
  return parts.join('');
}

/** True when bytes[start, end) are all < 0x80. */
export function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] >= 0x80) return false;
  return true;
}

/** Strict UTF-8 validation (no overlongs, no surrogates, nothing above U+10FFFF, no truncation). */
export function isValidUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    if (b >= 0xc2 && b <= 0xdf) {
      if (i + 1 >= end || (bytes[i + 1] & 0xc0) !== 0x80) return false;
      i += 2;
    } else if (b >= 0xe0 && b <= 0xef) {
      if (i + 2 >= end) return false;
      const b1 = bytes[i + 1];
      if ((b1 & 0xc0) !== 0x80 || (bytes[i + 2] & 0xc0) !== 0x80) return false;
      if (b === 0xe0 && b1 < 0xa0) return false; // overlong
      if (b === 0xed && b1 >= 0xa0) return false; // surrogate
      i += 3;
    } else if (b >= 0xf0 && b <= 0xf4) {
      if (i + 3 >= end) return false;
      const b1 = bytes[i + 1];
      if ((b1 & 0xc0) !== 0x80 || (bytes[i + 2] & 0xc0) !== 0x80 || (bytes[i + 3] & 0xc0) !== 0x80) return false;
      if (b === 0xf0 && b1 < 0x90) return false; // overlong
      if (b === 0xf4 && b1 >= 0x90) return false; // > U+10FFFF
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}

/** Decodes bytes as cp1252 (Windows-1252); every byte maps to one UTF-16 code unit. */
export function decodeCp1252(bytes: Uint8Array, start: number, end: number): string {
  const codes = new Uint16Array(end - start);
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    codes[i - start] = b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80] : b;
  }
  return charCodesToString(codes);
}

/** Reused argument list for short ASCII strings (apply() on a plain array is V8's fast path). */
const asciiCodes: number[] = [];

/** Decodes bytes known to be valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  const len = end - start;
  if (len <= 256 && isAscii(bytes, start, end)) {
    asciiCodes.length = len;
    for (let i = 0; i < len; i++) asciiCodes[i] = bytes[start + i];
    return String.fromCharCode.apply(null, asciiCodes);
  }
  return utf8().decode(bytes.subarray(start, end));
}

/**
 * Decodes bytes[start, end) as UTF-8; when they are not valid UTF-8 the whole cell is decoded as
 * cp1252 instead (0x96 -> '–') and `repaired` is true.
 */
export function decodeUtf8OrCp1252(
  bytes: Uint8Array,
  start: number,
  end: number,
): { text: string; repaired: boolean } {
  if (isValidUtf8(bytes, start, end)) return { text: decodeUtf8(bytes, start, end), repaired: false };
  return { text: decodeCp1252(bytes, start, end), repaired: true };
}

/** UTF-8 encoding of a string (no TextEncoder needed). */
export function encodeUtf8(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // lone surrogate
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/**
 * Guesses the encoding of the head of a file: BOMs first; then many NUL bytes on one parity means
 * UTF-16 without BOM; other NULs or many control bytes mean binary; anything else is treated as
 * UTF-8 (cp1252 cells are repaired one by one when decoded).
 */
export function sniffEncoding(head: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' | 'binary' {
  const n = head.length;
  if (n >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (n >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (n >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (n === 0) return 'utf-8';
  let nulEven = 0;
  let nulOdd = 0;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b === 0) {
      if ((i & 1) === 0) nulEven++;
      else nulOdd++;
    } else if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) || b === 0x7f) {
      control++;
    }
  }
  const nul = nulEven + nulOdd;
  if (nul > 0) {
    const half = Math.ceil(n / 2);
    // UTF-16 of mostly-ASCII text: the high byte of nearly every code unit is NUL.
    if (nulOdd >= 0.3 * half && nulEven <= 0.05 * nulOdd) return 'utf-16le';
    if (nulEven >= 0.3 * half && nulOdd <= 0.05 * nulEven) return 'utf-16be';
    if (nul > Math.max(1, n * 0.001)) return 'binary';
  }
  if (control > n * 0.02) return 'binary';
  return 'utf-8';
}
