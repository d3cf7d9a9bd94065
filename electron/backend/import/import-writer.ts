/**
 * The write half of an import, on the import worker's own connection: one IMMEDIATE transaction
 * from the first chunk to the dataset row; rollback leaves nothing.
 *
 * Parallel ranges (writePart): part 0's batches are written as usual (chunk_idx 0.., row_start in
 * order). The other parts' rows start at offsets known only when the parts before them are done,
 * so their chunks get provisional numbers (chunk_idx -1, -2, ... in arrival order; row_start from
 * an estimate) that `reorderParts` rewrites, part by part, before the commit; nothing outside the
 * transaction ever sees them. The provisional values are chosen to take as many bytes in the
 * record as the final ones (small negative vs small positive chunk_idx; row_start estimated from
 * the part's byte offset), so SQLite overwrites each row in place instead of rewriting its BLOB.
 */
import { FlowsightError } from '../../contract/errors.js';
import type { ImportResult } from '../../contract/dto.js';
import type { ColumnBatch, ColumnSpec, FormatId, ImportSummary } from '../../../ml-core/data/types.js';
import type { Db } from '../db/connection.js';
import { DatasetsRepo, isFeatureRole, type DatasetMeta } from '../db/datasets.repo.js';
import { isBusy } from '../errors.js';
import type { CancelFlag } from '../jobs/cancel.js';
import { storageOf } from '../db/typed-blob.js';
import type { ImportFileRef } from '../workers/protocol.js';
import { cancelledError } from './import-errors.js';

export class ImportWriter {
  private readonly repo: DatasetsRepo;
  private datasetId = 0;
  private name = '';
  private columns: ColumnSpec[] | null = null;
  private chunkIdx = 0;
  private nextRow = 0;
  private open = false;
  /** parallel parts > 0: their chunks in order, with provisional chunk_idx */
  private partChunks: Array<Array<{ provisional: number; nRows: number }>> = [];
  private partNextRow: number[] = [];
  private provisional = 0;
  writeMs = 0;
  reorderMs = 0;

  constructor(
    private readonly db: Db,
    private readonly cancel: CancelFlag,
  ) {
    this.repo = new DatasetsRepo(db);
  }

  get inTransaction(): boolean {
    return this.open;
  }

  /**
   * Take the write lock (waiting while another writer holds it, until cancelled), then create the
   * dataset's placeholder row under a free name. `onWait` is called once if the lock is busy.
   */
  begin(name: string, onWait?: () => void): { id: number; name: string } {
    let waited = false;
    for (;;) {
      if (this.cancel.cancelled) throw cancelledError();
      try {
        this.db.exec('BEGIN IMMEDIATE');
        break;
      } catch (err) {
        if (!isBusy(err)) throw err;
        if (!waited) {
          waited = true;
          onWait?.();
        }
        this.cancel.sleep(100);
      }
    }
    this.open = true;
    this.name = this.repo.uniqueName(name);
    this.datasetId = this.repo.insertDataset(this.name, new Date().toISOString());
    return { id: this.datasetId, name: this.name };
  }

  setColumns(columns: ColumnSpec[]): void {
    this.columns = columns;
  }

  write(batch: ColumnBatch): void {
    this.checkBatch(batch);
    if (batch.rowStart !== this.nextRow) {
      throw new Error(`a batch starts at row ${batch.rowStart}; expected ${this.nextRow}`);
    }
    const t0 = process.hrtime.bigint();
    for (let c = 0; c < batch.columns.length; c++) {
      this.repo.insertChunk(this.datasetId, c, this.chunkIdx, batch.rowStart, batch.columns[c]!);
    }
    this.chunkIdx++;
    this.nextRow += batch.nRows;
    this.writeMs += Number(process.hrtime.bigint() - t0) / 1e6;
  }

  /**
   * A batch of parallel part `part` (rowStart counted within the part; dictionary codes already
   * global). Part 0 is written in place; others provisionally, `rowBase` being the estimated row
   * offset of the part (it only sizes the provisional row_start).
   */
  writePart(part: number, batch: ColumnBatch, rowBase: number): void {
    if (part === 0) {
      this.write(batch);
      return;
    }
    this.checkBatch(batch);
    const chunks = (this.partChunks[part] ??= []);
    const expected = this.partNextRow[part] ?? 0;
    if (batch.rowStart !== expected) {
      throw new Error(`a batch of part ${part} starts at row ${batch.rowStart}; expected ${expected}`);
    }
    const t0 = process.hrtime.bigint();
    const provisional = --this.provisional;
    for (let c = 0; c < batch.columns.length; c++) {
      this.repo.insertChunk(this.datasetId, c, provisional, rowBase + batch.rowStart, batch.columns[c]!);
    }
    chunks.push({ provisional, nRows: batch.nRows });
    this.partNextRow[part] = expected + batch.nRows;
    this.writeMs += Number(process.hrtime.bigint() - t0) / 1e6;
  }

  /** After every part is written: gives the chunks of parts 1.. their final chunk_idx and row_start, in part order. */
  reorderParts(): void {
    const t0 = process.hrtime.bigint();
    const update = this.db.prepare('UPDATE column_chunks SET chunk_idx = ?, row_start = ? WHERE dataset_id = ? AND chunk_idx = ?');
    for (let part = 1; part < this.partChunks.length; part++) {
      for (const ch of this.partChunks[part] ?? []) {
        update.run(this.chunkIdx, this.nextRow, this.datasetId, ch.provisional);
        this.chunkIdx++;
        this.nextRow += ch.nRows;
      }
    }
    this.partChunks = [];
    this.partNextRow = [];
    this.reorderMs += Number(process.hrtime.bigint() - t0) / 1e6;
  }

  /** Deletes every chunk written so far (inside the transaction) and starts the row count again. */
  discardChunks(): void {
    this.db.prepare('DELETE FROM column_chunks WHERE dataset_id = ?').run(this.datasetId);
    this.chunkIdx = 0;
    this.nextRow = 0;
    this.partChunks = [];
    this.partNextRow = [];
    this.provisional = 0;
  }

  private checkBatch(batch: ColumnBatch): void {
    const cols = this.columns;
    if (!cols) throw new Error('a batch arrived before the columns');
    if (batch.columns.length !== cols.length) {
      throw new Error(`a batch has ${batch.columns.length} columns; the import has ${cols.length}`);
    }
    for (let c = 0; c < cols.length; c++) {
      const values = batch.columns[c]!;
      if (storageOf(values) !== cols[c]!.storage || values.length !== batch.nRows) {
        throw new Error(`column ${cols[c]!.name} of the batch at row ${batch.rowStart} has the wrong type or length`);
      }
    }
  }

  /** Columns, stats, dictionaries, meta; then COMMIT. */
  commit(summary: ImportSummary, files: ImportFileRef[], options: { format: FormatId | 'auto'; label?: string | null }): ImportResult {
    if (this.partChunks.length > 0) throw new Error('commit before the parallel parts were put in order');
    if (summary.rows !== this.nextRow) {
      throw new Error(`the importer reports ${summary.rows} rows but ${this.nextRow} were written`);
    }
    const columns = summary.columns;
    if (this.columns && columns.length !== this.columns.length) {
      throw new Error(`the importer reports ${columns.length} columns but batches had ${this.columns.length}`);
    }
    this.repo.insertColumns(
      this.datasetId,
      columns.map((c, index) => ({
        index,
        name: c.name,
        sourceName: c.sourceName,
        role: c.role,
        defaultRole: c.role,
        storage: c.storage,
        stats: c.stats,
        dictionary: c.storage === 'dict' ? (c.dictionary ?? []) : null,
      })),
    );
    const features = columns.filter((c) => isFeatureRole(c.role)).length;
    const labels = summary.classCounts?.label ?? {};
    const meta: DatasetMeta = {
      files: summary.cleaning.files,
      bytes: files.reduce((s, f) => s + f.bytes, 0),
      cleaning: summary.cleaning,
      classCounts: summary.classCounts,
      targets: summary.targets,
      warnings: summary.warnings,
      options,
    };
    this.repo.finalizeDataset(this.datasetId, {
      format: summary.format,
      profile: summary.profile,
      rows: summary.rows,
      features,
      classes: Object.keys(labels).length,
      labelled: summary.classCounts !== null,
      meta,
    });
    if (this.cancel.cancelled) throw cancelledError();
    this.db.exec('COMMIT');
    this.open = false;
    return {
      id: this.datasetId,
      name: this.name,
      format: summary.format,
      profile: summary.profile,
      rows: summary.rows,
      features,
      labels: { ...labels },
      cleaning: summary.cleaning,
    };
  }

  rollback(): void {
    if (!this.open) return;
    this.open = false;
    try {
      this.db.exec('ROLLBACK');
    } catch (err) {
      if (this.db.inTransaction) throw new FlowsightError('INTERNAL', `Rolling back the import failed: ${(err as Error).message}`);
    }
  }
}
