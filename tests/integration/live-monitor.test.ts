/**
 * Live monitoring through createBackend and the real monitor threads: replays of a stored dataset
 * and of a file, a tailed file with lines appended, pause / stop, thresholds, bad sources.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/backend/api.js';
import { createBackend } from '../../electron/backend/index.js';
import type { TrainResult } from '../../electron/contract/dto.js';
import type { AlertEvent, MonitorInfo } from '../../electron/contract/live.js';
import { importAndWait, recordEvents, removeTempDirs, tempDir, trainingWorkspace, waitForJob } from '../support/backend-fixtures.js';

let backend: Backend;
let dir: string;
let cicids: number;
let nsl: number;
let model: number;
let nslModel: number;
const SAMPLE = path.resolve('resources/samples/cicids2017.csv');

beforeAll(async () => {
  ({ backend, dir, cicids, nsl } = await trainingWorkspace());
  const train = async (datasetId: number) => {
    const { jobId } = await backend.call('models.train', { datasetId, model: 'extra-trees', params: { nTrees: 20 } });
    const job = await waitForJob(backend, jobId, 120_000);
    expect(job.status).toBe('succeeded');
    return (job.result as TrainResult).modelId;
  };
  model = await train(cicids);
  nslModel = await train(nsl);
}, 180_000);

afterAll(async () => {
  await backend?.close();
  removeTempDirs();
});

function alertTotals(monitorId: number): { alerts: number; flows: number } {
  const db = new Database(backend.workspacePath, { readonly: true });
  try {
    return db.prepare('SELECT count(*) AS alerts, coalesce(sum(count), 0) AS flows FROM alerts WHERE monitor_id = ?').get(monitorId) as { alerts: number; flows: number };
  } finally {
    db.close();
  }
}

async function until<T>(what: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 30_000, label = 'condition'): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await what();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function ended(id: number, timeoutMs = 60_000): Promise<MonitorInfo> {
  const t0 = Date.now();
  for (;;) {
    const info = await backend.call('monitors.get', { id });
    if (info.state !== 'running' && info.state !== 'paused') return info;
    if (Date.now() - t0 > timeoutMs) throw new Error(`monitor ${id} still ${info.state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('replay', () => {
  it('replays a stored dataset at full speed: every flagged flow is in the stored alerts', async () => {
    const events = recordEvents(backend);
    const started = await backend.call('monitors.start', { modelId: model, source: { kind: 'replay', datasetId: cicids, speed: 'max' } });
    expect(started.state).toBe('running');
    const info = await ended(started.id);
    expect(info.state).toBe('finished');
    const rows = (await backend.call('datasets.get', { id: cicids })).rows;
    expect(info.stats.flows).toBe(rows);
    expect(info.stats.flaggedFlows).toBeGreaterThan(rows * 0.5); // the sample is mostly attacks
    const totals = alertTotals(started.id);
    expect(totals.flows).toBe(info.stats.flaggedFlows);
    expect(totals.alerts).toBe(info.stats.alerts);
    const created = events.filter((e) => e.name === 'alerts.created').flatMap((e) => (e.payload as { alerts: AlertEvent[] }).alerts);
    expect(created.reduce((a, e) => a + e.flows, 0)).toBe(info.stats.flaggedFlows);
    expect(new Set(created.filter((e) => e.created).map((e) => e.alertId)).size).toBe(totals.alerts);
    // the score histogram counts every flow
    expect(info.stats.scoreHistogram.reduce((a, b) => a + b, 0)).toBe(rows);
  }, 60_000);

  it('replays a file at full speed through parallel range threads, with identifiers on the alerts', async () => {
    const started = await backend.call('monitors.start', { modelId: model, source: { kind: 'replay', path: SAMPLE, speed: 'max' } });
    const info = await ended(started.id);
    expect(info.state).toBe('finished');
    expect(info.stats.flows).toBe(3000);
    const totals = alertTotals(started.id);
    expect(totals.flows).toBe(info.stats.flaggedFlows);
    const db = new Database(backend.workspacePath, { readonly: true });
    const a = db.prepare('SELECT a.*, f.features FROM alerts a JOIN alert_features f ON f.alert_id = a.id WHERE monitor_id = ? ORDER BY count DESC LIMIT 1').get(started.id) as Record<string, unknown>;
    db.close();
    expect(a.src_ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(a.dst_ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(Number(a.first_seen)).toBeGreaterThan(Date.UTC(2017, 0, 1));
    expect(Number(a.last_seen)).toBeGreaterThanOrEqual(Number(a.first_seen));
    expect(Object.keys(JSON.parse(String(a.features))).length).toBeGreaterThan(50);
  }, 60_000);

  it('pauses a full-speed file replay (its range threads wait) and resumes it to the end', async () => {
    const text = fs.readFileSync(SAMPLE, 'utf8');
    const nl = text.indexOf('\n');
    const file = path.join(tempDir(), 'x20.csv');
    fs.writeFileSync(file, text.slice(0, nl + 1) + text.slice(nl + 1).replace(/\n?$/, '\n').repeat(20));
    const m = await backend.call('monitors.start', { modelId: model, source: { kind: 'replay', path: file, speed: 'max' } });
    await backend.call('monitors.pause', { id: m.id });
    await new Promise((r) => setTimeout(r, 600));
    const a = await backend.call('monitors.get', { id: m.id });
    await new Promise((r) => setTimeout(r, 600));
    const b = await backend.call('monitors.get', { id: m.id });
    expect(b.state).toBe('paused');
    // nothing more is scored while paused (a block already being scored may still land)
    expect(b.stats.flows - a.stats.flows).toBeLessThanOrEqual(8000);
    expect(b.stats.flows).toBeLessThan(60_000);
    await backend.call('monitors.resume', { id: m.id });
    const done = await ended(m.id);
    expect(done.state).toBe('finished');
    expect(done.stats.flows).toBe(60_000);
    expect(alertTotals(m.id).flows).toBe(done.stats.flaggedFlows);
  }, 60_000);

  it('paces a replay by the flows\' timestamps and can be paused and stopped', async () => {
    const started = await backend.call('monitors.start', { modelId: model, source: { kind: 'replay', datasetId: cicids, speed: 1 } });
    const paused = await backend.call('monitors.pause', { id: started.id });
    expect(paused.state).toBe('paused');
    const resumed = await backend.call('monitors.resume', { id: started.id });
    expect(resumed.state).toBe('running');
    const stopped = await backend.call('monitors.stop', { id: started.id });
    expect(stopped.state).toBe('stopped');
    // at 1x, a capture spanning days is far from done
    expect(stopped.stats.flows).toBeLessThan(3000);
    expect(alertTotals(started.id).flows).toBe(stopped.stats.flaggedFlows);
  }, 60_000);

  it('a fixed score threshold of 1 flags nothing; a budget and a target FPR set a threshold', async () => {
    const none = await backend.call('monitors.start', { modelId: model, source: { kind: 'replay', datasetId: cicids, speed: 'max' }, threshold: { mode: 'score', value: 1 } });
    const n = await ended(none.id);
    expect(n.stats.flaggedFlows).toBeLessThanOrEqual(n.stats.scoreHistogram[49]!);
    const cal = await backend.call('models.calibrate', { id: model, fpr: 0.01 });
    expect(cal.fpr).toBeLessThanOrEqual(0.01);
    expect(cal.threshold).toBeGreaterThan(0);
    expect(cal.curve.length).toBeGreaterThan(2);
    const fpr = await backend.call('monitors.start', { modelId: model, source: { kind: 'replay', datasetId: cicids, speed: 'max' }, threshold: { mode: 'fpr', fpr: 0.01 } });
    expect(fpr.thresholdValue).toBeCloseTo(cal.threshold, 6);
    const f = await ended(fpr.id);
    const all = await backend.call('monitors.start', { modelId: model, source: { kind: 'replay', datasetId: cicids, speed: 'max' } });
    const a = await ended(all.id);
    // a budget of 1 alert an hour at thousands of flows a second: only the top scores pass, once the first 1,000 flows are seen
    const budget = await backend.call('monitors.start', { modelId: model, source: { kind: 'replay', datasetId: cicids, speed: 'max' }, threshold: { mode: 'budget', alertsPerHour: 1 } });
    const b = await ended(budget.id);
    expect(b.thresholdValue).toBeGreaterThan(0.9);
    expect(b.stats.flaggedFlows).toBeLessThan(a.stats.flaggedFlows);
    expect(f.stats.flaggedFlows).toBeGreaterThan(0);
    expect(alertTotals(b.id).flows).toBe(b.stats.flaggedFlows);
  }, 60_000);

  it('refuses a file without the model\'s columns, naming them, and a missing file', async () => {
    const bad = await backend.call('monitors.start', { modelId: nslModel, source: { kind: 'replay', path: SAMPLE, speed: 'max' } });
    const info = await ended(bad.id);
    expect(info.state).toBe('failed');
    expect(info.error).toMatch(/does not have the columns this model was trained on: missing "/);
    await expect(backend.call('monitors.start', { modelId: model, source: { kind: 'file', path: path.join(dir, 'nope.csv') } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  }, 60_000);
});

describe('tail', () => {
  it('reports lines appended to a watched CSV as alerts, and resumes from its offset without duplicates', async () => {
    const lines = fs.readFileSync(SAMPLE, 'utf8').split('\n');
    const header = lines[0]!;
    // attack rows only (the sample's last column is the label)
    const attacks = lines.slice(1).filter((l) => l && !/,BENIGN,/.test(l));
    const file = path.join(tempDir(), 'live.csv');
    fs.writeFileSync(file, `${header}\n${attacks.slice(0, 10).join('\n')}\n`);
    const events = recordEvents(backend);
    const flowsOf = (id: number) => events.filter((e) => e.name === 'alerts.created' && e.payload.monitorId === id).flatMap((e) => (e.payload as { alerts: AlertEvent[] }).alerts).reduce((a, e) => a + e.flows, 0);
    const m = await backend.call('monitors.start', { modelId: model, source: { kind: 'file', path: file } });
    await until(() => flowsOf(m.id) >= 1, 20_000, 'the first alerts');
    const before = flowsOf(m.id);
    // a line written in two parts: nothing until its end arrives
    const line = attacks[20]!;
    fs.appendFileSync(file, line.slice(0, 40));
    await new Promise((r) => setTimeout(r, 400));
    expect(flowsOf(m.id)).toBe(before);
    const t0 = Date.now();
    fs.appendFileSync(file, `${line.slice(40)}\n`);
    await until(() => flowsOf(m.id) > before, 10_000, 'the appended line');
    expect(Date.now() - t0).toBeLessThan(5000);
    // a line that is not a flow record of this layout: skipped, counted, said
    fs.appendFileSync(file, 'this is not,a flow\n');
    await until(async () => (await backend.call('monitors.get', { id: m.id })).stats.skippedLines === 1, 10_000, 'the skipped line');
    expect((await backend.call('monitors.get', { id: m.id })).stats.warning).toMatch(/1 line skipped so far: not flow records of this layout \(latest: live\.csv, a line with 2 fields where \d+ were expected\)/);
    const stopped = await backend.call('monitors.stop', { id: m.id });
    const flagged = stopped.stats.flaggedFlows;
    expect(alertTotals(m.id).flows).toBe(flagged);
    // more lines while stopped, then the same monitor resumes at its saved offset
    fs.appendFileSync(file, `${attacks.slice(30, 35).join('\n')}\n`);
    const again = await backend.call('monitors.start', { modelId: model, source: { kind: 'file', path: file } });
    expect(again.id).toBe(m.id);
    await until(() => flowsOf(m.id) > flagged - 0 && alertTotals(m.id).flows >= flagged + 1, 20_000, 'the lines written while stopped');
    await new Promise((r) => setTimeout(r, 500));
    const final = await backend.call('monitors.stop', { id: m.id });
    expect(final.stats.flows).toBe(10 + 1 + 5);
    expect(alertTotals(m.id).flows).toBe(final.stats.flaggedFlows);
  }, 60_000);

  it('watches a folder: files that appear in it are scored, each from its start', async () => {
    const lines = fs.readFileSync(SAMPLE, 'utf8').split('\n');
    const header = lines[0]!;
    const attacks = lines.slice(1).filter((l) => l && !/,BENIGN,/.test(l));
    const folder = tempDir();
    fs.writeFileSync(path.join(folder, 'a.csv'), `${header}\n${attacks.slice(0, 5).join('\n')}\n`);
    fs.writeFileSync(path.join(folder, 'notes.md'), 'not a flow file');
    const m = await backend.call('monitors.start', { modelId: model, source: { kind: 'folder', path: folder } });
    await until(async () => (await backend.call('monitors.get', { id: m.id })).stats.flows === 5, 20_000, 'the first file');
    fs.writeFileSync(path.join(folder, 'b.csv'), `${header}\n${attacks.slice(5, 12).join('\n')}\n`);
    await until(async () => (await backend.call('monitors.get', { id: m.id })).stats.flows === 12, 20_000, 'the new file');
    const stopped = await backend.call('monitors.stop', { id: m.id });
    expect(stopped.stats.flows).toBe(12);
    expect(alertTotals(m.id).flows).toBe(stopped.stats.flaggedFlows);
  }, 60_000);

  it('tails a Zeek conn.log (its # header block, a #close line, then rotation to a new log) with a model trained on IoT-23 logs', async () => {
    const { FIXTURES } = await import('../support/flow-import.js');
    const imp = await importAndWait(backend, { paths: [path.join(FIXTURES, 'zeek/CTU-IoT-Malware-Capture-42-1.head120.conn.log.labeled')] });
    const { jobId } = await backend.call('models.train', { datasetId: (imp.result as { id: number }).id, model: 'isolation-forest', target: 'binary', params: { nTrees: 20 } });
    const job = await waitForJob(backend, jobId, 120_000);
    expect(job.status, job.error?.message).toBe('succeeded');
    const zeekModel = (job.result as TrainResult).modelId;
    const log = fs.readFileSync(path.join(FIXTURES, 'zeek/horizontal-portscan.conn.log'), 'utf8').split('\n');
    const head = log.filter((l) => l.startsWith('#'));
    const rows = log.filter((l) => l && !l.startsWith('#'));
    const file = path.join(tempDir(), 'conn.log');
    fs.writeFileSync(file, `${head.join('\n')}\n${rows.slice(0, 20).join('\n')}\n`);
    const m = await backend.call('monitors.start', { modelId: zeekModel, source: { kind: 'file', path: file } });
    const flows = async () => (await backend.call('monitors.get', { id: m.id })).stats.flows;
    await until(async () => (await flows()) === 20, 20_000, 'the first rows');
    fs.appendFileSync(file, `${rows.slice(20).join('\n')}\n#close\t2015-11-18-16-40-00\n`);
    await until(async () => (await flows()) === rows.length, 20_000, 'the rest of the log');
    // Zeek rotates: the log is moved away and a new one starts with its own header block
    fs.renameSync(file, `${file}.1`);
    fs.writeFileSync(file, `${head.join('\n')}\n${rows.slice(0, 7).join('\n')}\n`);
    await until(async () => (await flows()) === rows.length + 7, 20_000, 'the rotated log');
    const stopped = await backend.call('monitors.stop', { id: m.id });
    expect(stopped.state).toBe('stopped');
    expect(stopped.stats.warning).toBeUndefined();
    expect(alertTotals(m.id).flows).toBe(stopped.stats.flaggedFlows);
    // the flows' times come from the log's ts column (epoch seconds)
    const db = new Database(backend.workspacePath, { readonly: true });
    const t = db.prepare('SELECT min(first_seen) FROM alerts WHERE monitor_id = ?').pluck().get(m.id) as number | null;
    db.close();
    if (t !== null) expect(t).toBeLessThan(Date.UTC(1971, 0, 1));
  }, 120_000);

  it('a long-running face restarts a file monitor a crash interrupted, from its saved offset', async () => {
    const lines = fs.readFileSync(SAMPLE, 'utf8').split('\n');
    const file = path.join(tempDir(), 'crash.csv');
    fs.writeFileSync(file, `${lines[0]}\n${lines.slice(1, 11).join('\n')}\n`);
    const m = await backend.call('monitors.start', { modelId: model, source: { kind: 'file', path: file } });
    await until(async () => (await backend.call('monitors.get', { id: m.id })).stats.flows === 10, 20_000, 'the first rows');
    await backend.call('monitors.stop', { id: m.id });
    // as if the process that ran it had died: 'running', owned by a pid that is gone
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const db = new Database(backend.workspacePath);
    db.prepare("UPDATE monitors SET state = 'running', owner_pid = ? WHERE id = ?").run(gone, m.id);
    db.close();
    fs.appendFileSync(file, `${lines.slice(11, 16).join('\n')}\n`);
    const face = await createBackend({ workspacePath: backend.workspacePath, face: 'browser', resumeMonitors: true });
    try {
      await until(async () => (await face.call('monitors.get', { id: m.id })).stats.flows === 15, 20_000, 'the resumed monitor');
      const info = await face.call('monitors.get', { id: m.id });
      expect(info.state).toBe('running');
      // the first backend may not start it a second time
      await expect(backend.call('monitors.start', { modelId: model, source: { kind: 'file', path: file } })).rejects.toMatchObject({ code: 'BUSY' });
      const stopped = await face.call('monitors.stop', { id: m.id });
      expect(stopped.stats.flows).toBe(15);
      expect(alertTotals(m.id).flows).toBe(stopped.stats.flaggedFlows);
    } finally {
      await face.close();
    }
  }, 60_000);
});
