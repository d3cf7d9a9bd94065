/**
 * The main-thread side of an import job: starts the import worker (and, overlapped, the parse
 * worker beside it, joined by a MessageChannel), relays progress, and turns the import worker's
 * last message into the job's result or error.
 *
 * One large delimited file (CSV/TSV, not JSON lines, not IoT-23's three-space layout) on a machine
 * with two or more cores is parsed as N byte ranges by N parse workers (see protocol.ts): its
 * layout is detected here, once, from its head (a few tens of ms, while the workers start), and
 * posted to them.
 */
import fs from 'node:fs';
import os from 'node:os';
import { MessageChannel, type Worker } from 'node:worker_threads';
import { detectLayout } from '../../../ml-core/data/detect.js';
import type { ImportOptions, LayoutPlan } from '../../../ml-core/data/types.js';
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
  type ImportFileRef,
  type ImportWorkerData,
  type ParseWorkerData,
  type PlanMessage,
} from '../workers/protocol.js';
import { HEAD_BYTES } from './parse-files.js';

/** How long a cancelled import may take to roll back before its threads are stopped. */
export const CANCEL_GRACE_MS = 15_000;

/** Parallel ranges: parts for one large file by default, at most (and at most the available parallelism). */
export const DEFAULT_PARALLEL_PARTS = 4;
/** Parallel ranges: smallest file. */
export const DEFAULT_PARALLEL_MIN_BYTES = 32 * 1024 * 1024;

export type ImportJobInput = Omit<ImportWorkerData, 'cancel' | 'parsePort' | 'inFlight' | 'partPorts' | 'partsInFlight'> & {
  onTimings?: (t: ImportTimings) => void;
};

function exitOf(worker: Worker): Promise<number> {
  return new Promise<number>((resolve) => worker.once('exit', resolve));
}

/**
 * How many parallel ranges to parse one file in (0: the one-pass way): one file of at least
 * parallelMinBytes, overlapped, and parallelParts (default: DEFAULT_PARALLEL_PARTS capped by the
 * available parallelism) >= 2. Whether its layout allows it is known only from its head (see
 * splittablePlan), which the main thread reads while the threads start.
 */
export function parallelParts(input: Pick<ImportWorkerData, 'files' | 'tuning'>): number {
  const tuning = input.tuning ?? {};
  if (tuning.overlap === false || input.files.length !== 1) return 0;
  const parts = Math.min(16, tuning.parallelParts ?? Math.min(DEFAULT_PARALLEL_PARTS, os.availableParallelism()));
  if (!(parts >= 2) || input.files[0]!.bytes < (tuning.parallelMinBytes ?? DEFAULT_PARALLEL_MIN_BYTES)) return 0;
  return parts;
}

/**
 * The file's layout when it can be read in ranges (delimited, not IoT-23's three-space layout);
 * null otherwise, or when its head cannot be read or detected (the one-pass parse reports why).
 */
export function splittablePlan(file: ImportFileRef, options: ImportWorkerData['options']): LayoutPlan | null {
  let head: Uint8Array;
  try {
    const fd = fs.openSync(file.path, 'r');
    try {
      const buf = Buffer.allocUnsafe(Math.min(HEAD_BYTES, file.bytes));
      head = buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
  const opts: ImportOptions = { format: options.format, ...(options.label !== undefined ? { label: options.label } : {}) };
  try {
    const plan = detectLayout(file.name, head, opts, file.bytes);
    return plan.reader === 'delimited' && !plan.tripleSpaceDelimiter ? plan : null;
  } catch {
    return null;
  }
}

export function runImportWorker(ctx: JobContext, input: ImportJobInput): Promise<ImportResult> {
  const { onTimings, ...rest } = input;
  const overlap = rest.tuning?.overlap ?? true;
  const workerData: ImportWorkerData = { ...rest, cancel: ctx.cancel.buffer };
  const parsers: Worker[] = [];
  let importer: Worker;
  const n = parallelParts(rest);

  if (n >= 2) {
    const inFlight = new SharedArrayBuffer(4 * (n + 1));
    const channels = Array.from({ length: n }, () => new MessageChannel());
    workerData.partPorts = channels.map((c) => c.port1);
    workerData.partsInFlight = inFlight;
    // parse workers first: the writer has nothing to do before their first batches (and its
    // start, loading SQLite, would compete with theirs)
    try {
      channels.forEach((c, index) => {
        const parseData: ParseWorkerData = {
          files: rest.files,
          options: rest.options,
          cancel: ctx.cancel.buffer,
          inFlight,
          port: c.port2,
          part: { index, count: n },
          ...(rest.tuning ? { tuning: rest.tuning } : {}),
        };
        parsers.push(spawnWorker('parse', { workerData: parseData, transferList: [c.port2] }));
      });
    } catch (err) {
      for (const p of parsers) void p.terminate();
      throw err;
    }
    // while the threads start: the layout, from the file's head; null -> parse worker 0 reads the
    // whole file the one-pass way and the others leave
    const plan: PlanMessage = { type: 'plan', plan: splittablePlan(rest.files[0]!, rest.options) };
    for (const p of parsers) p.postMessage(plan);
    try {
      importer = spawnWorker('import', { workerData, transferList: channels.map((c) => c.port1) });
    } catch (err) {
      for (const p of parsers) void p.terminate();
      throw err;
    }
  } else if (overlap) {
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
      parsers.push(spawnWorker('parse', { workerData: parseData, transferList: [port2] }));
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
      for (const p of parsers) void p.terminate();
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

    for (const p of parsers) {
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
