import { parse as csvParse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { DelimitedReader, type DelimitedReaderOptions, type ReaderColumn } from './delimited-reader.js';
import { StringDictionary } from './dictionary.js';
import { parseHeadRecords } from './head-records.js';
import { FlowDataError, type ColumnBatch } from './types.js';

// ---------- helpers ----------

/** seeded PRNG (mulberry32) */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const latin1 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const concat = (parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

/** Independent decoding oracle: strict UTF-8 (Node), else cp1252 from this table. */
const CP1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function oracleDecode(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return Array.from(bytes, (b) => (b >= 0x80 && b < 0xa0 ? CP1252[b - 0x80] : String.fromCharCode(b))).join('');
  }
}

/** Oracle for numeric cells: Math.fround(Number(text)) for decimal text; else NaN + why. */
function oracleNumber(text: string, f64 = false): { v: number; why: 'ok' | 'missing' | 'nonFinite' | 'invalid' } {
  const t = text.replace(/^[ \t]+|[ \t]+$/g, '');
  if (t === '') return { v: NaN, why: 'missing' };
  if (/^[-+]?(inf|infinity|nan)$/i.test(t)) return { v: NaN, why: 'nonFinite' };
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return { v: NaN, why: 'invalid' };
  const v = f64 ? Number(t) : Math.fround(Number(t));
  return Number.isFinite(v) ? { v, why: 'ok' } : { v: NaN, why: 'nonFinite' };
}

/** Runs a reader over data cut into the given chunks; returns rows (per output column values). */
function runReader(
  opts: DelimitedReaderOptions,
  data: Uint8Array,
  cuts: number[],
): { reader: DelimitedReader; batches: ColumnBatch[] } {
  const reader = new DelimitedReader(opts);
  const batches: ColumnBatch[] = [];
  let prev = 0;
  for (const cut of [...cuts, data.length]) {
    // copy each chunk so the reader cannot rely on bytes outside it
    reader.push(data.slice(prev, cut));
    batches.push(...reader.takeBatches());
    prev = cut;
  }
  reader.end();
  batches.push(...reader.takeBatches());
  return { reader, batches };
}

/** Decoded table of the batches: numbers as numbers, dict codes as strings (null = missing). */
function table(batches: ColumnBatch[], columns: ReaderColumn[]): Array<Array<number | string | null>> {
  const rows: Array<Array<number | string | null>> = [];
  let expectStart = batches.length > 0 ? batches[0].rowStart : 0;
  for (const b of batches) {
    expect(b.rowStart).toBe(expectStart);
    expectStart += b.nRows;
    for (const col of b.columns) expect(col.length).toBe(b.nRows);
    for (let i = 0; i < b.nRows; i++) {
      rows.push(
        columns.map((c, k) => {
          const v = b.columns[k][i];
          if (c.storage !== 'dict') return v;
          return v < 0 ? null : c.dictionary!.values[v];
        }),
      );
    }
  }
  return rows;
}

function sameTable(got: Array<Array<number | string | null>>, want: Array<Array<number | string | null>>, what: string): void {
  if (got.length !== want.length) throw new Error(`${what}: ${got.length} rows, expected ${want.length}`);
  for (let i = 0; i < got.length; i++) {
    for (let k = 0; k < want[i].length; k++) {
      const g = got[i][k];
      const w = want[i][k];
      if (!Object.is(g, w)) {
        throw new Error(`${what}: row ${i} column ${k}: got ${JSON.stringify(g)} (${String(g)}), expected ${JSON.stringify(w)} (${String(w)})`);
      }
    }
  }
}

// ---------- generated CSV dialect cases ----------

interface GenCase {
  data: Uint8Array;
  nFields: number;
  kinds: Array<'f32' | 'f64' | 'dict'>;
  /** records written with a wrong field count */
  malformed: number;
}

const NUM_CELLS = ['0', '-1.5', '1e3', ' 7 ', '', 'Infinity', 'NaN', '-inf', 'abc', '12345.678901234567', '.5', '1.', '00012', '-', '3.4e39', '0.1', '1700828217.314165'];
const STR_PIECES: Array<string | Uint8Array> = [
  'a', 'b', 'Z', 'BENIGN', ' ', ',', '"', '""', '\n', '\r\n', 'é', '中', '😀', '–', '\t',
  Uint8Array.of(0x96), Uint8Array.of(0xff), Uint8Array.of(0xe2, 0x80), Uint8Array.of(0xc3), '',
];

function genCell(r: () => number, kind: 'num' | 'str'): Uint8Array {
  if (kind === 'num') return latin1(NUM_CELLS[Math.floor(r() * NUM_CELLS.length)]);
  const parts: Uint8Array[] = [];
  const n = Math.floor(r() * 5);
  for (let i = 0; i < n; i++) {
    const p = STR_PIECES[Math.floor(r() * STR_PIECES.length)];
    parts.push(typeof p === 'string' ? utf8(p) : p);
  }
  return concat(parts);
}

function quoteCell(cell: Uint8Array, r: () => number): Uint8Array {
  let must = false;
  for (const b of cell) if (b === 0x2c || b === 0x22 || b === 0x0a || b === 0x0d) must = true;
  if (!must && r() > 0.2) return cell;
  const out: number[] = [0x22];
  for (const b of cell) {
    out.push(b);
    if (b === 0x22) out.push(0x22);
  }
  out.push(0x22);
  return Uint8Array.from(out);
}

function genCase(r: () => number, allowMalformed: boolean): GenCase {
  const nFields = 1 + Math.floor(r() * 5);
  const kinds = Array.from({ length: nFields }, () => {
    const x = r();
    return x < 0.45 ? 'dict' : x < 0.85 ? 'f32' : 'f64';
  }) as Array<'f32' | 'f64' | 'dict'>;
  const crlf = r() < 0.5;
  const mixedEol = r() < 0.15;
  const parts: Uint8Array[] = [];
  if (r() < 0.2) parts.push(Uint8Array.of(0xef, 0xbb, 0xbf));
  const nRecords = Math.floor(r() * 10);
  let malformed = 0;
  for (let i = 0; i < nRecords; i++) {
    let nf = nFields;
    if (allowMalformed && r() < 0.15) nf = Math.max(1, nFields + (r() < 0.5 ? -1 : 1));
    const cells: Uint8Array[] = [];
    for (let f = 0; f < nf; f++) {
      const kind = f < nFields && kinds[f] !== 'dict' ? 'num' : 'str';
      cells.push(quoteCell(genCell(r, kind), r));
    }
    const line = concat(cells.flatMap((c, k) => (k === 0 ? [c] : [Uint8Array.of(0x2c), c])));
    // a record with one empty unquoted field is a blank line: not a record
    if (line.length === 0) continue;
    if (nf !== nFields) malformed++;
    parts.push(line);
    const last = i === nRecords - 1;
    if (!last || r() < 0.7) parts.push(latin1((mixedEol ? r() < 0.5 : crlf) ? '\r\n' : '\n'));
    if (!last && r() < 0.1) parts.push(latin1(crlf ? '\r\n' : '\n')); // blank line
  }
  return { data: concat(parts), nFields, kinds, malformed };
}

/** Expected table from csv-parse: the bytes go in as latin1 text, so each cell comes back as its bytes. */
function expectedFromCsvParse(g: GenCase): { rows: Array<Array<number | string | null>>; missing: number[]; nonFinite: number[]; invalid: number[] } {
  let data = g.data;
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3);
  const records = csvParse(Buffer.from(data).toString('latin1'), {
    relax_column_count: true,
    skip_empty_lines: true,
    record_delimiter: ['\r\n', '\n'],
  }) as string[][];
  const missing = g.kinds.map(() => 0);
  const nonFinite = g.kinds.map(() => 0);
  const invalid = g.kinds.map(() => 0);
  const rows = records
    .filter((rec) => rec.length === g.nFields)
    .map((rec) =>
      rec.map((cell, k) => {
        const bytes = latin1(cell);
        if (g.kinds[k] === 'dict') {
          if (bytes.length === 0) {
            missing[k]++;
            return null;
          }
          return oracleDecode(bytes);
        }
        const { v, why } = oracleNumber(cell, g.kinds[k] === 'f64');
        if (why !== 'ok') missing[k]++;
        if (why === 'nonFinite') nonFinite[k]++;
        if (why === 'invalid') invalid[k]++;
        return v;
      }),
    );
  return { rows, missing, nonFinite, invalid };
}

function readerOpts(g: GenCase, batchRows: number): { opts: DelimitedReaderOptions; columns: ReaderColumn[] } {
  const columns: ReaderColumn[] = g.kinds.map((storage, fieldIndex) =>
    storage === 'dict' ? { fieldIndex, storage, dictionary: new StringDictionary() } : { fieldIndex, storage },
  );
  return { opts: { delimiter: 0x2c, quote: 0x22, commentByte: null, nFields: g.nFields, columns, batchRows }, columns };
}

function checkCase(g: GenCase, cuts: number[], batchRows: number, what: string): void {
  const want = expectedFromCsvParse(g);
  const { opts, columns } = readerOpts(g, batchRows);
  const { reader, batches } = runReader(opts, g.data, cuts);
  sameTable(table(batches, columns), want.rows, `${what} cuts=${JSON.stringify(cuts)}`);
  const c = reader.counters;
  expect(c.malformed, what).toBe(g.malformed);
  expect(c.rows, what).toBe(want.rows.length);
  expect(c.records, what).toBe(want.rows.length + g.malformed);
  expect(Array.from(c.missing), what).toEqual(want.missing);
  expect(Array.from(c.nonFinite), what).toEqual(want.nonFinite);
  expect(Array.from(c.invalid), what).toEqual(want.invalid);
  expect(c.bytes).toBe(g.data.length);
}

describe('DelimitedReader vs csv-parse on generated CSV', () => {
  it('agrees on every split position of small generated inputs', () => {
    const r = rng(20240601);
    let nonEmpty = 0;
    for (let k = 0; k < 250; k++) {
      const g = genCase(r, k % 3 === 0);
      if (g.data.length > 0) nonEmpty++;
      checkCase(g, [], 1 + Math.floor(r() * 4), `case ${k}`);
      for (let cut = 1; cut < g.data.length; cut++) checkCase(g, [cut], 3, `case ${k}`);
    }
    expect(nonEmpty).toBeGreaterThan(200);
  });

  it('agrees with one-byte chunks and random many-way splits', () => {
    const r = rng(99);
    for (let k = 0; k < 150; k++) {
      const g = genCase(r, k % 2 === 0);
      const n = g.data.length;
      checkCase(g, Array.from({ length: Math.max(0, n - 1) }, (_, i) => i + 1), 2, `case ${k} bytewise`);
      for (let rep = 0; rep < 5; rep++) {
        const cuts = Array.from({ length: Math.floor(r() * 8) }, () => Math.floor(r() * (n + 1))).sort((a, b) => a - b);
        checkCase(g, cuts, 1 + Math.floor(r() * 5), `case ${k} random`);
      }
    }
  });

  it('agrees on large inputs split at random positions', () => {
    const r = rng(4242);
    for (let k = 0; k < 4; k++) {
      // one big case: many generated cases with the same layout glued together
      const first = genCase(r, false);
      const parts: Uint8Array[] = [];
      let malformed = 0;
      while (parts.reduce((s, p) => s + p.length, 0) < 60_000) {
        const g = genCase(r, true);
        if (g.nFields !== first.nFields) continue;
        // re-generate with the layout of `first` by keeping only cases with compatible kinds
        if (g.kinds.some((kd, i) => (kd === 'dict') !== (first.kinds[i] === 'dict'))) continue;
        let d = g.data;
        if (d[0] === 0xef) d = d.subarray(3);
        if (d.length === 0) continue;
        parts.push(d);
        if (d[d.length - 1] !== 0x0a) parts.push(latin1('\n'));
        malformed += g.malformed;
      }
      const data = concat(parts);
      const big: GenCase = { data, nFields: first.nFields, kinds: first.kinds, malformed };
      const cuts = Array.from({ length: 200 }, () => Math.floor(r() * data.length)).sort((a, b) => a - b);
      checkCase(big, cuts, 1000, `big ${k}`);
      checkCase(big, [], 65536, `big ${k} whole`);
    }
  });
});

// ---------- fast kernel vs naive kernel (parseHeadRecords) ----------

describe('DelimitedReader vs parseHeadRecords', () => {
  function viaReader(data: Uint8Array, delimiter: number, quote: number | null, nFields: number, cuts: number[]): string[][] {
    const columns: ReaderColumn[] = Array.from({ length: nFields }, (_, fieldIndex) => ({
      fieldIndex,
      storage: 'dict' as const,
      dictionary: new StringDictionary(),
    }));
    const { batches } = runReader({ delimiter, quote, commentByte: null, nFields, columns, batchRows: 4 }, data, cuts);
    return table(batches, columns).map((row) => row.map((v) => (v === null ? '' : String(v))));
  }

  it('gives the same cells on generated CSV (all fields as strings)', () => {
    const r = rng(777);
    for (let k = 0; k < 300; k++) {
      const g = genCase(r, false);
      const naive = parseHeadRecords(g.data, { delimiter: 0x2c, quote: 0x22, complete: true });
      const cut = Math.floor(r() * (g.data.length + 1));
      expect(viaReader(g.data, 0x2c, 0x22, g.nFields, [cut]), `case ${k}`).toEqual(naive);
    }
  });

  it('gives the same cells on generated TSV without quoting', () => {
    const r = rng(31337);
    const pieces = ['a', '"', 'x y', '', '-', 'é', '1.5', '\r'];
    for (let k = 0; k < 300; k++) {
      const nFields = 1 + Math.floor(r() * 4);
      const lines: string[] = [];
      for (let i = 0; i < 1 + Math.floor(r() * 6); i++) {
        const cells = Array.from({ length: nFields }, () => pieces[Math.floor(r() * (pieces.length - 1))] + pieces[Math.floor(r() * (pieces.length - 1))]);
        if (nFields === 1 && cells[0] === '') cells[0] = 'z';
        lines.push(cells.join('\t'));
      }
      const eol = r() < 0.5 ? '\n' : '\r\n';
      const text = lines.join(eol) + (r() < 0.5 ? eol : '');
      const data = utf8(text);
      const naive = parseHeadRecords(data, { delimiter: 0x09, quote: null, complete: true });
      expect(naive.length).toBe(lines.length);
      const cut = Math.floor(r() * (data.length + 1));
      expect(viaReader(data, 0x09, null, nFields, [cut]), `case ${k}`).toEqual(naive);
    }
  });
});

// ---------- behaviour ----------

function readAll(text: string | Uint8Array, opts: Partial<DelimitedReaderOptions> & { nFields: number; columns: ReaderColumn[] }, chunk = 0) {
  const data = typeof text === 'string' ? utf8(text) : text;
  const cuts: number[] = [];
  if (chunk > 0) for (let p = chunk; p < data.length; p += chunk) cuts.push(p);
  const full: DelimitedReaderOptions = { delimiter: 0x2c, quote: 0x22, commentByte: null, ...opts };
  const { reader, batches } = runReader(full, data, cuts);
  return { reader, rows: table(batches, opts.columns), batches };
}

const dictCol = (fieldIndex: number): ReaderColumn => ({ fieldIndex, storage: 'dict', dictionary: new StringDictionary() });

describe('DelimitedReader behaviour', () => {
  it('skips and counts malformed records, sampling the first 10 with their line numbers', () => {
    const lines = ['a,b,c', '1,2,3', '4,5', '"x\ny",7,8', '9,10,11,12'];
    for (let i = 0; i < 12; i++) lines.push('only-one');
    lines.push('13,14,15');
    const { reader, rows } = readAll(lines.join('\n') + '\n', {
      nFields: 3,
      skipFirstRecord: true,
      columns: [{ fieldIndex: 0, storage: 'f32' }, dictCol(2)],
    });
    expect(rows).toEqual([
      [1, '3'],
      [NaN, '8'],
      [13, '15'],
    ]);
    const c = reader.counters;
    expect(c.malformed).toBe(14);
    expect(c.records).toBe(17);
    expect(c.rows).toBe(3);
    expect(c.malformedSamples.length).toBe(10);
    // line 4 holds "4,5"; the quoted newline makes "9,10,11,12" start on line 7
    expect(c.malformedSamples.slice(0, 3)).toEqual([
      { line: 3, fields: 2 },
      { line: 6, fields: 4 },
      { line: 7, fields: 1 },
    ]);
    expect(c.invalid[0]).toBe(1); // "x\ny" in a numeric column
  });

  it('skips repeated header lines (also with CRLF) and counts them, but not the first header', () => {
    const header = 'Flow ID,Label';
    const text = [header, 'f1,BENIGN', header, 'f2,DDoS', header, 'f3,BENIGN', ''].join('\r\n');
    const cols = [dictCol(0), dictCol(1)];
    const { reader, rows } = readAll(text, { nFields: 2, columns: cols, headerLine: utf8(header), skipFirstRecord: true }, 5);
    expect(rows).toEqual([
      ['f1', 'BENIGN'],
      ['f2', 'DDoS'],
      ['f3', 'BENIGN'],
    ]);
    expect(reader.counters.repeatedHeaders).toBe(2);
    expect(reader.counters.records).toBe(3);
    expect(Array.from(reader.codeCounts(1))).toEqual([2, 1]);
  });

  it('throws FlowDataError unterminated-quote naming the line where the quote opened', () => {
    const text = 'a,b\n1,2\n3,"open\nstill open\n4,5\n';
    for (const chunk of [0, 1, 3, 7]) {
      const reader = new DelimitedReader({ delimiter: 0x2c, quote: 0x22, commentByte: null, nFields: 2, columns: [dictCol(0)] });
      const data = utf8(text);
      const step = chunk || data.length;
      for (let p = 0; p < data.length; p += step) reader.push(data.subarray(p, p + step));
      let err: unknown;
      try {
        reader.end();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(FlowDataError);
      expect((err as FlowDataError).reason).toBe('unterminated-quote');
      expect((err as FlowDataError).message).toMatch(/line 3\b/);
    }
  });

  it('stores non-finite tokens as NaN and counts them as nonFinite and missing', () => {
    const text = 'Flow Bytes/s,Flow Packets/s\nInfinity,1\n-Infinity,NaN\n+Infinity,nan\ninf,-inf\nINF,2.5\n 3 , 4\n,\n';
    const { reader, rows } = readAll(text, {
      nFields: 2,
      skipFirstRecord: true,
      columns: [
        { fieldIndex: 0, storage: 'f32' },
        { fieldIndex: 1, storage: 'f64' },
      ],
    });
    expect(rows).toEqual([
      [NaN, 1],
      [NaN, NaN],
      [NaN, NaN],
      [NaN, NaN],
      [NaN, 2.5],
      [3, 4],
      [NaN, NaN],
    ]);
    const c = reader.counters;
    expect(Array.from(c.nonFinite)).toEqual([5, 3]);
    expect(Array.from(c.missing)).toEqual([6, 4]);
    expect(Array.from(c.invalid)).toEqual([0, 0]);
    const s0 = reader.stats(0)!.result(c.missing[0], c.nonFinite[0], c.invalid[0]);
    expect(s0).toMatchObject({ count: 1, min: 3, max: 3, mean: 3, std: 0, nonFinite: 5, missing: 6 });
  });

  it('treats missing tokens as missing (not invalid) in numeric and dict columns', () => {
    const text = 'ts\tservice\tduration\n1.5\t-\t(empty)\n2\thttp\t-\n3\t(empty)\tabc\n';
    const { reader, rows } = readAll(text, {
      delimiter: 0x09,
      quote: null,
      nFields: 3,
      skipFirstRecord: true,
      missingTokens: ['-', '(empty)'],
      columns: [{ fieldIndex: 0, storage: 'f64' }, dictCol(1), { fieldIndex: 2, storage: 'f32' }],
    });
    expect(rows).toEqual([
      [1.5, null, NaN],
      [2, 'http', NaN],
      [3, null, NaN],
    ]);
    expect(Array.from(reader.counters.missing)).toEqual([0, 2, 3]);
    expect(Array.from(reader.counters.invalid)).toEqual([0, 0, 1]);
  });

  // Real lines of IoT-23 CTU-IoT-Malware-Capture-42-1.conn.log.labeled (CRLF, three-space label fields)
  const IOT23 =
    '#separator \\x09\r\n' +
    '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents   label   detailed-label\r\n' +
    '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]   string   string\r\n' +
    '1547127288.026074\tCXY5uG2sSmjJ0grfY2\t192.168.1.197\t58312\t104.24.96.120\t80\ttcp\thttp\t3.909013\t83\t67212\tSF\t-\t-\t4380\tShADadttFf\t54\t3371\t50\t69224\t-   Malicious   FileDownload\r\n' +
    '1547127288.018828\tCe3AJzwzXwM3Z1XBg\t192.168.1.197\t45082\t104.24.97.120\t80\ttcp\thttp\t4.767024\t150\t67212\tSF\t-\t-\t0\tShADadttFf\t54\t2938\t50\t69224\t-   Malicious   C&C-FileDownload\r\n' +
    '1547127292.857808\tCJgnSb3XpbbOcMHKUd\t192.168.1.197\t58316\t104.24.96.120\t80\ttcp\t-\t3.107228\t0\t0\tS0\t-\t-\t0\tS\t3\t180\t0\t0\t-   Benign   -\r\n' +
    '1547157330.030005\tCb4VXV3tOHGjcsI0cf\t192.168.1.197\t123\t82.113.53.40\t123\tudp\t-\t-\t-\t-\tS0\t-\t-\t0\tD\t1\t76\t0\t0\t-   Benign   -\r\n' +
    '#close\t2019-01-11-05-34-45\r\n';

  it('splits IoT-23 label fields on three spaces and skips Zeek comment lines', () => {
    for (const chunk of [0, 1, 13, 64]) {
      const { reader, rows } = readAll(
        IOT23,
        {
          delimiter: 0x09,
          quote: null,
          commentByte: 0x23,
          nFields: 23,
          tripleSpaceDelimiter: true,
          missingTokens: ['-', '(empty)'],
          columns: [{ fieldIndex: 0, storage: 'f64' }, dictCol(7), { fieldIndex: 8, storage: 'f32' }, dictCol(20), dictCol(21), dictCol(22)],
        },
        chunk,
      );
      expect(rows).toEqual([
        [1547127288.026074, 'http', Math.fround(3.909013), null, 'Malicious', 'FileDownload'],
        [1547127288.018828, 'http', Math.fround(4.767024), null, 'Malicious', 'C&C-FileDownload'],
        [1547127292.857808, null, Math.fround(3.107228), null, 'Benign', null],
        [1547157330.030005, null, NaN, null, 'Benign', null],
      ]);
      expect(reader.counters.commentLines).toBe(4);
      expect(reader.counters.malformed).toBe(0);
    }
  });

  it('without tripleSpaceDelimiter the IoT-23 data lines are malformed (21 fields)', () => {
    const { reader } = readAll(IOT23, { delimiter: 0x09, quote: null, commentByte: 0x23, nFields: 23, columns: [dictCol(0)] });
    expect(reader.counters.malformed).toBe(4);
    expect(reader.counters.malformedSamples[0]).toEqual({ line: 4, fields: 21 });
  });

  it('a run of four spaces is not a delimiter', () => {
    const { rows } = readAll('a    b\tc   d\n', {
      delimiter: 0x09,
      quote: null,
      nFields: 3,
      tripleSpaceDelimiter: true,
      columns: [dictCol(0), dictCol(1), dictCol(2)],
    });
    expect(rows).toEqual([['a    b', 'c', 'd']]);
  });

  it('skips comment lines with leading whitespace and counts blank lines', () => {
    const text = '\t#separator \\x09\n#fields\ta\tb\n\n1\t2\n\r\n3\t4';
    const { reader, rows } = readAll(text, {
      delimiter: 0x09,
      quote: null,
      commentByte: 0x23,
      nFields: 2,
      columns: [{ fieldIndex: 1, storage: 'f32' }],
    });
    expect(rows).toEqual([[2], [4]]);
    expect(reader.counters.commentLines).toBe(2);
    expect(reader.counters.blankLines).toBe(2);
  });

  it('hands out batches of batchRows with consecutive rowStart from the given start, and stats of kept rows', () => {
    const lines = ['x,label'];
    for (let i = 0; i < 23; i++) lines.push(`${i},${i % 3 === 0 ? 'A' : 'B'}`);
    const cols: ReaderColumn[] = [{ fieldIndex: 0, storage: 'f32' }, dictCol(1)];
    const reader = new DelimitedReader({ delimiter: 0x2c, quote: 0x22, commentByte: null, nFields: 2, columns: cols, batchRows: 5, rowStart: 100, skipFirstRecord: true });
    reader.push(utf8(lines.join('\n')));
    const early = reader.takeBatches();
    expect(early.map((b) => b.nRows)).toEqual([5, 5, 5, 5]);
    reader.end();
    const all = [...early, ...reader.takeBatches()];
    expect(all.map((b) => [b.rowStart, b.nRows])).toEqual([
      [100, 5],
      [105, 5],
      [110, 5],
      [115, 5],
      [120, 3],
    ]);
    expect(all[4].columns[0]).toBeInstanceOf(Float32Array);
    expect(all[4].columns[1]).toBeInstanceOf(Int32Array);
    const st = reader.stats(0)!.result(0, 0, 0);
    expect(st.count).toBe(23);
    expect(st.mean).toBeCloseTo(11, 12);
    expect(st.std).toBeCloseTo(Math.sqrt((23 * 23 - 1) / 12), 10);
    expect(reader.stats(1)).toBeNull();
    expect(Array.from(reader.codeCounts(1))).toEqual([8, 15]);
  });

  it('flush() hands over a partial batch without ending the stream', () => {
    const reader = new DelimitedReader({ delimiter: 0x2c, quote: null, commentByte: null, nFields: 1, columns: [{ fieldIndex: 0, storage: 'f32' }] });
    reader.push(utf8('1\n2\n3'));
    reader.flush();
    const b1 = reader.takeBatches();
    expect(b1.map((b) => Array.from(b.columns[0]))).toEqual([[1, 2]]);
    reader.push(utf8('4\n5\n'));
    reader.end();
    const b2 = reader.takeBatches();
    expect(b2.map((b) => [b.rowStart, Array.from(b.columns[0])])).toEqual([[2, [34, 5]]]);
  });

  it('shares a dictionary across readers (files) and repairs cp1252 cells', () => {
    const dict = new StringDictionary();
    const f1 = concat([utf8('Label\nWeb Attack '), Uint8Array.of(0x96), utf8(' Brute Force\nBENIGN\n')]);
    const f2 = utf8('Label\nBENIGN\nWeb Attack – Brute Force\n');
    const r1 = readAll(f1, { nFields: 1, skipFirstRecord: true, columns: [{ fieldIndex: 0, storage: 'dict', dictionary: dict }] });
    const r2 = readAll(f2, { nFields: 1, skipFirstRecord: true, columns: [{ fieldIndex: 0, storage: 'dict', dictionary: dict }] });
    expect(dict.values).toEqual(['Web Attack – Brute Force', 'BENIGN']);
    expect(dict.repaired).toBe(1);
    expect(r1.rows).toEqual([['Web Attack – Brute Force'], ['BENIGN']]);
    expect(r2.rows).toEqual([['BENIGN'], ['Web Attack – Brute Force']]);
    expect(Array.from(r2.reader.codeCounts(0))).toEqual([1, 1]);
  });

  it('strips a BOM split across chunks and keeps fields that are not selected undecoded', () => {
    const data = concat([Uint8Array.of(0xef, 0xbb, 0xbf), utf8('id,x\n7,'), Uint8Array.of(0xff, 0xfe), utf8('\n')]);
    const dict = new StringDictionary();
    const { rows } = readAll(data, { nFields: 2, columns: [{ fieldIndex: 0, storage: 'dict', dictionary: dict }] }, 1);
    expect(rows).toEqual([['id'], ['7']]);
    expect(dict.repaired).toBe(0);
  });

  it('atRecordBoundary: true only when the pushed bytes end at a record end outside quotes; midStream skips no BOM', () => {
    const opts = (): DelimitedReaderOptions => ({
      delimiter: 44,
      quote: 34,
      commentByte: null,
      nFields: 2,
      columns: [{ fieldIndex: 0, storage: 'dict', dictionary: new StringDictionary() }],
    });
    const r = new DelimitedReader(opts());
    expect(r.atRecordBoundary()).toBe(true);
    r.push(utf8('id,x\n1,2\n'));
    expect(r.atRecordBoundary()).toBe(true);
    expect(r.linesRead).toBe(2);
    r.push(utf8('3,4'));
    expect(r.atRecordBoundary()).toBe(false);
    r.push(utf8('\n"a\n'));
    expect(r.atRecordBoundary()).toBe(false); // inside quotes
    r.push(utf8('b",5\n'));
    expect(r.atRecordBoundary()).toBe(true);
    expect(r.linesRead).toBe(5);
    r.push(utf8('"c"'));
    expect(r.atRecordBoundary()).toBe(false);
    // bytes from inside a file: a leading EF BB BF is data
    const dict = new StringDictionary();
    const mid = new DelimitedReader({ ...opts(), columns: [{ fieldIndex: 0, storage: 'dict', dictionary: dict }], midStream: true });
    mid.push(concat([Uint8Array.of(0xef, 0xbb, 0xbf), utf8('x,1\n')]));
    mid.end();
    expect(mid.counters.rows).toBe(1);
    expect(dict.values).toEqual(['\ufeffx']);
  });

  it('rejects bad options', () => {
    expect(() => new DelimitedReader({ delimiter: 44, quote: null, commentByte: null, nFields: 2, columns: [{ fieldIndex: 2, storage: 'f32' }] })).toThrow(RangeError);
    expect(() => new DelimitedReader({ delimiter: 44, quote: null, commentByte: null, nFields: 2, columns: [{ fieldIndex: 0, storage: 'dict' }] })).toThrow(/dictionary/);
  });

  it('parses random numbers exactly like Math.fround(Number()) / Number() on the fast and general paths', () => {
    const r = rng(2718);
    const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');
    const texts: string[] = [];
    for (let k = 0; k < 40_000; k++) {
      const shape = k % 7;
      let t: string;
      if (shape === 0) t = String(r() * 10 ** Math.floor(r() * 12 - 4));
      else if (shape === 1) t = digits(1 + Math.floor(r() * 12));
      else if (shape === 2) t = digits(1 + Math.floor(r() * 10)) + '.' + digits(Math.floor(r() * 14));
      else if (shape === 3) t = '0.' + digits(1 + Math.floor(r() * 24));
      else if (shape === 4) t = String(Math.fround(r() * 100)) + digits(Math.floor(r() * 3));
      else if (shape === 5) t = digits(1 + Math.floor(r() * 21));
      else t = (r() * 1e5).toFixed(Math.floor(r() * 18));
      texts.push(r() < 0.3 ? '-' + t : t);
    }
    // one column as f32, one as f64, once bare (fast path) and once quoted (general path)
    for (const quoted of [false, true]) {
      const q = quoted ? '"' : '';
      const text = texts.map((t) => `${q}${t}${q},${q}${t}${q}`).join('\n') + '\n';
      const { rows, reader } = readAll(text, { nFields: 2, columns: [{ fieldIndex: 0, storage: 'f32' }, { fieldIndex: 1, storage: 'f64' }] }, 65536);
      expect(rows.length).toBe(texts.length);
      for (let k = 0; k < texts.length; k++) {
        const want32 = Math.fround(Number(texts[k]));
        const want64 = Number(texts[k]);
        if (!Object.is(rows[k][0], want32) || !Object.is(rows[k][1], want64)) {
          throw new Error(`${texts[k]} (quoted ${quoted}): got ${rows[k][0]} / ${rows[k][1]}, want ${want32} / ${want64}`);
        }
      }
      expect(Array.from(reader.counters.missing)).toEqual([0, 0]);
    }
  });

  it('refuses to hold a record longer than maxRecordBytes: open quote or no line breaks', () => {
    const open = new DelimitedReader({ delimiter: 0x2c, quote: 0x22, commentByte: null, nFields: 2, columns: [dictCol(0)], maxRecordBytes: 1000 });
    open.push(utf8('a,b\nc,"d\n'));
    let err: unknown;
    try {
      for (let k = 0; k < 100; k++) open.push(utf8('x'.repeat(50) + '\n'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FlowDataError);
    expect((err as FlowDataError).reason).toBe('unterminated-quote');
    expect((err as FlowDataError).message).toMatch(/line 2\b/);
    const flat = new DelimitedReader({ delimiter: 0x2c, quote: 0x22, commentByte: null, nFields: 2, columns: [dictCol(0)], maxRecordBytes: 1000 });
    flat.push(utf8('a,b\n'));
    expect(() => {
      for (let k = 0; k < 100; k++) flat.push(utf8('y'.repeat(50)));
    }).toThrow(/no line break/);
  });
});
