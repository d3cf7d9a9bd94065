/**
 * createBackend: the application behind every face. Opens (creating, migrating) the workspace,
 * marks jobs left running by a dead process as interrupted, sweeps stale uploads, and answers
 * commands validated against the contract.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import { isCommandName, type CommandInput, type CommandName, type CommandResult } from '../contract/commands.js';
import type { AppInfo } from '../contract/dto.js';
import { FlowsightError } from '../contract/errors.js';
import type { AnyEvent, EventListener } from '../contract/events.js';
import type { UploadResult } from '../contract/transport.js';
import type { Backend, BackendOptions } from './api.js';
import { openWorkspace } from './db/connection.js';
import { DatasetsRepo } from './db/datasets.repo.js';
import { JobsRepo } from './db/jobs.repo.js';
import { ModelsRepo } from './db/models.repo.js';
import { resolveWorkspacePath } from './db/workspace.js';
import { isBusy, toFlowsightError } from './errors.js';
import { createHandlers, validateInput, type BackendContext } from './handlers/index.js';
import { JobRegistry, jobsRunningHere } from './jobs/registry.js';
import { ForestPool } from './training/forest-runner.js';
import { MonitorService } from './live/monitor-service.js';
import { AlertsThread } from './live/alerts-thread.js';
import { findPackageRoot, resolveResourcesDir } from './samples.js';
import { receiveUpload as storeUpload, sweepUploads } from './uploads/uploads.js';
import type { ImportTimings, ImportTuning } from './workers/protocol.js';

export type { Backend, BackendOptions } from './api.js';
export { resolveWorkspacePath, appDataDir, WORKSPACE_FILE } from './db/workspace.js';
export { LATEST_SCHEMA_VERSION } from './db/migrations/index.js';

export interface CreateBackendOptions extends BackendOptions {
  /** import knobs (tests, benchmarks) */
  importTuning?: ImportTuning;
  /** called with where each successful import spent its time */
  onImportTimings?: (t: ImportTimings) => void;
}

let cachedVersion: string | null = null;
function appVersion(): string {
  if (cachedVersion) return cachedVersion;
  try {
    const root = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));
    const pkg = JSON.parse(fs.readFileSync(path.join(root!, 'package.json'), 'utf8')) as { version?: string };
    cachedVersion = pkg.version ?? '0.0.0';
  } catch {
    cachedVersion = '0.0.0';
  }
  return cachedVersion;
}

export async function createBackend(opts: CreateBackendOptions): Promise<Backend> {
  const workspacePath = resolveWorkspacePath(opts.workspacePath);
  const { db, schemaVersion } = openWorkspace(workspacePath);
  const listeners = new Set<EventListener>();
  const emit = (event: AnyEvent) => {
    for (const l of [...listeners]) {
      try {
        l(event);
      } catch (err) {
        console.error(`[flowsight] an event listener failed on ${event.name}:`, err);
      }
    }
  };

  let ctx: BackendContext;
  try {
    const jobsRepo = new JobsRepo(db);
    try {
      jobsRepo.markInterrupted(jobsRunningHere(workspacePath));
    } catch (err) {
      // another process holds the write lock: its jobs may well be running; look again next start
      if (!isBusy(err)) throw err;
    }
    sweepUploads(workspacePath);
    const sqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    const appInfo = (): AppInfo => ({
      version: appVersion(),
      workspacePath,
      schemaVersion,
      node: process.versions.node,
      sqlite,
      platform: `${process.platform}-${process.arch}`,
      face: opts.face,
    });
    const datasets = new DatasetsRepo(db);
    const models = new ModelsRepo(db);
    // the UI faces get a bounded number of alert events a commit; scripts (the CLI) get every one
    const monitors = new MonitorService({ db, workspacePath, models, datasets, emit, maxEvents: opts.face === 'cli' ? Infinity : 1000 });
    try {
      monitors.markInterrupted();
    } catch (err) {
      if (!isBusy(err)) throw err;
    }
    ctx = {
      db,
      workspacePath,
      resourcesDir: resolveResourcesDir(opts.resourcesDir),
      face: opts.face,
      schemaVersion,
      datasets,
      models,
      monitors,
      alertsThread: new AlertsThread(workspacePath),
      jobsRepo,
      registry: new JobRegistry(jobsRepo, emit, workspacePath),
      forestPool: new ForestPool(),
      emit,
      appInfo,
      ...(opts.importTuning ? { importTuning: opts.importTuning } : {}),
      ...(opts.onImportTimings ? { onImportTimings: opts.onImportTimings } : {}),
    };
  } catch (err) {
    db.close();
    throw toFlowsightError(err, `Opening the workspace ${workspacePath} failed`);
  }

  const handlers = createHandlers(ctx);
  if (opts.resumeMonitors) {
    try {
      ctx.monitors.resumeInterrupted();
    } catch (err) {
      console.error('[flowsight] resuming monitors failed:', err);
    }
  }
  let closed = false;

  const run = async (name: CommandName, input: unknown): Promise<unknown> => {
    if (closed) throw new FlowsightError('WORKSPACE_UNAVAILABLE', 'The workspace is closed; Flowsight is shutting down.');
    const args = validateInput(name, input);
    try {
      const handler = handlers[name] as (a: unknown) => unknown;
      return await handler(args);
    } catch (err) {
      throw toFlowsightError(err, `${name} failed`);
    }
  };

  const backend: Backend = {
    workspacePath,
    call<K extends CommandName>(name: K, input: CommandInput<K>): Promise<CommandResult<K>> {
      return run(name, input) as Promise<CommandResult<K>>;
    },
    async callUnknown(name: string, input: unknown): Promise<unknown> {
      if (!isCommandName(name)) {
        throw new FlowsightError('UNKNOWN_COMMAND', `Unknown command "${String(name).slice(0, 100)}".`);
      }
      return run(name, input);
    },
    on(listener: EventListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async receiveUpload(fileName: string, body: Readable | AsyncIterable<Uint8Array>): Promise<UploadResult> {
      if (closed) throw new FlowsightError('WORKSPACE_UNAVAILABLE', 'The workspace is closed; Flowsight is shutting down.');
      return storeUpload(workspacePath, fileName, body);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await ctx.monitors.close();
      await ctx.alertsThread.close();
      await ctx.registry.close();
      await ctx.forestPool.close();
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        /* another process is reading or writing: it will checkpoint */
      }
      db.close();
      listeners.clear();
    },
  };
  return backend;
}
