import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from './index.js';
import { migration001 } from './001-initial.js';
import { migration002 } from './002-models.js';

function migrated() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, ':memory:', [migration001, migration002]);
  return db;
}

const insertModel = (db: Database.Database, name: string, datasetId: number | null, target = 'binary') =>
  db
    .prepare(
      `INSERT INTO models (name, kind, dataset_id, dataset_name, target, created_at, summary, detail, format_version, file)
       VALUES (?, 'extra-trees', ?, 'ds', ?, 'now', '{}', '{}', 1, ?)`,
    )
    .run(name, datasetId, target, Buffer.alloc(8));

describe('migration 002-models', () => {
  it('upgrades a version-1 workspace to 2 and creates the models table', () => {
    const db = new Database(':memory:');
    migrate(db, ':memory:', [migration001]);
    expect(migrate(db, ':memory:', [migration001, migration002])).toEqual({ from: 1, to: 2 });
    const cols = db.prepare(`SELECT name FROM pragma_table_info('models')`).pluck().all();
    expect(cols).toEqual(['id', 'name', 'kind', 'dataset_id', 'dataset_name', 'target', 'created_at', 'summary', 'detail', 'format_version', 'file']);
  });

  it('keeps a model when its dataset is deleted (dataset_id becomes NULL)', () => {
    const db = migrated();
    db.prepare("INSERT INTO datasets (id, name, format, profile, created_at) VALUES (1, 'a', 'csv', 'csv', 'now')").run();
    insertModel(db, 'm1', 1);
    db.prepare('DELETE FROM datasets WHERE id = 1').run();
    expect(db.prepare('SELECT dataset_id, dataset_name FROM models').get()).toEqual({ dataset_id: null, dataset_name: 'ds' });
  });

  it('refuses duplicate names, unknown targets and invalid JSON', () => {
    const db = migrated();
    insertModel(db, 'm1', null);
    expect(() => insertModel(db, 'm1', null)).toThrow(/UNIQUE/);
    expect(() => insertModel(db, 'm2', null, 'colour')).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO models (name, kind, dataset_name, target, created_at, summary, detail, format_version, file)
           VALUES ('m3', 'x', 'd', 'binary', 'now', 'not json', '{}', 1, x'00')`,
        )
        .run(),
    ).toThrow(/CHECK/);
  });
});
