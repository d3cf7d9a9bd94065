import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from './index.js';
import { migration001 } from './001-initial.js';

function fresh() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  return db;
}

describe('migration 001-initial', () => {
  it('creates the tables and sets user_version 1', () => {
    const db = fresh();
    migrate(db, ':memory:', [migration001]);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(['column_chunks', 'dataset_columns', 'datasets', 'jobs']);
    const cols = (t: string) => db.prepare(`SELECT name FROM pragma_table_info('${t}')`).pluck().all();
    expect(cols('column_chunks')).toEqual(['dataset_id', 'column_idx', 'chunk_idx', 'row_start', 'n_rows', 'data']);
    expect(cols('jobs')).toContain('owner_pid');
  });

  it('is applied once (running migrate again changes nothing)', () => {
    const db = fresh();
    migrate(db, ':memory:', [migration001]);
    expect(migrate(db, ':memory:', [migration001])).toEqual({ from: 1, to: 1 });
  });

  it('cascades a dataset delete to its columns and chunks', () => {
    const db = fresh();
    migrate(db, ':memory:', [migration001]);
    db.prepare("INSERT INTO datasets (id, name, format, profile, created_at) VALUES (1, 'a', 'csv', 'csv', 'now')").run();
    db.prepare(
      "INSERT INTO dataset_columns (dataset_id, idx, name, role, default_role, storage) VALUES (1, 0, 'x', 'numeric', 'numeric', 'f32')",
    ).run();
    db.prepare('INSERT INTO column_chunks VALUES (1, 0, 0, 0, 1, ?)').run(Buffer.alloc(4));
    db.prepare('DELETE FROM datasets WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) FROM dataset_columns').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM column_chunks').pluck().get()).toBe(0);
  });

  it('refuses bad roles, storage, statuses, duplicate names and orphan chunks', () => {
    const db = fresh();
    migrate(db, ':memory:', [migration001]);
    db.prepare("INSERT INTO datasets (id, name, format, profile, created_at) VALUES (1, 'a', 'csv', 'csv', 'now')").run();
    expect(() =>
      db.prepare("INSERT INTO datasets (name, format, profile, created_at) VALUES ('a', 'csv', 'csv', 'now')").run(),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO dataset_columns (dataset_id, idx, name, role, default_role, storage) VALUES (1, 0, 'x', 'feature', 'numeric', 'f32')",
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO dataset_columns (dataset_id, idx, name, role, default_role, storage) VALUES (1, 0, 'x', 'numeric', 'numeric', 'i8')",
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(() => db.prepare('INSERT INTO column_chunks VALUES (99, 0, 0, 0, 1, ?)').run(Buffer.alloc(4))).toThrow(/FOREIGN KEY/);
    expect(() =>
      db.prepare("INSERT INTO jobs (id, kind, title, status, created_at) VALUES (1, 'import', 't', 'paused', 'now')").run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db.prepare("UPDATE datasets SET meta = 'not json' WHERE id = 1").run(),
    ).toThrow(/CHECK/);
  });
});
