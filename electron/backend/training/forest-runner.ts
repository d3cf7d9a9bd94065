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
  /** start the threads now, ahead of the first fit (optional) */
  prewarm?(): void;
  /** stop the threads (optional) */
  close?(): Promise<void>;
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
  | { type: 'ready' }
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
 * Trees dealt to `threads` worker threads, started by prewarm() (or the first fit) and kept for
 * every fit of the job. Below `minWork` training rows × trees a thread's round trip costs more
 * than it saves, and the forest is grown here.
 */
export function threadedForests(options: { threads?: number; cancel: SharedArrayBuffer; minWork?: number }): ForestRunner {
  let workers: Worker[] | null = null;
  const spawn = (n: number): Worker[] => {
    if (!workers) workers = Array.from({ length: n }, () => spawnWorker('forest'));
    return workers;
  };
  return {
    prewarm() {
      spawn(options.threads ?? forestThreads(100));
    },
    async close() {
      const ws = workers ?? [];
      workers = null;
      await Promise.all(ws.map((w) => w.terminate()));
    },
    async fit(train, params, control) {
      const nTrees = Number(params.nTrees ?? 100);
      const wanted = options.threads ?? forestThreads(nTrees);
      if (wanted <= 1 || train.X.nSamples * nTrees < (options.minWork ?? 200_000)) return inlineForests.fit(train, params, control);
      const pool = spawn(wanted);
      const threads = Math.min(pool.length, Math.max(1, Math.floor(nTrees / 2)));
      const X = shared(train.X.data);
      const y = shared(train.y);
      const w = train.sampleWeight ? shared(train.sampleWeight) : null;
      // one batch of trees per thread: measured faster than small batches dealt to whichever thread is
      // free (each fit runs in freshly started threads, and a part per thread JIT-compiles best)
      // (tree t is the same whoever grows it)
      const batch = Math.max(1, Math.ceil(nTrees / threads));
      let nextTree = 0;
      let treesDone = 0;
      const parts: ForestPart[] = [];
      const listeners: Array<() => void> = [];
      try {
        await Promise.all(
          pool.slice(0, threads).map(
            (worker) =>
              new Promise<void>((resolve, reject) => {
                let partDone = 0;
                const assign = () => {
                  if (nextTree >= nTrees) return resolve();
                  const count = Math.min(batch, nTrees - nextTree);
                  const data: ForestWorkerData = {
                    X,
                    nSamples: train.X.nSamples,
                    nFeatures: train.X.nFeatures,
                    y,
                    nClasses: train.nClasses,
                    sampleWeight: w,
                    params,
                    trees: { start: nextTree, count },
                    cancel: options.cancel,
                  };
                  nextTree += count;
                  partDone = 0;
                  worker.postMessage(data);
                };
                const onMessage = (m: ForestWorkerMessage) => {
                  if (m.type === 'progress') {
                    treesDone += m.done - partDone;
                    partDone = m.done;
                    control.onProgress?.({ phase: 'trees', current: treesDone, total: nTrees });
                  } else if (m.type === 'done') {
                    parts.push(m.part);
                    assign();
                  } else if (m.type === 'failed') reject(m.cancelled ? new FitCancelled() : new Error(m.message));
                };
                const onError = (err: Error) => reject(err);
                const onExit = (code: number) => reject(new Error(`a training thread stopped unexpectedly (exit code ${code})`));
                worker.on('message', onMessage);
                worker.on('error', onError);
                worker.on('exit', onExit);
                listeners.push(() => {
                  worker.off('message', onMessage);
                  worker.off('error', onError);
                  worker.off('exit', onExit);
                });
                assign();
              }),
          ),
        );
        return combineForestParts(parts, train.y);
      } finally {
        for (const off of listeners) off();
      }
    },
  };
}
