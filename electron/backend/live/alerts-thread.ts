/**
 * The alert work that can take long, in a worker thread (started at the first request, kept while
 * the backend lives): explanations (TreeSHAP on a deep forest can take a few hundred ms for one
 * flow) and the chart statistics (full scans of the alerts table).
 */
import type { Worker } from 'node:worker_threads';
import type { AlertExplanation, AlertFilter, AlertStats } from '../../contract/live.js';
import { spawnWorker } from '../jobs/worker-host.js';
import type { FeatureRecord } from './explain.js';

export type AlertsRequest =
  | {
      id: number;
      kind: 'explain';
      modelId: number;
      features: FeatureRecord;
      /** the alert's class (null: the model's default) */
      className: string | null;
    }
  | { id: number; kind: 'stats'; filter: AlertFilter; buckets: number };

export type AlertsReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string; code?: string };

type Body<R> = R extends unknown ? Omit<R, 'id'> : never;

export class AlertsThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly workspacePath: string) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = spawnWorker('alerts', { workerData: { workspacePath: this.workspacePath } });
    w.unref();
    w.on('message', (r: AlertsReply) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (r.ok) p.resolve(r.value);
      else p.reject(Object.assign(new Error(r.message), r.code ? { code: r.code } : {}));
    });
    const fail = (err: Error) => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.worker = null;
    };
    w.on('error', fail);
    w.on('exit', () => fail(new Error('the alerts thread stopped')));
    this.worker = w;
    return w;
  }

  private ask<T>(body: Body<AlertsRequest>): Promise<T> {
    const w = this.start();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      w.postMessage({ ...body, id });
    });
  }

  explain(modelId: number, features: FeatureRecord, className: string | null): Promise<AlertExplanation> {
    return this.ask({ kind: 'explain', modelId, features, className });
  }

  stats(filter: AlertFilter, buckets: number): Promise<AlertStats> {
    return this.ask({ kind: 'stats', filter, buckets });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
