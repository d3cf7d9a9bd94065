/**
 * One large file parsed as parallel byte ranges (importTuning.parallelParts, a low
 * parallelMinBytes) through createBackend and the real worker threads: the dataset must be the one
 * the one-pass import stores, a split inside a quoted field must fall back to one pass, and a
 * cancel or an error must leave nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createBackend, type CreateBackendOptions } from '../../electron/backend/index.js';
import type { Backend } from '../../electron/backend/api.js';
import type { ImportTuning, ImportTimings } from '../../electron/backend/workers/protocol.js';
import type { DatasetDetail } from '../../electron/contract/dto.js';
import { importAndWait, removeTempDirs, tempDir, waitForJob, workspaceSnapshot } from '../support/backend-fixtures.js';
import { FIXTURES, filesIn, readBytes, text } from '../support/flow-import.js';

afterAll(removeTempDirs);

const open: Backend[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((b) => b.close()));
});

async function backendIn(dir: string, extra: Partial<CreateBackendOptions> = {}): Promise<Backend> {
  const b = await createBackend({ workspacePath: path.join(dir, 'workspace.sqlite'), face: 'cli', ...extra });
  open.push(b);
  return b;
}

/** Imports `file` with `tuning`; returns the dataset, its id and the import's timings. */
async function importWith(dir: string, file: string, tuning: ImportTuning): Promise<{ id: number; detail: DatasetDetail; timings: ImportTimings; backend: Backend }> {
  let timings: ImportTimings | null = null;
  const backend = await backendIn(dir, { importTuning: tuning, onImportTimings: (t) => (timings = t) });
  const job = await importAndWait(backend, { paths: [file] });
  expect(job.error).toBeNull();
  const id = job.result!.id;
  return { id, detail: await backend.call('datasets.get', { id }), timings: timings!, backend };
}

/**
 * A CICFlowMeter (corrected CICIDS2017) CSV of about `mb` MB: the fixture rows repeated with
 * distinct ids, flow ids and timestamps, and some dirt in every part of the file: Infinity and NaN
 * cells, malformed rows, copies of the header, blank lines.
 */
function writeCicCsv(file: string, mb: number): number {
  const sources = filesIn(path.join(FIXTURES, 'cicids2017-corrected')).map((p) => text(readBytes(p)).split('\n').filter((l) => l !== ''));
  const header = sources[0]![0]!;
  const rows = sources.flatMap((lines) => lines.slice(1)).map((l) => l.split(','));
  const names = header.split(',');
  const col = (n: string): number => names.indexOf(n);
  const [iId, iFlow, iTs, iBytes, iPkts] = [col('id'), col('Flow ID'), col('Timestamp'), col('Flow Bytes/s'), col('Flow Packets/s')];
  expect(Math.min(iId, iFlow, iTs, iBytes, iPkts)).toBeGreaterThanOrEqual(0);
  const fd = fs.openSync(file, 'w');
  let size = 0;
  const put = (s: string): void => {
    fs.writeSync(fd, s);
    size += Buffer.byteLength(s);
  };
  put(`${header}\n`);
  let n = 0;
  const target = mb * 1e6;
  while (size < target) {
    const out: string[] = [];
    for (const r of rows) {
      const f = r.slice();
      f[iId] = String(n);
      f[iFlow] = `${f[iFlow]}-${n % 5003}`;
      f[iTs] = `2017-07-0${3 + (n % 5)} ${String(8 + (n % 9)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}:${String((n * 7) % 60).padStart(2, '0')}`;
      if (n % 101 === 0) f[iBytes] = 'Infinity';
      if (n % 103 === 0) f[iPkts] = 'NaN';
      out.push(f.join(','));
      if (n % 9973 === 500) out.push(f.slice(0, 20).join(',')); // malformed
      if (n % 12007 === 700) out.push(header);
      if (n % 8111 === 0) out.push('');
      n++;
    }
    put(`${out.join('\n')}\n`);
  }
  fs.closeSync(fd);
  return size;
}

/** Statistics equal (mean and std to rounding; a dictionary's top values as a set). */
function expectSameDetail(a: DatasetDetail, b: DatasetDetail): void {
  expect(b.rows).toBe(a.rows);
  expect(b.features).toBe(a.features);
  expect(b.cleaning).toEqual(a.cleaning);
  expect(b.warnings).toEqual(a.warnings);
  const byCount = (xs: Array<{ name: string; count: number }>) => [...xs].sort((x, y) => y.count - x.count || x.name.localeCompare(y.name));
  expect(b.classCounts === null).toBe(a.classCounts === null);
  if (a.classCounts) for (const t of ['label', 'category', 'binary'] as const) expect(byCount(b.classCounts![t])).toEqual(byCount(a.classCounts[t]));
  expect(b.columns.map((c) => [c.name, c.role, c.type])).toEqual(a.columns.map((c) => [c.name, c.role, c.type]));
  a.columns.forEach((ca, i) => {
    const sa = ca.stats;
    const sb = b.columns[i]!.stats;
    const { mean: ma, std: da, top: ta, ...restA } = sa;
    const { mean: mb, std: db, top: tb, ...restB } = sb;
    expect(restB, ca.name).toEqual(restA);
    const scale = Math.max(1, Math.abs(sa.min ?? 0), Math.abs(sa.max ?? 0));
    for (const [x, y] of [
      [ma, mb],
      [da, db],
    ] as const) {
      if (x === null || x === undefined) expect(y).toBe(x);
      else expect(Math.abs(x - (y as number)), ca.name).toBeLessThanOrEqual(1e-9 * scale);
    }
    if (ta && ta.length > 0) {
      // ties may be cut in another order (dictionary codes follow arrival order): compare the counts, and the values above the cut
      expect(tb!.map((t) => t.count)).toEqual(ta.map((t) => t.count));
      const cut = ta[ta.length - 1]!.count;
      const above = (xs: typeof ta) => xs.filter((t) => t.count > cut).map((t) => `${t.count} ${t.value}`).sort();
      expect(above(tb!)).toEqual(above(ta));
    }
  });
}

/** Row windows of both datasets are the same cells. */
async function expectSameRows(a: { backend: Backend; id: number }, b: { backend: Backend; id: number }, offsets: number[], limit = 40): Promise<void> {
  for (const offset of offsets) {
    const pa = await a.backend.call('datasets.preview', { id: a.id, offset, limit });
    const pb = await b.backend.call('datasets.preview', { id: b.id, offset, limit });
    expect(pb.total).toBe(pa.total);
    expect(pb.columns).toEqual(pa.columns);
    expect(pb.rows, `rows from ${offset}`).toEqual(pa.rows);
  }
}

/** The chunks are numbered 0.. per column, rows contiguous in that order (no provisional numbers left). */
function expectDenseChunks(workspacePath: string, id: number, rows: number): void {
  const db = new Database(workspacePath, { readonly: true, fileMustExist: true });
  try {
    const chunks = db
      .prepare('SELECT column_idx, chunk_idx, row_start, n_rows FROM column_chunks WHERE dataset_id = ? ORDER BY column_idx, chunk_idx')
      .all(id) as Array<{ column_idx: number; chunk_idx: number; row_start: number; n_rows: number }>;
    const perColumn = new Map<number, typeof chunks>();
    for (const c of chunks) perColumn.set(c.column_idx, [...(perColumn.get(c.column_idx) ?? []), c]);
    for (const list of perColumn.values()) {
      let next = 0;
      list.forEach((c, j) => {
        expect(c.chunk_idx).toBe(j);
        expect(c.row_start).toBe(next);
        next += c.n_rows;
      });
      expect(next).toBe(rows);
    }
  } finally {
    db.close();
  }
}

describe('parallel ranges of one large file', () => {
  it('store the dataset one pass stores (rows, statistics, classes, cleaning)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'Wednesday-workingHours.pcap_ISCX.csv');
    writeCicCsv(file, 40);
    const tuning: ImportTuning = { batchRows: 8192, chunkBytes: 1 << 20 };
    const one = await importWith(path.join(dir), file, { ...tuning, parallelParts: 1 });
    expect(one.timings.parts).toBeUndefined();
    const dir3 = tempDir();
    const three = await importWith(dir3, file, { ...tuning, parallelParts: 3, parallelMinBytes: 1 << 20 });
    expect(three.timings).toMatchObject({ parts: 3, rows: one.detail.rows });
    expect(three.timings.fallback).toBeUndefined();

    expect(one.detail.rows).toBeGreaterThan(40_000);
    expect(one.detail.cleaning.malformedRows).toBeGreaterThanOrEqual(3);
    expect(one.detail.cleaning.repeatedHeaderRows).toBeGreaterThanOrEqual(2);
    expect(one.detail.cleaning.nonFiniteCells).toBeGreaterThan(0);
    // malformed rows in every third of the file, with the file's line numbers
    const lines = one.detail.cleaning.malformedSamples.map((s) => s.line);
    expect(Math.max(...lines)).toBeGreaterThan((2 * one.detail.rows) / 3);
    expectSameDetail(one.detail, three.detail);

    const total = one.detail.rows;
    const offsets = [0, 8190, Math.floor(total / 3) - 20, Math.floor(total / 2), Math.floor((2 * total) / 3) - 20, total - 40];
    // and around every batch boundary of the ranges: every 8192 rows
    for (let r = 8192 * 2; r < total; r += 8192 * 2) offsets.push(r - 20);
    await expectSameRows(one, three, offsets);
    expectDenseChunks(three.backend.workspacePath, three.id, total);
    expect(workspaceSnapshot(three.backend.workspacePath).counts.datasets).toBe(1);
  }, 120_000);

  it('fall back to one pass when a split lands inside a quoted field that spans lines', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'notes.csv');
    const header = 'Src IP,Flow Duration,Note,Label';
    const row = (i: number) => `10.0.${i % 200}.${i % 250},${i * 7},plain ${i % 13},${i % 4 ? 'BENIGN' : 'DoS Hulk'}`;
    const head = `${header}\n${Array.from({ length: 30_000 }, (_, i) => row(i)).join('\n')}\n`;
    const quoted = `10.9.9.9,42,"a note on\ntwo lines",BENIGN`;
    const inner = head.length + quoted.indexOf('\n'); // the line break inside the quotes
    // the rest of the file is sized so that its middle (where two ranges split: the first line break
    // at or after it) is that line break: size = 2 * inner (ASCII: one byte per character)
    const need = 2 * inner - head.length - quoted.length;
    let rest = '\n';
    for (let i = 30_000; ; i++) {
      const r = `${row(i)}\n`;
      if (rest.length + r.length + 40 > need) break;
      rest += r;
    }
    rest += `10.0.0.1,1,${'p'.repeat(need - rest.length - '10.0.0.1,1,,BENIGN\n'.length)},BENIGN\n`;
    fs.writeFileSync(file, head + quoted + rest);
    expect(Math.floor(fs.statSync(file).size / 2)).toBe(inner);

    const tuning: ImportTuning = { batchRows: 4096, chunkBytes: 256 * 1024 };
    const one = await importWith(dir, file, { ...tuning, parallelParts: 1 });
    const two = await importWith(tempDir(), file, { ...tuning, parallelParts: 2, parallelMinBytes: 0 });
    expect(two.timings.fallback).toMatch(/record boundary/);
    expect(two.detail.rows).toBe(one.detail.rows);
    expectSameDetail(one.detail, two.detail);
    await expectSameRows(one, two, [0, 29_990, one.detail.rows - 40]);
    const note = await two.backend.call('datasets.preview', { id: two.id, offset: 30_000, limit: 1 });
    expect(note.rows[0]![2]).toBe('a note on\ntwo lines');
    expectDenseChunks(two.backend.workspacePath, two.id, two.detail.rows);
  }, 60_000);

  it('leave JSON lines and IoT-23 logs to one pass (the first parse worker reads the whole file)', async () => {
    const dir = tempDir();
    const files = [
      ['conn.json.log', 'zeek/vertical-portscan.head30.conn.json.log'],
      ['capture.conn.log.labeled', 'zeek/CTU-IoT-Malware-Capture-42-1.head120.conn.log.labeled'],
    ] as const;
    for (const [name, rel] of files) {
      const lines = text(readBytes(path.join(FIXTURES, rel))).split('\n');
      const head = rel.endsWith('.labeled') ? lines.filter((l) => l.startsWith('#') && !l.startsWith('#close')) : [];
      const data = lines.filter((l) => l !== '' && !l.startsWith('#'));
      const file = path.join(dir, name);
      fs.writeFileSync(file, `${[...head, ...Array.from({ length: 40 }, () => data).flat()].join('\n')}\n`);
      const one = await importWith(tempDir(), file, { parallelParts: 1 });
      const par = await importWith(tempDir(), file, { parallelParts: 2, parallelMinBytes: 0 });
      expect(par.timings.parts).toBeUndefined();
      expect(par.detail.rows).toBe(data.length * 40);
      expectSameDetail(one.detail, par.detail);
      await expectSameRows(one, par, [0, par.detail.rows - 40]);
    }
  }, 60_000);

  it('refuse a bad file as one pass does, storing nothing', async () => {
    const dir = tempDir();
    const backend = await backendIn(dir, { importTuning: { parallelParts: 3, parallelMinBytes: 0, batchRows: 2048, chunkBytes: 256 * 1024 } });
    const ref = await backendIn(tempDir(), { importTuning: { parallelParts: 1, batchRows: 2048, chunkBytes: 256 * 1024 } });
    const header = 'Src IP,Flow Duration,Flow Bytes/s,Label';
    const rows = (n: number, bad: (i: number) => boolean) =>
      Array.from({ length: n }, (_, i) => (bad(i) ? `10.0.0.${i % 250},${i}` : `10.0.0.${i % 250},${i},${i * 1.5},${i % 3 ? 'BENIGN' : 'PortScan'}`)).join('\n');

    // too many malformed rows, most of them in the last third: refused with the same line numbers
    const malformed = path.join(dir, 'malformed.csv');
    fs.writeFileSync(malformed, `${header}\n${rows(60_000, (i) => i > 45_000 && i % 20 === 0)}\n`);
    // an unterminated quote in the last range
    const quote = path.join(dir, 'quote.csv');
    fs.writeFileSync(quote, `${header}\n${rows(60_000, () => false)}\n"10.0.0.1,1,1,BENIGN\n${rows(100, () => false)}\n`);
    for (const file of [malformed, quote]) {
      const expected = await importAndWait(ref, { paths: [file] });
      expect(expected.status).toBe('failed');
      const job = await importAndWait(backend, { paths: [file] });
      expect(job.status).toBe('failed');
      expect(job.error).toEqual(expected.error);
      expect(workspaceSnapshot(backend.workspacePath)).toEqual({ datasets: [], counts: { datasets: 0, columns: 0, chunks: 0 } });
    }
  }, 60_000);

  it('cancelling mid-import stops every thread and leaves nothing', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'big.csv');
    writeCicCsv(file, 6);
    const backend = await backendIn(dir, {
      importTuning: { parallelParts: 3, parallelMinBytes: 0, chunkBytes: 64 * 1024, batchRows: 256, chunkDelayMs: 40 },
    });
    const { jobId } = await backend.call('datasets.import', { paths: [file] });
    await new Promise<void>((resolve) => {
      const off = backend.on((e) => {
        if (e.name === 'jobs.progress' && (e.payload.rows ?? 0) > 1500) {
          off();
          resolve();
        }
      });
    });
    const t0 = Date.now();
    expect(await backend.call('jobs.cancel', { id: jobId })).toEqual({ cancelled: true });
    const job = await waitForJob(backend, jobId);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(job.status).toBe('cancelled');
    expect(job.error).toMatchObject({ code: 'CANCELLED' });
    expect(workspaceSnapshot(backend.workspacePath)).toEqual({ datasets: [], counts: { datasets: 0, columns: 0, chunks: 0 } });
  }, 60_000);
});
