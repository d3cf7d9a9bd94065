/**
 * Import worker: owns its own SQLite connection and the import's one IMMEDIATE transaction.
 * With `parsePort`, a second thread (parse.worker, started by the main thread) reads and parses
 * while this one writes the batches as chunk BLOBs; without it, this thread parses too.
 * Error or cancel: ROLLBACK.
 * After COMMIT it reports `done`, then checkpoints the WAL before exiting.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { JobProgress } from '../../contract/dto.js';
import type { ColumnBatch, ColumnSpec, ImportSummary } from '../../../ml-core/data/types.js';
import { openWorkerConnection, type Db } from '../db/connection.js';
import { serializeError } from '../errors.js';
import { ImportWriter } from '../import/import-writer.js';
import { cancelledError } from '../import/import-errors.js';
import { parseFiles } from '../import/parse-files.js';
import { CancelFlag } from '../jobs/cancel.js';
import {
  sequenceChecker,
  sequencer,
  type ImportMessage,
  type ImportTimings,
  type ControlMessage,
  type ImportWorkerData,
  type ParseMessage,
} from './protocol.js';
import { fromApiError } from '../errors.js';

type Outgoing = ImportMessage extends infer M ? (M extends { seq: number } ? Omit<M, 'seq'> : never) : never;

const data = workerData as ImportWorkerData;
const port = parentPort!;
const cancel = new CancelFlag(data.cancel);
const next = sequencer();
const totalBytes = data.files.reduce((s, f) => s + f.bytes, 0);
const started = process.hrtime.bigint();
const since = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

function post(msg: Outgoing): void {
  port.postMessage({ ...msg, seq: next() });
}

function progress(phase: string, bytes: number, rows: number): void {
  const p: JobProgress = { phase, current: bytes, total: totalBytes, bytes, totalBytes, rows };
  post({ type: 'progress', progress: p });
}

interface Parsed {
  summary: ImportSummary;
  readMs: number;
  parseMs: number;
  waitMs: number;
}

/** Parse in this thread, writing each batch as it comes. */
async function parseInline(writer: ImportWriter): Promise<Parsed> {
  const out = await parseFiles(
    data.files,
    data.options,
    cancel,
    {
      columns: (columns: ColumnSpec[]) => writer.setColumns(columns),
      batches: (batches: ColumnBatch[]) => batches.forEach((b) => writer.write(b)),
      progress: (bytes, rows) => progress('reading', bytes, rows),
    },
    data.tuning,
  );
  return { ...out, waitMs: 0 };
}

/** Batches come from the parse worker (started by the main thread) over `parsePort`; write them as they arrive. */
function parseOverlapped(writer: ImportWriter, parsePort: MessagePort, inFlightBuf: SharedArrayBuffer): Promise<Parsed> {
  const inFlight = new Int32Array(inFlightBuf);
  return new Promise<Parsed>((resolve, reject) => {
    let settled = false;
    const check = sequenceChecker('parse worker');
    const onControl = (msg: ControlMessage) => {
      if (msg.type === 'parser-stopped') finish(fromApiError(msg.error));
    };
    const finish = (err: unknown, value?: Parsed) => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      parsePort.removeAllListeners('message');
      parsePort.close();
      port.off('message', onControl);
      if (err) reject(err);
      else resolve(value!);
    };
    // a cancel must stop writing even while the parser is busy: poll the flag
    const watch = setInterval(() => {
      if (cancel.cancelled) finish(cancelledError());
    }, 50);
    port.on('message', onControl);
    parsePort.on('message', (msg: ParseMessage) => {
      if (settled) return;
      try {
        check(msg.seq);
        switch (msg.type) {
          case 'columns':
            writer.setColumns(msg.columns);
            break;
          case 'batch':
            writer.write(msg.batch);
            Atomics.sub(inFlight, 0, 1);
            Atomics.notify(inFlight, 0);
            if (cancel.cancelled) throw cancelledError();
            break;
          case 'progress':
            progress('reading', msg.bytes, msg.rows);
            break;
          case 'done':
            finish(null, { summary: msg.summary, readMs: msg.readMs, parseMs: msg.parseMs, waitMs: msg.waitMs });
            break;
          case 'failed':
            finish(fromApiError(msg.error));
            break;
        }
      } catch (err) {
        finish(err);
      }
    });
  });
}

async function main(): Promise<void> {
  let db: Db | null = null;
  let writer: ImportWriter | null = null;
  let committed = false;
  try {
    db = openWorkerConnection(data.workspacePath);
    // checkpoint after reporting done, not inside COMMIT
    db.pragma('wal_autocheckpoint = 0');
    writer = new ImportWriter(db, cancel);
    const tLock = process.hrtime.bigint();
    writer.begin(data.datasetName, () => progress('waiting', 0, 0));
    const lockMs = since(tLock);
    progress('reading', 0, 0);
    const parsed =
      data.parsePort && data.inFlight ? await parseOverlapped(writer, data.parsePort, data.inFlight) : await parseInline(writer);
    if (cancel.cancelled) throw cancelledError();
    progress('finishing', totalBytes, parsed.summary.rows);
    const tCommit = process.hrtime.bigint();
    const result = writer.commit(parsed.summary, data.files, data.options);
    committed = true;
    const commitMs = since(tCommit);
    const timings: ImportTimings = {
      totalMs: since(started),
      lockMs,
      readMs: parsed.readMs,
      parseMs: parsed.parseMs,
      writeMs: writer.writeMs,
      waitMs: parsed.waitMs,
      commitMs,
      bytes: totalBytes,
      rows: result.rows,
    };
    post({ type: 'done', result, timings });
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      /* the next writer's checkpoint will do it */
    }
  } catch (err) {
    if (committed) return; // stored and reported: nothing to undo
    try {
      writer?.rollback();
    } catch {
      /* the connection closes below; an open transaction dies with it */
    }
    const e = cancel.cancelled ? cancelledError() : err;
    post({ type: 'failed', error: serializeError(e, 'Import failed') });
  } finally {
    try {
      db?.close();
    } catch {
      /* nothing left to do */
    }
  }
}

void main();
