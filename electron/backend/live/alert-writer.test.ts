import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../db/migrations/index.js';
import { emptyStats } from './run-state.js';
import { AlertWriter } from './alert-writer.js';
import type { GroupRep, GroupTable } from './score-block.js';

const MIN = 60_000;
const T0 = Date.UTC(2017, 6, 7, 12, 0, 0);

function workspace() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, ':memory:');
  db.prepare(
    `INSERT INTO monitors (id, name, model_id, model_name, source, source_key, threshold, state, created_at, updated_at)
     VALUES (1, 'm', NULL, 'et', '{}', 'file:/x', '{"mode":"model"}', 'running', 'now', 'now')`,
  ).run();
  return db;
}

interface G {
  src: string;
  cls: number;
  t: number;
  count?: number;
  score?: number;
  rep?: boolean;
}

/** a group table as score-block.ts makes it (windows of `w` ms) */
function table(groups: G[], w = MIN): GroupTable {
  const reps: GroupRep[] = [];
  const rep = new Int32Array(groups.length).fill(-1);
  groups.forEach((g, i) => {
    if (g.rep !== false) {
      rep[i] = reps.length;
      reps.push({ dstIp: '10.0.0.1', srcPort: 4000 + i, dstPort: 80, protocol: 'tcp', features: { a: i, b: 'x' } });
    }
  });
  return {
    n: groups.length,
    srcIp: groups.map((g) => g.src),
    classIdx: Int32Array.from(groups.map((g) => g.cls)),
    window: Float64Array.from(groups.map((g) => Math.floor(g.t / w))),
    first: Float64Array.from(groups.map((g) => g.t)),
    last: Float64Array.from(groups.map((g) => g.t)),
    count: Int32Array.from(groups.map((g) => g.count ?? 1)),
    score: Float32Array.from(groups.map((g) => g.score ?? 0.9)),
    rep,
    reps,
  };
}

const CLASSES = ['BENIGN', 'DoS Hulk', 'PortScan'];
const rows = (db: Database.Database) => db.prepare('SELECT a.id, src_ip, class_name, count, first_seen, last_seen, score, severity, f.features, suppressed_by, status FROM alerts a LEFT JOIN alert_features f ON f.alert_id = a.id ORDER BY a.id').all() as Array<Record<string, unknown>>;

describe('AlertWriter', () => {
  it('merges flows of one source and class within a window, in one commit and across commits', () => {
    const db = workspace();
    const w = new AlertWriter(db, { monitorId: 1, modelId: null, modelName: 'et', classes: CLASSES, windowMs: MIN });
    const stats = emptyStats();
    const e1 = w.commit([table([{ src: 'a', cls: 1, t: T0 }, { src: 'a', cls: 1, t: T0 + 1000, rep: false }, { src: 'b', cls: 2, t: T0 }])], { offset: 10 }, stats);
    // two groups of one key in the same commit: one row with both flows, one event
    expect(rows(db).map((r) => [r.src_ip, r.class_name, r.count])).toEqual([
      ['a', 'DoS Hulk', 2],
      ['b', 'PortScan', 1],
    ]);
    expect(e1.map((e) => [e.alertId, e.created, e.flows, e.count])).toEqual([
      [1, true, 2, 2],
      [2, true, 1, 1],
    ]);
    const e2 = w.commit([table([{ src: 'a', cls: 1, t: T0 + 30_000, count: 5, score: 0.99, rep: false }])], { offset: 20 }, stats);
    expect(e2).toMatchObject([{ alertId: 1, created: false, flows: 5, count: 7 }]);
    const a = rows(db)[0]!;
    expect(a).toMatchObject({ count: 7, first_seen: T0, last_seen: T0 + 30_000 });
    expect(a.score).toBeCloseTo(0.99, 6);
    expect(JSON.parse(String(a.features))).toEqual({ a: 0, b: 'x' });
    // the next window, another class, another source: new alerts
    w.commit([table([{ src: 'a', cls: 1, t: T0 + MIN }, { src: 'a', cls: 2, t: T0 }, { src: 'c', cls: 1, t: T0 }])], {}, stats);
    expect(rows(db)).toHaveLength(5);
    expect(stats.alerts).toBe(5);
    // cursor and counters are saved in the same transaction
    const m = db.prepare('SELECT cursor, stats FROM monitors WHERE id = 1').get() as { cursor: string; stats: string };
    expect(JSON.parse(m.cursor)).toEqual({});
    expect(JSON.parse(m.stats).alerts).toBe(5);
  });

  it('finds the open alert of a key in the table after a restart, and starts a new one once an analyst closed it', () => {
    const db = workspace();
    const stats = emptyStats();
    new AlertWriter(db, { monitorId: 1, modelId: null, modelName: 'et', classes: CLASSES, windowMs: MIN }).commit([table([{ src: 'a', cls: 1, t: T0 }])], {}, stats);
    // a fresh writer (the monitor restarted) merges into the stored alert
    const w = new AlertWriter(db, { monitorId: 1, modelId: null, modelName: 'et', classes: CLASSES, windowMs: MIN });
    expect(w.commit([table([{ src: 'a', cls: 1, t: T0 + 5000, count: 3, rep: false }])], {}, stats)).toMatchObject([{ alertId: 1, created: false, count: 4 }]);
    db.prepare("UPDATE alerts SET status = 'closed' WHERE id = 1").run();
    // the writer still holds it in memory: the update finds it closed and opens a new alert with the old flow values
    const e = w.commit([table([{ src: 'a', cls: 1, t: T0 + 6000, count: 2, rep: false }])], {}, stats);
    expect(e).toMatchObject([{ alertId: 2, created: true, flows: 2, count: 2 }]);
    expect(rows(db).map((r) => [r.id, r.count, r.status])).toEqual([
      [1, 4, 'closed'],
      [2, 2, 'open'],
    ]);
    expect(JSON.parse(String(rows(db)[1]!.features))).toEqual({ a: 0, b: 'x' });
    // flows stored = flows committed
    expect(db.prepare('SELECT sum(count) FROM alerts').pluck().get()).toBe(1 + 3 + 2);
  });

  it('without aggregation every group is its own alert', () => {
    const db = workspace();
    const w = new AlertWriter(db, { monitorId: 1, modelId: null, modelName: 'et', classes: CLASSES, windowMs: 0 });
    const t = table([{ src: 'a', cls: 1, t: T0 }, { src: 'a', cls: 1, t: T0 }]);
    t.window.set([-1, -2]);
    // a second thread numbers its flows -1, -2 ... too
    const u = table([{ src: 'a', cls: 1, t: T0 }]);
    u.window.set([-1]);
    w.commit([t, u], {}, emptyStats());
    w.commit([u], {}, emptyStats());
    expect(rows(db)).toHaveLength(4);
  });

  it('flows without a source address (negative windows) are alerts of their own, even with aggregation', () => {
    const db = workspace();
    const w = new AlertWriter(db, { monitorId: 1, modelId: null, modelName: 'et', classes: CLASSES, windowMs: MIN });
    const t = table([{ src: 'x', cls: 1, t: T0 }, { src: 'x', cls: 1, t: T0 }]);
    t.srcIp = [null, null];
    t.window.set([-1, -2]);
    w.commit([t], {}, emptyStats());
    w.commit([t], {}, emptyStats());
    expect(rows(db)).toHaveLength(4);
  });

  it('hides new alerts that match an active suppression rule, and counts their flows', () => {
    const db = workspace();
    const stats = emptyStats();
    const w = new AlertWriter(db, {
      monitorId: 1,
      modelId: null,
      modelName: 'et',
      classes: CLASSES,
      windowMs: MIN,
      suppression: () => (a) => (a.srcIp === 'b' && a.dstPort === 80 ? 7 : null),
    });
    w.commit([table([{ src: 'a', cls: 1, t: T0 }, { src: 'b', cls: 1, t: T0, count: 3 }])], {}, stats);
    w.commit([table([{ src: 'b', cls: 1, t: T0 + 1, count: 2, rep: false }])], {}, stats);
    expect(rows(db).map((r) => [r.src_ip, r.suppressed_by, r.count])).toEqual([
      ['a', null, 1],
      ['b', 7, 5],
    ]);
    expect(stats.suppressedFlows).toBe(5);
  });

  it('severity follows the class and rises with the score', () => {
    const db = workspace();
    const w = new AlertWriter(db, { monitorId: 1, modelId: null, modelName: 'et', classes: CLASSES, windowMs: MIN });
    w.commit([table([{ src: 'a', cls: 1, t: T0, score: 0.55 }, { src: 'b', cls: 2, t: T0, score: 0.9 }])], {}, emptyStats());
    expect(rows(db).map((r) => r.severity)).toEqual(['medium', 'medium']);
    w.commit([table([{ src: 'a', cls: 1, t: T0 + 1, score: 0.95, rep: false }])], {}, emptyStats());
    expect(rows(db)[0]!.severity).toBe('high');
  });
});
