/** Alert explanations computed in a worker thread (started at the first request, kept while the backend lives). */
import type { Worker } from 'node:worker_threads';
import type { AlertExplanation } from '../../contract/live.js';
import { spawnWorker } from '../jobs/worker-host.js';
import type { FeatureRecord } from './explain.js';

export interface ExplainRequest {
  id: number;
  modelId: number;
  features: FeatureRecord;
  /** the alert's class (null: the model's default) */
  className: string | null;
}

export type ExplainReply = { id: number; ok: true; explanation: AlertExplanation } | { id: number; ok: false; message: string };

export class ExplainService {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (e: AlertExplanation) => void; reject: (e: Error) => void }>();

  constructor(private readonly workspacePath: string) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = spawnWorker('explain', { workerData: { workspacePath: this.workspacePath } });
    w.unref();
    w.on('message', (r: ExplainReply) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (r.ok) p.resolve(r.explanation);
      else p.reject(new Error(r.message));
    });
    const fail = (err: Error) => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.worker = null;
    };
    w.on('error', fail);
    w.on('exit', () => fail(new Error('the explanation thread stopped')));
    this.worker = w;
    return w;
  }

  explain(modelId: number, features: FeatureRecord, className: string | null): Promise<AlertExplanation> {
    const w = this.start();
    const id = this.nextId++;
    return new Promise<AlertExplanation>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ id, modelId, features, className } satisfies ExplainRequest);
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
