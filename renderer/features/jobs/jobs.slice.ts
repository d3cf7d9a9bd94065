/** Jobs known to this window, kept current by `jobs.progress` / `jobs.finished` events. */
import { create } from 'zustand';
import type { AnyEvent, JobInfo } from '../../../electron/contract/index.js';
import { api } from '../../api/client.js';

export interface JobsState {
  jobs: Record<number, JobInfo>;
  /** epoch ms of the last news about each job (for the fallback refresh) */
  touched: Record<number, number>;
  loaded: boolean;
  load(): Promise<void>;
  upsert(job: JobInfo): void;
  applyEvent(event: AnyEvent): void;
  cancel(id: number): Promise<boolean>;
  /** fallback when events may have been missed: re-read running jobs silent for `staleMs` */
  refreshStale(staleMs?: number): Promise<void>;
}

export const useJobs = create<JobsState>()((set, get) => ({
  jobs: {},
  touched: {},
  loaded: false,

  async load() {
    const { jobs } = await api.call('jobs.list', {});
    const now = Date.now();
    set((s) => {
      const next = { ...s.jobs };
      const touched = { ...s.touched };
      for (const j of jobs) {
        // an event may have landed while the list was in flight; a finished state wins
        const known = next[j.id];
        if (known && known.status !== 'running' && j.status === 'running') continue;
        next[j.id] = j;
        touched[j.id] = now;
      }
      return { jobs: next, touched, loaded: true };
    });
  },

  upsert(job) {
    set((s) => ({ jobs: { ...s.jobs, [job.id]: job }, touched: { ...s.touched, [job.id]: Date.now() } }));
  },

  applyEvent(event) {
    if (event.name === 'jobs.progress') {
      const { jobId, kind, ...progress } = event.payload;
      set((s) => {
        const known = s.jobs[jobId];
        if (known && known.status !== 'running') return s; // late progress after the end
        const job: JobInfo = known
          ? { ...known, progress }
          : {
              id: jobId,
              kind,
              title: kind === 'import' ? 'Import' : kind,
              status: 'running',
              progress,
              createdAt: new Date().toISOString(),
              finishedAt: null,
              result: null,
              error: null,
            };
        if (!known) void fetchTitle(jobId);
        return { jobs: { ...s.jobs, [jobId]: job }, touched: { ...s.touched, [jobId]: Date.now() } };
      });
    } else if (event.name === 'jobs.finished') {
      get().upsert(event.payload);
    }
  },

  async cancel(id) {
    const { cancelled } = await api.call('jobs.cancel', { id });
    return cancelled;
  },

  async refreshStale(staleMs = 8000) {
    const now = Date.now();
    const { jobs, touched } = get();
    const stale = Object.values(jobs).filter((j) => j.status === 'running' && now - (touched[j.id] ?? 0) > staleMs);
    await Promise.all(
      stale.map(async (j) => {
        try {
          get().upsert(await api.call('jobs.get', { id: j.id }));
        } catch {
          /* next round */
        }
      }),
    );
  },
}));

/** A job first seen through a progress event: read it once for its real title. */
async function fetchTitle(id: number): Promise<void> {
  try {
    const job = await api.call('jobs.get', { id });
    useJobs.setState((s) => {
      const known = s.jobs[id];
      if (!known || known.status !== 'running') return s;
      return { jobs: { ...s.jobs, [id]: { ...known, title: job.title } } };
    });
  } catch {
    /* keep the placeholder title */
  }
}

export function runningJobs(state: Pick<JobsState, 'jobs'>): JobInfo[] {
  return Object.values(state.jobs)
    .filter((j) => j.status === 'running')
    .sort((a, b) => a.id - b.id);
}

/**
 * 0..1 from a job's progress, or null when the total is unknown. A neural training counts finished
 * epochs in `current` and the batch of the running epoch in `batch`, so the share moves within an epoch.
 */
export function jobFraction(p: JobInfo['progress'] | undefined): number | null {
  if (!p) return null;
  if (p.total > 0) {
    const b = p.batch;
    const within = b && b.total > 0 && b.current > 0 && b.current < b.total && p.current < p.total ? b.current / b.total : 0;
    return Math.max(0, Math.min(1, (p.current + within) / p.total));
  }
  if (p.totalBytes && p.totalBytes > 0 && p.bytes !== undefined) return Math.max(0, Math.min(1, p.bytes / p.totalBytes));
  return null;
}
