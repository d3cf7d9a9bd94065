/**
 * alerts.* and suppressions.* through createBackend: a real model explains its alerts, triage and
 * rules emit alerts.changed, and labelled alerts become a dataset that models.train accepts.
 * Alerts are written straight into the workspace (as the monitor writer would).
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/backend/api.js';
import { createBackend } from '../../electron/backend/index.js';
import type { TrainResult } from '../../electron/contract/dto.js';
import { importAndWait, recordEvents, removeTempDirs, tempDir, waitForJob, writeFlowCsv } from '../support/backend-fixtures.js';

let backend: Backend;
let ws: string;
let modelId: number;
let features: string[];
let rows: Array<Record<string, number | string | null>>;
let labels: string[];

async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected the call to fail');
}

function insertAlerts(list: Array<{ cls: string; row: number; src: string; verdict?: string | null; last: number }>): number[] {
  const db = new Database(ws);
  try {
    const st = db.prepare(
      `INSERT INTO alerts (monitor_id, model_id, model_name, class_name, severity, score, count, first_seen, last_seen,
         created_at, updated_at, src_ip, dst_ip, src_port, dst_port, protocol, verdict)
       VALUES (NULL, ?, 'et', ?, 'high', 0.9, 2, ?, ?, ?, ?, ?, '10.0.0.1', 40000, 80, 'tcp', ?)`,
    );
    const feat = db.prepare('INSERT INTO alert_features (alert_id, features) VALUES (?, ?)');
    return db.transaction(() =>
      list.map((a) => {
        const id = Number(st.run(modelId, a.cls, a.last, a.last, a.last, a.last, a.src, a.verdict ?? null).lastInsertRowid);
        feat.run(id, JSON.stringify(rows[a.row]));
        return id;
      }),
    )();
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  const dir = tempDir('flowsight-alerts-');
  ws = path.join(dir, 'workspace.sqlite');
  const csv = path.join(dir, 'flows.csv');
  writeFlowCsv(csv, 800, { seed: 7 });
  backend = await createBackend({ workspacePath: ws, face: 'cli' });
  const imported = await importAndWait(backend, { paths: [csv] });
  expect(imported.error).toBeNull();
  const datasetId = imported.result!.id;
  const job = await waitForJob(backend, (await backend.call('models.train', { datasetId, model: 'extra-trees', target: 'label', params: { nTrees: 10 } })).jobId, 120_000);
  expect(job.error).toBeNull();
  modelId = (job.result as TrainResult).modelId;
  features = (await backend.call('models.get', { id: modelId })).features;
  const preview = await backend.call('datasets.preview', { id: datasetId, offset: 0, limit: 120 });
  const labelIdx = preview.columns.indexOf('Label');
  rows = preview.rows.map((r) => Object.fromEntries(features.map((f) => [f, r[preview.columns.indexOf(f)] ?? null])));
  labels = preview.rows.map((r) => String(r[labelIdx]));
}, 180_000);

afterAll(async () => {
  await backend?.close();
  removeTempDirs();
});

describe('alerts through the backend', () => {
  it('lists, counts and explains an alert with its model', async () => {
    const attack = labels.findIndex((l) => l !== 'BENIGN');
    const [a, b] = insertAlerts([
      { cls: labels[attack]!, row: attack, src: '192.168.10.5', last: Date.parse('2025-03-01T10:00:00Z') },
      { cls: labels[attack]!, row: attack, src: '192.168.10.5', last: Date.parse('2025-03-01T10:05:00Z') },
    ]);
    const list = await backend.call('alerts.list', { filter: { src: '192.168.10.0/24' } });
    expect(list.alerts.map((x) => x.id)).toEqual([b, a]);
    expect(list.total).toBe(2);
    expect(list.flows).toBe(4);
    expect(await backend.call('alerts.count', {})).toEqual({ alerts: 2, flows: 4 });

    const d = await backend.call('alerts.get', { id: a! });
    expect(d.features.map((f) => f.name)).toEqual(features);
    expect(d.explanationError).toBeUndefined();
    expect(d.explanation?.method).toBe('tree-shap');
    expect(d.explanation?.output).toBe(`P(${labels[attack]})`);
    expect(d.explanation?.contributions.length).toBe(features.length);
    expect(d.sameSource.map((x) => x.id)).toEqual([b]);

    const stats = await backend.call('alerts.stats', { buckets: 10 });
    expect(stats.total).toEqual({ alerts: 2, flows: 4 });
    expect(stats.bucketSeconds).toBe(60);
  });

  it('refuses bad filters with BAD_INPUT before touching anything', async () => {
    const e = await rejection(backend.call('alerts.list', { filter: { src: '10.0.0.300' } }));
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toMatch(/above 255/);
    expect((await rejection(backend.call('alerts.list', { filter: { from: 'soon' } }))).code).toBe('BAD_INPUT');
    expect((await rejection(backend.call('alerts.get', { id: 999999 }))).code).toBe('NOT_FOUND');
  });

  it('triages and suppresses with alerts.changed events', async () => {
    const events = recordEvents(backend);
    const all = (await backend.call('alerts.list', {})).alerts.map((x) => x.id);
    expect(await backend.call('alerts.update', { filter: { ids: all }, status: 'acknowledged', note: 'looked' })).toEqual({ updated: all.length });
    expect(events.filter((e) => e.name === 'alerts.changed').map((e) => e.payload)).toEqual([{ reason: 'updated' }]);
    expect((await backend.call('alerts.get', { id: all[0]! })).notes.map((n) => n.text)).toEqual(['looked']);

    expect(await backend.call('suppressions.preview', { src: '192.168.10.5' })).toEqual({ alerts: 2, flows: 4 });
    const rule = await backend.call('suppressions.create', { src: '192.168.10.5', reason: 'test box', expiresAt: '2999-01-01T00:00:00Z' });
    expect(rule).toMatchObject({ src: '192.168.10.5', hidden: 2, active: true });
    expect((await backend.call('alerts.count', {})).alerts).toBe(0);
    expect((await backend.call('suppressions.list', {})).rules.map((r) => r.id)).toEqual([rule.id]);
    const past = await rejection(backend.call('suppressions.create', { port: 80, expiresAt: '2001-01-01T00:00:00Z' }));
    expect(past.code).toBe('BAD_INPUT');
    expect(await backend.call('suppressions.delete', { id: rule.id })).toEqual({ deleted: true });
    expect((await backend.call('alerts.count', {})).alerts).toBe(2);
    expect(events.filter((e) => e.name === 'alerts.changed').map((e) => e.payload.reason)).toEqual(['updated', 'suppression', 'suppression']);
  });

  it('turns labelled alerts into a dataset a model trains on', async () => {
    const none = await rejection(backend.call('alerts.toDataset', { filter: {}, name: 'nothing labelled' }));
    expect(none.code).toBe('BAD_INPUT');
    expect(none.message).toMatch(/No labelled alert/);

    const t = Date.parse('2025-03-02T00:00:00Z');
    const list = rows.map((_, i) => ({
      cls: labels[i] === 'BENIGN' ? 'DoS Hulk' : labels[i]!,
      row: i,
      src: `172.16.0.${i % 200}`,
      // alerts on benign flows were false positives
      verdict: labels[i] === 'BENIGN' ? 'false-positive' : 'true-positive',
      last: t + i * 1000,
    }));
    insertAlerts(list);
    const events = recordEvents(backend);
    const r = await backend.call('alerts.toDataset', { filter: { src: '172.16.0.0/16' }, name: 'triaged' });
    expect(r.rows).toBe(rows.length);
    const expected: Record<string, number> = {};
    for (const l of labels) expected[l] = (expected[l] ?? 0) + 1;
    expect(r.classes).toEqual(expected);
    expect(events.find((e) => e.name === 'datasets.changed')).toMatchObject({ payload: { id: r.datasetId, reason: 'imported' } });

    const detail = await backend.call('datasets.get', { id: r.datasetId });
    expect(detail.labelled).toBe(true);
    expect(detail.columns.filter((c) => c.role === 'numeric' || c.role === 'categorical').map((c) => c.name)).toEqual(features);

    const job = await waitForJob(backend, (await backend.call('models.train', { datasetId: r.datasetId, model: 'extra-trees', target: 'label', params: { nTrees: 10 } })).jobId, 120_000);
    expect(job.error).toBeNull();
    const retrained = await backend.call('models.get', { id: (job.result as TrainResult).modelId });
    expect(retrained.features).toEqual(features);
    expect([...retrained.classes].sort()).toEqual(Object.keys(expected).sort());
  }, 180_000);
});
