/**
 * The main-thread side of an import job: starts the import worker (and, overlapped, the parse
 * worker beside it, joined by a MessageChannel), relays progress, and turns the import worker's
 * last message into the job's result or error.
 */
import { MessageChannel, type Worker } from 'node:worker_threads';
import { FlowsightError } from '../../contract/errors.js';
import type { ImportResult } from '../../contract/dto.js';
import { fromApiError } from '../errors.js';
import type { JobContext } from '../jobs/registry.js';
import { spawnWorker } from '../jobs/worker-host.js';
import {
  sequenceChecker,
  type ControlMessage,
  type ImportMessage,
  type ImportTimings,
  type ImportWorkerData,
  type ParseWorkerData,
} from '../workers/protocol.js';

/** How long a cancelled import may take to roll back before its threads are stopped. */
export const CANCEL_GRACE_MS = 15_000;

export type ImportJobInput = Omit<ImportWorkerData, 'cancel' | 'parsePort' | 'inFlight'> & {
  onTimings?: (t: ImportTimings) => void;
};

function exitOf(worker: Worker): Promise<number> {
  return new Promise<number>((resolve) => worker.once('exit', resolve));
}

export function runImportWorker(ctx: JobContext, input: ImportJobInput): Promise<ImportResult> {
  const { onTimings, ...rest } = input;
  const overlap = rest.tuning?.overlap ?? true;
  const workerData: ImportWorkerData = { ...rest, cancel: ctx.cancel.buffer };
  let parser: Worker | null = null;
  let importer: Worker;

  if (overlap) {
    const { port1, port2 } = new MessageChannel();
    const inFlight = new SharedArrayBuffer(4);
    workerData.parsePort = port1;
    workerData.inFlight = inFlight;
    const parseData: ParseWorkerData = {
      files: rest.files,
      options: rest.options,
      cancel: ctx.cancel.buffer,
      inFlight,
      port: port2,
      ...(rest.tuning ? { tuning: rest.tuning } : {}),
    };
    importer = spawnWorker('import', { workerData, transferList: [port1] });
    try {
      parser = spawnWorker('parse', { workerData: parseData, transferList: [port2] });
    } catch (err) {
      void importer.terminate();
      throw err;
    }
  } else {
    importer = spawnWorker('import', { workerData });
  }
  const importerExit = exitOf(importer);
  ctx.linger(importerExit);
  const check = sequenceChecker('import worker');

  return new Promise<ImportResult>((resolve, reject) => {
    let settled = false;
    let cancelSeenAt = 0;
    const stopParser = () => {
      if (parser) void parser.terminate();
    };
    const settle = (err: unknown, result?: ImportResult) => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      if (err) {
        stopParser();
        reject(err);
      } else resolve(result!);
    };

    if (parser) {
      const p = parser;
      let parserError: Error | null = null;
      p.on('error', (err) => (parserError = err));
      const parserExit = exitOf(p);
      ctx.linger(parserExit);
      // the parse thread crashed (not a FlowDataError: those arrive as 'failed' messages): tell the writer
      void parserExit.then((code) => {
        if (settled || (code === 0 && !parserError)) return;
        const msg: ControlMessage = {
          type: 'parser-stopped',
          error: {
            code: 'INTERNAL',
            message: `Import failed: the parse thread stopped unexpectedly (${parserError ? parserError.message : `exit code ${code}`}).`,
          },
        };
        importer.postMessage(msg);
      });
    }

    // the workers poll the shared flag; if they do not answer in time, stop the threads (the
    // connection closes, and the open transaction with it)
    const watchdog = setInterval(() => {
      if (!ctx.cancel.cancelled) return;
      if (!cancelSeenAt) cancelSeenAt = Date.now();
      else if (Date.now() - cancelSeenAt > CANCEL_GRACE_MS) {
        void importer.terminate();
        settle(new FlowsightError('CANCELLED', 'The import was cancelled; nothing was stored.'));
      }
    }, 200);
    watchdog.unref();

    importer.on('message', (msg: ImportMessage) => {
      try {
        check(msg.seq);
      } catch (err) {
        void importer.terminate();
        settle(new FlowsightError('INTERNAL', `Import failed: ${(err as Error).message}`));
        return;
      }
      if (msg.type === 'progress') ctx.progress(msg.progress);
      else if (msg.type === 'done') {
        onTimings?.(msg.timings);
        settle(null, msg.result);
      } else if (msg.type === 'failed') settle(fromApiError(msg.error));
    });
    importer.on('error', (err) => settle(new FlowsightError('INTERNAL', `Import failed: ${err.message}`)));
    void importerExit.then((code) => {
      if (!settled) {
        settle(new FlowsightError('INTERNAL', `Import failed: the import thread stopped unexpectedly (exit code ${code}).`));
      }
    });
  });
}
