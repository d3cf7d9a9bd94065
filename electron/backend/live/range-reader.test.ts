import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rangeChunks, splitRanges } from './range-reader.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowsight-range-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

const decode = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('range reader', () => {
  const lines = Array.from({ length: 500 }, (_, i) => `${i},${'x'.repeat(i % 37)}`);
  const text = `h1,h2\n${lines.join('\n')}\n`;

  it('splits a file at line starts and reads every byte once, chunks ending at line ends', () => {
    const p = file('a.csv', text);
    for (const parts of [1, 2, 3, 7]) {
      const ranges = splitRanges(p, parts);
      expect(ranges[0]!.start).toBe(0);
      expect(ranges[ranges.length - 1]!.end).toBe(Buffer.byteLength(text));
      let joined = '';
      for (const r of ranges) {
        if (r.start > 0) expect(text[r.start - 1]).toBe('\n');
        // tiny chunks: lines are carried across reads, the buffer grows for long ones
        for (const { bytes, offset } of rangeChunks(p, r.start, r.end, 16)) {
          expect(offset).toBe(Buffer.byteLength(joined));
          const s = decode(bytes);
          expect(s.endsWith('\n')).toBe(true);
          joined += s;
        }
      }
      expect(joined).toBe(text);
    }
  });

  it('hands out an unterminated last line, and offsets that point at each chunk', () => {
    const p = file('b.csv', 'a,b\n1,2\n3,4');
    // a chunk is valid until the next is asked for (one buffer is reused): decode as they come
    const chunks: Array<{ s: string; offset: number }> = [];
    for (const c of rangeChunks(p, 0, 11, 5)) chunks.push({ s: decode(c.bytes), offset: c.offset });
    expect(chunks.map((c) => c.s).join('')).toBe('a,b\n1,2\n3,4');
    for (const c of chunks) expect('a,b\n1,2\n3,4'.slice(c.offset, c.offset + c.s.length)).toBe(c.s);
    expect(chunks[chunks.length - 1]!.s).toBe('3,4');
  });
});
