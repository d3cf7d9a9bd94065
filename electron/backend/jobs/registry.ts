/**
 * The job registry: starts jobs, keeps their live state, throttles progress events, cancels,
 * persists the outcome, and runs workspace-writing jobs one at a time (SQLite has one writer; an
 * import holds the write lock for its whole transaction).
 */
import { FlowsightError, type ApiError } from '../../contract/errors.js';
import type { JobInfo, JobKind, JobProgress } from '../../contract/dto.js';
import type { AnyEvent } from '../../contract/events.js';
import type { JobsRepo } from '../db/jobs.repo.js';
import { serializeError } from '../errors.js';
import { CancelFlag } from './cancel.js';

export interface JobContext {
  readonly jobId: number;
  readonly cancel: CancelFlag;
  /** report progress; events are throttled (~10/s) except on a phase change */
  progress(p: JobProgress): void;
  /** work that outlives the result (e.g. a worker checkpointing); close() waits for it */
  linger(done: Promise<unknown>): void;
}

export interface JobSpec<R> {
  kind: JobKind;
  title: string;
  /** holds the workspace's write lock while it runs: such jobs run one at a time */
  writes: boolean;
  run(ctx: JobContext): Promise<R>;
}

interface LiveJob {
  info: JobInfo;
  spec: JobSpec<unknown>;
  cancel: CancelFlag;
  /** whether its row exists in the jobs table */
  stored: boolean;
  started: boolean;
  lastEmit: number;
  /** a throttled progress update waiting for its turn */
  trailing: NodeJS.Timeout | null;
  done: Promise<void>;
  resolveDone: () => void;
}

export const PROGRESS_INTERVAL_MS = 100;

/** Process-wide: job ids running in this process, per workspace (so a second backend on the same file does not mark them interrupted). */
const runningHere = new Map<string, Set<number>>();

export function jobsRunningHere(workspacePath: string): ReadonlySet<number> {
  return runningHere.get(workspacePath) ?? new Set();
}

export class JobRegistry {
  private readonly jobs = new Map<number, LiveJob>();
  private readonly queue: LiveJob[] = [];
  private writer: LiveJob | null = null;
  private readonly lingering = new Set<Promise<unknown>>();
  /** finished jobs whose row could not be written yet (the write lock was held) */
  private readonly unsaved: LiveJob[] = [];
  private lastId = 0;
  private closing = false;

  constructor(
    private readonly repo: JobsRepo,
    private readonly emit: (event: AnyEvent) => void,
    private readonly workspacePath: string,
  ) {
    if (!runningHere.has(workspacePath)) runningHere.set(workspacePath, new Set());
  }

  /** Is a job of this registry holding the workspace's write lock right now? */
  isWriting(): boolean {
    return this.writer !== null;
  }

  /** The running writer job, if any (for BUSY messages). */
  writingJob(): JobInfo | null {
    return this.writer ? { ...this.writer.info } : null;
  }

  private nextId(): number {
    this.lastId = Math.max(this.lastId, this.repo.maxId()) + 1;
    return this.lastId;
  }

  start<R>(spec: JobSpec<R>): JobInfo {
    if (this.closing) throw new FlowsightError('BUSY', 'Flowsight is shutting down; no new jobs can start.');
    const now = new Date().toISOString();
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    const job: LiveJob = {
      info: {
        id: this.nextId(),
        kind: spec.kind,
        title: spec.title,
        status: 'running',
        progress: { phase: 'queued', current: 0, total: 0 },
        createdAt: now,
        finishedAt: null,
        result: null,
        error: null,
      },
      spec: spec as JobSpec<unknown>,
      cancel: new CancelFlag(),
      stored: false,
      started: false,
      lastEmit: 0,
      trailing: null,
      done,
      resolveDone,
    };
    this.jobs.set(job.info.id, job);
    runningHere.get(this.workspacePath)!.add(job.info.id);
    if (spec.writes && this.writer) {
      this.queue.push(job);
    } else {
      this.launch(job);
    }
    return { ...job.info, progress: { ...job.info.progress } };
  }

  private launch(job: LiveJob): void {
    if (job.spec.writes) this.writer = job;
    job.started = true;
    job.info.progress = { phase: 'starting', current: 0, total: 0 };
    try {
      this.repo.insert(job.info);
      job.stored = true;
    } catch (err) {
      this.settle(job, err);
      return;
    }
    const ctx: JobContext = {
      jobId: job.info.id,
      cancel: job.cancel,
      progress: (p) => this.progress(job, p),
      linger: (p) => {
        const tracked = p.catch(() => undefined).finally(() => this.lingering.delete(tracked));
        this.lingering.add(tracked);
      },
    };
    let running: Promise<unknown>;
    try {
      running = job.spec.run(ctx);
    } catch (err) {
      running = Promise.reject(err);
    }
    running.then(
      (result) => this.settle(job, null, result),
      (err) => this.settle(job, err),
    );
  }

  /**
   * At most one event per PROGRESS_INTERVAL_MS; a phase change goes at once, after the previous
   * phase's waiting state (so a phase's last state is never dropped); a `history` (neural epochs)
   * stays on the job's progress until the phase changes or a newer one replaces it, so per-batch
   * updates between epochs cannot throttle it away.
   */
  private progress(job: LiveJob, p: JobProgress): void {
    if (job.info.status !== 'running') return;
    const prev = job.info.progress;
    const phaseChanged = p.phase !== prev.phase;
    if (phaseChanged && job.trailing) this.emitProgress(job);
    const next = { ...p };
    if (!phaseChanged && next.history === undefined && prev.history) next.history = prev.history;
    job.info.progress = next;
    const wait = job.lastEmit + PROGRESS_INTERVAL_MS - Date.now();
    if (phaseChanged || wait <= 0) {
      this.emitProgress(job);
      return;
    }
    if (!job.trailing) {
      job.trailing = setTimeout(() => this.emitProgress(job), wait);
      job.trailing.unref?.();
    }
  }

  private emitProgress(job: LiveJob): void {
    if (job.trailing) {
      clearTimeout(job.trailing);
      job.trailing = null;
    }
    if (job.info.status !== 'running') return;
    job.lastEmit = Date.now();
    this.emit({ name: 'jobs.progress', payload: { jobId: job.info.id, kind: job.info.kind, ...job.info.progress } });
  }

  private settle(job: LiveJob, err: unknown, result?: unknown): void {
    if (job.info.status !== 'running') return;
    if (job.trailing) {
      clearTimeout(job.trailing);
      job.trailing = null;
    }
    const info = job.info;
    info.finishedAt = new Date().toISOString();
    if (err === null) {
      info.status = 'succeeded';
      info.result = (result ?? null) as JobInfo['result'];
      info.progress = { ...info.progress, phase: 'done', current: info.progress.total || info.progress.current };
    } else {
      const e: ApiError = serializeError(err, `Job ${info.id} (${info.title}) failed`);
      info.status = e.code === 'CANCELLED' ? 'cancelled' : 'failed';
      info.error = e;
      info.progress = { ...info.progress, phase: info.status };
    }
    if (this.writer === job) this.writer = null;
    runningHere.get(this.workspacePath)?.delete(info.id);
    this.save(job);
    this.emit({ name: 'jobs.finished', payload: this.snapshot(job) });
    job.resolveDone();
    this.pump();
  }

  /** Persist a finished job; while another job holds the write lock, keep it for later. */
  private save(job: LiveJob): void {
    if (this.writer) {
      this.unsaved.push(job);
      return;
    }
    try {
      if (!job.stored) {
        this.repo.insert(job.info);
        job.stored = true;
      }
      this.repo.finish(job.info);
    } catch (err) {
      // the outcome still reached listeners; the row stays 'running' and is marked interrupted later
      console.error(`[flowsight] could not record the outcome of job ${job.info.id}:`, err);
    }
  }

  private pump(): void {
    if (!this.writer) {
      const pending = this.unsaved.splice(0);
      for (const j of pending) this.save(j);
    }
    while (!this.writer && this.queue.length) {
      const next = this.queue.shift()!;
      if (next.info.status !== 'running') continue;
      this.launch(next);
    }
  }

  private snapshot(job: LiveJob): JobInfo {
    return JSON.parse(JSON.stringify(job.info)) as JobInfo;
  }

  get(id: number): JobInfo {
    const live = this.jobs.get(id);
    if (live) return this.snapshot(live);
    const stored = this.repo.get(id);
    if (!stored) throw new FlowsightError('NOT_FOUND', `There is no job with id ${id}.`);
    return stored;
  }

  /** Newest first: this session's jobs as they are now, then the stored history. */
  list(limit = 200): JobInfo[] {
    const byId = new Map<number, JobInfo>();
    for (const j of this.repo.list(limit)) byId.set(j.id, j);
    for (const j of this.jobs.values()) byId.set(j.info.id, this.snapshot(j));
    return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, limit);
  }

  /** Ask a job to stop. Resolves false when it is not running (already finished or unknown). */
  cancel(id: number): boolean {
    const job = this.jobs.get(id);
    if (!job) {
      if (!this.repo.get(id)) throw new FlowsightError('NOT_FOUND', `There is no job with id ${id}.`);
      return false;
    }
    if (job.info.status !== 'running') return false;
    job.cancel.cancel();
    if (!job.started) {
      const i = this.queue.indexOf(job);
      if (i >= 0) this.queue.splice(i, 1);
      this.settle(job, new FlowsightError('CANCELLED', 'Cancelled before it started; nothing was stored.'));
    }
    return true;
  }

  /** Wait for a job to finish (tests, CLI). */
  async wait(id: number): Promise<JobInfo> {
    const job = this.jobs.get(id);
    if (!job) return this.get(id);
    await job.done;
    return this.snapshot(job);
  }

  /** Cancel what runs, wait for it (up to `timeoutMs`), record outcomes. */
  async close(timeoutMs = 15_000): Promise<void> {
    this.closing = true;
    for (const job of [...this.queue]) this.cancel(job.info.id);
    for (const job of this.jobs.values()) if (job.info.status === 'running') job.cancel.cancel();
    const all = Promise.all([...[...this.jobs.values()].map((j) => j.done), ...this.lingering]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    for (const job of this.jobs.values()) runningHere.get(this.workspacePath)?.delete(job.info.id);
  }
}
