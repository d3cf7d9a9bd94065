/** Helpers for backend tests: temp folders and synthetic datasets written through the real writer. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CleaningReport, ColumnRole, ColumnStats, ImportSummary, StorageType } from '../../ml-core/data/types.js';
import type { Db } from '../../electron/backend/db/connection.js';
import { ImportWriter } from '../../electron/backend/import/import-writer.js';
import { CancelFlag } from '../../electron/backend/jobs/cancel.js';
import Database from 'better-sqlite3';
import type { Backend } from '../../electron/backend/api.js';
import type { ImportResult, JobInfo } from '../../electron/contract/dto.js';
import type { AnyEvent } from '../../electron/contract/events.js';
import { createBackend } from '../../electron/backend/index.js';
import { FIXTURES } from './flow-import.js';

const made: string[] = [];

export function tempDir(prefix = 'flowsight-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export function emptyCleaning(files: CleaningReport['files'] = []): CleaningReport {
  return {
    files,
    rowsRead: 0,
    rowsKept: 0,
    malformedRows: 0,
    malformedSamples: [],
    repeatedHeaderRows: 0,
    blankLines: 0,
    nonFiniteCells: 0,
    nonFiniteByColumn: {},
    missingCells: 0,
    invalidNumberCells: 0,
    invalidNumberByColumn: {},
    renamedHeaders: [],
    duplicateColumns: [],
    droppedColumns: [],
    repairedLabels: [],
    repairedTextCells: 0,
    notes: [],
  };
}

export interface SyntheticColumn {
  name: string;
  role: ColumnRole;
  storage: StorageType;
  /** numbers for f32/f64 (NaN = missing); strings (null = missing) for dict */
  values: Array<number | string | null>;
}

function stats(values: number[]): ColumnStats {
  const finite = values.filter((v) => Number.isFinite(v));
  const n = finite.length;
  const mean = n ? finite.reduce((a, b) => a + b, 0) / n : null;
  const std = n && mean !== null ? Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / n) : null;
  return {
    count: n,
    missing: values.length - n,
    nonFinite: values.length - n,
    invalid: 0,
    min: n ? Math.min(...finite) : null,
    max: n ? Math.max(...finite) : null,
    mean,
    std,
  };
}

/** Write a dataset through ImportWriter (one transaction), `chunkRows` rows per chunk. */
export function insertSyntheticDataset(
  db: Db,
  name: string,
  columns: SyntheticColumn[],
  chunkRows = 3,
): { id: number; name: string } {
  const rows = columns[0]?.values.length ?? 0;
  const dicts = columns.map((c) => {
    if (c.storage !== 'dict') return null;
    const d: string[] = [];
    for (const v of c.values) if (v !== null && !d.includes(String(v))) d.push(String(v));
    return d;
  });
  const writer = new ImportWriter(db, new CancelFlag());
  const created = writer.begin(name);
  writer.setColumns(columns.map((c) => ({ name: c.name, sourceName: c.name, role: c.role, storage: c.storage })));
  for (let start = 0; start < rows; start += chunkRows) {
    const n = Math.min(chunkRows, rows - start);
    writer.write({
      rowStart: start,
      nRows: n,
      columns: columns.map((c, j) => {
        const slice = c.values.slice(start, start + n);
        if (c.storage === 'dict') return Int32Array.from(slice, (v) => (v === null ? -1 : dicts[j]!.indexOf(String(v))));
        const nums = slice.map((v) => (v === null ? NaN : Number(v)));
        return c.storage === 'f64' ? Float64Array.from(nums) : Float32Array.from(nums);
      }),
    });
  }
  const label = columns.find((c) => c.role === 'label');
  const labelCounts: Record<string, number> = {};
  if (label) for (const v of label.values) if (v !== null) labelCounts[String(v)] = (labelCounts[String(v)] ?? 0) + 1;
  const summary: ImportSummary = {
    profile: 'csv',
    format: 'csv',
    rows,
    columns: columns.map((c, j) => ({
      name: c.name,
      sourceName: c.name,
      role: c.role,
      storage: c.storage,
      stats:
        c.storage === 'dict'
          ? { ...stats([]), count: c.values.filter((v) => v !== null).length, missing: c.values.filter((v) => v === null).length, distinct: dicts[j]!.length }
          : stats(c.values.map((v) => (v === null ? NaN : Number(v)))),
      dictionary: dicts[j],
    })),
    targets: null,
    classCounts: label
      ? {
          label: labelCounts,
          category: labelCounts,
          binary: Object.fromEntries(
            Object.entries(labelCounts).reduce((m, [k, v]) => {
              const b = /benign|normal/i.test(k) ? 'benign' : 'attack';
              m.set(b, (m.get(b) ?? 0) + v);
              return m;
            }, new Map<string, number>()),
          ),
        }
      : null,
    cleaning: emptyCleaning([{ name: `${name}.csv`, bytes: 100, rows, profile: 'csv' }]),
    warnings: [],
  };
  const result = writer.commit(summary, [{ path: `/tmp/${name}.csv`, name: `${name}.csv`, bytes: 100 }], { format: 'auto' });
  return { id: result.id, name: created.name };
}

/**
 * A small flow CSV (generic layout, CICFlowMeter-like names) with `rows` records and a Label
 * column; deterministic. Returns the file's size in bytes.
 */
export function writeFlowCsv(file: string, rows: number, options: { seed?: number; header?: boolean } = {}): number {
  let s = options.seed ?? 1;
  const rand = () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
  const labels = ['BENIGN', 'BENIGN', 'BENIGN', 'DoS Hulk', 'PortScan'];
  const lines: string[] = [];
  if (options.header !== false) {
    lines.push('Src IP,Src Port,Dst IP,Dst Port,Protocol,Flow Duration,Total Fwd Packets,Total Backward Packets,Flow Bytes/s,Label');
  }
  for (let i = 0; i < rows; i++) {
    const label = labels[Math.floor(rand() * labels.length)]!;
    lines.push(
      [
        `192.168.10.${1 + Math.floor(rand() * 50)}`,
        1024 + Math.floor(rand() * 60000),
        `10.0.0.${1 + Math.floor(rand() * 20)}`,
        [80, 443, 22, 53][Math.floor(rand() * 4)],
        [6, 17][Math.floor(rand() * 2)],
        Math.floor(rand() * 1e6),
        1 + Math.floor(rand() * 40),
        Math.floor(rand() * 40),
        i % 97 === 0 ? 'Infinity' : (rand() * 1e5).toFixed(3),
        label,
      ].join(','),
    );
  }
  const text = lines.join('\n') + '\n';
  fs.writeFileSync(file, text);
  return Buffer.byteLength(text);
}


/** Records every event of a backend. */
export function recordEvents(backend: Backend): AnyEvent[] {
  const events: AnyEvent[] = [];
  backend.on((e) => events.push(e));
  return events;
}

/** Resolves with the job's final state (from its jobs.finished event, or at once if it already ended). */
export function waitForJob(backend: Backend, jobId: number, timeoutMs = 50_000): Promise<JobInfo> {
  return new Promise<JobInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`job ${jobId} did not finish in ${timeoutMs} ms`)), timeoutMs);
    const off = backend.on((e) => {
      if (e.name === 'jobs.finished' && e.payload.id === jobId) {
        clearTimeout(timer);
        off();
        resolve(e.payload);
      }
    });
    void backend.call('jobs.get', { id: jobId }).then((j) => {
      if (j.status !== 'running') {
        clearTimeout(timer);
        off();
        resolve(j);
      }
    });
  });
}

/** Import and wait: the job's final state. */
export type ImportJob = Omit<JobInfo, 'result'> & { result: ImportResult | null };

export async function importAndWait(backend: Backend, input: Parameters<Backend['call']>[1] & object): Promise<ImportJob> {
  const { jobId } = await backend.call('datasets.import', input as never);
  return (await waitForJob(backend, jobId)) as ImportJob;
}

/** What the workspace holds, read through a separate read-only connection. */
export function workspaceSnapshot(workspacePath: string): {
  datasets: Array<{ id: number; name: string; rows: number }>;
  counts: { datasets: number; columns: number; chunks: number };
} {
  const db = new Database(workspacePath, { readonly: true, fileMustExist: true });
  try {
    return {
      datasets: db.prepare('SELECT id, name, rows FROM datasets ORDER BY id').all() as Array<{ id: number; name: string; rows: number }>,
      counts: db
        .prepare(
          `SELECT (SELECT count(*) FROM datasets) AS datasets, (SELECT count(*) FROM dataset_columns) AS columns,
                  (SELECT count(*) FROM column_chunks) AS chunks`,
        )
        .get() as { datasets: number; columns: number; chunks: number },
    };
  } finally {
    db.close();
  }
}

/** A backend on a fresh workspace holding the two bundled samples and the NSL-KDD test excerpt. */
export async function trainingWorkspace(): Promise<{ backend: Backend; dir: string; nsl: number; cicids: number; nslTest: number }> {
  const dir = tempDir();
  const backend = await createBackend({ workspacePath: path.join(dir, 'workspace.sqlite'), face: 'cli' });
  const nsl = ((await importAndWait(backend, { sample: 'nsl-kdd' })).result as ImportResult).id;
  const cicids = ((await importAndWait(backend, { sample: 'cicids2017' })).result as ImportResult).id;
  const nslTest = ((await importAndWait(backend, { paths: [path.join(FIXTURES, 'nsl-kdd/KDDTest+.excerpt.txt')] })).result as ImportResult).id;
  return { backend, dir, nsl, cicids, nslTest };
}

/** Rows of the models table, read with a connection of its own. */
export function countModels(workspacePath: string): number {
  const db = new Database(workspacePath, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM models').pluck().get() as number;
  } finally {
    db.close();
  }
}
