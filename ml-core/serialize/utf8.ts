/**
 * Minimal strict UTF-8 encoder / decoder for model manifests (no DOM or Node types needed).
 */

/** UTF-8 bytes of a string (lone surrogates become U+FFFD, as TextEncoder does). */
export { encodeUtf8 as utf8Encode } from '../data/text.js';

/** Decodes strict UTF-8; throws on malformed input (overlongs, surrogates, truncation). */
export function utf8Decode(b: Uint8Array): string {
  const parts: string[] = [];
  let units: number[] = [];
  const flush = (): void => {
    parts.push(String.fromCharCode.apply(null, units));
    units = [];
  };
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let cp: number;
    let need: number;
    let min: number;
    if (c < 0x80) {
      cp = c;
      need = 0;
      min = 0;
    } else if (c >= 0xc2 && c <= 0xdf) {
      cp = c & 31;
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      cp = c & 15;
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      cp = c & 7;
      need = 3;
      min = 0x10000;
    } else throw new Error(`invalid UTF-8 byte 0x${c.toString(16)} at ${i}`);
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined) throw new Error(`truncated UTF-8 sequence at ${i}`);
      if ((d & 0xc0) !== 0x80) throw new Error(`invalid UTF-8 continuation at ${i + k}`);
      cp = (cp << 6) | (d & 63);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new Error(`invalid UTF-8 sequence at ${i}`);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 1023));
    } else units.push(cp);
    if (units.length >= 8192) flush();
    i += need + 1;
  }
  flush();
  return parts.join('');
}
