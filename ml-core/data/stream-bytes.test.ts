import { describe, expect, it } from 'vitest';
import { growBytes, utf8BomLength } from './stream-bytes.js';

describe('stream bytes', () => {
  it('grows a buffer by doubling and keeps the bytes in use', () => {
    const buf = new Uint8Array(4096);
    buf.set([1, 2, 3]);
    expect(growBytes(buf, 3, 100)).toBe(buf); // big enough already
    const grown = growBytes(buf, 3, 9000);
    expect(grown.length).toBe(16384);
    expect([...grown.subarray(0, 4)]).toEqual([1, 2, 3, 0]);
  });

  it('finds a UTF-8 byte-order mark, also when a chunk boundary cuts it', () => {
    expect(utf8BomLength(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), false)).toBe(3);
    expect(utf8BomLength(new Uint8Array([0x61, 0x62, 0x63]), false)).toBe(0);
    expect(utf8BomLength(new Uint8Array([0xef, 0xbb]), false)).toBe(-1); // wait for the third byte
    expect(utf8BomLength(new Uint8Array([0xef, 0xbb]), true)).toBe(0); // end of stream: not a mark
    expect(utf8BomLength(new Uint8Array([0xef, 0x61, 0x62]), false)).toBe(0);
  });
});
