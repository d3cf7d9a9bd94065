/**
 * The main-thread side of an import job: starts the import worker, relays its progress, and
 * turns its last message into the job's result or error.
 */
import { FlowsightError } from '../../contract/errors.js';
import type { ImportResult } from '../../contract/dto.js';
import { fromApiError } from '../errors.js';
import type { JobContext } from '../jobs/registry.js';
import { spawnWorker } from '../jobs/worker-host.js';
import { sequenceChecker, type ImportMessage, type ImportTimings, type ImportWorkerData } from '../workers/protocol.js';

/** How long a cancelled import may take to roll back before its thread is stopped. */
export const CANCEL_GRACE_MS = 15_000;

export type ImportJobInput = Omit<ImportWorkerData, 'cancel'> & {
  onTimings?: (t: ImportTimings) => void;
};

export function runImportWorker(ctx: JobContext, input: ImportJobInput): Promise<ImportResult> {
  const { onTimings, ...rest } = input;
  const workerData: ImportWorkerData = { ...rest, cancel: ctx.cancel.buffer };
  const worker = spawnWorker('import', { workerData });
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  ctx.linger(exited);
  const check = sequenceChecker('import worker');

  return new Promise<ImportResult>((resolve, reject) => {
    let settled = false;
    let cancelSeenAt = 0;
    const settle = (err: unknown, result?: ImportResult) => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      if (err) reject(err);
      else resolve(result!);
    };
    // the worker polls the shared flag; if it does not answer in time, stop the thread (its
    // connection closes, and the open transaction with it)
    const watchdog = setInterval(() => {
      if (!ctx.cancel.cancelled) return;
      if (!cancelSeenAt) cancelSeenAt = Date.now();
      else if (Date.now() - cancelSeenAt > CANCEL_GRACE_MS) {
        void worker.terminate();
        settle(new FlowsightError('CANCELLED', 'The import was cancelled; nothing was stored.'));
      }
    }, 200);
    watchdog.unref();

    worker.on('message', (msg: ImportMessage) => {
      try {
        check(msg.seq);
      } catch (err) {
        settle(new FlowsightError('INTERNAL', `Import failed: ${(err as Error).message}`));
        return;
      }
      if (msg.type === 'progress') ctx.progress(msg.progress);
      else if (msg.type === 'done') {
        onTimings?.(msg.timings);
        settle(null, msg.result);
      } else if (msg.type === 'failed') settle(fromApiError(msg.error));
    });
    worker.on('error', (err) => settle(new FlowsightError('INTERNAL', `Import failed: ${err.message}`)));
    void exited.then((code) => {
      if (!settled) {
        settle(new FlowsightError('INTERNAL', `Import failed: the import thread stopped unexpectedly (exit code ${code}).`));
      }
    });
  });
}
