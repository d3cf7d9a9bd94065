/**
 * Random forest and extra trees across threads. Tree t always draws from `new Rng(seed, t)`, so
 * the forest is the same however its trees are dealt to threads; the training matrix, labels and
 * weights are copied once into SharedArrayBuffers that every forest worker reads in place.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { combineForestParts, fitForestPart, type ForestPart, type ForestParamsInput } from '../../../ml-core/models/forest/forest.js';
import { FitCancelled, type FitControl, type TrainSet, type TrainedTreeModel } from '../../../ml-core/models/types.js';
import { spawnWorker } from '../jobs/worker-host.js';

export interface ForestRunner {
  fit(train: TrainSet, params: Record<string, unknown>, control: FitControl): Promise<TrainedTreeModel>;
}

/** Everything in this thread (tests, small data). */
export const inlineForests: ForestRunner = {
  async fit(train, params, control) {
    const p = params as unknown as ForestParamsInput;
    const nTrees = Number(params.nTrees ?? 100);
    const part = fitForestPart(train, p, { start: 0, count: nTrees }, control);
    return combineForestParts([part], train.y);
  },
};

export interface ForestWorkerData {
  X: SharedArrayBuffer;
  nSamples: number;
  nFeatures: number;
  y: SharedArrayBuffer;
  nClasses: number;
  sampleWeight: SharedArrayBuffer | null;
  params: Record<string, unknown>;
  trees: { start: number; count: number };
  cancel: SharedArrayBuffer;
}

export type ForestWorkerMessage =
  | { type: 'progress'; done: number }
  | { type: 'done'; part: ForestPart }
  | { type: 'failed'; message: string; cancelled: boolean };

function shared<T extends Float32Array | Int32Array>(src: T): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(src.byteLength);
  new Uint8Array(sab).set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength));
  return sab;
}

/** How many threads to train on: every core, at most one per 2 trees. */
export function forestThreads(nTrees: number): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, Math.floor(nTrees / 2) || 1));
}

/**
 * Trees dealt to `threads` worker threads. Below `minRowsForThreads` training rows × trees a
 * worker's start-up costs more than it saves, and the forest is grown here.
 */
export function threadedForests(options: { threads?: number; cancel: SharedArrayBuffer; minWork?: number }): ForestRunner {
  return {
    async fit(train, params, control) {
      const nTrees = Number(params.nTrees ?? 100);
      const threads = options.threads ?? forestThreads(nTrees);
      if (threads <= 1 || train.X.nSamples * nTrees < (options.minWork ?? 200_000)) return inlineForests.fit(train, params, control);
      const X = shared(train.X.data);
      const y = shared(train.y);
      const w = train.sampleWeight ? shared(train.sampleWeight) : null;
      const done = new Array<number>(threads).fill(0);
      const workers: Worker[] = [];
      const per = Math.floor(nTrees / threads);
      let extra = nTrees % threads;
      let start = 0;
      const jobs: Array<Promise<ForestPart>> = [];
      try {
        for (let k = 0; k < threads; k++) {
          const count = per + (extra-- > 0 ? 1 : 0);
          const data: ForestWorkerData = {
            X,
            nSamples: train.X.nSamples,
            nFeatures: train.X.nFeatures,
            y,
            nClasses: train.nClasses,
            sampleWeight: w,
            params,
            trees: { start, count },
            cancel: options.cancel,
          };
          start += count;
          const worker = spawnWorker('forest', { workerData: data });
          workers.push(worker);
          jobs.push(
            new Promise<ForestPart>((resolve, reject) => {
              let settled = false;
              worker.on('message', (m: ForestWorkerMessage) => {
                if (m.type === 'progress') {
                  done[k] = m.done;
                  control.onProgress?.({ phase: 'trees', current: done.reduce((a, b) => a + b, 0), total: nTrees });
                } else if (m.type === 'done') {
                  settled = true;
                  resolve(m.part);
                } else {
                  settled = true;
                  reject(m.cancelled ? new FitCancelled() : new Error(m.message));
                }
              });
              worker.on('error', (err) => {
                settled = true;
                reject(err);
              });
              worker.on('exit', (code) => {
                if (!settled) reject(new Error(`a training thread stopped unexpectedly (exit code ${code})`));
              });
            }),
          );
        }
        const parts = await Promise.all(jobs);
        return combineForestParts(parts, train.y);
      } finally {
        for (const wk of workers) void wk.terminate();
      }
    },
  };
}
