/**
 * Batch prediction across threads: every worker holds its own copy of the model (decoded once
 * from the model file) and scores chunks of rows, taken from a shared cursor, straight into a
 * shared output buffer. Small
 * batches are scored in this thread, where a round trip to the workers would cost more than it saves.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { predictProbaRange } from '../../../ml-core/models/flat/predict.js';
import type { RowMatrix, TrainedTreeModel } from '../../../ml-core/models/types.js';
import { spawnWorker } from '../jobs/worker-host.js';
import { decodeBundle, isNeuralModel, type ModelBundle } from './model-bundle.js';

export interface PredictRequest {
  id: number;
  X: SharedArrayBuffer;
  nSamples: number;
  nFeatures: number;
  out: SharedArrayBuffer;
  /** Int32Array(1): the next row to score; every thread takes CHUNK_ROWS at a time until none is left */
  cursor: SharedArrayBuffer;
}

/** Rows a thread takes from the shared cursor at a time (one predictor block). */
export const CHUNK_ROWS = 1024;

/** Scores chunks of rows taken from the shared cursor until every row is taken. */
export function scoreChunks(bundleModel: ModelBundle['model'], X: RowMatrix, out: Float32Array, cursor: Int32Array): void {
  const model = treeOnly(bundleModel);
  const n = X.nSamples;
  for (;;) {
    const start = Atomics.add(cursor, 0, CHUNK_ROWS);
    if (start >= n) return;
    predictProbaRange(model, X, start, Math.min(n, start + CHUNK_ROWS), out, start);
  }
}
/** The pool's threads walk trees; neural models predict through TensorFlow.js instead (scoreFrame). */
function treeOnly(m: ModelBundle['model']): TrainedTreeModel {
  if (isNeuralModel(m)) throw new Error('a PredictPool scores tree models only');
  return m;
}

export type PredictReply = { id: number; ok: true } | { id: number; ok: false; message: string };

/** Below this many rows a batch is scored in the calling thread. */
export const MIN_PARALLEL_ROWS = 4096;

export class PredictPool {
  readonly bundle: ModelBundle;
  private readonly workers: Worker[] = [];
  private readonly ready: Array<Promise<void>> = [];
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private closed = false;

  constructor(file: Uint8Array, readonly threads = defaultThreads()) {
    this.bundle = decodeBundle(file);
    // the calling thread scores one share itself: threads - 1 workers
    for (let t = 0; t < threads - 1; t++) {
      const w = spawnWorker('predict', { workerData: { file: new Uint8Array(file) } });
      this.ready.push(new Promise<void>((resolve, reject) => {
        w.once('message', () => resolve());
        w.once('error', reject);
      }));
      w.on('message', (m: PredictReply | 'ready') => {
        if (m === 'ready') return;
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve();
        else p.reject(new Error(m.message));
      });
      w.on('error', (err) => {
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      });
      this.workers.push(w);
    }
  }

  /** Resolves once every worker has decoded the model. */
  async warm(): Promise<void> {
    await Promise.all(this.ready);
  }

  /** Class probabilities (row-major nSamples × classes) of a row-major matrix held in a SharedArrayBuffer. */
  async predictProba(X: RowMatrix & { data: Float32Array }): Promise<Float32Array> {
    const k = this.bundle.manifest.classes.length;
    const n = X.nSamples;
    if (this.closed || n < MIN_PARALLEL_ROWS || this.workers.length < 1 || !(X.data.buffer instanceof SharedArrayBuffer)) {
      const out = new Float32Array(n * k);
      predictProbaRange(treeOnly(this.bundle.model), X, 0, n, out, 0);
      return out;
    }
    await this.warm();
    if (X.data.byteOffset !== 0) throw new Error('the matrix must start at the beginning of its SharedArrayBuffer');
    const outBuf = new SharedArrayBuffer(n * k * 4);
    const out = new Float32Array(outBuf);
    // chunks dealt from a shared cursor, so a thread that gets less CPU time takes fewer of them
    const cursorBuf = new SharedArrayBuffer(4);
    const jobs: Array<Promise<void>> = [];
    for (const w of this.workers) {
      const id = this.nextId++;
      jobs.push(new Promise<void>((resolve, reject) => this.pending.set(id, { resolve, reject })));
      const req: PredictRequest = { id, X: X.data.buffer as SharedArrayBuffer, nSamples: n, nFeatures: X.nFeatures, out: outBuf, cursor: cursorBuf };
      w.postMessage(req);
    }
    // this thread takes chunks too while the workers take theirs
    scoreChunks(this.bundle.model, X, out, new Int32Array(cursorBuf));
    await Promise.all(jobs);
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export function defaultThreads(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** A row-major matrix copied into a SharedArrayBuffer (what PredictPool scores in parallel). */
export function sharedRows(X: RowMatrix): RowMatrix {
  const sab = new SharedArrayBuffer(X.data.byteLength);
  const data = new Float32Array(sab);
  data.set(X.data);
  return { data, nSamples: X.nSamples, nFeatures: X.nFeatures };
}
