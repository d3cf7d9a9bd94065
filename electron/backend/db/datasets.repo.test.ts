import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { insertSyntheticDataset, removeTempDirs, tempDir } from '../../../tests/support/backend-fixtures.js';
import { openWorkspace, type Db } from './connection.js';
import { DatasetsRepo, leakageWarning } from './datasets.repo.js';
import { fromBlob, toBlob } from './typed-blob.js';

afterAll(removeTempDirs);

let db: Db;
let repo: DatasetsRepo;
beforeEach(() => {
  db = openWorkspace(path.join(tempDir(), 'workspace.sqlite')).db;
  repo = new DatasetsRepo(db);
  return () => db.close();
});

const columns = () => [
  { name: 'Src IP', role: 'identifier' as const, storage: 'dict' as const, values: ['10.0.0.1', '10.0.0.2', '10.0.0.1', null, '10.0.0.3', '10.0.0.2', '10.0.0.9'] },
  { name: 'Duration', role: 'numeric' as const, storage: 'f32' as const, values: [0.1, 2.5, NaN, 4, 1e6, -3.25, 7] },
  { name: 'Timestamp', role: 'identifier' as const, storage: 'f64' as const, values: [1499000000.123456, 1499000001.5, 1499000002, 1499000003, NaN, 1499000005, 1499000006] },
  { name: 'Protocol', role: 'categorical' as const, storage: 'dict' as const, values: ['tcp', 'udp', 'tcp', 'tcp', 'icmp', 'udp', 'tcp'] },
  { name: 'Label', role: 'label' as const, storage: 'dict' as const, values: ['BENIGN', 'DoS', 'BENIGN', 'BENIGN', 'PortScan', 'DoS', 'BENIGN'] },
];

describe('typed-blob', () => {
  it('round-trips f32, f64 and dict arrays through bytes', () => {
    const f32 = Float32Array.from([1.5, NaN, -Infinity, 3]);
    const back = fromBlob(toBlob(f32), 'f32') as Float32Array;
    expect(Array.from(back)).toEqual([1.5, NaN, -Infinity, 3]);
    const f64 = Float64Array.from([1499000000.123456]);
    expect((fromBlob(toBlob(f64), 'f64') as Float64Array)[0]).toBe(1499000000.123456);
    const codes = Int32Array.from([0, -1, 7]);
    expect(Array.from(fromBlob(toBlob(codes), 'dict'))).toEqual([0, -1, 7]);
  });

  it('copies an unaligned buffer instead of failing', () => {
    const bytes = new Uint8Array(9);
    new DataView(bytes.buffer).setFloat32(1, 2.5, true);
    const view = bytes.subarray(1, 5);
    expect(Array.from(fromBlob(view, 'f32'))).toEqual([2.5]);
    expect(() => fromBlob(bytes.subarray(0, 3), 'f32')).toThrow(/whole number/);
  });
});

describe('DatasetsRepo', () => {
  it('stores columns as chunk BLOBs and reads them back, across chunk boundaries', () => {
    const { id } = insertSyntheticDataset(db, 'flows', columns(), 3);
    expect(db.prepare('SELECT count(*) FROM column_chunks WHERE dataset_id = ?').pluck().get(id)).toBe(5 * 3);
    const cols = repo.columns(id);
    expect(cols.map((c) => c.storage)).toEqual(['dict', 'f32', 'f64', 'dict', 'dict']);
    const duration = repo.readColumn(id, cols[1]!);
    expect(duration).toBeInstanceOf(Float32Array);
    expect(Array.from(duration)).toEqual(Array.from(Float32Array.from([0.1, 2.5, NaN, 4, 1e6, -3.25, 7])));
    const ts = repo.readRange(id, cols[2]!, 2, 6);
    expect(ts).toBeInstanceOf(Float64Array);
    expect(Array.from(ts)).toEqual([1499000002, 1499000003, NaN, 1499000005]);
    expect(Array.from(repo.readRange(id, cols[0]!, 5, 100))).toEqual([1, 3]);
  });

  it('previews rows decoded for people', () => {
    const { id } = insertSyntheticDataset(db, 'flows', columns(), 2);
    const p = repo.preview(id, 1, 4);
    expect(p.columns).toEqual(['Src IP', 'Duration', 'Timestamp', 'Protocol', 'Label']);
    expect(p.total).toBe(7);
    expect(p.offset).toBe(1);
    expect(p.rows).toEqual([
      ['10.0.0.2', 2.5, 1499000001.5, 'udp', 'DoS'],
      ['10.0.0.1', null, 1499000002, 'tcp', 'BENIGN'],
      [null, 4, 1499000003, 'tcp', 'BENIGN'],
      ['10.0.0.3', 1000000, null, 'icmp', 'PortScan'],
    ]);
    expect(repo.preview(id, 0, 1).rows[0]![1]).toBe(0.1); // the f32 value shown as stored, not 0.10000000149
    expect(repo.preview(id, 50, 10).rows).toEqual([]);
  });

  it('describes a dataset: summary, detail with sorted class counts', () => {
    const { id } = insertSyntheticDataset(db, 'flows', columns());
    const [summary] = repo.list();
    expect(summary).toMatchObject({ id, name: 'flows', rows: 7, features: 2, classes: 3, labelled: true, files: 1 });
    const detail = repo.detail(id);
    expect(detail.columns.map((c) => [c.name, c.type, c.role])).toEqual([
      ['Src IP', 'string', 'identifier'],
      ['Duration', 'number', 'numeric'],
      ['Timestamp', 'number', 'identifier'],
      ['Protocol', 'string', 'categorical'],
      ['Label', 'string', 'label'],
    ]);
    expect(detail.classCounts!.label).toEqual([
      { name: 'BENIGN', count: 4 },
      { name: 'DoS', count: 2 },
      { name: 'PortScan', count: 1 },
    ]);
    expect(detail.warnings).toEqual([]);
  });

  it('de-duplicates names with (2), (3)', () => {
    insertSyntheticDataset(db, 'flows', columns());
    insertSyntheticDataset(db, 'flows', columns());
    insertSyntheticDataset(db, 'flows', columns());
    expect(repo.list().map((d) => d.name)).toEqual(['flows', 'flows (2)', 'flows (3)']);
  });

  it('renames, refusing a name in use', () => {
    const a = insertSyntheticDataset(db, 'a', columns());
    insertSyntheticDataset(db, 'b', columns());
    expect(repo.rename(a.id, 'c').name).toBe('c');
    expect(() => repo.rename(a.id, 'b')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => repo.rename(999, 'z')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('deletes a dataset with its columns and chunks', () => {
    const a = insertSyntheticDataset(db, 'a', columns());
    const b = insertSyntheticDataset(db, 'b', columns());
    repo.delete(a.id);
    expect(repo.list().map((d) => d.id)).toEqual([b.id]);
    expect(repo.counts()).toEqual({ datasets: 1, columns: 5, chunks: 5 * 3 });
    expect(() => repo.delete(a.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('changes roles and keeps the feature count and leakage warnings in step', () => {
    const { id } = insertSyntheticDataset(db, 'flows', columns());
    repo.setRoles(id, [
      { index: 0, role: 'categorical' },
      { index: 1, role: 'ignored' },
    ]);
    const d = repo.detail(id);
    expect(d.features).toBe(2);
    expect(d.columns[0]).toMatchObject({ role: 'categorical', defaultRole: 'identifier' });
    expect(d.warnings).toEqual([leakageWarning('Src IP')]);
    expect(leakageWarning('Src IP')).toBe(
      'Src IP is an identifier; using it as a feature lets a model memorise hosts instead of learning behaviour (label leakage).',
    );
  });

  it('writes nothing when the transaction rolls back', () => {
    db.exec('BEGIN IMMEDIATE');
    const id = repo.insertDataset('gone', new Date().toISOString());
    repo.insertChunk(id, 0, 0, 0, Float32Array.from([1, 2]));
    db.exec('ROLLBACK');
    expect(repo.counts()).toEqual({ datasets: 0, columns: 0, chunks: 0 });
  });
});
