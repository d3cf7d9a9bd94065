/**
 * The main-thread side of live monitoring: monitor rows, one thread per running monitor, pause /
 * resume / stop through a shared control word, and the monitors' reports turned into events
 * (`alerts.created` as committed, `monitors.changed` at most every STATS_EVENT_MS).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { CommandArgs } from '../../contract/commands.js';
import { FlowsightError } from '../../contract/errors.js';
import type { AnyEvent } from '../../contract/events.js';
import type { AlertEvent, MonitorInfo, MonitorSource, MonitorState, MonitorStats, ThresholdCalibration, ThresholdSpec } from '../../contract/live.js';
import type { Db } from '../db/connection.js';
import type { DatasetsRepo } from '../db/datasets.repo.js';
import { pidAlive } from '../db/jobs.repo.js';
import type { ModelsRepo } from '../db/models.repo.js';
import { spawnWorker } from '../jobs/worker-host.js';
import { defaultThreads } from '../training/predict-pool.js';
import { CONTROL_PAUSE, CONTROL_RUN, CONTROL_STOP, type MonitorMessage, type MonitorRunConfig } from './monitor-run.js';
import { emptyStats } from './run-state.js';
import { calibrateFpr } from './threshold.js';

const STATS_EVENT_MS = 250;

interface MonitorRow {
  id: number;
  name: string;
  model_id: number | null;
  model_name: string;
  source: string;
  source_key: string;
  threshold: string;
  aggregate_seconds: number;
  state: MonitorState;
  error: string | null;
  cursor: string;
  stats: string;
  owner_pid: number | null;
  created_at: string;
  updated_at: string;
}

interface Live {
  id: number;
  worker: Worker;
  control: Int32Array;
  stats: MonitorStats;
  thresholdValue: number | null;
  state: MonitorState;
  lastEmit: number;
  timer: NodeJS.Timeout | null;
  exited: Promise<void>;
}

export interface MonitorServiceDeps {
  db: Db;
  workspacePath: string;
  models: ModelsRepo;
  datasets: DatasetsRepo;
  emit(event: AnyEvent): void;
  /** most alert events in one `alerts.created` (the rest are counted in `omitted`); default all */
  maxEvents?: number;
}

const SEVERITY_RANK: Record<string, number> = { critical: 3, high: 2, medium: 1, low: 0 };

/** At most `max` events, new and severe first; what is left out, counted. */
export function capEvents(events: AlertEvent[], max: number): { alerts: AlertEvent[]; omitted?: { alerts: number; created: number; flows: number } } {
  if (events.length <= max) return { alerts: events };
  const sorted = [...events].sort((a, b) => Number(b.created) - Number(a.created) || SEVERITY_RANK[b.severity]! - SEVERITY_RANK[a.severity]! || b.flows - a.flows);
  const rest = sorted.slice(max);
  return {
    alerts: sorted.slice(0, max),
    omitted: { alerts: rest.length, created: rest.filter((e) => e.created).length, flows: rest.reduce((n, e) => n + e.flows, 0) },
  };
}

/** Monitors running in this process, by workspace (several backends of one process may share a workspace). */
const runningHere = new Map<string, Set<number>>();

function hereSet(workspacePath: string): Set<number> {
  let s = runningHere.get(workspacePath);
  if (!s) runningHere.set(workspacePath, (s = new Set()));
  return s;
}

export function sourceKey(source: MonitorSource): string {
  if (source.kind === 'replay') return source.datasetId !== undefined ? `replay:dataset:${source.datasetId}` : `replay:file:${path.resolve(source.path!)}`;
  return `${source.kind}:${path.resolve(source.path)}`;
}

function describeSource(source: MonitorSource, datasets: DatasetsRepo): string {
  if (source.kind === 'replay') {
    const what = source.datasetId !== undefined ? (datasets.exists(source.datasetId) ? datasets.summary(source.datasetId).name : `dataset ${source.datasetId}`) : path.basename(source.path!);
    return `Replay of ${what} (${source.speed === 'max' ? 'max speed' : `${source.speed}x`})`;
  }
  return `${source.kind === 'file' ? 'Tail of' : 'Folder'} ${path.basename(source.path)}`;
}

export class MonitorService {
  private readonly live = new Map<number, Live>();
  private closing = false;

  constructor(private readonly d: MonitorServiceDeps) {}

  /** monitors left running by a process that is gone become `interrupted` */
  markInterrupted(): number[] {
    const rows = this.d.db.prepare(`SELECT id, owner_pid FROM monitors WHERE state IN ('running', 'paused')`).all() as Array<{ id: number; owner_pid: number | null }>;
    const marked: number[] = [];
    const here = hereSet(this.d.workspacePath);
    for (const r of rows) {
      if (this.live.has(r.id) || here.has(r.id)) continue;
      if (r.owner_pid !== null && r.owner_pid !== process.pid && pidAlive(r.owner_pid)) continue;
      this.setState(r.id, 'interrupted', 'Flowsight stopped while this monitor ran; resume it to continue from where it was.');
      marked.push(r.id);
    }
    return marked;
  }

  /** restarts interrupted file and folder monitors (the desktop and browser faces do this at start) */
  resumeInterrupted(): number[] {
    const rows = this.d.db.prepare(`SELECT id FROM monitors WHERE state = 'interrupted' AND (source_key LIKE 'file:%' OR source_key LIKE 'folder:%')`).all() as Array<{ id: number }>;
    const resumed: number[] = [];
    for (const r of rows) {
      try {
        this.resume(r.id);
        resumed.push(r.id);
      } catch {
        /* the file or model is gone: it stays interrupted, with its reason visible */
      }
    }
    return resumed;
  }

  private row(id: number): MonitorRow {
    const r = this.d.db.prepare('SELECT * FROM monitors WHERE id = ?').get(id) as MonitorRow | undefined;
    if (!r) throw new FlowsightError('NOT_FOUND', `Monitor ${id} does not exist.`);
    return r;
  }

  private info(r: MonitorRow): MonitorInfo {
    const l = this.live.get(r.id);
    const stats = l ? l.stats : { ...emptyStats(), ...(JSON.parse(r.stats) as Partial<MonitorStats>) };
    const threshold = JSON.parse(r.threshold) as ThresholdSpec;
    return {
      id: r.id,
      name: r.name,
      modelId: r.model_id,
      modelName: r.model_name,
      source: JSON.parse(r.source) as MonitorSource,
      threshold,
      thresholdValue: l ? l.thresholdValue : this.lastThreshold.has(r.id) ? this.lastThreshold.get(r.id)! : this.staticThreshold(r, threshold),
      aggregateSeconds: r.aggregate_seconds,
      state: l ? l.state : r.state,
      error: r.error,
      stats,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  private staticThreshold(r: MonitorRow, spec: ThresholdSpec): number | null {
    if (spec.mode === 'score') return spec.value;
    if (spec.mode === 'fpr' && r.model_id !== null && this.d.models.exists(r.model_id)) {
      try {
        return this.calibrate(r.model_id, spec.fpr).threshold;
      } catch {
        return null;
      }
    }
    return null;
  }

  list(): MonitorInfo[] {
    const rows = this.d.db.prepare('SELECT * FROM monitors ORDER BY id DESC').all() as MonitorRow[];
    return rows.map((r) => this.info(r));
  }

  get(id: number): MonitorInfo {
    return this.info(this.row(id));
  }

  /** a model's curves never change: calibrations are kept (monitors.list would read every model's detail again) */
  private readonly calibrations = new Map<string, ThresholdCalibration>();

  calibrate(modelId: number, fpr: number): ThresholdCalibration {
    if (!this.d.models.exists(modelId)) throw new FlowsightError('NOT_FOUND', `Model ${modelId} does not exist.`);
    const key = `${modelId}:${fpr}`;
    let c = this.calibrations.get(key);
    if (!c) {
      c = calibrateFpr(modelId, this.d.models.detail(modelId).curves, fpr);
      if (this.calibrations.size > 256) this.calibrations.clear();
      this.calibrations.set(key, c);
    }
    return c;
  }

  private checkSource(source: MonitorSource): void {
    if (source.kind === 'replay' && source.datasetId !== undefined) {
      if (!this.d.datasets.exists(source.datasetId)) throw new FlowsightError('NOT_FOUND', `Dataset ${source.datasetId} does not exist.`);
      return;
    }
    const p = path.resolve(source.kind === 'replay' ? source.path! : source.path);
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      throw new FlowsightError('NOT_FOUND', `${p} does not exist.`);
    }
    if (source.kind === 'folder' && !st.isDirectory()) throw new FlowsightError('BAD_INPUT', `${p} is not a folder; to follow one file, tail it instead.`);
    if (source.kind !== 'folder' && !st.isFile()) throw new FlowsightError('BAD_INPUT', `${p} is not a file${st.isDirectory() ? '; to follow a folder, watch it instead' : ''}.`);
  }

  private calibrated(modelId: number, spec: ThresholdSpec): number | null {
    return spec.mode === 'fpr' ? this.calibrate(modelId, spec.fpr).threshold : null;
  }

  start(args: CommandArgs<'monitors.start'>): MonitorInfo {
    if (this.closing) throw new FlowsightError('WORKSPACE_UNAVAILABLE', 'Flowsight is shutting down.');
    if (!this.d.models.exists(args.modelId)) throw new FlowsightError('NOT_FOUND', `Model ${args.modelId} does not exist.`);
    const source: MonitorSource =
      args.source.kind === 'replay'
        ? { kind: 'replay', speed: args.source.speed, ...(args.source.path !== undefined ? { path: path.resolve(args.source.path) } : { datasetId: args.source.datasetId! }) }
        : { kind: args.source.kind, path: path.resolve(args.source.path) };
    this.checkSource(source);
    const calibrated = this.calibrated(args.modelId, args.threshold);
    const key = sourceKey(source);
    const model = this.d.models.summary(args.modelId);
    const now = new Date().toISOString();
    if (args.resume && source.kind !== 'replay') {
      const old = this.d.db.prepare('SELECT * FROM monitors WHERE source_key = ? AND model_id = ? ORDER BY id DESC LIMIT 1').get(key, args.modelId) as MonitorRow | undefined;
      if (old) {
        if (this.live.has(old.id)) return this.info(old);
        if (hereSet(this.d.workspacePath).has(old.id)) {
          throw new FlowsightError('BUSY', `Monitor ${old.id} on ${source.path} is already running in this Flowsight process.`);
        }
        if ((old.state === 'running' || old.state === 'paused') && old.owner_pid !== null && old.owner_pid !== process.pid && pidAlive(old.owner_pid)) {
          throw new FlowsightError('BUSY', `Monitor ${old.id} on ${source.path} is running in another Flowsight process (pid ${old.owner_pid}); stop it there first.`);
        }
        this.d.db
          .prepare('UPDATE monitors SET threshold = ?, aggregate_seconds = ?, model_name = ?, updated_at = ? WHERE id = ?')
          .run(JSON.stringify(args.threshold), args.aggregateSeconds, model.name, now, old.id);
        return this.launch(old.id, calibrated);
      }
    }
    const name = args.name ?? `${describeSource(source, this.d.datasets)} · ${model.name}`;
    const id = Number(
      this.d.db
        .prepare(
          `INSERT INTO monitors (name, model_id, model_name, source, source_key, threshold, aggregate_seconds, state, stats, owner_pid, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)`,
        )
        .run(name, args.modelId, model.name, JSON.stringify(source), key, JSON.stringify(args.threshold), args.aggregateSeconds, JSON.stringify(emptyStats()), process.pid, now, now)
        .lastInsertRowid,
    );
    return this.launch(id, calibrated);
  }

  private launch(id: number, calibrated: number | null): MonitorInfo {
    const r = this.row(id);
    if (r.model_id === null || !this.d.models.exists(r.model_id)) throw new FlowsightError('NOT_FOUND', `The model of monitor ${id} (${r.model_name}) was deleted.`);
    const source = JSON.parse(r.source) as MonitorSource;
    this.checkSource(source);
    const control = new SharedArrayBuffer(4);
    const isReplay = source.kind === 'replay';
    const cfg: MonitorRunConfig = {
      workspacePath: this.d.workspacePath,
      monitorId: id,
      modelId: r.model_id,
      modelName: r.model_name,
      modelFile: this.d.models.file(r.model_id),
      source,
      threshold: JSON.parse(r.threshold) as ThresholdSpec,
      calibrated,
      aggregateSeconds: r.aggregate_seconds,
      // a replay starts over; a tail resumes where it stopped
      cursor: isReplay ? {} : (JSON.parse(r.cursor) as Record<string, unknown>),
      stats: isReplay ? null : (JSON.parse(r.stats) as MonitorStats),
      control,
      replayThreads: defaultThreads(),
    };
    const now = new Date().toISOString();
    this.d.db.prepare(`UPDATE monitors SET state = 'running', error = NULL, owner_pid = ?, updated_at = ? WHERE id = ?`).run(process.pid, now, id);
    const worker = spawnWorker('monitor', { workerData: cfg });
    const live: Live = {
      id,
      worker,
      control: new Int32Array(control),
      stats: cfg.stats ? { ...emptyStats(), ...cfg.stats } : emptyStats(),
      thresholdValue: calibrated ?? (cfg.threshold.mode === 'score' ? cfg.threshold.value : null),
      state: 'running',
      lastEmit: 0,
      timer: null,
      exited: new Promise<void>((resolve) => worker.once('exit', () => resolve())),
    };
    this.live.set(id, live);
    hereSet(this.d.workspacePath).add(id);
    let ended = false;
    worker.on('message', (m: MonitorMessage) => {
      if (m.type === 'events') this.d.emit({ name: 'alerts.created', payload: { monitorId: id, ...capEvents(m.events, this.d.maxEvents ?? Infinity) } });
      else if (m.type === 'stats') {
        live.stats = m.stats;
        live.thresholdValue = m.thresholdValue;
        this.emitChanged(live, false);
      } else if (m.type === 'finished' || m.type === 'stopped' || m.type === 'failed') {
        ended = true;
        this.end(live, m.type === 'finished' ? 'finished' : m.type === 'stopped' ? 'stopped' : 'failed', m.type === 'failed' ? m.message : null);
      }
    });
    worker.on('error', (err) => {
      if (!ended) {
        ended = true;
        this.end(live, 'failed', err.message);
      }
    });
    worker.on('exit', (code) => {
      if (!ended) {
        ended = true;
        this.end(live, code === 0 ? 'stopped' : 'failed', code === 0 ? null : `The monitor's thread stopped unexpectedly (exit code ${code}).`);
      }
    });
    const info = this.get(id);
    this.d.emit({ name: 'monitors.changed', payload: info });
    return info;
  }

  private setState(id: number, state: MonitorState, error: string | null): void {
    this.d.db.prepare('UPDATE monitors SET state = ?, error = ?, updated_at = ? WHERE id = ?').run(state, error, new Date().toISOString(), id);
  }

  private end(live: Live, state: MonitorState, error: string | null): void {
    if (live.timer) clearTimeout(live.timer);
    live.state = state;
    this.lastThreshold.set(live.id, live.thresholdValue);
    try {
      this.setState(live.id, state, error);
    } catch (err) {
      console.error(`[flowsight] saving monitor ${live.id}'s state failed:`, err);
    }
    this.live.delete(live.id);
    hereSet(this.d.workspacePath).delete(live.id);
    try {
      this.d.emit({ name: 'monitors.changed', payload: this.get(live.id) });
    } catch {
      /* deleted meanwhile */
    }
  }

  private emitChanged(live: Live, now: boolean): void {
    const due = live.lastEmit + STATS_EVENT_MS - Date.now();
    if (now || due <= 0) {
      if (live.timer) clearTimeout(live.timer);
      live.timer = null;
      live.lastEmit = Date.now();
      try {
        this.d.emit({ name: 'monitors.changed', payload: this.get(live.id) });
      } catch {
        /* deleted */
      }
    } else if (!live.timer) {
      live.timer = setTimeout(() => {
        live.timer = null;
        if (this.live.has(live.id)) this.emitChanged(live, true);
      }, due);
    }
  }

  /** the threshold each monitor ended with (budget thresholds move while they run) */
  private readonly lastThreshold = new Map<number, number | null>();

  pause(id: number): MonitorInfo {
    const l = this.live.get(id);
    if (!l) throw new FlowsightError('BAD_INPUT', `Monitor ${id} is not running.`);
    Atomics.store(l.control, 0, CONTROL_PAUSE);
    l.state = 'paused';
    this.setState(id, 'paused', null);
    this.emitChanged(l, true);
    return this.get(id);
  }

  resume(id: number): MonitorInfo {
    const l = this.live.get(id);
    if (l) {
      Atomics.store(l.control, 0, CONTROL_RUN);
      l.state = 'running';
      this.setState(id, 'running', null);
      this.emitChanged(l, true);
      return this.get(id);
    }
    const r = this.row(id);
    if (r.model_id === null) throw new FlowsightError('NOT_FOUND', `The model of monitor ${id} (${r.model_name}) was deleted.`);
    const spec = JSON.parse(r.threshold) as ThresholdSpec;
    return this.launch(id, this.calibrated(r.model_id, spec));
  }

  async stop(id: number): Promise<MonitorInfo> {
    const l = this.live.get(id);
    if (!l) {
      const r = this.row(id);
      if (r.state === 'running' || r.state === 'paused' || r.state === 'interrupted') this.setState(id, 'stopped', null);
      return this.get(id);
    }
    Atomics.store(l.control, 0, CONTROL_STOP);
    const timer = setTimeout(() => void l.worker.terminate(), 15_000);
    await l.exited;
    clearTimeout(timer);
    return this.get(id);
  }

  setThreshold(id: number, spec: ThresholdSpec): MonitorInfo {
    const r = this.row(id);
    if (r.model_id === null) throw new FlowsightError('NOT_FOUND', `The model of monitor ${id} (${r.model_name}) was deleted.`);
    const calibrated = this.calibrated(r.model_id, spec);
    this.d.db.prepare('UPDATE monitors SET threshold = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(spec), new Date().toISOString(), id);
    this.lastThreshold.delete(id);
    this.live.get(id)?.worker.postMessage({ type: 'threshold', spec, calibrated });
    const info = this.get(id);
    this.d.emit({ name: 'monitors.changed', payload: info });
    return info;
  }

  delete(id: number): void {
    this.row(id);
    if (this.live.has(id)) throw new FlowsightError('BAD_INPUT', `Monitor ${id} is running; stop it before deleting it.`);
    this.d.db.prepare('DELETE FROM monitors WHERE id = ?').run(id);
    this.d.emit({ name: 'monitors.deleted', payload: { id } });
  }

  /** stops every monitor of this process (their last commits land first) */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.live.keys()].map((id) => this.stop(id)));
  }
}
