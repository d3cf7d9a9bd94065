/**
 * The single-line fast path (which finds record ends itself and gathers float32 rows in a block
 * before copying them to the batch columns) against the general path on the same bytes: with
 * `tripleSpaceDelimiter` the reader takes the general path for every record, and on text without
 * spaces that option changes nothing else. Many rows, so blocks fill, straddle batches and are
 * interrupted by general-path records, flush() and malformed records.
 */
import { describe, expect, it } from 'vitest';
import { DelimitedReader, type DelimitedReaderOptions, type ReaderColumn } from './delimited-reader.js';
import { StringDictionary } from './dictionary.js';
import type { ColumnBatch } from './types.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CELLS = [
  '0', '1', '-7', '42', '123456789', '1234567890123', '98765432109876543210', '3.5', '-0.25', '0.0',
  '13110.093192228716', '78.97646501342601', '1e5', '.5', '1.', '', 'inf', '-Infinity', 'NaN', 'abc',
  '1\r', 'x\ry', '+3', '00012', '1.2.3', '-', '9007199254740993', '340282356779733661637539395458142568448',
];
const WORDS = ['BENIGN', 'DDoS', '192.168.10.5', '2017-07-07 12:59:21.088203', 'é', '', 'a\rb', '-'];

function genText(r: () => number, nRows: number, nFields: number, kinds: string[], header: string): string {
  const out: string[] = [header, r() < 0.5 ? '\r\n' : '\n'];
  for (let row = 0; row < nRows; row++) {
    const x = r();
    if (x < 0.01) out.push(header);
    else if (x < 0.02) out.push('');
    else if (x < 0.03) out.push(header + '\r'); // one CR more than a header record
    else {
      const n = x < 0.04 ? nFields + (r() < 0.5 ? -1 : 1) : nFields;
      const cells: string[] = [];
      for (let f = 0; f < n; f++) {
        const kind = kinds[f] ?? 'f32';
        let cell =
          kind === 'dict' ? WORDS[Math.floor(r() * WORDS.length)] : r() < 0.8 ? CELLS[Math.floor(r() * 10)] : CELLS[Math.floor(r() * CELLS.length)];
        if (r() < 0.01) cell = `"${cell.replace(/"/g, '""')}"`; // general path
        cells.push(cell);
      }
      out.push(cells.join(','));
    }
    out.push(r() < 0.3 ? '\r\n' : '\n');
  }
  if (r() < 0.5) out.pop(); // no final line break
  return out.join('');
}

function columnsFor(kinds: string[]): ReaderColumn[] {
  return kinds
    .map((k, f) => ({ k, f }))
    .filter(({ k }) => k !== 'skip')
    .map(({ k, f }) =>
      k === 'dict'
        ? { fieldIndex: f, storage: 'dict' as const, dictionary: new StringDictionary() }
        : { fieldIndex: f, storage: k as 'f32' | 'f64' },
    );
}

function run(data: Uint8Array, opts: DelimitedReaderOptions, cuts: number[], flushAt: Set<number>) {
  const reader = new DelimitedReader(opts);
  const batches: ColumnBatch[] = [];
  let prev = 0;
  [...cuts, data.length].forEach((cut, i) => {
    reader.push(data.slice(prev, cut));
    if (flushAt.has(i)) reader.flush();
    batches.push(...reader.takeBatches());
    prev = cut;
  });
  reader.end();
  batches.push(...reader.takeBatches());
  return { reader, batches };
}

describe('DelimitedReader fast path', () => {
  it('agrees with the general path on many rows, blocks, batches, CR LF, headers and odd cells', () => {
    const enc = new TextEncoder();
    for (let k = 0; k < 24; k++) {
      const r = rng(1000 + k);
      const nFields = 3 + Math.floor(r() * 12);
      const kinds = Array.from({ length: nFields }, () => {
        const x = r();
        return x < 0.6 ? 'f32' : x < 0.75 ? 'f64' : x < 0.9 ? 'dict' : 'skip';
      });
      const header = Array.from({ length: nFields }, (_, f) => `h${f}`).join(',') + (k % 5 === 0 ? '\r' : '');
      const text = genText(r, 200 + Math.floor(r() * 1500), nFields, kinds, header);
      const data = enc.encode(text);
      const cuts: number[] = [];
      const step = [0, 1 + Math.floor(r() * 60), 1 + Math.floor(r() * 5000)][k % 3];
      if (step > 0) for (let p = step; p < data.length; p += step) cuts.push(p);
      const flushAt = new Set<number>();
      for (let i = 0; i < cuts.length; i++) if (r() < 0.02) flushAt.add(i);
      const batchRows = [7, 64, 100, 1000, 65536][k % 5];
      const common = { delimiter: 0x2c, quote: 0x22, commentByte: null, nFields, batchRows, skipFirstRecord: true, missingTokens: ['-'] };
      const headerLine = k % 2 === 0 ? enc.encode(header) : null;
      const colsA = columnsFor(kinds);
      const colsB = columnsFor(kinds);
      const a = run(data, { ...common, columns: colsA, headerLine }, cuts, flushAt);
      const b = run(data, { ...common, columns: colsB, headerLine, tripleSpaceDelimiter: true }, cuts, flushAt);
      const what = `case ${k}`;
      expect(a.reader.counters, what).toEqual(b.reader.counters);
      expect(a.batches.length, what).toBe(b.batches.length);
      for (let j = 0; j < a.batches.length; j++) {
        const x = a.batches[j];
        const y = b.batches[j];
        expect([x.rowStart, x.nRows], what).toEqual([y.rowStart, y.nRows]);
        for (let c = 0; c < colsA.length; c++) {
          const dx = colsA[c].dictionary;
          const dy = colsB[c].dictionary;
          const xs = Array.from(x.columns[c], (v) => (dx ? (v < 0 ? null : dx.values[v]) : v));
          const ys = Array.from(y.columns[c], (v) => (dy ? (v < 0 ? null : dy.values[v]) : v));
          expect(xs, `${what} batch ${j} column ${c}`).toEqual(ys); // toEqual tells -0 from 0 and NaN equals NaN
        }
      }
      for (let c = 0; c < colsA.length; c++) {
        if (colsA[c].storage === 'dict') {
          const ca = a.reader.codeCounts(c);
          const cb = b.reader.codeCounts(c);
          const byValue = (counts: Int32Array, d: StringDictionary) => Object.fromEntries(d.values.map((v, i) => [v, counts[i]]));
          expect(byValue(ca, colsA[c].dictionary!), what).toEqual(byValue(cb, colsB[c].dictionary!));
        } else {
          expect(a.reader.stats(c)?.toState(), what).toEqual(b.reader.stats(c)?.toState());
        }
      }
    }
  });
});
