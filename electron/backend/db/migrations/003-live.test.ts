import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from './index.js';
import { migration001 } from './001-initial.js';
import { migration002 } from './002-models.js';
import { migration003 } from './003-live.js';

const ALL = [migration001, migration002, migration003];

function migrated() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, ':memory:', ALL);
  return db;
}

const insertModel = (db: Database.Database, name: string) =>
  Number(
    db
      .prepare(
        `INSERT INTO models (name, kind, dataset_id, dataset_name, target, created_at, summary, detail, format_version, file)
         VALUES (?, 'extra-trees', NULL, 'ds', 'binary', 'now', '{}', '{}', 1, ?)`,
      )
      .run(name, Buffer.alloc(8)).lastInsertRowid,
  );

const insertMonitor = (db: Database.Database, modelId: number | null, over: { source?: string; state?: string } = {}) =>
  Number(
    db
      .prepare(
        `INSERT INTO monitors (name, model_id, model_name, source, source_key, threshold, state, created_at, updated_at)
         VALUES ('mon', ?, 'm', ?, 'file:/x', '{"mode":"model"}', ?, 'now', 'now')`,
      )
      .run(modelId, over.source ?? '{"kind":"file","path":"/x"}', over.state ?? 'running').lastInsertRowid,
  );

interface AlertOver {
  monitorId?: number | null;
  modelId?: number | null;
  severity?: string;
  count?: number;
  status?: string;
  verdict?: string | null;
  features?: string;
}

const insertAlert = (db: Database.Database, o: AlertOver = {}) =>
  db.transaction(() => {
    const id = Number(
      db
        .prepare(
          `INSERT INTO alerts (monitor_id, model_id, model_name, class_name, severity, score, count, first_seen, last_seen,
             created_at, updated_at, src_ip, dst_ip, src_port, dst_port, protocol, status, verdict)
           VALUES (?, ?, 'm', 'DoS', ?, 0.9, ?, 1000, 2000, 3000, 3000, '10.0.0.1', '10.0.0.2', 5000, 80, 'tcp', ?, ?)`,
        )
        .run(o.monitorId ?? null, o.modelId ?? null, o.severity ?? 'high', o.count ?? 1, o.status ?? 'open', o.verdict ?? null).lastInsertRowid,
    );
    db.prepare('INSERT INTO alert_features (alert_id, features) VALUES (?, ?)').run(id, o.features ?? '{"a":1}');
    return id;
  })();

describe('migration 003-live', () => {
  it('upgrades a version-2 workspace to 3 and creates the live tables', () => {
    const db = new Database(':memory:');
    migrate(db, ':memory:', [migration001, migration002]);
    expect(migrate(db, ':memory:', ALL)).toEqual({ from: 2, to: 3 });
    const cols = (t: string) => db.prepare(`SELECT name FROM pragma_table_info('${t}')`).pluck().all();
    expect(cols('monitors')).toEqual([
      'id', 'name', 'model_id', 'model_name', 'source', 'source_key', 'threshold', 'aggregate_seconds', 'state', 'error',
      'cursor', 'stats', 'owner_pid', 'created_at', 'updated_at',
    ]);
    expect(cols('alerts')).toEqual([
      'id', 'monitor_id', 'model_id', 'model_name', 'class_name', 'severity', 'score', 'count', 'first_seen', 'last_seen',
      'created_at', 'updated_at', 'src_ip', 'dst_ip', 'src_port', 'dst_port', 'protocol', 'status', 'close_reason',
      'verdict', 'suppressed_by',
    ]);
    expect(cols('alert_notes')).toEqual(['id', 'alert_id', 'text', 'created_at']);
    expect(cols('alert_features')).toEqual(['alert_id', 'features']);
    expect(cols('suppression_rules')).toEqual(['id', 'src', 'dst', 'class_name', 'port', 'reason', 'created_at', 'expires_at']);
    // a second run changes nothing
    expect(migrate(db, ':memory:', ALL)).toEqual({ from: 3, to: 3 });
  });

  it('keeps alerts and monitors when their model is deleted, and alerts when their monitor is', () => {
    const db = migrated();
    const model = insertModel(db, 'm1');
    const mon = insertMonitor(db, model);
    const alert = insertAlert(db, { monitorId: mon, modelId: model });
    db.prepare('DELETE FROM models WHERE id = ?').run(model);
    expect(db.prepare('SELECT model_id FROM monitors WHERE id = ?').get(mon)).toEqual({ model_id: null });
    expect(db.prepare('SELECT monitor_id, model_id, model_name FROM alerts WHERE id = ?').get(alert)).toEqual({
      monitor_id: mon,
      model_id: null,
      model_name: 'm',
    });
    db.prepare('DELETE FROM monitors WHERE id = ?').run(mon);
    expect(db.prepare('SELECT monitor_id FROM alerts WHERE id = ?').get(alert)).toEqual({ monitor_id: null });
  });

  it('deletes the notes and flow values of a deleted alert', () => {
    const db = migrated();
    const a = insertAlert(db);
    const b = insertAlert(db);
    const note = db.prepare("INSERT INTO alert_notes (alert_id, text, created_at) VALUES (?, ?, 'now')");
    note.run(a, 'one');
    note.run(a, 'two');
    note.run(b, 'other');
    db.prepare('DELETE FROM alerts WHERE id = ?').run(a);
    expect(db.prepare('SELECT alert_id, text FROM alert_notes').all()).toEqual([{ alert_id: b, text: 'other' }]);
    expect(() => note.run(9999, 'orphan')).toThrow(/FOREIGN KEY/);
    // an alert's flow values go with it
    expect(db.prepare('SELECT alert_id FROM alert_features').pluck().all()).toEqual([b]);
  });

  it('refuses invalid alert values', () => {
    const db = migrated();
    expect(() => insertAlert(db, { severity: 'urgent' })).toThrow(/CHECK/);
    expect(() => insertAlert(db, { count: 0 })).toThrow(/CHECK/);
    expect(() => insertAlert(db, { status: 'done' })).toThrow(/CHECK/);
    expect(() => insertAlert(db, { verdict: 'maybe' })).toThrow(/CHECK/);
    expect(() => insertAlert(db, { features: '{not json' })).toThrow(/CHECK/);
    expect(() => insertAlert(db, { monitorId: 424242 })).toThrow(/FOREIGN KEY/);
    expect(() => insertAlert(db, { modelId: 424242 })).toThrow(/FOREIGN KEY/);
    expect(insertAlert(db, { verdict: 'false-positive', status: 'closed', severity: 'critical' })).toBeGreaterThan(0);
  });

  it('refuses invalid monitors and empty suppression rules', () => {
    const db = migrated();
    expect(() => insertMonitor(db, null, { state: 'sleeping' })).toThrow(/CHECK/);
    expect(() => insertMonitor(db, null, { source: 'nope' })).toThrow(/CHECK/);
    const rule = db.prepare("INSERT INTO suppression_rules (src, dst, class_name, port, created_at) VALUES (?, ?, ?, ?, 'now')");
    expect(() => rule.run(null, null, null, null)).toThrow(/CHECK/);
    rule.run(null, null, null, 443);
    expect(db.prepare('SELECT reason, expires_at FROM suppression_rules').get()).toEqual({ reason: '', expires_at: null });
  });

  it('has the indexes the alert queries rely on', () => {
    const db = migrated();
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'alerts' AND name NOT LIKE 'sqlite_%'").pluck().all();
    expect(names).toEqual(
      expect.arrayContaining(['alerts_by_time', 'alerts_by_monitor', 'alerts_by_src', 'alerts_by_status', 'alerts_by_score', 'alerts_by_severity', 'alerts_by_count']),
    );
  });
});
