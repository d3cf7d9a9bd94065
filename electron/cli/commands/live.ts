/**
 * `flowsight watch --model ID --file PATH [--json]`: tails a file (or a folder) until Ctrl-C, one
 * JSON line per committed alert event with --json.
 * `flowsight replay --model ID (--file PATH | --dataset ID) [--speed max|1|N] [--json]`: plays a
 * file or a dataset through the model and prints what it found.
 */
import { resolve } from 'node:path';
import type { Backend } from '../../backend/api.js';
import type { AlertEvent, MonitorInfo, ReplayResult, ThresholdSpec } from '../../contract/live.js';
import { UsageError, parseIdOption } from '../args.js';
import { EXIT_INTERRUPTED, EXIT_OK, type CliContext, type GlobalFlags } from '../context.js';
import { checkPathsExist } from './import.js';

export interface ThresholdFlags {
  fpr?: string;
  budget?: string;
  threshold?: string;
  aggregate?: string;
}

function num(option: string, value: string, lo: number, hi: number, what: string, open = false): number {
  const v = Number(value.trim());
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(value.trim()) || !Number.isFinite(v) || v < lo || v > hi || (open && (v === lo || v === hi))) {
    throw new UsageError(`Option '--${option}' needs ${what}, not '${value}'.`);
  }
  return v;
}

export function thresholdOf(flags: ThresholdFlags): ThresholdSpec {
  const given = (['fpr', 'budget', 'threshold'] as const).filter((k) => flags[k] !== undefined);
  if (given.length > 1) throw new UsageError(`Give at most one of --fpr, --budget, --threshold (got ${given.map((g) => `--${g}`).join(', ')}).`);
  if (flags.fpr !== undefined) return { mode: 'fpr', fpr: num('fpr', flags.fpr, 0, 1, 'a false-positive rate between 0 and 1 such as 0.001', true) };
  if (flags.budget !== undefined) return { mode: 'budget', alertsPerHour: num('budget', flags.budget, 0, 1e9, 'a number of alerts an hour such as 50', true) };
  if (flags.threshold !== undefined) return { mode: 'score', value: num('threshold', flags.threshold, 0, 1, 'a score between 0 and 1 such as 0.9') };
  return { mode: 'model' };
}

function aggregateOf(flags: ThresholdFlags): number {
  return flags.aggregate === undefined ? 60 : num('aggregate', flags.aggregate, 0, 86400, 'a number of seconds between 0 and 86400');
}

export interface WatchFlags extends ThresholdFlags {
  model?: string;
  file?: string;
  folder?: string;
  restart?: boolean;
  json?: boolean;
}

/** one committed alert event as a line: alertId first (the agreed shape), flows last */
export function alertEventLine(e: AlertEvent): string {
  const { alertId, flows, ...rest } = e;
  return JSON.stringify({ alertId, ...rest, flows });
}

function alertEventText(e: AlertEvent): string {
  const who = `${e.srcIp ?? '?'} -> ${e.dstIp ?? '?'}${e.dstPort !== null ? `:${e.dstPort}` : ''}`;
  const what = e.created ? 'new' : '   +';
  return `${e.lastSeen}  ${what} #${e.alertId}  ${e.severity.padEnd(8)} ${e.className}  ${who}  score ${e.score.toFixed(3)}  +${e.flows} (${e.count} flows)${e.suppressedBy !== null ? '  [suppressed]' : ''}\n`;
}

/** Runs a monitor until it ends or a signal stops it; returns the final info and whether a signal stopped it. */
async function runMonitor(
  ctx: CliContext,
  backend: Backend,
  start: () => Promise<MonitorInfo>,
  onEvents: (events: AlertEvent[]) => void,
): Promise<{ info: MonitorInfo; interrupted: boolean }> {
  let monitorId: number | null = null;
  const early: AlertEvent[][] = [];
  const off = backend.on((event) => {
    if (event.name !== 'alerts.created') return;
    if (monitorId === null) early.push(event.payload.alerts);
    else if (event.payload.monitorId === monitorId) onEvents(event.payload.alerts);
  });
  let interrupted = false;
  let stopping: Promise<unknown> | null = null;
  const stop = () => {
    interrupted = true;
    if (monitorId !== null && !stopping) stopping = backend.call('monitors.stop', { id: monitorId });
  };
  const offInt = ctx.onSignal('SIGINT', stop);
  const offTerm = ctx.onSignal('SIGTERM', stop);
  try {
    const info = await start();
    monitorId = info.id;
    for (const batch of early) {
      const mine = batch.filter((e) => e.monitorId === monitorId);
      if (mine.length) onEvents(mine);
    }
    if (interrupted) stop();
    for (;;) {
      const now = await backend.call('monitors.get', { id: info.id });
      if (now.state !== 'running' && now.state !== 'paused') return { info: now, interrupted };
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    offInt();
    offTerm();
    if (stopping) await stopping;
    off();
  }
}

function failedMessage(info: MonitorInfo): string {
  return info.error ?? `The monitor ${info.state}.`;
}

export async function runWatch(ctx: CliContext, globals: GlobalFlags, flags: WatchFlags): Promise<number> {
  const modelId = parseIdOption('model', flags.model, 'model');
  if ((flags.file === undefined) === (flags.folder === undefined)) {
    throw new UsageError("Say what to watch: '--file PATH' (a growing flow file) or '--folder PATH'.");
  }
  const target = (flags.file ?? flags.folder)!;
  checkPathsExist([target], ctx.cwd);
  const path = resolve(ctx.cwd, target);
  const threshold = thresholdOf(flags);
  const aggregateSeconds = aggregateOf(flags);
  const json = Boolean(flags.json);
  const backend = await ctx.createBackend({ workspacePath: globals.workspacePath, face: 'cli' });
  try {
    const { info, interrupted } = await runMonitor(
      ctx,
      backend,
      async () => {
        const m = await backend.call('monitors.start', {
          modelId,
          source: flags.folder !== undefined ? { kind: 'folder', path } : { kind: 'file', path },
          threshold,
          aggregateSeconds,
          resume: !flags.restart,
        });
        if (!json) ctx.stderr.write(`Watching ${path} with ${m.modelName} (monitor ${m.id}); Ctrl-C stops.\n`);
        return m;
      },
      (events) => {
        let out = '';
        for (const e of events) out += json ? `${alertEventLine(e)}\n` : alertEventText(e);
        ctx.stdout.write(out);
      },
    );
    if (info.state === 'failed') throw Object.assign(new Error(failedMessage(info)), { code: 'BAD_INPUT' });
    if (!json) ctx.stderr.write(`Stopped: ${info.stats.flows} flows scored, ${info.stats.flaggedFlows} flagged, ${info.stats.alerts} alerts.\n`);
    return EXIT_OK;
  } finally {
    await backend.close();
  }
}

export interface ReplayFlags extends ThresholdFlags {
  model?: string;
  file?: string;
  dataset?: string;
  speed?: string;
  json?: boolean;
}

function speedOf(v: string | undefined): 'max' | number {
  if (v === undefined || v.trim().toLowerCase() === 'max') return 'max';
  return num('speed', v.replace(/x$/i, ''), 0, 1e6, "'max', 1 (the flows' own pace) or a speed-up such as 10", true);
}

export async function runReplay(ctx: CliContext, globals: GlobalFlags, flags: ReplayFlags): Promise<number> {
  const modelId = parseIdOption('model', flags.model, 'model');
  if ((flags.file === undefined) === (flags.dataset === undefined)) {
    throw new UsageError("Say what to replay: '--file PATH' or '--dataset ID'.");
  }
  const speed = speedOf(flags.speed);
  const threshold = thresholdOf(flags);
  const aggregateSeconds = aggregateOf(flags);
  let source: { kind: 'replay'; speed: 'max' | number; path?: string; datasetId?: number };
  if (flags.file !== undefined) {
    checkPathsExist([flags.file], ctx.cwd);
    source = { kind: 'replay', speed, path: resolve(ctx.cwd, flags.file) };
  } else {
    source = { kind: 'replay', speed, datasetId: parseIdOption('dataset', flags.dataset, 'dataset') };
  }
  const json = Boolean(flags.json);
  const backend = await ctx.createBackend({ workspacePath: globals.workspacePath, face: 'cli' });
  try {
    const t0 = Date.now();
    let progressAt = 0;
    const { info, interrupted } = await runMonitor(
      ctx,
      backend,
      () => backend.call('monitors.start', { modelId, source, threshold, aggregateSeconds }),
      () => {
        if (json || !ctx.stderr.isTTY || Date.now() - progressAt < 250) return;
        progressAt = Date.now();
        ctx.stderr.write(`\rReplaying… ${Math.round((Date.now() - t0) / 1000)} s`);
      },
    );
    if (!json && ctx.stderr.isTTY) ctx.stderr.write('\r\x1b[K');
    if (info.state === 'failed') throw Object.assign(new Error(failedMessage(info)), { code: 'BAD_INPUT' });
    const seconds = (Date.now() - t0) / 1000;
    const result: ReplayResult & { state: string } = {
      monitorId: info.id,
      flows: info.stats.flows,
      seconds: Number(seconds.toFixed(3)),
      flowsPerSecond: seconds > 0 ? Math.round(info.stats.flows / seconds) : 0,
      flaggedFlows: info.stats.flaggedFlows,
      alerts: info.stats.alerts,
      state: info.state,
    };
    if (json) {
      const { flows, seconds: s, flowsPerSecond, flaggedFlows, alerts, monitorId, state } = result;
      ctx.stdout.write(`${JSON.stringify({ flows, seconds: s, flowsPerSecond, flaggedFlows, alerts, monitorId, state })}\n`);
    } else {
      ctx.stdout.write(
        `${info.state === 'finished' ? 'Replayed' : 'Stopped after'} ${result.flows} flows in ${result.seconds.toFixed(1)} s (${result.flowsPerSecond} flows/s): ${result.flaggedFlows} flagged, ${result.alerts} alerts (monitor ${info.id}).\n`,
      );
    }
    return interrupted ? EXIT_INTERRUPTED : EXIT_OK;
  } finally {
    await backend.close();
  }
}
