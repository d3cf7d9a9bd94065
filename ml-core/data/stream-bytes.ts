/** Small byte helpers shared by the streaming readers (CSV/TSV and JSON lines). */

/** `buf` grown (doubling, at least 4 KiB) to hold `size` bytes, keeping its first `used` bytes. */
export function growBytes(buf: Uint8Array<ArrayBuffer>, used: number, size: number): Uint8Array<ArrayBuffer> {
  if (buf.length >= size) return buf;
  let cap = Math.max(4096, buf.length * 2);
  while (cap < size) cap *= 2;
  const next = new Uint8Array(cap);
  next.set(buf.subarray(0, used));
  return next;
}

/**
 * Where a stream's text starts: 3 after a UTF-8 byte-order mark, else 0; -1 when `buf` may be the
 * start of a mark cut by the chunk boundary and more bytes are coming (`final` false).
 */
export function utf8BomLength(buf: Uint8Array, final: boolean): number {
  const n = buf.length;
  if (n < 3 && !final && buf[0] === 0xef && (n < 2 || buf[1] === 0xbb)) return -1;
  return n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
}
