/**
 * Random forest and extra trees across threads. Tree t always draws from `new Rng(seed, t)`, so
 * the forest is the same however its trees are dealt to threads; the training matrix, labels and
 * weights are copied once into SharedArrayBuffers that every forest thread reads in place.
 *
 * The forest threads belong to a ForestPool that the backend keeps for its whole life: started at
 * the first forest training, idle (and not holding the process open) between jobs, so the second
 * and later trainings of a session start at once on threads whose kernels are already compiled.
 * A training job's own thread reaches them through MessagePorts (ForestPool.connect). Measured on
 * the CICIDS2017 sample, 2 cores: fresh threads per job fit extra-trees in 0.45-0.55 s, the
 * pool's warm threads in about 0.40 s.
 */
import os from 'node:os';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { combineForestParts, fitForestPart, type ForestPart, type ForestParamsInput } from '../../../ml-core/models/forest/forest.js';
import type { ForestKind } from '../../../ml-core/models/forest/params.js';
import { FitCancelled, type FitControl, type TrainSet, type TrainedTreeModel } from '../../../ml-core/models/types.js';
import { spawnWorker } from '../jobs/worker-host.js';

export interface ForestRunner {
  fit(train: TrainSet, params: Record<string, unknown>, control: FitControl): Promise<TrainedTreeModel>;
  /** start the threads now, ahead of the first fit, and compile the kernels of `kind` in them (optional) */
  prewarm?(kind?: ForestKind): void;
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

/** Tells a forest thread to compile the kernels of one kind on synthetic data (once per thread and kind). */
export interface ForestWorkerWarm {
  warm: ForestKind;
  /** Int32Array(1), set to 1 when a real fit is posted: the warm-up stops at its next tree */
  go: SharedArrayBuffer;
}

/** To a forest thread's parentPort: serve fit and warm requests arriving on this port. */
export interface ForestWorkerConnect {
  connect: MessagePort;
}

/** From a forest thread, on the port the request came on. */
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
 * The backend's forest threads (one per core by default). Threads start on the first connect()
 * and stay until close(); one that dies is replaced at the next connect().
 */
export class ForestPool {
  private workers: Worker[] = [];

  constructor(private readonly threads: number = forestThreads(100)) {}

  /** One MessagePort per forest thread, for one job (transfer them to the job's thread). */
  connect(): MessagePort[] {
    while (this.workers.length < this.threads) {
      const w = spawnWorker('forest');
      // idle forest threads must not keep a CLI process alive
      w.unref();
      // an uncaught error in the thread ends it; the job's ports report it
      w.on('error', () => {});
      w.once('exit', () => {
        this.workers = this.workers.filter((x) => x !== w);
      });
      this.workers.push(w);
    }
    return this.workers.map((w) => {
      const { port1, port2 } = new MessageChannel();
      w.postMessage({ connect: port2 } satisfies ForestWorkerConnect, [port2]);
      return port1;
    });
  }

  async close(): Promise<void> {
    const ws = this.workers;
    this.workers = [];
    await Promise.all(ws.map((w) => w.terminate()));
  }
}

/**
 * Trees dealt to forest threads: the job's `ports` into the backend's ForestPool, or (without
 * ports: tests, scripts) threads of a pool of its own, started by prewarm() or the first fit and
 * stopped by close(). Below `minWork` training rows × trees a thread's round trip costs more than
 * it saves, and the forest is grown here.
 */
export function threadedForests(options: { threads?: number; cancel: SharedArrayBuffer; minWork?: number; ports?: MessagePort[] }): ForestRunner {
  let ports: MessagePort[] | null = options.ports ?? null;
  let own: ForestPool | null = null;
  const go = new SharedArrayBuffer(4);
  const connect = (): MessagePort[] => {
    if (!ports) {
      own = new ForestPool(options.threads ?? forestThreads(100));
      ports = own.connect();
    }
    return ports;
  };
  return {
    prewarm(kind) {
      const ps = connect();
      // each thread warms up once per kind and ignores repeats
      if (!kind) return;
      for (const p of ps) p.postMessage({ warm: kind, go } satisfies ForestWorkerWarm);
    },
    async close() {
      for (const p of ports ?? []) p.close();
      ports = null;
      const pool = own as ForestPool | null;
      own = null;
      await pool?.close();
    },
    async fit(train, params, control) {
      const nTrees = Number(params.nTrees ?? 100);
      const wanted = options.ports ? options.ports.length : (options.threads ?? forestThreads(nTrees));
      if (wanted <= 1 || train.X.nSamples * nTrees < (options.minWork ?? 200_000)) return inlineForests.fit(train, params, control);
      const pool = connect();
      // a warm-up still running stops at its next tree
      Atomics.store(new Int32Array(go), 0, 1);
      const threads = Math.min(pool.length, Math.max(1, Math.floor(nTrees / 2)));
      const X = shared(train.X.data);
      const y = shared(train.y);
      const w = train.sampleWeight ? shared(train.sampleWeight) : null;
      // one batch of trees per thread: measured faster than small batches dealt to whichever thread is
      // free (tree t is the same whoever grows it)
      const batch = Math.max(1, Math.ceil(nTrees / threads));
      let nextTree = 0;
      let treesDone = 0;
      const parts: ForestPart[] = [];
      const listeners: Array<() => void> = [];
      try {
        await Promise.all(
          pool.slice(0, threads).map(
            (port) =>
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
                  port.postMessage(data);
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
                const onClose = () => reject(new Error('a training thread stopped unexpectedly'));
                port.on('message', onMessage);
                port.on('close', onClose);
                listeners.push(() => {
                  port.off('message', onMessage);
                  port.off('close', onClose);
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
