/**
 * The alert work that can take long, in a worker thread (started at the first request, kept while
 * the backend lives): explanations (TreeSHAP on a deep forest can take a few hundred ms for one
 * flow), the chart statistics and the queue's pages and counts (scans of the alerts table, which
 * can hold hundreds of thousands of rows). Writes (triage) stay on the main connection.
 */
import type { Worker } from 'node:worker_threads';
import type { AlertExplanation, AlertFilter, AlertStats, AlertSummary } from '../../contract/live.js';
import type { CommandArgs } from '../../contract/commands.js';

type AlertSort = CommandArgs<'alerts.list'>['sort'];
import { ERROR_CODES, FlowsightError, type ErrorCode } from '../../contract/errors.js';
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
  | { id: number; kind: 'stats'; filter: AlertFilter; buckets: number }
  | { id: number; kind: 'list'; filter: AlertFilter; offset: number; limit: number; sort: AlertSort }
  | { id: number; kind: 'count'; filter: AlertFilter };

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
      else p.reject(r.code && (ERROR_CODES as readonly string[]).includes(r.code) ? new FlowsightError(r.code as ErrorCode, r.message) : new Error(r.message));
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

  list(filter: AlertFilter, offset: number, limit: number, sort: AlertSort): Promise<{ alerts: AlertSummary[]; total: number; flows: number }> {
    return this.ask({ kind: 'list', filter, offset, limit, sort });
  }

  count(filter: AlertFilter): Promise<{ alerts: number; flows: number }> {
    return this.ask({ kind: 'count', filter });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
