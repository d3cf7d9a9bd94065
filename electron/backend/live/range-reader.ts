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

/**
 * Line-bounded chunks of [start, end): `{ bytes, offset }`, offset = the file position of bytes[0].
 * One buffer is reused: a chunk is valid until the next one is asked for.
 */
export function* rangeChunks(file: string, start: number, end: number, chunkBytes = RANGE_CHUNK_BYTES): Generator<{ bytes: Uint8Array; offset: number }> {
  const fd = fs.openSync(file, 'r');
  try {
    let buf = Buffer.allocUnsafe(chunkBytes * 2);
    let pos = start;
    let carry = 0; // bytes at the front of buf left over from the last chunk
    let carryAt = start;
    while (pos < end) {
      const want = Math.min(chunkBytes, end - pos);
      if (carry + want > buf.length) {
        // a line longer than the buffer: grow it
        const bigger = Buffer.allocUnsafe((carry + want) * 2);
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      const n = fs.readSync(fd, buf, carry, want, pos);
      if (n <= 0) break;
      pos += n;
      const len = carry + n;
      const last = pos >= end ? len - 1 : buf.subarray(0, len).lastIndexOf(0x0a);
      if (last < 0) {
        carry = len;
        continue;
      }
      yield { bytes: buf.subarray(0, last + 1), offset: carryAt };
      carryAt += last + 1;
      carry = len - (last + 1);
      if (carry > 0) buf.copy(buf, 0, last + 1, len);
    }
    if (carry) yield { bytes: buf.subarray(0, carry), offset: carryAt };
  } finally {
    fs.closeSync(fd);
  }
}
