/**
 * Training: the Train form (kept while you look elsewhere) and the one training job this window
 * runs. The job is followed through the jobs store, which `jobs.progress` / `jobs.finished`
 * events, reconnect refreshes and the fallback refresh all update; every progress update with a
 * live metric adds a point to the metric series, and a neural training's per-epoch loss history
 * (sent whole at each epoch's end, left out between) is kept from the last progress that had it.
 */
import { create } from 'zustand';
import type { HistoryPoint, JobInfo, JobProgress, ModelKind, TrainResult } from '../../../electron/contract/index.js';
import { api } from '../../api/client.js';
import { errorCode, errorMessage } from '../../api/errors.js';
import { useJobs } from '../jobs/jobs.slice.js';
import { splitPhase } from './progress.js';
import { DEFAULT_FORM, type TrainForm, type TrainInput } from './validation.js';

export type TrainPhase = 'starting' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface MetricPoint {
  x: number;
  value: number;
}

export interface TrainTask {
  seq: number;
  jobId: number | null;
  phase: TrainPhase;
  /** "Gradient boosting on NSL-KDD" */
  title: string;
  kind: ModelKind;
  datasetId: number;
  /** k of k-fold cross-validation, else null */
  folds: number | null;
  /** epoch ms (this window's clock) */
  startedAt: number;
  endedAt: number | null;
  progress: JobProgress | null;
  /** the live validation metric: its name and one point per tree / round (reset when a new fold starts) */
  metric: { name: string; points: MetricPoint[]; run: number } | null;
  /** neural training: train and validation loss per finished epoch, and the step (fold) it belongs to */
  history: LiveHistory | null;
  error: { code: string; message: string } | null;
  modelId: number | null;
  result: TrainResult | null;
  cancelRequested: boolean;
  /** the success toast / navigation has happened */
  announced: boolean;
}

export interface LiveHistory {
  points: HistoryPoint[];
  /** "Fold 2/5", "Final model" or null: a new step starts a new history */
  step: string | null;
}

export const TRAIN_CANCELLED_MESSAGE = 'Training cancelled; no model was saved.';

export interface TrainState {
  form: TrainForm;
  task: TrainTask | null;
  setForm(patch: Partial<TrainForm>): void;
  setParam(kind: ModelKind, key: string, value: string | boolean): void;
  resetParams(kind: ModelKind): void;
  start(input: TrainInput, meta: { title: string }): Promise<void>;
  cancel(): Promise<void>;
  dismiss(): void;
  markAnnounced(): void;
  syncJob(job: JobInfo): void;
}

let seqCounter = 0;

/** Add the progress's metric to the series: a step back in `current` starts a new run (next fold). */
export function addMetricPoint(metric: TrainTask['metric'], p: JobProgress): TrainTask['metric'] {
  if (!p.metric || !Number.isFinite(p.metric.value)) return metric;
  const point = { x: p.current, value: p.metric.value };
  if (!metric || metric.name !== p.metric.name) return { name: p.metric.name, points: [point], run: metric ? metric.run + 1 : 1 };
  const last = metric.points[metric.points.length - 1];
  if (!last) return { ...metric, points: [point] };
  if (point.x < last.x) return { name: metric.name, points: [point], run: metric.run + 1 };
  if (point.x === last.x) {
    if (point.value === last.value) return metric;
    return { ...metric, points: [...metric.points.slice(0, -1), point] };
  }
  return { ...metric, points: [...metric.points, point] };
}

/**
 * The loss history after progress `p`: its own list when it has one (the whole history so far),
 * else the last one kept, unless `p` belongs to another step (a new fold) whose first epoch has not
 * ended yet. Unchanged input returns the same object, so the chart does not redraw for nothing.
 */
export function nextHistory(history: LiveHistory | null, p: JobProgress): LiveHistory | null {
  const step = splitPhase(p.phase).step;
  if (p.history) {
    const points = p.history.filter((h) => Number.isFinite(h.round) && Number.isFinite(h.train));
    if (history && history.step === step && samePoints(history.points, points)) return history;
    return { points, step };
  }
  if (history && history.step !== step) return null;
  return history;
}

function samePoints(a: HistoryPoint[], b: HistoryPoint[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.round !== y.round || x.train !== y.train || x.valid !== y.valid) return false;
  }
  return true;
}

export const useTrain = create<TrainState>()((set, get) => {
  function patchTask(seq: number, patch: Partial<TrainTask> | ((t: TrainTask) => Partial<TrainTask>)): void {
    set((s) => {
      if (!s.task || s.task.seq !== seq) return s;
      const p = typeof patch === 'function' ? patch(s.task) : patch;
      return { task: { ...s.task, ...p } };
    });
  }

  return {
    form: DEFAULT_FORM,
    task: null,

    setForm(patch) {
      set((s) => ({ form: { ...s.form, ...patch } }));
    },

    setParam(kind, key, value) {
      set((s) => ({ form: { ...s.form, params: { ...s.form.params, [kind]: { ...s.form.params[kind], [key]: value } } } }));
    },

    resetParams(kind) {
      set((s) => {
        const params = { ...s.form.params };
        delete params[kind];
        return { form: { ...s.form, params } };
      });
    },

    async start(input, meta) {
      if (trainActive(get().task)) throw new Error('A model is already training; wait for it or cancel it first.');
      const seq = ++seqCounter;
      set({
        task: {
          seq,
          jobId: null,
          phase: 'starting',
          title: meta.title,
          kind: input.model,
          datasetId: input.datasetId,
          folds: input.folds ?? null,
          startedAt: Date.now(),
          endedAt: null,
          progress: null,
          metric: null,
          history: null,
          error: null,
          modelId: null,
          result: null,
          cancelRequested: false,
          announced: false,
        },
      });
      try {
        const { jobId } = await api.call('models.train', input);
        if (get().task?.seq !== seq) return;
        const cancelRequested = get().task?.cancelRequested;
        patchTask(seq, { jobId, phase: 'running' });
        if (cancelRequested) void useJobs.getState().cancel(jobId).catch(() => {});
        // the job may have reported (or even ended) before its id came back
        const known = useJobs.getState().jobs[jobId];
        if (known) get().syncJob(known);
      } catch (err) {
        if (get().task?.seq !== seq) return;
        patchTask(seq, { phase: 'failed', endedAt: Date.now(), error: { code: errorCode(err) ?? 'INTERNAL', message: errorMessage(err) } });
      }
    },

    async cancel() {
      const t = get().task;
      if (!t || !trainActive(t)) return;
      patchTask(t.seq, { cancelRequested: true });
      if (t.jobId === null) return; // cancelled as soon as the id arrives
      try {
        await useJobs.getState().cancel(t.jobId);
      } catch (err) {
        patchTask(t.seq, { cancelRequested: false });
        throw err;
      }
    },

    dismiss() {
      const t = get().task;
      if (t && !trainActive(t)) set({ task: null });
    },

    markAnnounced() {
      const t = get().task;
      if (t) patchTask(t.seq, { announced: true });
    },

    syncJob(job) {
      const t = get().task;
      if (!t || t.jobId !== job.id || !trainActive(t)) return;
      if (job.status === 'running') {
        patchTask(t.seq, (cur) => ({
          phase: 'running',
          progress: job.progress,
          metric: addMetricPoint(cur.metric, job.progress),
          history: nextHistory(cur.history, job.progress),
        }));
      } else if (job.status === 'succeeded') {
        const result = job.kind === 'train' ? (job.result as TrainResult | null) : null;
        patchTask(t.seq, (cur) => ({
          phase: 'succeeded',
          endedAt: Date.now(),
          progress: job.progress,
          history: job.progress.history ? nextHistory(cur.history, job.progress) : cur.history,
          result,
          modelId: result?.modelId ?? null,
        }));
      } else if (job.status === 'cancelled' || job.error?.code === 'CANCELLED') {
        patchTask(t.seq, { phase: 'cancelled', endedAt: Date.now(), error: null });
      } else {
        patchTask(t.seq, {
          phase: 'failed',
          endedAt: Date.now(),
          error: job.error ?? { code: 'INTERNAL', message: job.status === 'interrupted' ? 'Training was interrupted when Flowsight stopped.' : 'Training stopped without saying why.' },
        });
      }
    },
  };
});

useJobs.subscribe((s, prev) => {
  const id = useTrain.getState().task?.jobId;
  if (id === null || id === undefined) return;
  const job = s.jobs[id];
  if (job && job !== prev.jobs[id]) useTrain.getState().syncJob(job);
});

export function trainActive(t: TrainTask | null): boolean {
  return !!t && (t.phase === 'starting' || t.phase === 'running');
}
