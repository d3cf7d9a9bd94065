/**
 * Models: the catalog of kinds, the list, loaded details, and the one "evaluate on another
 * dataset" job this window runs. Kept current by `models.changed` events; jobs are followed
 * through the jobs store (which every `jobs.*` event and every refresh updates).
 */
import { create } from 'zustand';
import type { AnyEvent, EvaluateResult, JobInfo, JobProgress, ModelDetail, ModelKindInfo, ModelSummary } from '../../../electron/contract/index.js';
import { api } from '../../api/client.js';
import { errorCode, errorMessage } from '../../api/errors.js';
import { type CollectionActions, type CollectionState, collectionActions, collectionInitialState } from '../../app/collection.js';
import { useJobs } from '../jobs/jobs.slice.js';

export type { LoadStatus } from '../../app/collection.js';
export type TaskPhase = 'starting' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface EvaluationTask {
  seq: number;
  modelId: number;
  datasetId: number;
  datasetName: string;
  jobId: number | null;
  phase: TaskPhase;
  progress: JobProgress | null;
  result: EvaluateResult | null;
  error: { code: string; message: string } | null;
  cancelRequested: boolean;
}

export interface ModelsState extends CollectionState<ModelSummary, ModelDetail>, CollectionActions<ModelSummary> {
  catalog: ModelKindInfo[] | null;
  catalogError: string | null;
  /** Models page: show only models of this dataset (null = all) */
  filterDatasetId: number | null;
  evaluation: EvaluationTask | null;

  loadCatalog(): Promise<void>;
  setFilter(datasetId: number | null): void;
  applyEvent(event: AnyEvent): void;
  startEvaluation(modelId: number, datasetId: number, datasetName: string): Promise<void>;
  cancelEvaluation(): Promise<void>;
  dismissEvaluation(): void;
  /** follow the evaluate job (called on every change of it in the jobs store) */
  syncJob(job: JobInfo): void;
}

let evalSeq = 0;

export const useModels = create<ModelsState>()((set, get) => {
  function patchEval(seq: number, patch: Partial<EvaluationTask>): void {
    set((s) => (s.evaluation && s.evaluation.seq === seq ? { evaluation: { ...s.evaluation, ...patch } } : s));
  }

  return {
    ...collectionInitialState<ModelSummary, ModelDetail>(),
    ...collectionActions<ModelSummary, ModelDetail>(set, get, {
      list: async () => (await api.call('models.list', {})).models,
      get: (id) => api.call('models.get', { id }),
      rename: (id, name) => api.call('models.rename', { id, name }),
      remove: (id) => api.call('models.delete', { id }),
      notFound: 'This model no longer exists.',
    }),
    catalog: null,
    catalogError: null,
    filterDatasetId: null,
    evaluation: null,

    async loadCatalog() {
      if (get().catalog) return;
      try {
        const { kinds } = await api.call('models.catalog', {});
        set({ catalog: kinds, catalogError: null });
      } catch (err) {
        set({ catalogError: errorMessage(err) });
      }
    },

    setFilter(datasetId) {
      set({ filterDatasetId: datasetId });
    },

    applyEvent(event) {
      if (event.name !== 'models.changed') return;
      const { id, reason } = event.payload;
      void get().loadList();
      if (reason === 'deleted') {
        set((s) => {
          if (!s.details[id]) return s;
          const details = { ...s.details };
          delete details[id];
          return { details, detailStatus: { ...s.detailStatus, [id]: { status: 'error', error: 'This model was deleted.' } } };
        });
      } else if (get().details[id]) {
        void get().loadDetail(id, true);
      }
    },

    async startEvaluation(modelId, datasetId, datasetName) {
      const running = get().evaluation;
      if (running && (running.phase === 'starting' || running.phase === 'running')) {
        throw new Error('An evaluation is already running; wait for it or cancel it first.');
      }
      const seq = ++evalSeq;
      set({
        evaluation: { seq, modelId, datasetId, datasetName, jobId: null, phase: 'starting', progress: null, result: null, error: null, cancelRequested: false },
      });
      try {
        const { jobId } = await api.call('models.evaluate', { id: modelId, datasetId });
        if (get().evaluation?.seq !== seq) return;
        const cancelRequested = get().evaluation?.cancelRequested;
        patchEval(seq, { jobId, phase: 'running' });
        if (cancelRequested) void useJobs.getState().cancel(jobId).catch(() => {});
        // the job may already have ended before its id came back
        const known = useJobs.getState().jobs[jobId];
        if (known) get().syncJob(known);
      } catch (err) {
        if (get().evaluation?.seq !== seq) return;
        patchEval(seq, { phase: 'failed', error: { code: errorCode(err) ?? 'INTERNAL', message: errorMessage(err) } });
      }
    },

    async cancelEvaluation() {
      const t = get().evaluation;
      if (!t || (t.phase !== 'starting' && t.phase !== 'running')) return;
      patchEval(t.seq, { cancelRequested: true });
      if (t.jobId !== null) {
        try {
          await useJobs.getState().cancel(t.jobId);
        } catch (err) {
          patchEval(t.seq, { cancelRequested: false });
          throw err;
        }
      }
    },

    dismissEvaluation() {
      const t = get().evaluation;
      if (t && t.phase !== 'starting' && t.phase !== 'running') set({ evaluation: null });
    },

    syncJob(job) {
      const t = get().evaluation;
      if (!t || t.jobId !== job.id || (t.phase !== 'running' && t.phase !== 'starting')) return;
      if (job.status === 'running') {
        patchEval(t.seq, { progress: job.progress, phase: 'running' });
      } else if (job.status === 'succeeded') {
        patchEval(t.seq, { phase: 'succeeded', progress: job.progress, result: job.kind === 'evaluate' ? (job.result as EvaluateResult | null) : null });
      } else if (job.status === 'cancelled' || job.error?.code === 'CANCELLED') {
        patchEval(t.seq, { phase: 'cancelled', error: null });
      } else {
        patchEval(t.seq, { phase: 'failed', error: job.error ?? { code: 'INTERNAL', message: 'The evaluation stopped without saying why.' } });
      }
    },
  };
});

// Follow the evaluate job through the jobs store: events, reconnect refreshes and the fallback
// refresh of silent jobs all land there.
useJobs.subscribe((s, prev) => {
  const id = useModels.getState().evaluation?.jobId;
  if (id === null || id === undefined) return;
  const job = s.jobs[id];
  if (job && job !== prev.jobs[id]) useModels.getState().syncJob(job);
});

export function evaluationActive(t: EvaluationTask | null): boolean {
  return !!t && (t.phase === 'starting' || t.phase === 'running');
}
