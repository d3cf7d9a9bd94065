import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { emptyCleaning, removeTempDirs, tempDir } from '../../../tests/support/backend-fixtures.js';
import type { ColumnBatch, ImportSummary } from '../../../ml-core/data/types.js';
import { openWorkspace, type Db } from '../db/connection.js';
import { DatasetsRepo } from '../db/datasets.repo.js';
import { CancelFlag } from '../jobs/cancel.js';
import { ImportWriter } from './import-writer.js';

afterAll(removeTempDirs);

let db: Db;
beforeEach(() => {
  db = openWorkspace(path.join(tempDir(), 'workspace.sqlite')).db;
  return () => db.close();
});

const spec = [{ name: 'x', sourceName: 'x', role: 'numeric' as const, storage: 'f32' as const }];

/** rows [from, from + n) of part-relative numbering; values = global row number + 0.5 */
function batch(rowStart: number, n: number, globalStart: number): ColumnBatch {
  return { rowStart, nRows: n, columns: [Float32Array.from({ length: n }, (_, i) => globalStart + i + 0.5)] };
}

function summary(rows: number): ImportSummary {
  return {
    profile: 'csv',
    format: 'csv',
    rows,
    columns: [{ ...spec[0]!, stats: { count: rows, missing: 0, nonFinite: 0, invalid: 0, min: 0, max: 1, mean: 0, std: 0 }, dictionary: null }],
    targets: null,
    classCounts: null,
    cleaning: emptyCleaning(),
    warnings: [],
  };
}

function chunks(id: number): Array<[number, number, number]> {
  return (db.prepare('SELECT chunk_idx, row_start, n_rows FROM column_chunks WHERE dataset_id = ? ORDER BY chunk_idx').all(id) as Array<{ chunk_idx: number; row_start: number; n_rows: number }>).map(
    (c) => [c.chunk_idx, c.row_start, c.n_rows],
  );
}

describe('ImportWriter: parallel parts', () => {
  it('writes parts as they arrive and puts their chunks in order before the commit', () => {
    const writer = new ImportWriter(db, new CancelFlag());
    const { id } = writer.begin('parts');
    writer.setColumns(spec);
    // part 0: rows 0..9 (4 + 6), part 1: 10..14 (3 + 2), part 2: 15..21 (7); interleaved arrival
    writer.writePart(2, batch(0, 7, 15), 14);
    writer.writePart(1, batch(0, 3, 10), 9);
    writer.writePart(0, batch(0, 4, 0), 0);
    writer.writePart(1, batch(3, 2, 13), 9);
    writer.writePart(0, batch(4, 6, 4), 0);
    expect(() => writer.writePart(1, batch(3, 2, 13), 9)).toThrow(/part 1 starts at row 3; expected 5/);
    expect(() => writer.commit(summary(22), [], { format: 'auto' })).toThrow(/in order/);
    writer.reorderParts();
    expect(chunks(id)).toEqual([
      [0, 0, 4],
      [1, 4, 6],
      [2, 10, 3],
      [3, 13, 2],
      [4, 15, 7],
    ]);
    writer.commit(summary(22), [], { format: 'auto' });
    const values = new DatasetsRepo(db).readColumn(id, { index: 0, storage: 'f32' });
    expect(Array.from(values)).toEqual(Array.from({ length: 22 }, (_, i) => i + 0.5));
  });

  it('discards what it wrote and starts again in one pass', () => {
    const writer = new ImportWriter(db, new CancelFlag());
    const { id } = writer.begin('again');
    writer.setColumns(spec);
    writer.writePart(0, batch(0, 4, 0), 0);
    writer.writePart(1, batch(0, 3, 4), 4);
    writer.discardChunks();
    expect(chunks(id)).toEqual([]);
    writer.write(batch(0, 5, 0));
    writer.commit(summary(5), [], { format: 'auto' });
    expect(chunks(id)).toEqual([[0, 0, 5]]);
  });
});
