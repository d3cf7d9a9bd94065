/**
 * Trained models: a row per model with its summary and evaluation as JSON and the encoded model
 * file as a BLOB. Prepared statements over one connection (the main thread's, or a train worker's).
 */
import type { Statement } from 'better-sqlite3';
import type { ModelDetail, ModelSummary } from '../../contract/dto.js';
import { FlowsightError } from '../../contract/errors.js';
import type { Db } from './connection.js';
import { firstFreeName } from './names.js';

interface ModelRow {
  id: number;
  name: string;
  kind: string;
  dataset_id: number | null;
  dataset_name: string;
  target: string;
  created_at: string;
  summary: string;
  detail: string;
  format_version: number;
  bytes: number;
}

/** The ModelSummary fields stored in the `summary` JSON (the rest are columns). */
export type StoredSummary = Omit<ModelSummary, 'id' | 'name' | 'kind' | 'datasetId' | 'datasetName' | 'target' | 'createdAt'>;
/** The ModelDetail fields stored in the `detail` JSON. */
export type StoredDetail = Omit<ModelDetail, keyof ModelSummary | 'bytes' | 'formatVersion'>;

export interface NewModel {
  name: string;
  summary: Omit<ModelSummary, 'id' | 'name' | 'createdAt'>;
  detail: StoredDetail;
  formatVersion: number;
  file: Uint8Array;
  createdAt: string;
}

const COLUMNS = 'id, name, kind, dataset_id, dataset_name, target, created_at, summary, format_version, length(file) AS bytes';

function toSummary(r: ModelRow): ModelSummary {
  const s = JSON.parse(r.summary) as StoredSummary;
  return {
    ...s,
    id: r.id,
    name: r.name,
    kind: r.kind as ModelSummary['kind'],
    datasetId: r.dataset_id,
    datasetName: r.dataset_name,
    target: r.target as ModelSummary['target'],
    createdAt: r.created_at,
  };
}

export function modelNotFound(id: number): FlowsightError {
  return new FlowsightError('NOT_FOUND', `There is no model with id ${id}; it may have been deleted.`);
}

export class ModelsRepo {
  private readonly st: {
    list: Statement<[], ModelRow>;
    byDataset: Statement<[number], ModelRow>;
    get: Statement<[number], ModelRow>;
    detail: Statement<[number], { detail: string }>;
    file: Statement<[number], { file: Buffer }>;
    byName: Statement<[string], { id: number }>;
    insert: Statement<[string, string, number | null, string, string, string, string, string, number, Buffer]>;
    rename: Statement<[string, number]>;
    delete: Statement<[number]>;
  };

  constructor(private readonly db: Db) {
    this.st = {
      list: db.prepare(`SELECT ${COLUMNS} FROM models ORDER BY id`),
      byDataset: db.prepare(`SELECT ${COLUMNS} FROM models WHERE dataset_id = ? ORDER BY id`),
      get: db.prepare(`SELECT ${COLUMNS} FROM models WHERE id = ?`),
      detail: db.prepare('SELECT detail FROM models WHERE id = ?'),
      file: db.prepare('SELECT file FROM models WHERE id = ?'),
      byName: db.prepare('SELECT id FROM models WHERE name = ?'),
      insert: db.prepare(
        `INSERT INTO models (name, kind, dataset_id, dataset_name, target, created_at, summary, detail, format_version, file)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      rename: db.prepare('UPDATE models SET name = ? WHERE id = ?'),
      delete: db.prepare('DELETE FROM models WHERE id = ?'),
    };
  }

  list(datasetId?: number): ModelSummary[] {
    return (datasetId === undefined ? this.st.list.all() : this.st.byDataset.all(datasetId)).map(toSummary);
  }

  private row(id: number): ModelRow {
    const r = this.st.get.get(id);
    if (!r) throw modelNotFound(id);
    return r;
  }

  exists(id: number): boolean {
    return this.st.get.get(id) !== undefined;
  }

  summary(id: number): ModelSummary {
    return toSummary(this.row(id));
  }

  detail(id: number): ModelDetail {
    const r = this.row(id);
    const d = JSON.parse(this.st.detail.get(id)!.detail) as StoredDetail;
    return { ...toSummary(r), ...d, bytes: r.bytes, formatVersion: r.format_version };
  }

  /** The encoded model file. */
  file(id: number): Uint8Array {
    const r = this.st.file.get(id);
    if (!r) throw modelNotFound(id);
    return new Uint8Array(r.file.buffer, r.file.byteOffset, r.file.byteLength);
  }

  nameTaken(name: string): boolean {
    return this.st.byName.get(name) !== undefined;
  }

  /** `base`, or `base (2)`, `base (3)`, ... whichever is free. */
  uniqueName(base: string): string {
    return firstFreeName(base, (n) => this.nameTaken(n));
  }

  /** Stores a model; returns its id. The name is made unique inside the same transaction. */
  insert(m: NewModel): number {
    const tx = this.db.transaction(() => {
      const name = this.uniqueName(m.name);
      const { kind, datasetId, datasetName, target, ...rest } = m.summary;
      const info = this.st.insert.run(
        name,
        kind,
        datasetId,
        datasetName,
        target,
        m.createdAt,
        JSON.stringify(rest),
        JSON.stringify(m.detail),
        m.formatVersion,
        Buffer.from(m.file.buffer, m.file.byteOffset, m.file.byteLength),
      );
      return Number(info.lastInsertRowid);
    });
    return tx.immediate();
  }

  rename(id: number, name: string): ModelSummary {
    this.row(id);
    const other = this.st.byName.get(name);
    if (other && other.id !== id) throw new FlowsightError('BAD_INPUT', `A model named "${name}" already exists; choose another name.`);
    this.st.rename.run(name, id);
    return this.summary(id);
  }

  delete(id: number): void {
    this.row(id);
    this.st.delete.run(id);
  }
}
