import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeModelFile } from '../../../ml-core/serialize/model-file.js';
import { FlowsightError } from '../../contract/errors.js';
import type { AlertFilter } from '../../contract/live.js';
import { AlertsRepo, ORDER, bucketLayout, filterSql } from './alerts.repo.js';
import { DatasetsRepo } from './datasets.repo.js';
import { migrate } from './migrations/index.js';

const T0 = Date.parse('2025-03-01T00:00:00Z');
const MIN = 60_000;

function workspace() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, ':memory:');
  return db;
}

interface A {
  monitorId?: number | null;
  modelId?: number | null;
  modelName?: string;
  className?: string;
  severity?: string;
  score?: number;
  count?: number;
  first?: number;
  last?: number;
  src?: string | null;
  dst?: string | null;
  srcPort?: number | null;
  dstPort?: number | null;
  protocol?: string | null;
  features?: Record<string, unknown>;
  status?: string;
  verdict?: string | null;
  suppressedBy?: number | null;
}

function inserter(db: Database.Database) {
  const st = db.prepare(
    `INSERT INTO alerts (monitor_id, model_id, model_name, class_name, severity, score, count, first_seen, last_seen,
       created_at, updated_at, src_ip, dst_ip, src_port, dst_port, protocol, status, verdict, suppressed_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const feat = db.prepare('INSERT INTO alert_features (alert_id, features) VALUES (?, ?)');
  return (a: A = {}) => {
    const last = a.last ?? T0;
    const first = a.first ?? last;
    const id = Number(
      st.run(
        a.monitorId ?? null,
        a.modelId ?? null,
        a.modelName ?? 'm',
        a.className ?? 'DoS',
        a.severity ?? 'high',
        a.score ?? 0.9,
        a.count ?? 1,
        first,
        last,
        last,
        last,
        a.src === undefined ? '10.0.0.1' : a.src,
        a.dst === undefined ? '192.168.1.1' : a.dst,
        a.srcPort === undefined ? 40000 : a.srcPort,
        a.dstPort === undefined ? 80 : a.dstPort,
        a.protocol === undefined ? 'tcp' : a.protocol,
        a.status ?? 'open',
        a.verdict ?? null,
        a.suppressedBy ?? null,
      ).lastInsertRowid,
    );
    feat.run(id, JSON.stringify(a.features ?? { 'Flow Duration': 1, Protocol: 'tcp' }));
    return id;
  };
}

function errorOf(f: () => unknown): FlowsightError {
  try {
    f();
  } catch (e) {
    if (e instanceof FlowsightError) return e;
    throw e;
  }
  throw new Error('expected a FlowsightError');
}

function insertModel(db: Database.Database, name: string, features: Array<{ name: string; kind: 'numeric' | 'categorical' }>): number {
  const file = encodeModelFile({ format: 'flowsight-model', version: 2, features }, {});
  return Number(
    db
      .prepare(
        `INSERT INTO models (name, kind, dataset_id, dataset_name, target, created_at, summary, detail, format_version, file)
         VALUES (?, 'extra-trees', NULL, 'ds', 'label', 'now', '{}', '{}', 2, ?)`,
      )
      .run(name, Buffer.from(file)).lastInsertRowid,
  );
}

/** A small varied set: ids 1..8 */
function fixture() {
  const db = workspace();
  const add = inserter(db);
  db.prepare(
    `INSERT INTO monitors (id, name, model_id, model_name, source, source_key, threshold, state, created_at, updated_at)
     VALUES (1, 'a', NULL, 'm', '{"kind":"file","path":"/a"}', 'a', '{"mode":"model"}', 'running', 'now', 'now'),
            (2, 'b', NULL, 'm', '{"kind":"file","path":"/b"}', 'b', '{"mode":"model"}', 'running', 'now', 'now')`,
  ).run();
  const m1 = insertModel(db, 'm1', [{ name: 'x', kind: 'numeric' }]);
  add({ monitorId: 1, modelId: m1, className: 'DoS', severity: 'high', score: 0.9, count: 10, first: T0, last: T0 + 1 * MIN, src: '10.0.0.1', dstPort: 80 }); // 1
  add({ monitorId: 1, modelId: m1, className: 'PortScan', severity: 'low', score: 0.6, count: 3, first: T0 + 2 * MIN, last: T0 + 3 * MIN, src: '10.0.0.2', dst: '172.16.0.5', srcPort: 443, dstPort: 5555 }); // 2
  add({ monitorId: 2, className: 'DoS', severity: 'critical', score: 0.99, count: 100, first: T0 + 4 * MIN, last: T0 + 10 * MIN, src: '192.168.7.7', dst: '10.0.0.9' }); // 3
  add({ monitorId: 2, className: 'Bot', severity: 'medium', score: 0.7, count: 1, first: T0 + 20 * MIN, last: T0 + 20 * MIN, src: '2001:db8::1', dst: '2001:db8::2', status: 'acknowledged', verdict: 'true-positive' }); // 4
  add({ monitorId: 1, className: 'DoS', severity: 'low', score: 0.55, count: 2, first: T0 + 30 * MIN, last: T0 + 31 * MIN, src: '10.0.0.1', status: 'closed', verdict: 'false-positive' }); // 5
  add({ className: 'DoS', severity: 'high', score: 0.8, count: 5, first: T0 + 40 * MIN, last: T0 + 40 * MIN, src: null, dst: null, srcPort: null, dstPort: null, protocol: null }); // 6
  add({ monitorId: 1, className: 'DoS', severity: 'medium', score: 0.65, count: 7, first: T0 + 50 * MIN, last: T0 + 55 * MIN, src: '::ffff:10.0.0.3' }); // 7
  db.prepare("INSERT INTO suppression_rules (id, src, created_at) VALUES (1, '10.9.9.9', '2025-01-01T00:00:00.000Z')").run();
  add({ monitorId: 1, className: 'DoS', severity: 'high', count: 50, first: T0 + 60 * MIN, last: T0 + 60 * MIN, src: '10.9.9.9', suppressedBy: 1 }); // 8
  return { db, repo: new AlertsRepo(db), add, m1 };
}

const ids = (repo: AlertsRepo, filter: AlertFilter, sort: 'newest' | 'oldest' | 'score' | 'severity' | 'count' = 'oldest') =>
  repo.list(filter, 0, 1000, sort).alerts.map((a) => a.id);

describe('AlertsRepo.list / count: filters', () => {
  const { repo } = fixture();

  it('leaves suppressed alerts out unless asked, and counts alerts and flows', () => {
    expect(ids(repo, {})).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(ids(repo, { includeSuppressed: true })).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(repo.count({})).toEqual({ alerts: 7, flows: 128 });
    expect(repo.count({ includeSuppressed: true })).toEqual({ alerts: 8, flows: 178 });
    const page = repo.list({}, 2, 2, 'oldest');
    expect(page.alerts.map((a) => a.id)).toEqual([3, 4]);
    expect(page.total).toBe(7);
    expect(page.flows).toBe(128);
  });

  it('filters by time (last seen >= from, first seen <= to), ISO or ms', () => {
    expect(ids(repo, { from: new Date(T0 + 10 * MIN).toISOString() })).toEqual([3, 4, 5, 6, 7]);
    expect(ids(repo, { from: T0 + 10 * MIN + 1 })).toEqual([4, 5, 6, 7]);
    expect(ids(repo, { to: T0 + 4 * MIN })).toEqual([1, 2, 3]);
    expect(ids(repo, { from: String(T0 + 5 * MIN), to: '2025-03-01T00:20:00Z' })).toEqual([3, 4]);
    expect(errorOf(() => repo.list({ from: 'yesterday-ish' }, 0, 10, 'newest')).code).toBe('BAD_INPUT');
  });

  it('filters by severity, class, model, monitor, status and verdict', () => {
    expect(ids(repo, { severity: ['low', 'critical'] })).toEqual([2, 3, 5]);
    expect(ids(repo, { classes: ['PortScan', 'Bot'] })).toEqual([2, 4]);
    expect(ids(repo, { modelId: 1 })).toEqual([1, 2]);
    expect(ids(repo, { monitorId: 2 })).toEqual([3, 4]);
    expect(ids(repo, { status: ['acknowledged', 'closed'] })).toEqual([4, 5]);
    expect(ids(repo, { verdict: ['true-positive'] })).toEqual([4]);
    expect(ids(repo, { verdict: ['none'] })).toEqual([1, 2, 3, 6, 7]);
    expect(ids(repo, { verdict: ['false-positive', 'none'] })).toEqual([1, 2, 3, 5, 6, 7]);
    expect(ids(repo, { severity: [] })).toEqual([]);
    expect(ids(repo, { severity: ['low'], classes: ['DoS'], monitorId: 1 })).toEqual([5]);
  });

  it('filters by source / destination address or subnet (IPv4, IPv6, v4-mapped) and by either port', () => {
    expect(ids(repo, { src: '10.0.0.1' })).toEqual([1, 5]);
    expect(ids(repo, { src: '10.0.0.0/8' })).toEqual([1, 2, 5, 7]);
    expect(ids(repo, { src: '10.0.0.3' })).toEqual([7]);
    expect(ids(repo, { src: '192.168.0.0/16' })).toEqual([3]);
    expect(ids(repo, { src: '2001:db8::/32' })).toEqual([4]);
    expect(ids(repo, { src: '2001:DB8:0::1' })).toEqual([4]);
    expect(ids(repo, { dst: '10.0.0.0/24' })).toEqual([3]);
    expect(ids(repo, { dst: '172.16.0.0/12', src: '10.0.0.2' })).toEqual([2]);
    expect(ids(repo, { port: 80 })).toEqual([1, 3, 4, 5, 7]);
    expect(ids(repo, { port: 443 })).toEqual([2]);
    expect(ids(repo, { port: 5555 })).toEqual([2]);
    expect(ids(repo, { src: '10.9.9.9' })).toEqual([]);
    expect(ids(repo, { src: '10.9.9.9', includeSuppressed: true })).toEqual([8]);
    const e = errorOf(() => repo.count({ src: '10.0.0.300' }));
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toMatch(/^src: .*above 255/);
  });

  it('selects by ids (suppressed ones included unless includeSuppressed is false); an empty selection is nothing', () => {
    expect(ids(repo, { ids: [8, 2, 999] })).toEqual([2, 8]);
    expect(ids(repo, { ids: [8, 2], includeSuppressed: false })).toEqual([2]);
    expect(ids(repo, { ids: [] })).toEqual([]);
    const many = Array.from({ length: 50000 }, (_, i) => i + 1);
    expect(repo.count({ ids: many, severity: ['critical'] })).toEqual({ alerts: 1, flows: 100 });
  });

  it('keeps hostile strings as data', () => {
    const hostile = ["DoS' OR 1=1 --", 'DoS"); DROP TABLE alerts; --', '%', '*'];
    expect(ids(repo, { classes: hostile })).toEqual([]);
    expect(errorOf(() => repo.count({ src: "10.0.0.1' OR '1'='1" })).code).toBe('BAD_INPUT');
    expect(errorOf(() => repo.count({ dst: '1.2.3.4/8; DELETE FROM alerts' })).code).toBe('BAD_INPUT');
    expect(repo.count({ includeSuppressed: true }).alerts).toBe(8);
    const sql = filterSql({ classes: hostile, from: '2025-01-01T00:00:00Z' });
    expect(sql.where).not.toContain('DROP');
    expect(sql.params).toEqual(expect.arrayContaining(hostile));
  });

  it('sorts newest, oldest, by score, by severity (critical first) and by count', () => {
    expect(ids(repo, {}, 'newest')).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(ids(repo, {}, 'oldest')).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(ids(repo, {}, 'score')).toEqual([3, 1, 6, 4, 7, 2, 5]);
    expect(ids(repo, {}, 'severity')).toEqual([3, 6, 1, 7, 4, 5, 2]);
    expect(ids(repo, {}, 'count')).toEqual([3, 1, 7, 6, 2, 5, 4]);
  });

  it('maps rows to AlertSummary with ISO times', () => {
    const a = repo.summary(2);
    expect(a).toEqual({
      id: 2,
      monitorId: 1,
      modelId: 1,
      modelName: 'm',
      className: 'PortScan',
      severity: 'low',
      score: 0.6,
      count: 3,
      firstSeen: '2025-03-01T00:02:00.000Z',
      lastSeen: '2025-03-01T00:03:00.000Z',
      createdAt: '2025-03-01T00:03:00.000Z',
      srcIp: '10.0.0.2',
      dstIp: '172.16.0.5',
      srcPort: 443,
      dstPort: 5555,
      protocol: 'tcp',
      status: 'open',
      closeReason: null,
      verdict: null,
      suppressedBy: null,
      noteCount: 0,
    });
  });
});

describe('AlertsRepo.get / sameSource', () => {
  it('returns the features in stored order and the notes, oldest first', () => {
    const { db, repo, add } = fixture();
    const id = add({ features: { b: 2, a: 'x', 'f 10': null, c: 1.5 } });
    db.prepare("INSERT INTO alert_notes (alert_id, text, created_at) VALUES (?, 'first', 't1'), (?, 'second', 't2')").run(id, id);
    const d = repo.get(id);
    expect(d.features).toEqual([
      { name: 'b', value: 2 },
      { name: 'a', value: 'x' },
      { name: 'f 10', value: null },
      { name: 'c', value: 1.5 },
    ]);
    expect(d.notes.map((n) => n.text)).toEqual(['first', 'second']);
    expect(d.noteCount).toBe(2);
    expect(errorOf(() => repo.get(12345)).code).toBe('NOT_FOUND');
  });

  it('lists other alerts of the same source, newest first', () => {
    const { repo } = fixture();
    expect(repo.sameSource(1, 10).map((a) => a.id)).toEqual([5]);
    expect(repo.sameSource(5, 10).map((a) => a.id)).toEqual([1]);
    expect(repo.sameSource(6, 10)).toEqual([]); // no source address
  });
});

describe('AlertsRepo.stats', () => {
  it('buckets flows by class over the data span, with tops, class mix, severities and totals', () => {
    const { repo } = fixture();
    const s = repo.stats({}, 12);
    expect(s.total).toEqual({ alerts: 7, flows: 128 });
    expect(s.bucketSeconds).toBe(300);
    expect(s.buckets).toHaveLength(12);
    expect(s.buckets[0]).toEqual({ start: '2025-03-01T00:00:00.000Z', counts: { DoS: 10, PortScan: 3 } });
    expect(s.buckets[2]).toEqual({ start: '2025-03-01T00:10:00.000Z', counts: { DoS: 100 } });
    expect(s.buckets[11]!.counts).toEqual({ DoS: 7 });
    const sum = s.buckets.reduce((t, b) => t + Object.values(b.counts).reduce((x, y) => x + y, 0), 0);
    expect(sum).toBe(128);
    expect(s.classes).toEqual(['DoS', 'PortScan', 'Bot']);
    expect(s.classMix).toEqual([
      { className: 'DoS', alerts: 5, flows: 124 },
      { className: 'PortScan', alerts: 1, flows: 3 },
      { className: 'Bot', alerts: 1, flows: 1 },
    ]);
    expect(s.topSources[0]).toEqual({ ip: '192.168.7.7', alerts: 1, flows: 100 });
    expect(s.topSources.find((t) => t.ip === '10.0.0.1')).toEqual({ ip: '10.0.0.1', alerts: 2, flows: 12 });
    expect(s.topSources).toHaveLength(5);
    expect(s.topDestinations[0]!.ip).toBe('10.0.0.9');
    expect(s.severity).toEqual({ low: 2, medium: 2, high: 2, critical: 1 });
  });

  it('spans the filter time range, and is empty without data', () => {
    const { repo } = fixture();
    const s = repo.stats({ from: T0, to: T0 + 60 * 60_000 - 1 }, 60);
    expect(s.bucketSeconds).toBe(60);
    expect(s.buckets).toHaveLength(60);
    expect(s.buckets[10]!.counts).toEqual({ DoS: 100 });
    const none = repo.stats({ classes: ['nothing'] }, 60);
    expect(none.buckets).toEqual([]);
    expect(none.total).toEqual({ alerts: 0, flows: 0 });
    expect(none.severity).toEqual({ low: 0, medium: 0, high: 0, critical: 0 });
  });

  it('chooses aligned, readable bucket widths', () => {
    expect(bucketLayout(0, 3_600_000 - 1, 60)).toEqual({ seconds: 60, start: 0, count: 60 });
    expect(bucketLayout(30_000, 30_000, 60)).toEqual({ seconds: 1, start: 30_000, count: 1 });
    expect(bucketLayout(0, 30 * 86_400_000, 10).seconds).toBe(4 * 86400);
  });
});

describe('AlertsRepo.update', () => {
  it('closes a selection with a reason, sets and clears verdicts, adds a note to each', () => {
    const { db, repo } = fixture();
    const now = T0 + 999_000;
    expect(repo.update({ ids: [1, 2] }, { status: 'closed', closeReason: 'lab traffic', verdict: 'false-positive', note: 'checked' }, now)).toEqual({ updated: 2 });
    for (const id of [1, 2]) {
      const a = repo.get(id);
      expect(a).toMatchObject({ status: 'closed', closeReason: 'lab traffic', verdict: 'false-positive', noteCount: 1 });
      expect(a.notes[0]!.text).toBe('checked');
    }
    expect(db.prepare('SELECT updated_at FROM alerts WHERE id = 1').pluck().get()).toBe(now);
    expect(repo.summary(3).status).toBe('open');
    // re-opening clears the close reason; 'none' clears the verdict
    repo.update({ ids: [1] }, { status: 'open', verdict: 'none' });
    expect(repo.summary(1)).toMatchObject({ status: 'open', closeReason: null, verdict: null });
  });

  it('updates everything a filter matches, counted before the change', () => {
    const { repo } = fixture();
    expect(repo.update({ status: ['open'], classes: ['DoS'] }, { status: 'acknowledged', note: 'bulk' })).toEqual({ updated: 4 });
    expect(ids(repo, { status: ['acknowledged'] })).toEqual([1, 3, 4, 6, 7]);
    expect(repo.get(7).notes.map((n) => n.text)).toEqual(['bulk']);
    expect(repo.summary(8).status).toBe('open'); // suppressed: not matched by a filter
    expect(repo.update({ classes: ['nothing'] }, { status: 'closed' })).toEqual({ updated: 0 });
  });

  it('refuses a close reason without closing, and changes nothing when it fails', () => {
    const { db, repo } = fixture();
    expect(errorOf(() => repo.update({ ids: [1] }, { status: 'acknowledged', closeReason: 'x' })).code).toBe('BAD_INPUT');
    db.exec(`CREATE TRIGGER no_notes BEFORE INSERT ON alert_notes BEGIN SELECT RAISE(ABORT, 'notes are broken'); END`);
    expect(() => repo.update({ ids: [1, 2] }, { status: 'closed', note: 'x' })).toThrow(/notes are broken/);
    expect(repo.summary(1).status).toBe('open');
    expect(repo.summary(2).status).toBe('open');
  });
});

describe('AlertsRepo suppression rules', () => {
  it('previews, creates (hiding matching visible alerts), lists and deletes (showing them again)', () => {
    const { repo } = fixture();
    const now = Date.parse('2025-03-02T00:00:00Z');
    expect(repo.previewRule({ src: '10.0.0.0/8', className: 'DoS' })).toEqual({ alerts: 3, flows: 19 });
    const rule = repo.createRule({ src: '10.0.0.1/8', className: 'DoS' }, 'scanner in the lab', '2030-01-01T00:00:00Z', now);
    expect(rule).toMatchObject({ src: '10.0.0.0/8', dst: null, className: 'DoS', port: null, reason: 'scanner in the lab', expiresAt: '2030-01-01T00:00:00.000Z', active: true, hidden: 3 });
    expect(ids(repo, {})).toEqual([2, 3, 4, 6]);
    expect(repo.summary(1).suppressedBy).toBe(rule.id);
    expect(repo.previewRule({ src: '10.0.0.0/8', className: 'DoS' })).toEqual({ alerts: 0, flows: 0 });
    const listed = repo.listRules(now);
    expect(listed.map((r) => [r.id, r.hidden, r.active])).toEqual([
      [rule.id, 3, true],
      [1, 1, true],
    ]);
    expect(repo.listRules(Date.parse('2031-01-01T00:00:00Z'))[0]!.active).toBe(false);
    repo.deleteRule(rule.id, now);
    expect(ids(repo, {})).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(errorOf(() => repo.deleteRule(rule.id)).code).toBe('NOT_FOUND');
  });

  it('hands alerts to another rule in force when their rule is deleted', () => {
    const { repo } = fixture();
    const byPort = repo.createRule({ port: 80 }, '', undefined);
    const bySrc = repo.createRule({ src: '10.0.0.1' }, '', undefined);
    expect(repo.summary(1).suppressedBy).toBe(byPort.id);
    expect(bySrc.hidden).toBe(0);
    repo.deleteRule(byPort.id);
    expect(repo.summary(1).suppressedBy).toBe(bySrc.id);
    expect(repo.summary(5).suppressedBy).toBe(bySrc.id);
    expect(repo.summary(3).suppressedBy).toBeNull();
  });

  it('matches by destination and port the way the writer does', () => {
    const { repo } = fixture();
    expect(repo.previewRule({ dst: '2001:db8::/32' })).toEqual({ alerts: 1, flows: 1 });
    expect(repo.previewRule({ port: 443 })).toEqual({ alerts: 1, flows: 3 });
    expect(repo.previewRule({ className: 'PortScan', port: 80 })).toEqual({ alerts: 0, flows: 0 });
  });

  it('refuses an expiry in the past or that is not a date, and invalid addresses', () => {
    const { repo } = fixture();
    const e1 = errorOf(() => repo.createRule({ port: 80 }, '', '2020-01-01T00:00:00Z'));
    expect(e1.code).toBe('BAD_INPUT');
    expect(e1.message).toMatch(/not in the future/);
    const e2 = errorOf(() => repo.createRule({ port: 80 }, '', 'next tuesday'));
    expect(e2.message).toMatch(/not a date/);
    expect(errorOf(() => repo.createRule({ src: '10.0.0.0/40' }, '', undefined)).message).toMatch(/^src: /);
    expect(errorOf(() => repo.createRule({}, '', undefined)).code).toBe('BAD_INPUT');
    expect(repo.listRules().map((r) => r.id)).toEqual([1]);
  });
});

describe('AlertsRepo on several connections', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowsight-alerts-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  it('registers ip_in on every connection it is given', () => {
    const file = path.join(dir, 'ws.sqlite');
    const a = new Database(file);
    migrate(a, file);
    inserter(a)({ src: '10.1.1.1' });
    const b = new Database(file);
    expect(new AlertsRepo(a).count({ src: '10.0.0.0/8' }).alerts).toBe(1);
    expect(new AlertsRepo(b).count({ src: '10.0.0.0/8' }).alerts).toBe(1);
    a.close();
    b.close();
  });
});

describe('AlertsRepo.toDataset', () => {
  const FEATURES = [
    { name: 'Flow Duration', kind: 'numeric' as const },
    { name: 'Protocol', kind: 'categorical' as const },
    { name: 'Fwd Packets', kind: 'numeric' as const },
  ];

  function labelled() {
    const db = workspace();
    const add = inserter(db);
    const model = insertModel(db, 'cic', FEATURES);
    for (let i = 0; i < 6; i++) {
      add({ modelId: model, className: i % 2 ? 'DoS Hulk' : 'PortScan', verdict: i < 4 ? 'true-positive' : 'false-positive', features: { 'Flow Duration': 100 + i, Protocol: i % 2 ? 'tcp' : 'udp, "quoted"', 'Fwd Packets': i === 5 ? null : i } });
    }
    add({ modelId: model, className: 'DoS Hulk', features: { 'Flow Duration': 5, Protocol: 'tcp', 'Fwd Packets': 1 } }); // no verdict
    return { db, add, model, repo: new AlertsRepo(db), datasets: new DatasetsRepo(db) };
  }

  it('writes the labelled alerts as a dataset: model columns with their roles, Label from the verdict', () => {
    const { repo, datasets } = labelled();
    const r = repo.toDataset({}, 'retrain 1');
    expect(r.rows).toBe(6);
    expect(r.classes).toEqual({ PortScan: 2, 'DoS Hulk': 2, BENIGN: 2 });
    const detail = datasets.detail(r.datasetId);
    expect(detail.name).toBe('retrain 1');
    expect(detail.labelled).toBe(true);
    expect(detail.features).toBe(3);
    expect(detail.columns.map((c) => [c.name, c.role])).toEqual([
      ['Flow Duration', 'numeric'],
      ['Protocol', 'categorical'],
      ['Fwd Packets', 'numeric'],
      ['Label', 'label'],
    ]);
    const preview = datasets.preview(r.datasetId, 0, 10);
    expect(preview.rows[0]).toEqual([100, 'udp, "quoted"', 0, 'PortScan']);
    expect(preview.rows[5]).toEqual([105, 'tcp', null, 'BENIGN']);
    const meta = datasets.meta(r.datasetId);
    expect(meta.targets?.binary).toMatchObject({ BENIGN: 'benign', PortScan: 'attack' });
    // the same name again gets a free one
    expect(repo.toDataset({ verdict: ['true-positive'] }, 'retrain 1')).toMatchObject({ name: 'retrain 1 (2)', rows: 4 });
  });

  it('refuses when no labelled alert matches', () => {
    const { repo, datasets } = labelled();
    const e = errorOf(() => repo.toDataset({ verdict: ['none'] }, 'x'));
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toMatch(/No labelled alert matches/);
    expect(datasets.counts().datasets).toBe(0);
  });

  it('refuses alerts of models with different input columns, naming them', () => {
    const { db, add, repo, datasets } = labelled();
    const other = insertModel(db, 'other', [FEATURES[0]!, { name: 'Bwd Packets', kind: 'numeric' }]);
    add({ modelId: other, modelName: 'other', verdict: 'true-positive', features: { 'Flow Duration': 1, 'Bwd Packets': 2 } });
    const e = errorOf(() => repo.toDataset({}, 'x'));
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toMatch(/different input columns/);
    expect(e.message).toContain('"Bwd Packets"');
    expect(e.message).toContain('"Protocol"');
    expect(datasets.counts().datasets).toBe(0);
    // one model at a time works
    expect(repo.toDataset({ modelId: other }, 'only other').rows).toBe(1);
  });

  it('uses the stored feature keys when the model was deleted', () => {
    const { db, repo, model, datasets } = labelled();
    db.prepare('DELETE FROM models WHERE id = ?').run(model);
    const r = repo.toDataset({}, 'orphans');
    expect(datasets.columns(r.datasetId).map((c) => [c.name, c.role])).toEqual([
      ['Flow Duration', 'numeric'],
      ['Protocol', 'categorical'],
      ['Fwd Packets', 'numeric'],
      ['Label', 'label'],
    ]);
  });

  it('leaves nothing when writing fails', () => {
    const { db, repo, datasets } = labelled();
    db.exec(`CREATE TRIGGER no_columns BEFORE INSERT ON dataset_columns BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    expect(() => repo.toDataset({}, 'x')).toThrow(/disk on fire/);
    expect(datasets.counts()).toEqual({ datasets: 0, columns: 0, chunks: 0 });
    expect(db.inTransaction).toBe(false);
  });
});

describe('AlertsRepo speed on 100,000 alerts', () => {
  it('lists, counts and filters 100k alerts through indexes (timings in the log)', () => {
    const db = workspace();
    const add = inserter(db);
    const classes = ['DoS Hulk', 'PortScan', 'DDoS', 'Bot', 'FTP-Patator', 'SSH-Patator', 'Web Attack'];
    const sev = ['low', 'medium', 'high', 'critical'];
    // a CICFlowMeter model's row: ~40 numeric features
    const features: Record<string, number> = {};
    for (let k = 0; k < 40; k++) features[`Feature number ${k}`] = k * 1.5;
    db.transaction(() => {
      for (let i = 0; i < 100_000; i++) {
        add({
          monitorId: null,
          className: classes[i % classes.length],
          severity: sev[(i * 7) % 4],
          score: ((i * 7919) % 1000) / 1000,
          count: 1 + (i % 13),
          first: T0 + i * 1000,
          last: T0 + i * 1000 + 500,
          src: `10.${(i >> 8) & 255}.${i & 255}.${i % 7}`,
          dst: `192.168.${i % 50}.1`,
          dstPort: i % 1000,
          status: i % 3 ? 'open' : 'acknowledged',
          suppressedBy: i % 50 === 0 ? 1 : null,
          features,
        });
      }
    })();
    db.exec('ANALYZE');
    const repo = new AlertsRepo(db);
    const time = (label: string, f: () => unknown) => {
      f(); // statements compiled, pages cached
      const t0 = performance.now();
      const runs = 5;
      for (let i = 0; i < runs; i++) f();
      const ms = (performance.now() - t0) / runs;
      timings.push(`${label}: ${ms.toFixed(1)} ms`);
      return ms;
    };
    const timings: string[] = [];
    const limits: number[] = [];
    limits.push(time('list newest (200) + count', () => repo.list({}, 0, 200, 'newest')));
    limits.push(time('list severity (200) + count', () => repo.list({}, 0, 200, 'severity')));
    limits.push(time('list score (200) + count', () => repo.list({}, 0, 200, 'score')));
    limits.push(time('list count (200) + count', () => repo.list({}, 0, 200, 'count')));
    limits.push(time('list score page 100', () => repo.list({}, 20000, 200, 'score')));
    limits.push(time('list src=/16 + class', () => repo.list({ src: '10.3.0.0/16', classes: ['DDoS'] }, 0, 200, 'newest')));
    limits.push(time('list src exact', () => repo.list({ src: '10.3.7.0' }, 0, 200, 'newest')));
    limits.push(time('list last hour', () => repo.list({ from: T0 + 99_000 * 1000 }, 0, 200, 'newest')));
    limits.push(time('count port', () => repo.count({ port: 443 })));
    const statsMs = time('stats 60 buckets', () => repo.stats({}, 60));
    console.log(`alerts on 100k rows:\n  ${timings.join('\n  ')}`);
    // timings are reported, not asserted (speed is a benchmark's job); the plans below are
    void limits;
    void statsMs;
    expect(repo.list({ src: '10.3.7.0' }, 0, 200, 'newest').alerts.every((a) => a.srcIp === '10.3.7.0')).toBe(true);
    // every order's first page walks an index instead of sorting every alert
    const { where, params } = filterSql({});
    for (const sort of ['newest', 'oldest', 'score', 'severity', 'count'] as const) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN SELECT a.id FROM alerts a WHERE ${where} ORDER BY ${ORDER[sort]} LIMIT ? OFFSET ?`).all(...params, 200, 0) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
      expect(plan, sort).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
    }
  }, 120_000);
});
