/**
 * Import worker: owns its own SQLite connection and the import's one IMMEDIATE transaction.
 * With `parsePort`, a second thread (parse.worker, started by the main thread) reads and parses
 * while this one writes the batches as chunk BLOBs; without it, this thread parses too.
 * With `partPorts`, N parse threads each parse a byte range of one file: this thread remaps their
 * part-local dictionary codes to global ones, writes (part 0 in place, the others provisionally,
 * put in order at the end) and merges their ImportParts. If a range did not end at a record
 * boundary, or a range after the first failed, the attempt is discarded (its chunks deleted inside
 * the transaction) and the file parsed again here, in one pass.
 * Error or cancel: ROLLBACK.
 * After COMMIT it reports `done`, then checkpoints the WAL before exiting.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { JobProgress } from '../../contract/dto.js';
import { mergeImportParts, type ImportPart } from '../../../ml-core/data/import-part.js';
import type { ColumnBatch, ColumnSpec, ImportSummary } from '../../../ml-core/data/types.js';
import { openWorkerConnection, type Db } from '../db/connection.js';
import { serializeError } from '../errors.js';
import { ImportWriter } from '../import/import-writer.js';
import { cancelledError, mapParseError } from '../import/import-errors.js';
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
  parts?: number;
  fallback?: string;
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

/**
 * Part-local dictionary codes -> global codes: global values per dictionary column (first come,
 * first coded), and one local -> global table per part and column.
 */
class CodeRemapper {
  /** per column: global values and their index (null: not a dictionary column) */
  readonly values: Array<string[] | null>;
  private readonly index: Array<Map<string, number> | null>;
  /** [part][column]: local code -> global code, how many local codes are known, and whether the table is the identity */
  private readonly tables: Array<Array<Int32Array | null>>;
  private readonly sizes: number[][];
  private readonly identity: boolean[][];

  constructor(columns: ColumnSpec[], parts: number) {
    this.values = columns.map((c) => (c.storage === 'dict' ? [] : null));
    this.index = columns.map((c) => (c.storage === 'dict' ? new Map<string, number>() : null));
    this.tables = Array.from({ length: parts }, () => columns.map((c) => (c.storage === 'dict' ? new Int32Array(1024) : null)));
    this.sizes = Array.from({ length: parts }, () => columns.map(() => 0));
    this.identity = Array.from({ length: parts }, () => columns.map(() => true));
  }

  /** [part][column]: part code -> global code, for mergeImportParts */
  codeMaps(): Array<Array<Int32Array | null>> {
    return this.tables.map((tables, part) => tables.map((t, c) => (t ? t.subarray(0, this.sizes[part]![c]!) : null)));
  }

  /** Learns part `part`'s new values, then rewrites the batch's codes in place. */
  remap(part: number, batch: ColumnBatch, adds: Array<string[] | null>): void {
    const tables = this.tables[part]!;
    const sizes = this.sizes[part]!;
    const identity = this.identity[part]!;
    for (let c = 0; c < tables.length; c++) {
      let table = tables[c];
      if (!table) continue;
      const added = adds[c];
      if (added && added.length) {
        const values = this.values[c]!;
        const index = this.index[c]!;
        let size = sizes[c]!;
        if (size + added.length > table.length) {
          const bigger = new Int32Array(Math.max(table.length * 2, size + added.length));
          bigger.set(table.subarray(0, size));
          tables[c] = table = bigger;
        }
        let same = identity[c]!;
        for (const v of added) {
          let g = index.get(v);
          if (g === undefined) {
            g = values.length;
            values.push(v);
            index.set(v, g);
          }
          if (g !== size) same = false;
          table[size++] = g;
        }
        sizes[c] = size;
        identity[c] = same;
      }
      // the part's codes are the global ones (the values it sent first were new, in its order):
      // nothing to rewrite (a part sends every value with or before the first batch using it)
      if (identity[c]) continue;
      const codes = batch.columns[c] as Int32Array;
      const size = sizes[c]!;
      for (let i = 0; i < codes.length; i++) {
        const code = codes[i]!;
        if (code < 0) continue;
        if (code >= size) throw new Error(`part ${part}: dictionary code ${code} of column ${c} arrived before its value`);
        codes[i] = table[code]!;
      }
    }
  }
}

/** The parallel attempt was abandoned; `reason` says why (for the timings). */
class Fallback {
  constructor(readonly reason: string) {}
}

/**
 * Parallel ranges: batches and parts come from N parse workers over `ports` (part order); write
 * them as they arrive; resolve with the merged summary, or with a Fallback.
 */
function parseParallel(writer: ImportWriter, ports: MessagePort[], inFlightBuf: SharedArrayBuffer): Promise<Parsed | Fallback> {
  const n = ports.length;
  const inFlight = new Int32Array(inFlightBuf);
  return new Promise<Parsed | Fallback>((resolve, reject) => {
    let settled = false;
    let remapper: CodeRemapper | null = null;
    const checks = ports.map((_, k) => sequenceChecker(`parse worker ${k}`));
    const rangeStart = new Array<number>(n).fill(0);
    const rowBase = new Array<number>(n).fill(-1);
    const progressOf = ports.map(() => ({ bytes: 0, rows: 0 }));
    const parts = new Array<ImportPart | null>(n).fill(null);
    let partsDone = 0;
    let readMs = 0;
    let parseMs = 0;
    let waitMs = 0;
    const onControl = (msg: ControlMessage) => {
      if (msg.type === 'parser-stopped') finish(fromApiError(msg.error));
    };
    const finish = (err: unknown, value?: Parsed | Fallback) => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      // stop the parse workers (a fallback, an error) and wake those waiting for room
      Atomics.store(inFlight, n, 1);
      for (let k = 0; k <= n; k++) Atomics.notify(inFlight, k);
      for (const p of ports) {
        p.removeAllListeners('message');
        p.close();
      }
      port.off('message', onControl);
      if (err) reject(err);
      else resolve(value!);
    };
    const watch = setInterval(() => {
      if (cancel.cancelled) finish(cancelledError());
    }, 50);
    port.on('message', onControl);
    const allDone = () => {
      const got = parts as ImportPart[];
      const r = remapper as CodeRemapper | null;
      writer.reorderParts();
      let summary: ImportSummary;
      try {
        summary = mergeImportParts(got, r ? { dictionaries: r.values, codeMaps: r.codeMaps() } : {});
      } catch (err) {
        throw mapParseError(err);
      }
      finish(null, { summary, readMs, parseMs, waitMs, parts: n });
    };
    ports.forEach((p, k) => {
      p.on('message', (msg: ParseMessage) => {
        if (settled) return;
        try {
          checks[k]!(msg.seq);
          switch (msg.type) {
            case 'columns':
              if (!remapper) {
                writer.setColumns(msg.columns);
                remapper = new CodeRemapper(msg.columns, n);
              }
              break;
            case 'range':
              rangeStart[k] = msg.start;
              break;
            case 'part-batch': {
              if (!remapper) throw new Error(`part ${k} sent a batch before its columns`);
              remapper.remap(k, msg.batch, msg.dictAdds);
              if (rowBase[k]! < 0) {
                // estimated rows before this part (sizes its provisional row_start; see ImportWriter)
                const rowsSoFar = msg.batch.rowStart + msg.batch.nRows;
                rowBase[k] = k === 0 ? 0 : Math.round((rangeStart[k]! * rowsSoFar) / Math.max(1, msg.bytes));
              }
              writer.writePart(k, msg.batch, rowBase[k]!);
              Atomics.sub(inFlight, k, 1);
              Atomics.notify(inFlight, k);
              if (cancel.cancelled) throw cancelledError();
              break;
            }
            case 'progress': {
              progressOf[k] = { bytes: msg.bytes, rows: msg.rows };
              let bytes = 0;
              let rows = 0;
              for (const q of progressOf) {
                bytes += q.bytes;
                rows += q.rows;
              }
              progress('reading', bytes, rows);
              break;
            }
            case 'batch':
              // the file could not be read in ranges: part 0 reads all of it the one-pass way
              if (k !== 0) throw new Error(`parse worker ${k} sent a one-pass batch`);
              writer.write(msg.batch);
              Atomics.sub(inFlight, 0, 1);
              Atomics.notify(inFlight, 0);
              if (cancel.cancelled) throw cancelledError();
              break;
            case 'done':
              if (k !== 0) throw new Error(`parse worker ${k} sent a one-pass result`);
              finish(null, { summary: msg.summary, readMs: msg.readMs, parseMs: msg.parseMs, waitMs: msg.waitMs });
              break;
            case 'part-done':
              if (!msg.atBoundary || !msg.part) {
                finish(null, new Fallback(`range ${k} of ${n} did not end at a record boundary`));
                return;
              }
              parts[k] = msg.part;
              readMs += msg.readMs;
              parseMs += msg.parseMs;
              waitMs += msg.waitMs;
              if (++partsDone === n) allDone();
              break;
            case 'failed':
              // the first range reads the file from its start as one pass would: its errors are the file's;
              // a later range may have started inside a quoted field: parse again in one pass to know
              if (k === 0) finish(fromApiError(msg.error));
              else finish(null, new Fallback(`range ${k} of ${n} failed: ${msg.error.message}`));
              break;
          }
        } catch (err) {
          finish(err);
        }
      });
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
    let parsed: Parsed;
    if (data.partPorts && data.partsInFlight) {
      const outcome = await parseParallel(writer, data.partPorts, data.partsInFlight);
      if (outcome instanceof Fallback) {
        if (cancel.cancelled) throw cancelledError();
        writer.discardChunks();
        progress('reading', 0, 0);
        parsed = { ...(await parseInline(writer)), parts: 1, fallback: outcome.reason };
      } else {
        parsed = outcome;
      }
    } else {
      parsed = data.parsePort && data.inFlight ? await parseOverlapped(writer, data.parsePort, data.inFlight) : await parseInline(writer);
    }
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
      ...(parsed.parts ? { parts: parsed.parts, reorderMs: writer.reorderMs } : {}),
      ...(parsed.fallback ? { fallback: parsed.fallback } : {}),
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
