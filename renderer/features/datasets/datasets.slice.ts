/**
 * Datasets: the list, loaded details, samples, and the one import this window runs.
 * Kept current by `datasets.changed` and `jobs.finished` events.
 */
import { create } from 'zustand';
import type {
  AnyEvent,
  ColumnRole,
  DatasetDetail,
  DatasetSummary,
  ImportResult,
  JobInfo,
  JobProgress,
  SampleInfo,
} from '../../../electron/contract/index.js';
import { api } from '../../api/client.js';
import type { FormatOption } from '../../api/contract-values.js';
import { errorCode, errorMessage } from '../../api/errors.js';
import { type CollectionActions, type CollectionState, collectionActions, collectionInitialState } from '../../app/collection.js';
import { useJobs } from '../jobs/jobs.slice.js';

export type { LoadStatus } from '../../app/collection.js';

export interface ImportRequest {
  /** browser face: files to upload first */
  files?: File[];
  /** Electron face: paths on this machine */
  paths?: string[];
  sample?: SampleInfo['id'];
  name?: string;
  /** what the progress panel calls this import (default: the name, else the first file) */
  title?: string;
  format?: FormatOption;
  /** generic CSV: label column; null = unlabelled; undefined = detect */
  label?: string | null;
}

export type ImportPhase = 'uploading' | 'starting' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface ImportTask {
  seq: number;
  title: string;
  phase: ImportPhase;
  jobId: number | null;
  /** upload progress (browser face) */
  upload: { loaded: number; total: number; fileIndex: number; fileCount: number } | null;
  progress: JobProgress | null;
  error: { code: string; message: string } | null;
  /** the new dataset on success */
  datasetId: number | null;
  cancelRequested: boolean;
}

export const CANCELLED_MESSAGE = 'Import cancelled; nothing was stored.';

export interface DatasetsState extends CollectionState<DatasetSummary, DatasetDetail>, CollectionActions<DatasetSummary> {
  samples: SampleInfo[] | null;
  samplesError: string | null;
  importTask: ImportTask | null;

  loadSamples(): Promise<void>;
  setRoles(id: number, roles: Record<string, ColumnRole>): Promise<string[]>;
  applyEvent(event: AnyEvent): void;
  startImport(request: ImportRequest): Promise<void>;
  cancelImport(): Promise<void>;
  dismissImport(): void;
}

let importSeq = 0;
let uploadAbort: AbortController | null = null;

function summaryOf(d: DatasetDetail): DatasetSummary {
  const { columns: _c, cleaning: _r, classCounts: _k, warnings: _w, ...summary } = d;
  return summary;
}

export const useDatasets = create<DatasetsState>()((set, get) => {
  function patchTask(seq: number, patch: Partial<ImportTask>): void {
    set((s) => (s.importTask && s.importTask.seq === seq ? { importTask: { ...s.importTask, ...patch } } : s));
  }

  /** apply a finished job to the import task it belongs to */
  function settle(job: JobInfo): void {
    const t = get().importTask;
    if (!t || t.jobId !== job.id || (t.phase !== 'running' && t.phase !== 'starting')) return;
    if (job.status === 'succeeded') {
      const result = job.kind === 'import' ? (job.result as ImportResult | null) : null;
      patchTask(t.seq, {
        phase: 'succeeded',
        datasetId: result?.id ?? null,
        title: result?.name ?? t.title,
        progress: job.progress,
      });
      void get().loadList();
    } else if (job.status === 'cancelled' || job.error?.code === 'CANCELLED') {
      patchTask(t.seq, { phase: 'cancelled', error: null });
    } else if (job.status !== 'running') {
      patchTask(t.seq, {
        phase: 'failed',
        error: job.error ?? { code: 'INTERNAL', message: 'The import stopped without saying why.' },
      });
    }
  }

  return {
    ...collectionInitialState<DatasetSummary, DatasetDetail>(),
    ...collectionActions<DatasetSummary, DatasetDetail>(set, get, {
      list: async () => (await api.call('datasets.list', {})).datasets,
      get: (id) => api.call('datasets.get', { id }),
      rename: (id, name) => api.call('datasets.rename', { id, name }),
      remove: (id) => api.call('datasets.delete', { id }),
      notFound: 'This dataset no longer exists.',
    }),
    samples: null,
    samplesError: null,
    importTask: null,

    async loadSamples() {
      try {
        const { samples } = await api.call('datasets.samples', {});
        set({ samples, samplesError: null });
      } catch (err) {
        set({ samplesError: errorMessage(err) });
      }
    },

    async setRoles(id, roles) {
      const { dataset, warnings } = await api.call('datasets.setRoles', { id, roles });
      set((s) => ({
        details: { ...s.details, [id]: dataset },
        list: s.list.map((d) => (d.id === id ? summaryOf(dataset) : d)),
      }));
      return warnings;
    },

    applyEvent(event) {
      if (event.name === 'datasets.changed') {
        const { id, reason } = event.payload;
        void get().loadList();
        if (reason === 'deleted') {
          set((s) => {
            if (!s.details[id]) return s;
            const details = { ...s.details };
            delete details[id];
            return {
              details,
              detailStatus: { ...s.detailStatus, [id]: { status: 'error', error: 'This dataset was deleted.' } },
            };
          });
        } else if (get().details[id]) {
          void get().loadDetail(id, true);
        }
      } else if (event.name === 'jobs.progress') {
        const t = get().importTask;
        if (t && t.jobId === event.payload.jobId && (t.phase === 'running' || t.phase === 'starting')) {
          const { jobId: _j, kind: _k, ...progress } = event.payload;
          patchTask(t.seq, { progress, phase: 'running' });
        }
      } else if (event.name === 'jobs.finished') {
        settle(event.payload);
      }
    },

    async startImport(request) {
      const running = get().importTask;
      if (running && (running.phase === 'uploading' || running.phase === 'starting' || running.phase === 'running')) {
        throw new Error('An import is already running; wait for it or cancel it first.');
      }
      const seq = ++importSeq;
      const files = request.files ?? [];
      const firstFile = request.files?.[0]?.name ?? request.paths?.[0]?.split(/[\\/]/).pop();
      const title = request.title?.trim() || request.name?.trim() || firstFile || (request.sample ? `sample ${request.sample}` : 'flows');
      const total = files.reduce((n, f) => n + f.size, 0);
      set({
        importTask: {
          seq,
          title,
          phase: files.length > 0 ? 'uploading' : 'starting',
          jobId: null,
          upload: files.length > 0 ? { loaded: 0, total, fileIndex: 0, fileCount: files.length } : null,
          progress: null,
          error: null,
          datasetId: null,
          cancelRequested: false,
        },
      });
      const current = () => get().importTask?.seq === seq;
      try {
        const base = {
          ...(request.name?.trim() ? { name: request.name.trim() } : {}),
          format: request.format ?? 'auto',
          ...(request.label !== undefined ? { label: request.label } : {}),
        };
        let input;
        if (files.length > 0) {
          const abort = new AbortController();
          uploadAbort = abort;
          const uploadIds: string[] = [];
          let done = 0;
          for (let i = 0; i < files.length; i++) {
            const file = files[i]!;
            const uploadId = await api.upload(
              file,
              (loaded) => patchTask(seq, { upload: { loaded: done + Math.min(loaded, file.size), total, fileIndex: i, fileCount: files.length } }),
              abort.signal,
            );
            done += file.size;
            uploadIds.push(uploadId);
          }
          uploadAbort = null;
          if (!current()) return;
          patchTask(seq, { phase: 'starting', upload: { loaded: total, total, fileIndex: files.length - 1, fileCount: files.length } });
          input = { ...base, uploadIds };
        } else if (request.paths && request.paths.length > 0) {
          input = { ...base, paths: request.paths };
        } else if (request.sample) {
          input = { ...base, sample: request.sample };
        } else {
          throw new Error('Choose at least one file to import.');
        }
        const { jobId } = await api.call('datasets.import', input);
        if (!current()) return;
        const cancelRequested = get().importTask?.cancelRequested;
        patchTask(seq, { jobId, phase: 'running' });
        if (cancelRequested) void useJobs.getState().cancel(jobId).catch(() => {});
        // the job may already have ended before its id came back
        const known = useJobs.getState().jobs[jobId];
        if (known) {
          if (known.status === 'running') patchTask(seq, { progress: known.progress });
          else settle(known);
        }
      } catch (err) {
        uploadAbort = null;
        if (!current()) return;
        if (errorCode(err) === 'ABORTED' || errorCode(err) === 'CANCELLED') {
          patchTask(seq, { phase: 'cancelled', error: null });
        } else {
          patchTask(seq, { phase: 'failed', error: { code: errorCode(err) ?? 'INTERNAL', message: errorMessage(err) } });
        }
      }
    },

    async cancelImport() {
      const t = get().importTask;
      if (!t) return;
      if (t.phase === 'uploading') {
        patchTask(t.seq, { cancelRequested: true });
        uploadAbort?.abort();
      } else if (t.phase === 'starting') {
        patchTask(t.seq, { cancelRequested: true });
      } else if (t.phase === 'running' && t.jobId !== null) {
        patchTask(t.seq, { cancelRequested: true });
        try {
          await useJobs.getState().cancel(t.jobId);
        } catch (err) {
          patchTask(t.seq, { cancelRequested: false });
          throw err;
        }
      }
    },

    dismissImport() {
      const t = get().importTask;
      if (t && (t.phase === 'succeeded' || t.phase === 'failed' || t.phase === 'cancelled')) set({ importTask: null });
    },
  };
});

export function importActive(t: ImportTask | null): boolean {
  return !!t && (t.phase === 'uploading' || t.phase === 'starting' || t.phase === 'running');
}
