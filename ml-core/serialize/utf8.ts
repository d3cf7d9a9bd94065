/**
 * Minimal strict UTF-8 encoder / decoder for model manifests (no DOM or Node types needed).
 */

/** UTF-8 bytes of a string (lone surrogates become U+FFFD, as TextEncoder does). */
export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      }
    }
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return Uint8Array.from(out);
}

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
