/**
 * Datasets, their columns and column chunks. Prepared statements over one connection
 * (the main thread's, or an import worker's own).
 */
import type { Statement } from 'better-sqlite3';
import { FlowsightError } from '../../contract/errors.js';
import type {
  ClassCounts,
  ColumnInfo,
  DatasetDetail,
  DatasetPreview,
  DatasetSummary,
  PreviewCell,
} from '../../contract/dto.js';
import type {
  CleaningReport,
  ColumnRole,
  ColumnStats,
  FormatId,
  ImportSummary,
  ProfileId,
  StorageType,
  TargetMaps,
  TargetName,
} from '../../../ml-core/data/types.js';
import { sqliteCode } from '../errors.js';
import type { Db } from './connection.js';
import { firstFreeName } from './names.js';
import { allocColumn, fromBlob, toBlob, type ColumnArray } from './typed-blob.js';

/** What datasets.meta holds (JSON). */
export interface DatasetMeta {
  files: CleaningReport['files'];
  bytes: number;
  cleaning: CleaningReport;
  classCounts: ImportSummary['classCounts'];
  targets: TargetMaps | null;
  warnings: string[];
  options: { format: FormatId | 'auto'; label?: string | null };
}

interface DatasetRow {
  id: number;
  name: string;
  format: string;
  profile: string;
  rows: number;
  features: number;
  classes: number;
  labelled: number;
  files: number;
  bytes: number;
  created_at: string;
  meta: string;
}

interface ColumnRow {
  idx: number;
  name: string;
  source_name: string;
  role: string;
  default_role: string;
  storage: string;
  stats: string;
}

export interface StoredColumn {
  index: number;
  name: string;
  sourceName: string;
  role: ColumnRole;
  defaultRole: ColumnRole;
  storage: StorageType;
  stats: ColumnStats;
}

export interface NewColumn {
  index: number;
  name: string;
  sourceName: string;
  role: ColumnRole;
  defaultRole: ColumnRole;
  storage: StorageType;
  stats: ColumnStats;
  dictionary: string[] | null;
}

export const FEATURE_ROLES: readonly ColumnRole[] = ['numeric', 'categorical'];

export function isFeatureRole(role: ColumnRole): boolean {
  return role === 'numeric' || role === 'categorical';
}

/** Why including identifier `name` as a feature is a bad idea, in words for the analyst. */
export function leakageWarning(name: string): string {
  const n = name.toLowerCase();
  let what = 'individual records';
  if (/\b(ip|addr|address|host|mac)\b|src.?ip|dst.?ip|source.?ip|destination.?ip|_h$|orig_h|resp_h/.test(n)) what = 'hosts';
  else if (/time|date|stamp|\bts\b/.test(n)) what = 'when each attack happened';
  else if (/flow.?id|\buid\b|\bid\b/.test(n)) what = 'individual flows';
  else if (/port/.test(n)) what = 'the ports each attack used';
  return `${name} is an identifier; using it as a feature lets a model memorise ${what} instead of learning behaviour (label leakage).`;
}

const TARGETS: TargetName[] = ['label', 'category', 'binary'];

function sortedCounts(counts: Record<string, number> | undefined): Array<{ name: string; count: number }> {
  return Object.entries(counts ?? {})
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function toClassCounts(raw: ImportSummary['classCounts']): ClassCounts | null {
  if (!raw) return null;
  const out = {} as ClassCounts;
  for (const t of TARGETS) out[t] = sortedCounts(raw[t]);
  return out;
}

/** Float32 values read back as doubles print as 0.10000000149011612; show what was stored. */
function f32Cell(v: number): PreviewCell {
  if (!Number.isFinite(v)) return null;
  if (Number.isInteger(v)) return v;
  return Number(v.toPrecision(7));
}

function rowToSummary(r: DatasetRow): DatasetSummary {
  return {
    id: r.id,
    name: r.name,
    format: r.format as FormatId,
    profile: r.profile as ProfileId,
    rows: r.rows,
    features: r.features,
    classes: r.classes,
    labelled: r.labelled === 1,
    files: r.files,
    bytes: r.bytes,
    createdAt: r.created_at,
  };
}

function rowToColumn(c: ColumnRow): StoredColumn {
  return {
    index: c.idx,
    name: c.name,
    sourceName: c.source_name,
    role: c.role as ColumnRole,
    defaultRole: c.default_role as ColumnRole,
    storage: c.storage as StorageType,
    stats: JSON.parse(c.stats) as ColumnStats,
  };
}

function notFound(id: number): FlowsightError {
  return new FlowsightError('NOT_FOUND', `There is no dataset with id ${id}; it may have been deleted.`);
}

export class DatasetsRepo {
  private readonly st: {
    list: Statement<[], DatasetRow>;
    get: Statement<[number], DatasetRow>;
    byName: Statement<[string], { id: number }>;
    columns: Statement<[number], ColumnRow>;
    dictionary: Statement<[number, number], { dictionary: string | null }>;
    chunksInRange: Statement<[number, number, number, number], { row_start: number; n_rows: number; data: Buffer }>;
    chunksOfColumn: Statement<[number, number], { row_start: number; n_rows: number; data: Buffer }>;
    rename: Statement<[string, number]>;
    delete: Statement<[number]>;
    setRole: Statement<[string, number, number]>;
    setFeatures: Statement<[number, number]>;
    insertDataset: Statement<[string, string, string, string, string]>;
    insertColumn: Statement<[number, number, string, string, string, string, string, string, string | null]>;
    insertChunk: Statement<[number, number, number, number, number, Buffer]>;
    finalize: Statement<[string, string, number, number, number, number, number, number, string, number]>;
    counts: Statement<[], { datasets: number; columns: number; chunks: number }>;
  };
  private readonly dictCache = new Map<string, string[]>();

  constructor(private readonly db: Db) {
    this.st = {
      list: db.prepare('SELECT * FROM datasets ORDER BY id'),
      get: db.prepare('SELECT * FROM datasets WHERE id = ?'),
      byName: db.prepare('SELECT id FROM datasets WHERE name = ?'),
      columns: db.prepare(
        'SELECT idx, name, source_name, role, default_role, storage, stats FROM dataset_columns WHERE dataset_id = ? ORDER BY idx',
      ),
      dictionary: db.prepare('SELECT dictionary FROM dataset_columns WHERE dataset_id = ? AND idx = ?'),
      chunksInRange: db.prepare(
        `SELECT row_start, n_rows, data FROM column_chunks
          WHERE dataset_id = ? AND column_idx = ? AND row_start < ? AND row_start + n_rows > ?
          ORDER BY chunk_idx`,
      ),
      chunksOfColumn: db.prepare(
        'SELECT row_start, n_rows, data FROM column_chunks WHERE dataset_id = ? AND column_idx = ? ORDER BY chunk_idx',
      ),
      rename: db.prepare('UPDATE datasets SET name = ? WHERE id = ?'),
      delete: db.prepare('DELETE FROM datasets WHERE id = ?'),
      setRole: db.prepare('UPDATE dataset_columns SET role = ? WHERE dataset_id = ? AND idx = ?'),
      setFeatures: db.prepare('UPDATE datasets SET features = ? WHERE id = ?'),
      insertDataset: db.prepare(
        "INSERT INTO datasets (name, format, profile, created_at, meta) VALUES (?, ?, ?, ?, ?)",
      ),
      insertColumn: db.prepare(
        `INSERT INTO dataset_columns (dataset_id, idx, name, source_name, role, default_role, storage, stats, dictionary)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertChunk: db.prepare(
        'INSERT INTO column_chunks (dataset_id, column_idx, chunk_idx, row_start, n_rows, data) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      finalize: db.prepare(
        `UPDATE datasets SET format = ?, profile = ?, rows = ?, features = ?, classes = ?, labelled = ?,
           files = ?, bytes = ?, meta = ? WHERE id = ?`,
      ),
      counts: db.prepare(
        `SELECT (SELECT count(*) FROM datasets) AS datasets, (SELECT count(*) FROM dataset_columns) AS columns,
                (SELECT count(*) FROM column_chunks) AS chunks`,
      ),
    };
  }

  // ---- reading ------------------------------------------------------------------------------

  list(): DatasetSummary[] {
    return this.st.list.all().map(rowToSummary);
  }

  private row(id: number): DatasetRow {
    const r = this.st.get.get(id);
    if (!r) throw notFound(id);
    return r;
  }

  exists(id: number): boolean {
    return this.st.get.get(id) !== undefined;
  }

  summary(id: number): DatasetSummary {
    return rowToSummary(this.row(id));
  }

  meta(id: number): DatasetMeta {
    return JSON.parse(this.row(id).meta) as DatasetMeta;
  }

  columns(id: number): StoredColumn[] {
    return this.st.columns.all(id).map(rowToColumn);
  }

  detail(id: number): DatasetDetail {
    const r = this.row(id);
    const meta = JSON.parse(r.meta) as DatasetMeta;
    const cols = this.columns(id);
    const columns: ColumnInfo[] = cols.map((c) => ({
      index: c.index,
      name: c.name,
      sourceName: c.sourceName,
      role: c.role,
      defaultRole: c.defaultRole,
      type: c.storage === 'dict' ? 'string' : 'number',
      stats: c.stats,
    }));
    return {
      ...rowToSummary(r),
      columns,
      cleaning: meta.cleaning,
      classCounts: toClassCounts(meta.classCounts),
      warnings: [...(meta.warnings ?? []), ...leakageWarnings(cols)],
    };
  }

  /** Dictionary of a dict column (code -> string), cached. */
  dictionary(id: number, columnIdx: number): string[] {
    const key = `${id}:${columnIdx}`;
    const hit = this.dictCache.get(key);
    if (hit) {
      this.dictCache.delete(key);
      this.dictCache.set(key, hit);
      return hit;
    }
    const r = this.st.dictionary.get(id, columnIdx);
    const dict = r?.dictionary ? (JSON.parse(r.dictionary) as string[]) : [];
    this.dictCache.set(key, dict);
    while (this.dictCache.size > 32) this.dictCache.delete(this.dictCache.keys().next().value!);
    return dict;
  }

  /** Values of one column for rows [start, end) (clamped to the stored rows). */
  readRange(id: number, column: { index: number; storage: StorageType }, start: number, end: number): ColumnArray {
    const out = allocColumn(column.storage, Math.max(0, end - start));
    if (end <= start) return out;
    let filled = 0;
    for (const ch of this.st.chunksInRange.iterate(id, column.index, end, start)) {
      const values = fromBlob(ch.data, column.storage);
      const from = Math.max(start, ch.row_start);
      const to = Math.min(end, ch.row_start + ch.n_rows);
      out.set(values.subarray(from - ch.row_start, to - ch.row_start) as never, from - start);
      filled = Math.max(filled, to - start);
    }
    return filled === out.length ? out : out.subarray(0, filled);
  }

  /** A whole column as one typed array (row i at index i). */
  readColumn(id: number, column: { index: number; storage: StorageType }): ColumnArray {
    const rows = this.row(id).rows;
    const out = allocColumn(column.storage, rows);
    for (const ch of this.st.chunksOfColumn.iterate(id, column.index)) {
      out.set(fromBlob(ch.data, column.storage) as never, ch.row_start);
    }
    return out;
  }

  /** Rows [offset, offset + limit) decoded for people: dictionary codes -> strings, NaN -> null. */
  preview(id: number, offset: number, limit: number): DatasetPreview {
    const r = this.row(id);
    const cols = this.columns(id);
    const start = Math.min(offset, r.rows);
    const end = Math.min(r.rows, offset + limit);
    const n = end - start;
    const rows: PreviewCell[][] = Array.from({ length: n }, () => new Array<PreviewCell>(cols.length).fill(null));
    cols.forEach((c, j) => {
      const values = this.readRange(id, c, start, end);
      if (c.storage === 'dict') {
        const dict = this.dictionary(id, c.index);
        for (let i = 0; i < values.length; i++) {
          const code = values[i]!;
          rows[i]![j] = code >= 0 && code < dict.length ? dict[code]! : null;
        }
      } else if (c.storage === 'f32') {
        for (let i = 0; i < values.length; i++) rows[i]![j] = f32Cell(values[i]!);
      } else {
        for (let i = 0; i < values.length; i++) {
          const v = values[i]!;
          rows[i]![j] = Number.isFinite(v) ? v : null;
        }
      }
    });
    return { columns: cols.map((c) => c.name), rows, offset, total: r.rows };
  }

  nameTaken(name: string): boolean {
    return this.st.byName.get(name) !== undefined;
  }

  /** `base`, or `base (2)`, `base (3)`, ... whichever is free. */
  uniqueName(base: string): string {
    return firstFreeName(base, (n) => this.nameTaken(n));
  }

  /** Row counts of the dataset tables (for tests and diagnostics). */
  counts(): { datasets: number; columns: number; chunks: number } {
    return this.st.counts.get()!;
  }

  // ---- changing -----------------------------------------------------------------------------

  rename(id: number, name: string): DatasetSummary {
    const current = this.row(id);
    if (current.name === name) return rowToSummary(current);
    try {
      this.st.rename.run(name, id);
    } catch (err) {
      if (sqliteCode(err) === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new FlowsightError('BAD_INPUT', `A dataset named "${name}" already exists; choose another name.`);
      }
      throw err;
    }
    return this.summary(id);
  }

  delete(id: number): void {
    const info = this.st.delete.run(id);
    if (info.changes === 0) throw notFound(id);
    for (const key of [...this.dictCache.keys()]) if (key.startsWith(`${id}:`)) this.dictCache.delete(key);
  }

  /** Set roles by column index; keeps datasets.features in step. Validation is the caller's. */
  setRoles(id: number, changes: Array<{ index: number; role: ColumnRole }>): void {
    this.db.transaction(() => {
      for (const c of changes) this.st.setRole.run(c.role, id, c.index);
      const features = this.columns(id).filter((c) => isFeatureRole(c.role)).length;
      this.st.setFeatures.run(features, id);
    })();
  }

  // ---- import (inside the import worker's transaction) ---------------------------------------

  /** A placeholder row the chunks can reference; finalizeDataset fills it in. */
  insertDataset(name: string, createdAt: string): number {
    const info = this.st.insertDataset.run(name, 'csv', 'csv', createdAt, '{}');
    return Number(info.lastInsertRowid);
  }

  insertChunk(id: number, columnIdx: number, chunkIdx: number, rowStart: number, values: ColumnArray): void {
    this.st.insertChunk.run(id, columnIdx, chunkIdx, rowStart, values.length, toBlob(values));
  }

  insertColumns(id: number, columns: NewColumn[]): void {
    for (const c of columns) {
      this.st.insertColumn.run(
        id,
        c.index,
        c.name,
        c.sourceName,
        c.role,
        c.defaultRole,
        c.storage,
        JSON.stringify(c.stats),
        c.dictionary ? JSON.stringify(c.dictionary) : null,
      );
    }
  }

  finalizeDataset(
    id: number,
    v: { format: FormatId; profile: ProfileId; rows: number; features: number; classes: number; labelled: boolean; meta: DatasetMeta },
  ): void {
    this.st.finalize.run(
      v.format,
      v.profile,
      v.rows,
      v.features,
      v.classes,
      v.labelled ? 1 : 0,
      v.meta.files.length,
      v.meta.bytes,
      JSON.stringify(v.meta),
      id,
    );
  }
}

export function leakageWarnings(cols: Array<{ name: string; role: ColumnRole; defaultRole: ColumnRole }>): string[] {
  return cols.filter((c) => c.defaultRole === 'identifier' && isFeatureRole(c.role)).map((c) => leakageWarning(c.name));
}
