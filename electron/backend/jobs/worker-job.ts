/**
 * A job whose work happens in one worker thread that answers with numbered messages:
 * `progress` (any number), then exactly one of `done` (with the result) or `failed` ({code, message}).
 * Cancelling sets the job's shared flag, which the worker polls; a worker that does not stop
 * within the grace period is terminated.
 */
import type { Worker, WorkerOptions } from 'node:worker_threads';
import type { JobProgress } from '../../contract/dto.js';
import { FlowsightError, type ApiError } from '../../contract/errors.js';
import { fromApiError } from '../errors.js';
import type { JobContext } from './registry.js';
import { spawnWorker, type WorkerName } from './worker-host.js';

export type WorkerJobMessage<R> =
  | { seq: number; type: 'progress'; progress: JobProgress }
  | { seq: number; type: 'done'; result: R }
  | { seq: number; type: 'failed'; error: ApiError };

export const WORKER_CANCEL_GRACE_MS = 10_000;

/** Post helper for the worker side: numbers each message. */
export function messenger<R>(post: (m: WorkerJobMessage<R>) => void) {
  let seq = 0;
  return {
    progress: (progress: JobProgress) => post({ seq: ++seq, type: 'progress', progress }),
    done: (result: R) => post({ seq: ++seq, type: 'done', result }),
    failed: (error: ApiError) => post({ seq: ++seq, type: 'failed', error }),
  };
}

export function runWorkerJob<R>(
  name: WorkerName,
  options: WorkerOptions,
  ctx: JobContext,
  what: string,
  cancelledMessage: string,
): Promise<R> {
  let worker: Worker;
  try {
    worker = spawnWorker(name, options);
  } catch (err) {
    return Promise.reject(new FlowsightError('INTERNAL', `${what} could not start a worker thread: ${(err as Error).message}`));
  }
  const exit = new Promise<number>((resolve) => worker.once('exit', resolve));
  ctx.linger(exit);
  return new Promise<R>((resolve, reject) => {
    let settled = false;
    let expected = 1;
    let cancelSeenAt = 0;
    const settle = (err: unknown, result?: R) => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      if (err) reject(err);
      else resolve(result as R);
    };
    const watchdog = setInterval(() => {
      if (!ctx.cancel.cancelled) return;
      if (!cancelSeenAt) cancelSeenAt = Date.now();
      else if (Date.now() - cancelSeenAt > WORKER_CANCEL_GRACE_MS) {
        void worker.terminate();
        settle(new FlowsightError('CANCELLED', cancelledMessage));
      }
    }, 200);
    watchdog.unref();
    worker.on('message', (m: WorkerJobMessage<R>) => {
      if (m.seq !== expected++) {
        void worker.terminate();
        settle(new FlowsightError('INTERNAL', `${what} failed: message ${m.seq} from the worker arrived out of order.`));
        return;
      }
      if (m.type === 'progress') ctx.progress(m.progress);
      else if (m.type === 'done') settle(null, m.result);
      else settle(fromApiError(m.error));
    });
    worker.on('error', (err) => settle(new FlowsightError('INTERNAL', `${what} failed: ${err.message}`)));
    void exit.then((code) => {
      if (!settled) settle(new FlowsightError('INTERNAL', `${what} failed: the worker thread stopped unexpectedly (exit code ${code}).`));
    });
  });
}
