import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  REPO_ROOT,
  columnStrings,
  columnValues,
  concatBytes,
  fixture,
  importFiles,
  importPaths,
  shortenRows,
  text,
  toUtf16le,
  utf8,
} from '../../tests/support/flow-import.js';
import { FlowImporter } from './importer.js';
import { FlowDataError } from './types.js';

const NSL = 'nsl-kdd/KDDTrain+_20Percent.head200.txt';
const TU1 = 'cicids2017-original/tu1.head200.csv';
const UNSW = 'unsw-nb15/UNSW_NB15_testing-set.excerpt.csv';
const IOT = 'zeek/CTU-IoT-Malware-Capture-42-1.head120.conn.log.labeled';
const JSONL = 'zeek/vertical-portscan.head30.conn.json.log';

function errorOf(f: () => unknown): FlowDataError {
  try {
    f();
  } catch (e) {
    if (e instanceof FlowDataError) return e;
    throw e;
  }
  throw new Error('expected a FlowDataError');
}

/** NSL-KDD rows repeated to n rows (no header). */
function nslRows(n: number): Uint8Array {
  const lines = text(fixture(NSL)).split('\n').filter((l) => l !== '');
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(lines[i % lines.length]);
  return utf8(`${out.join('\n')}\n`);
}

describe('FlowImporter: chunking', () => {
  for (const file of [NSL, TU1, UNSW, IOT, JSONL]) {
    it(`gives the same rows for any chunk size (${file})`, () => {
      const bytes = fixture(file);
      const whole = importFiles([{ name: file, bytes }], {}, bytes.length);
      for (const chunk of [1, 3, 7, 1000]) {
        const r = importFiles([{ name: file, bytes }], {}, chunk);
        expect(r.summary.rows).toBe(whole.summary.rows);
        expect(r.summary.classCounts).toEqual(whole.summary.classCounts);
        expect(r.summary.cleaning).toEqual(whole.summary.cleaning);
        for (const c of whole.summary.columns) {
          const a = columnValues(r, c.name);
          const b = columnValues(whole, c.name);
          expect(a.map((v) => (Number.isNaN(v) ? 'NaN' : v)), `${file}: ${c.name}`).toEqual(b.map((v) => (Number.isNaN(v) ? 'NaN' : v)));
        }
      }
    });
  }
});

describe('FlowImporter: batches and files', () => {
  it('numbers rows across batches and files, sharing dictionaries', () => {
    const bytes = fixture(NSL);
    const r = importFiles(
      [
        { name: 'a.txt', bytes },
        { name: 'b.txt', bytes },
      ],
      { batchRows: 64 },
    );
    expect(r.summary.rows).toBe(400);
    let next = 0;
    for (const b of r.batches) {
      expect(b.rowStart).toBe(next);
      expect(b.nRows).toBeLessThanOrEqual(64);
      expect(b.columns).toHaveLength(r.summary.columns.length);
      for (const col of b.columns) expect(col.length).toBe(b.nRows);
      next += b.nRows;
    }
    expect(next).toBe(400);
    const proto = columnValues(r, 'protocol_type');
    expect(proto.slice(200)).toEqual(proto.slice(0, 200)); // same codes in the second file
    expect(r.summary.cleaning.files).toEqual([
      { name: 'a.txt', bytes: bytes.length, rows: 200, profile: 'nsl-kdd' },
      { name: 'b.txt', bytes: bytes.length, rows: 200, profile: 'nsl-kdd' },
    ]);
    expect(r.summary.classCounts?.label.normal).toBe(210);
  });

  it('stores typed arrays of the planned storage and fills column statistics', () => {
    const r = importFiles([{ name: 'tu1.csv', bytes: fixture(TU1) }]);
    const s = r.summary;
    for (const b of r.batches) {
      s.columns.forEach((c, i) => {
        const a = b.columns[i];
        if (c.storage === 'f32') expect(a).toBeInstanceOf(Float32Array);
        if (c.storage === 'f64') expect(a).toBeInstanceOf(Float64Array);
        if (c.storage === 'dict') expect(a).toBeInstanceOf(Int32Array);
      });
    }
    const dur = s.columns.find((c) => c.name === 'Flow Duration');
    const v = columnValues(r, 'Flow Duration');
    expect(dur?.stats.count).toBe(200);
    expect(dur?.stats.min).toBe(Math.min(...v));
    expect(dur?.stats.max).toBe(Math.max(...v));
    expect(dur?.stats.mean).toBeCloseTo(v.reduce((a, b) => a + b, 0) / v.length, 3);
    const label = s.columns.find((c) => c.name === 'Label');
    expect(label?.dictionary).toEqual(s.targets?.label);
    expect(label?.stats.top?.[0]).toEqual({ value: 'BENIGN', count: 200 });
    expect(label?.stats.distinct).toBe(1);
  });

  it('knows its columns after the first beginFile and reports progress', () => {
    const bytes = fixture(NSL);
    const imp = new FlowImporter();
    expect(imp.columns).toEqual([]);
    expect(imp.beginFile('kdd.txt', bytes.length, bytes.subarray(0, 1000))).toEqual({ profile: 'nsl-kdd' });
    expect(imp.columns).toHaveLength(42);
    expect(imp.columns[0]).toEqual({ name: 'duration', sourceName: '', role: 'numeric', storage: 'f32' });
    imp.push(bytes.subarray(0, 5000));
    expect(imp.progress.bytes).toBe(5000);
    imp.push(bytes.subarray(5000));
    imp.endFile();
    expect(imp.progress).toEqual({ bytes: bytes.length, rows: 200 });
    expect(imp.takeBatches().reduce((a, b) => a + b.nRows, 0)).toBe(200);
    expect(imp.takeBatches()).toEqual([]);
    expect(imp.finish().rows).toBe(200);
  });

  it('refuses files whose columns differ, naming the file and the columns', () => {
    const e = errorOf(() =>
      importFiles([
        { name: 'KDDTrain+.txt', bytes: fixture(NSL) },
        { name: 'tu1.csv', bytes: fixture(TU1) },
      ]),
    );
    expect(e.reason).toBe('mismatched-files');
    expect(e.message).toMatch(/^tu1\.csv \(cicflowmeter-original\) does not have the same columns as KDDTrain\+\.txt/);
    expect(e.message).toMatch(/lacks 'duration'/);
    expect(e.message).toMatch(/has 'Destination Port'/);
  });

  it('skips header rows repeated inside the data (concatenated files)', () => {
    const bytes = fixture(TU1);
    const lines = text(bytes).split('\n');
    const joined = utf8([...lines.slice(0, 101), lines[0], ...lines.slice(101)].join('\n'));
    const s = importFiles([{ name: 'joined.csv', bytes: joined }]).summary;
    expect(s.rows).toBe(200);
    expect(s.cleaning.repeatedHeaderRows).toBe(1);
    expect(s.cleaning.notes.join(' ')).toMatch(/copy of the header row/);
  });
});

describe('FlowImporter: malformed rows', () => {
  it('skips one short row in 2,500 and reports it', () => {
    const { bytes, shortened, firstLine } = shortenRows(nslRows(2500), 2500, false);
    expect(shortened).toBe(1);
    const s = importFiles([{ name: 'kdd-short.txt', bytes }]).summary;
    expect(s.rows).toBe(2499);
    expect(s.cleaning.rowsRead).toBe(2500);
    expect(s.cleaning.rowsKept).toBe(2499);
    expect(s.cleaning.malformedRows).toBe(1);
    expect(s.cleaning.malformedSamples).toEqual([{ file: 'kdd-short.txt', line: firstLine, fields: 42, expected: 43 }]);
    expect(s.cleaning.notes).toContain(
      `Skipped 1 row with the wrong number of fields (e.g. line ${firstLine} of kdd-short.txt: 42 fields, expected 43).`,
    );
  });

  it('refuses more than 1% malformed rows, saying how many and where the first is', () => {
    const { bytes, shortened, firstLine } = shortenRows(nslRows(2500), 50, false);
    expect(shortened).toBe(50);
    const e = errorOf(() => importFiles([{ name: 'kdd-bad.txt', bytes }]));
    expect(e.reason).toBe('too-many-malformed');
    expect(e.message).toContain('50 rows of 2,500 (2.0%) in kdd-bad.txt have the wrong number of fields');
    expect(e.message).toContain(`the first is line ${firstLine} of kdd-bad.txt (42 fields, expected 43)`);
    // a looser limit lets it through
    expect(importFiles([{ name: 'kdd-bad.txt', bytes }], { maxMalformedShare: 0.05 }).summary.rows).toBe(2450);
  });

  it('reports Zeek line numbers counted from the top of the file', () => {
    const lines = text(fixture(IOT)).split('\n');
    lines[20] = lines[20].split('\t').slice(0, 5).join('\t');
    const s = importFiles([{ name: 'iot.log', bytes: utf8(lines.join('\n')) }], { maxMalformedShare: 0.05 }).summary;
    expect(s.cleaning.malformedSamples[0]).toEqual({ file: 'iot.log', line: 21, fields: 5, expected: 23 });
  });
});

describe('FlowImporter: files that cannot be imported', () => {
  it('refuses a header without rows', () => {
    const header = text(fixture(TU1)).split('\n')[0];
    const e = errorOf(() => importFiles([{ name: 'only-header.csv', bytes: utf8(`${header}\n`) }]));
    expect(e.reason).toBe('header-only');
    expect(e.message).toBe('only-header.csv holds a header but no data rows; there is nothing to import.');
  });
  it('refuses UTF-16 and empty files in beginFile', () => {
    const imp = new FlowImporter();
    const u16 = toUtf16le(fixture(NSL));
    expect(errorOf(() => imp.beginFile('kdd-utf16.txt', u16.length, u16)).reason).toBe('utf16');
    expect(errorOf(() => imp.beginFile('empty.csv', 0, new Uint8Array(0))).message).toMatch(/^empty\.csv is empty/);
  });
  it('refuses an unterminated quote, naming the file and the line', () => {
    const bytes = utf8('a,b,label\n1,2,ok\n3,"4,bad\n5,6,ok\n');
    const e = errorOf(() => importFiles([{ name: 'quote.csv', bytes }]));
    expect(e.reason).toBe('unterminated-quote');
    expect(e.message).toMatch(/^quote\.csv has a quoted field that is never closed \(it opens on line 3\)/);
  });
  it('refuses finish() without files and misuse of the call order', () => {
    expect(errorOf(() => new FlowImporter().finish()).reason).toBe('no-rows');
    expect(() => new FlowImporter().push(new Uint8Array(1))).toThrow();
  });
  it('refuses a label column that the file does not have', () => {
    const e = errorOf(() => importFiles([{ name: 'x.csv', bytes: utf8('a,b\n1,2\n') }], { format: 'csv', label: 'verdict' }));
    expect(e.reason).toBe('label-not-found');
  });
});

describe('first-run samples (resources/samples)', () => {
  const dir = join(REPO_ROOT, 'resources/samples');
  const list = JSON.parse(readFileSync(join(dir, 'samples.json'), 'utf8')) as Array<{ id: string; file: string; rows: number; citation: string }>;

  it('lists both samples with citations', () => {
    expect(list.map((s) => s.id)).toEqual(['nsl-kdd', 'cicids2017']);
    for (const s of list) expect(s.citation.length).toBeGreaterThan(20);
  });

  it('imports the NSL-KDD sample in its original layout: 3,000 rows, 22 classes, 5 categories', () => {
    const entry = list.find((s) => s.id === 'nsl-kdd');
    const r = importPaths([join(dir, entry?.file as string)]);
    expect(r.profiles).toEqual(['nsl-kdd']);
    expect(r.summary.rows).toBe(entry?.rows);
    expect(Object.keys(r.summary.classCounts?.label ?? {})).toHaveLength(22);
    expect(Object.keys(r.summary.classCounts?.category ?? {}).sort()).toEqual(['DoS', 'Probe', 'R2L', 'U2R', 'normal']);
  });

  it('imports the CICIDS2017 sample: 3,000 rows, all 16 classes, every rare row', () => {
    const entry = list.find((s) => s.id === 'cicids2017');
    const r = importPaths([join(dir, entry?.file as string)]);
    expect(r.profiles).toEqual(['cicflowmeter-corrected']);
    expect(r.summary.rows).toBe(entry?.rows);
    const labels = r.summary.classCounts?.label ?? {};
    expect(Object.keys(labels)).toHaveLength(16);
    expect(labels.Heartbleed).toBe(11);
    expect(labels['Web Attack - SQL Injection']).toBe(13);
    expect(labels['Web Attack - XSS']).toBe(18);
    expect(labels.Infiltration).toBe(36);
    expect(labels['Web Attack - Brute Force']).toBe(73);
    expect(columnStrings(r, 'Label')).toHaveLength(3000);
  });
});

describe('FlowImporter: a BOM split across chunks', () => {
  it('drops the BOM even when the first chunk is one byte', () => {
    const bytes = concatBytes(fixture(UNSW));
    const r = importFiles([{ name: 'unsw.csv', bytes }], {}, 1);
    expect(r.summary.columns[0].name).toBe('id');
    expect(columnValues(r, 'id')[0]).toBe(1);
  });
});
