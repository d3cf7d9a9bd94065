import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  datasetsDir,
  decodedRows,
  fixture,
  importFiles,
  importRanges,
  rangeStarts,
  readBytes,
  text,
  utf8,
  type ImportResult,
  type NamedBytes,
  type RangeImport,
} from '../../tests/support/flow-import.js';
import { NumericStatsAccumulator } from './column-stats.js';
import { FlowImporter } from './importer.js';
import { mergeImportParts } from './import-part.js';
import { FlowDataError, type ImportOptions, type ImportSummary } from './types.js';

const FIXTURES = [
  'cicids2017-original/tu1.head200.csv', // Infinity/NaN, leading spaces, the duplicated Fwd Header Length
  'cicids2017-original/th1.tail48.csv',
  'cicids2017-corrected/DoS_Hulk.head6.csv',
  'nsl-kdd/KDDTrain+_20Percent.head200.txt', // no header
  'unsw-nb15/UNSW_NB15_testing-set.excerpt.csv', // truth column
  'zeek/test10-mixed.head60.conn.log', // '#' header block, comment lines
  'zeek/CTU-IoT-Malware-Capture-42-1.head120.conn.log.labeled', // three-space delimiter, detailed labels
];

function num(v: number | null): unknown {
  return v;
}

/** The split import equals the sequential one: summary (mean/std to rounding), rows in order. */
function expectSameImport(seq: ImportResult, split: RangeImport): void {
  const a = seq.summary;
  const b = split.summary;
  expect(b.rows).toBe(a.rows);
  expect(b.profile).toBe(a.profile);
  expect(b.format).toBe(a.format);
  expect(b.cleaning).toEqual(a.cleaning);
  expect(b.classCounts).toEqual(a.classCounts);
  expect(b.targets).toEqual(a.targets);
  expect(b.warnings).toEqual(a.warnings);
  expect(b.columns.length).toBe(a.columns.length);
  a.columns.forEach((ca, i) => {
    const cb = b.columns[i];
    const { stats: sa, ...restA } = ca;
    const { stats: sb, ...restB } = cb;
    expect(restB, ca.name).toEqual(restA);
    const { mean: ma, std: da, ...exactA } = sa;
    const { mean: mb, std: db, ...exactB } = sb;
    expect(exactB, ca.name).toEqual(exactA);
    // Chan merges of differently cut batches: equal up to float64 rounding (of the values' magnitude)
    const scale = Math.max(1, Math.abs(sa.min ?? 0), Math.abs(sa.max ?? 0));
    for (const [x, y] of [
      [ma, mb],
      [da, db],
    ] as const) {
      if (x === null || y === null) expect(num(y)).toBe(x);
      else expect(Math.abs(x - y), `${ca.name}: ${x} vs ${y}`).toBeLessThanOrEqual(1e-12 * scale);
    }
  });
  const n = a.columns.length;
  const seqRows = decodedRows(
    n,
    seq.batches.map((batch) => ({ batch, dictionaries: a.columns.map((c) => c.dictionary) })),
  );
  const splitRows = decodedRows(
    n,
    split.ranges.flatMap((r) =>
      r.batches.map((batch) => ({ batch, dictionaries: a.columns.map((c, j) => (c.storage === 'dict' ? r.dictionaries[j] : null)) })),
    ),
  );
  a.columns.forEach((c, j) => expect(splitRows[j], c.name).toEqual(seqRows[j]));
}

/** A CICFlowMeter-like CSV with dirt in every range: malformed rows, Infinity/NaN, text, empty cells, header copies, blank lines, cp1252. */
function dirtyCsv(rows: number, opts: { crlf?: boolean; bom?: boolean; malformedEvery?: number } = {}): Uint8Array {
  const header = 'Flow ID,Src IP,Dst Port,Flow Duration,Flow Bytes/s,Flow Packets/s,Label';
  const labels = ['BENIGN', 'DoS Hulk', ' PortScan ', 'Web Attack \u0096 Brute Force', 'BENIGN', 'DDoS', ''];
  const lines: string[] = [header];
  let s = 7;
  const rand = (): number => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
  const every = opts.malformedEvery ?? 331;
  for (let i = 0; i < rows; i++) {
    if (i % every === every - 1) lines.push(`x-${i},10.0.0.1,80,5`); // malformed: 4 fields
    if (i % 977 === 500) lines.push(header); // a copy of the header inside the data
    if (i % 613 === 300) lines.push('');
    const fb = i % 53 === 0 ? 'Infinity' : i % 59 === 0 ? 'NaN' : i % 61 === 0 ? 'n/a' : i % 67 === 0 ? '' : (rand() * 1e6).toFixed(2);
    lines.push(
      [
        `f${Math.floor(rand() * 400)}`,
        i % 71 === 0 ? '' : `192.168.${Math.floor(rand() * 3)}.${Math.floor(rand() * 255)}`,
        [80, 443, 22, 53][Math.floor(rand() * 4)],
        Math.floor(rand() * 1e7) - (i % 89 === 0 ? 2e7 : 0),
        fb,
        (rand() * 1e4).toExponential(3),
        labels[Math.floor(rand() * labels.length)],
      ].join(','),
    );
  }
  const body = lines.join(opts.crlf ? '\r\n' : '\n') + (opts.crlf ? '\r\n' : '\n');
  // cp1252: the label's en dash written as the single byte 0x96
  const bytes = Buffer.from(body, 'latin1');
  return new Uint8Array(opts.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]) : bytes);
}

describe('split imports: byte ranges merged = one sequential import', () => {
  for (const rel of FIXTURES) {
    it(`same summary and rows (${rel})`, () => {
      const file: NamedBytes = { name: rel.split('/').pop()!, bytes: fixture(rel) };
      const seq = importFiles([file], { batchRows: 64 });
      for (const n of [2, 3, 5]) {
        for (const chunk of [7, 4096]) {
          const split = importRanges(file, n, { batchRows: 64 }, chunk);
          expect(split.ranges.slice(0, -1).every((r) => r.atBoundary)).toBe(true);
          expectSameImport(seq, split);
        }
      }
    });
  }

  const data = datasetsDir();
  for (const rel of ['nsl-kdd/KDDTrain+_20Percent.txt', 'cicids2017-original-format/tu1.csv', 'cicids2017-improved-sample/DDoS_2500.csv']) {
    it.skipIf(data === null)(`same summary and rows for a real file (${rel})`, () => {
      const file: NamedBytes = { name: rel.split('/').pop()!, bytes: readBytes(join(data!, rel)) };
      const seq = importFiles([file]);
      for (const n of [2, 4]) expectSameImport(seq, importRanges(file, n, {}, 1 << 20));
    });
  }

  for (const variant of [{}, { crlf: true, bom: true }]) {
    it(`same summary and rows for a file with malformed rows in every range (${JSON.stringify(variant)})`, () => {
      const file: NamedBytes = { name: 'dirty.csv', bytes: dirtyCsv(6000, variant) };
      const seq = importFiles([file], { batchRows: 500 });
      const c = seq.summary.cleaning;
      expect(c.malformedRows).toBe(18);
      expect(c.repeatedHeaderRows).toBeGreaterThan(4);
      expect(c.repairedTextCells).toBeGreaterThan(0);
      expect(c.invalidNumberCells).toBeGreaterThan(0);
      expect(c.repairedLabels.length).toBeGreaterThan(0);
      for (const n of [2, 4]) {
        const split = importRanges(file, n, { batchRows: 500 }, 10_000);
        // every range has malformed rows
        expect(split.parts.every((p) => p.files[0].malformed > 0)).toBe(true);
        expectSameImport(seq, split);
      }
      // the samples' line numbers are the file's lines
      const lines = text(file.bytes).split('\n');
      for (const s of c.malformedSamples) expect(lines[s.line - 1].replace(/\r$/, '').split(',')).toHaveLength(s.fields);
      expect(c.malformedSamples.at(-1)!.line).toBeGreaterThan(lines.length / 2);
    });
  }

  it('a range that starts with a copy of the header counts it as repeated', () => {
    const header = 'Src IP,Flow Duration,Label';
    const rows = (from: number): string => Array.from({ length: 30 }, (_, i) => `10.0.0.${i % 7},${from + i},${i % 3 ? 'BENIGN' : 'DDoS'}\n`).join('');
    const csv = `${header}\n${rows(0)}${header}\n${rows(30)}`;
    const file = { name: 'h.csv', bytes: utf8(csv) };
    const at = csv.indexOf(header, 5);
    const split = importRanges(file, [0, at]);
    expect(split.ranges[0].atBoundary).toBe(true);
    expectSameImport(importFiles([file]), split);
    expect(split.summary.cleaning.repeatedHeaderRows).toBe(1);
    expect(split.summary.rows).toBe(60);
  });

  it('refuses too many malformed rows in the merged total, naming the same line as a sequential import', () => {
    const file: NamedBytes = { name: 'bad.csv', bytes: dirtyCsv(3000, { malformedEvery: 40 }) };
    const message = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(FlowDataError);
        expect((e as FlowDataError).reason).toBe('too-many-malformed');
        return (e as Error).message;
      }
      throw new Error('expected a FlowDataError');
    };
    const seq = message(() => importFiles([file]));
    expect(message(() => importRanges(file, 3))).toBe(seq);
    // each range alone is under the limit when the limit is raised per part: the total decides
    const loose: ImportOptions = { maxMalformedShare: 0.05 };
    expect(importRanges(file, 3, loose).summary.cleaning.malformedRows).toBe(importFiles([file], loose).summary.cleaning.malformedRows);
  });

  it('refuses a header-only or empty merge', () => {
    const imp = new FlowImporter();
    const bytes = utf8('a,b,Label\n');
    imp.beginFile('e.csv', bytes.length, bytes);
    imp.push(bytes);
    const part = imp.finishPart();
    expect(() => mergeImportParts([part])).toThrow(expect.objectContaining({ reason: 'header-only' }));
    expect(() => mergeImportParts([])).toThrow(expect.objectContaining({ reason: 'no-rows' }));
  });

  it('parts survive structured cloning and merge in a given dictionary order', () => {
    const file: NamedBytes = { name: 'dirty.csv', bytes: dirtyCsv(4000) };
    const split = importRanges(file, 3, { batchRows: 256 });
    const cloned = structuredClone(split.parts);
    expect(mergeImportParts(cloned)).toEqual(split.summary);

    // a writer's global order (here: reversed) gives the same values and counts per value
    const order = split.summary.columns.map((c) => (c.dictionary ? [...c.dictionary].reverse() : null));
    const reordered = mergeImportParts(cloned, { dictionaries: order });
    const perValue = (s: ImportSummary, i: number): Map<string, number> => {
      const c = s.columns[i];
      return new Map((c.stats.top ?? []).map((t) => [t.value, t.count]));
    };
    split.summary.columns.forEach((c, i) => {
      const r = reordered.columns[i];
      if (!c.dictionary) return;
      expect(r.dictionary).toEqual(order[i]);
      expect(new Set(r.dictionary)).toEqual(new Set(c.dictionary));
      const { top: _a, ...sa } = c.stats;
      const { top: _b, ...sb } = r.stats;
      expect(sb).toEqual(sa);
      if (c.stats.distinct! <= 10) expect(perValue(reordered, i)).toEqual(perValue(split.summary, i));
    });
    expect(reordered.classCounts).toEqual(split.summary.classCounts);
    // the same with the writer's code maps (whole, or covering only some codes)
    const labelIdx = split.summary.columns.findIndex((c) => c.role === 'label');
    const codeMaps = (cut: number) =>
      split.parts.map((p, k) =>
        order.map((o, c) => {
          if (!o) return null;
          const local = c === labelIdx ? p.labels!.values : p.dictionaries[c]!;
          expect(local).toEqual(split.ranges[k].dictionaries[c]);
          return Int32Array.from(local.slice(0, Math.ceil(local.length * cut)), (v) => o.indexOf(v));
        }),
      );
    expect(mergeImportParts(cloned, { dictionaries: order, codeMaps: codeMaps(1) })).toEqual(reordered);
    expect(mergeImportParts(cloned, { dictionaries: order, codeMaps: codeMaps(0.5) })).toEqual(reordered);
    expect(reordered.targets!.label).toEqual(order[split.summary.columns.findIndex((c) => c.role === 'label')]);
  });

  it('tells when a split fell inside a quoted field that spans lines', () => {
    const rows: string[] = ['id,note,x,Label'];
    for (let i = 0; i < 200; i++) rows.push(i === 100 ? `${i},"two\nlines, quoted",1.5,BENIGN` : `${i},plain,${i}.5,BENIGN`);
    const csv = `${rows.join('\n')}\n`;
    const bytes = utf8(csv);
    const inside = csv.indexOf('two\n') + 4; // just past the quoted line break
    expect(rangeStarts(bytes, 2)).toHaveLength(2);
    // the first range ends inside the quotes: not at a boundary (the second range reads the
    // quoted field's tail as a record of its own: wrong, and only that flag tells)
    const first = new FlowImporter();
    first.beginFile('q.csv', bytes.length, bytes);
    for (let i = 0; i < inside; i += 16) first.push(bytes.subarray(i, Math.min(inside, i + 16)));
    expect(first.atRecordBoundary()).toBe(false);
    const second = new FlowImporter();
    second.beginFile('q.csv', bytes.length, bytes, { rangeStart: inside });
    second.push(bytes.subarray(inside));
    second.endFile();
    expect(second.finishPart().rows).toBe(100); // 'lines, quoted"' + 99 rows: one too many
    const recordStart = csv.indexOf('101,');
    const good = importRanges({ name: 'q.csv', bytes }, [0, recordStart], {}, 16);
    expect(good.ranges[0].atBoundary).toBe(true);
    expectSameImport(importFiles([{ name: 'q.csv', bytes }]), good);
  });

  it('refuses ranges of JSON lines and ranges inside the head block', () => {
    const json = fixture('zeek/vertical-portscan.head30.conn.json.log');
    expect(() => new FlowImporter().beginFile('c.json.log', json.length, json, { rangeStart: 100 })).toThrow(RangeError);
    const zeek = fixture('zeek/test10-mixed.head60.conn.log');
    expect(() => new FlowImporter().beginFile('c.log', zeek.length, zeek, { rangeStart: 10 })).toThrow(/head block/);
  });
});

describe('NumericStatsAccumulator state', () => {
  it('round-trips and merges like the accumulator', () => {
    const a = new NumericStatsAccumulator();
    a.add(Float32Array.of(1, 2, NaN, 4), 4);
    const b = new NumericStatsAccumulator();
    b.add(Float64Array.of(10, 20), 2);
    const s = structuredClone(a.toState());
    const c = NumericStatsAccumulator.fromState(s);
    expect(c.result(0, 0, 0)).toEqual(a.result(0, 0, 0));
    c.merge(b.toState());
    a.merge(b);
    expect(c.result(1, 0, 0)).toEqual(a.result(1, 0, 0));
    expect(NumericStatsAccumulator.fromState(new NumericStatsAccumulator().toState()).result(0, 0, 0).min).toBeNull();
  });
});
