/**
 * Reads a byte range of a file in chunks that end at a line boundary (the rest carries into the
 * next chunk); the last chunk of the file keeps its unterminated last line.
 */
import fs from 'node:fs';

export const RANGE_CHUNK_BYTES = 4 * 1024 * 1024;
export const HEAD_BYTES = 256 * 1024;

export function readHead(file: string): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(HEAD_BYTES);
    const n = fs.readSync(fd, buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** Start offsets of `parts` ranges: range k starts just past the first LF at or after size * k / parts. */
export function splitRanges(file: string, parts: number): Array<{ start: number; end: number }> {
  const size = fs.statSync(file).size;
  const starts = [0];
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(64 * 1024);
    for (let k = 1; k < parts; k++) {
      let pos = Math.floor((size * k) / parts);
      let found = -1;
      while (pos < size && found < 0) {
        const n = fs.readSync(fd, buf, 0, buf.length, pos);
        if (n <= 0) break;
        const i = buf.subarray(0, n).indexOf(0x0a);
        if (i >= 0) found = pos + i + 1;
        else pos += n;
      }
      if (found < 0 || found >= size || found <= starts[starts.length - 1]!) break;
      starts.push(found);
    }
  } finally {
    fs.closeSync(fd);
  }
  return starts.map((start, i) => ({ start, end: i + 1 < starts.length ? starts[i + 1]! : size }));
}

/** Line-bounded chunks of [start, end): `{ bytes, offset }`, offset = the file position of bytes[0]. */
export function* rangeChunks(file: string, start: number, end: number, chunkBytes = RANGE_CHUNK_BYTES): Generator<{ bytes: Uint8Array; offset: number }> {
  const fd = fs.openSync(file, 'r');
  try {
    let pos = start;
    let carry: Uint8Array = new Uint8Array(0);
    let carryAt = start;
    while (pos < end) {
      const want = Math.min(chunkBytes, end - pos);
      const buf = Buffer.allocUnsafe(carry.length + want);
      buf.set(carry, 0);
      const n = fs.readSync(fd, buf, carry.length, want, pos);
      if (n <= 0) break;
      pos += n;
      const data = buf.subarray(0, carry.length + n);
      const last = pos >= end ? data.length - 1 : data.lastIndexOf(0x0a);
      if (last < 0) {
        carry = data;
        continue;
      }
      yield { bytes: data.subarray(0, last + 1), offset: carryAt };
      carryAt += last + 1;
      carry = data.subarray(last + 1);
    }
    if (carry.length) yield { bytes: carry, offset: carryAt };
  } finally {
    fs.closeSync(fd);
  }
}
