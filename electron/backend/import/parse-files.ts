/**
 * Reading flow files in chunks and feeding FlowImporter: the parse half of an import, free of
 * threads and databases (the import worker wires it to a sink that writes, directly or through
 * a second thread).
 */
import fs from 'node:fs';
import { FlowsightError } from '../../contract/errors.js';
import { FlowImporter } from '../../../ml-core/data/index.js';
import { cancelledError, mapParseError } from './import-errors.js';
import type { ImportPart } from '../../../ml-core/data/import-part.js';
import type { ColumnBatch, ColumnSpec, ImportSummary, ProfileId } from '../../../ml-core/data/types.js';
import type { CancelFlag } from '../jobs/cancel.js';
import type { ImportFileRef, ImportTuning, PartAssignment } from '../workers/protocol.js';

export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;
export const HEAD_BYTES = 256 * 1024;
const PROGRESS_EVERY_MS = 100;

export interface ParseSink {
  /** once, after the first file's layout is known */
  columns(columns: ColumnSpec[], profile: ProfileId): void;
  /** parsed rows, in order; may block (back-pressure) */
  batches(batches: ColumnBatch[]): void;
  /** bytes read and rows parsed so far (throttled) */
  progress(bytes: number, rows: number): void;
}

export interface ParseOutcome {
  summary: ImportSummary;
  readMs: number;
  parseMs: number;
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Parse `files` in order. The next chunk is read (on libuv's thread pool) while this thread parses
 * the current one; `readMs` is the time spent waiting for reads.
 */
export async function parseFiles(
  files: ImportFileRef[],
  options: { format?: string; label?: string | null },
  cancel: CancelFlag,
  sink: ParseSink,
  tuning: ImportTuning = {},
): Promise<ParseOutcome> {
  const chunkBytes = Math.max(64 * 1024, tuning.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  let readMs = 0;
  let parseMs = 0;
  const importer = new FlowImporter({
    format: (options.format ?? 'auto') as never,
    ...(options.label !== undefined ? { label: options.label } : {}),
    ...(tuning.batchRows ? { batchRows: tuning.batchRows } : {}),
  });
  let announced = false;
  let bytesBefore = 0;
  let lastProgress = 0;

  const drain = () => {
    const batches = importer.takeBatches();
    if (batches.length) sink.batches(batches);
  };
  const readAt = (fd: number, position: number, name: string): Promise<Uint8Array> =>
    new Promise((resolve, reject) => {
      const buf = Buffer.allocUnsafe(chunkBytes);
      fs.read(fd, buf, 0, chunkBytes, position, (err, n) => {
        if (err) reject(new FlowsightError('IMPORT_REJECTED', `Reading ${name} failed: ${err.message}`));
        else resolve(buf.subarray(0, n));
      });
    });
  const wait = async (p: Promise<Uint8Array>): Promise<Uint8Array> => {
    const t0 = process.hrtime.bigint();
    const chunk = await p;
    readMs += ms(t0);
    return chunk;
  };

  try {
    for (const file of files) {
      if (cancel.cancelled) throw cancelledError();
      const fd = openFlowFile(file.path);
      let next: Promise<Uint8Array> | null = null;
      try {
        const bytes = fs.fstatSync(fd).size;
        let position = 0;
        let chunk = await wait(readAt(fd, position, file.name));
        position += chunk.length;
        let t0 = process.hrtime.bigint();
        const { profile } = importer.beginFile(file.name, bytes, chunk.subarray(0, Math.min(chunk.length, HEAD_BYTES)));
        parseMs += ms(t0);
        if (!announced) {
          sink.columns(importer.columns.map((c) => ({ ...c })), profile);
          announced = true;
        }
        while (chunk.length > 0) {
          next = readAt(fd, position, file.name); // read ahead while parsing this chunk
          t0 = process.hrtime.bigint();
          importer.push(chunk);
          parseMs += ms(t0);
          drain();
          if (cancel.cancelled) throw cancelledError();
          const now = Date.now();
          if (now - lastProgress >= PROGRESS_EVERY_MS) {
            lastProgress = now;
            sink.progress(bytesBefore + position, importer.progress.rows);
          }
          if (tuning.chunkDelayMs) {
            sleep(tuning.chunkDelayMs);
            if (cancel.cancelled) throw cancelledError();
          }
          chunk = await wait(next);
          next = null;
          position += chunk.length;
        }
        t0 = process.hrtime.bigint();
        importer.endFile();
        parseMs += ms(t0);
        drain();
        bytesBefore += position;
      } finally {
        // never close the descriptor under a read in flight
        if (next) await next.catch(() => undefined);
        fs.closeSync(fd);
      }
    }
    const t0 = process.hrtime.bigint();
    const summary = importer.finish();
    parseMs += ms(t0);
    drain();
    sink.progress(bytesBefore, summary.rows);
    return { summary, readMs, parseMs };
  } catch (err) {
    throw mapParseError(err);
  }
}

// ---------------------------------------------------------------------------------------------
// parallel ranges
// ---------------------------------------------------------------------------------------------

/** Where part `index` of `count` starts in a file of `size` bytes: just past the first LF at or after size * index / count (size if none). */
export function rangeBoundary(fd: number, size: number, index: number, count: number): number {
  if (index <= 0) return 0;
  if (index >= count) return size;
  let pos = Math.floor((size * index) / count);
  const buf = Buffer.allocUnsafe(64 * 1024);
  while (pos < size) {
    const n = fs.readSync(fd, buf, 0, buf.length, pos);
    if (n <= 0) break;
    const nl = buf.subarray(0, n).indexOf(10);
    if (nl >= 0) return pos + nl + 1;
    pos += n;
  }
  return size;
}

export interface RangeSink {
  columns(columns: ColumnSpec[], profile: ProfileId): void;
  /** this part's bytes [start, end) of the file */
  range(start: number, end: number): void;
  /** parsed rows (part-local codes), with the dictionary values added since the last call (per column, null: none); may block */
  batches(batches: ColumnBatch[], dictAdds: Array<string[] | null>, bytes: number): void;
  /** bytes of the range read and rows parsed so far (throttled) */
  progress(bytes: number, rows: number): void;
}

export interface RangeOutcome {
  /** null when the range did not end at a record boundary (its last record is not finished) */
  part: ImportPart | null;
  /** the range ended at a record boundary (always true for the last range) */
  atBoundary: boolean;
  readMs: number;
  parseMs: number;
}

/**
 * Parse part `assignment.index` of `assignment.count` of one delimited file: its own FlowImporter
 * over its byte range (the layout given, not detected again). `stopped()` is polled between
 * chunks: true -> return null at once (the import gave the parallel attempt up).
 */
export async function parseRange(
  file: ImportFileRef,
  options: { format?: string; label?: string | null },
  assignment: PartAssignment,
  cancel: CancelFlag,
  stopped: () => boolean,
  sink: RangeSink,
  tuning: ImportTuning = {},
): Promise<RangeOutcome | null> {
  const chunkBytes = Math.max(64 * 1024, tuning.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  let readMs = 0;
  let parseMs = 0;
  const importer = new FlowImporter({
    format: (options.format ?? 'auto') as never,
    ...(options.label !== undefined ? { label: options.label } : {}),
    ...(tuning.batchRows ? { batchRows: tuning.batchRows } : {}),
  });
  const fd = openFlowFile(file.path);
  let next: Promise<Uint8Array> | null = null;
  try {
    const size = fs.fstatSync(fd).size;
    const start = rangeBoundary(fd, size, assignment.index, assignment.count);
    const end = Math.max(start, rangeBoundary(fd, size, assignment.index + 1, assignment.count));
    sink.range(start, end);
    let t0 = process.hrtime.bigint();
    const { profile } = importer.beginFile(file.name, size, new Uint8Array(0), { rangeStart: start, plan: assignment.plan });
    parseMs += ms(t0);
    sink.columns(importer.columns.map((c) => ({ ...c })), profile);
    const dictColumns = importer.columns.flatMap((c, i) => (c.storage === 'dict' ? [i] : []));
    const sent = new Array<number>(importer.columns.length).fill(0);
    let position = start;
    const drain = () => {
      const batches = importer.takeBatches();
      if (!batches.length) return;
      const adds: Array<string[] | null> = new Array(importer.columns.length).fill(null);
      for (const c of dictColumns) {
        const values = importer.dictionaryValues(c);
        if (values.length > sent[c]!) {
          adds[c] = values.slice(sent[c]);
          sent[c] = values.length;
        }
      }
      sink.batches(batches, adds, position - start);
    };
    // two buffers, alternating: the next chunk is read into one while the other is parsed (push()
    // keeps no reference to a chunk), so no fresh 4 MiB per chunk to fault in and collect
    const buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)];
    let which = 0;
    const readAt = (pos: number): Promise<Uint8Array> =>
      new Promise((resolve, reject) => {
        const want = Math.min(chunkBytes, end - pos);
        if (want <= 0) {
          resolve(new Uint8Array(0));
          return;
        }
        const buf = buffers[which]!;
        which ^= 1;
        fs.read(fd, buf, 0, want, pos, (err, n) => {
          if (err) reject(new FlowsightError('IMPORT_REJECTED', `Reading ${file.name} failed: ${err.message}`));
          else resolve(buf.subarray(0, n));
        });
      });
    const wait = async (p: Promise<Uint8Array>): Promise<Uint8Array> => {
      const t = process.hrtime.bigint();
      const chunk = await p;
      readMs += ms(t);
      return chunk;
    };
    let lastProgress = 0;
    let chunk = await wait(readAt(position));
    while (chunk.length > 0) {
      position += chunk.length;
      next = readAt(position); // read ahead while parsing this chunk
      t0 = process.hrtime.bigint();
      importer.push(chunk);
      parseMs += ms(t0);
      drain();
      if (cancel.cancelled) throw cancelledError();
      if (stopped()) return null;
      const now = Date.now();
      if (now - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = now;
        sink.progress(position - start, importer.progress.rows);
      }
      if (tuning.chunkDelayMs) {
        sleep(tuning.chunkDelayMs);
        if (cancel.cancelled) throw cancelledError();
        if (stopped()) return null;
      }
      chunk = await wait(next);
      next = null;
    }
    const atBoundary = assignment.index === assignment.count - 1 || importer.atRecordBoundary();
    // a range cut inside a quoted field: its unfinished record would read as an error here
    if (!atBoundary) return { part: null, atBoundary, readMs, parseMs };
    t0 = process.hrtime.bigint();
    importer.endFile();
    const part = importer.finishPart();
    parseMs += ms(t0);
    drain();
    sink.progress(position - start, part.rows);
    return { part, atBoundary, readMs, parseMs };
  } catch (err) {
    throw mapParseError(err);
  } finally {
    if (next) await next.catch(() => undefined);
    fs.closeSync(fd);
  }
}

/** Open a file chosen for import; a file gone or unreadable since it was chosen is said plainly. */
function openFlowFile(filePath: string): number {
  try {
    return fs.openSync(filePath, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FlowsightError('NOT_FOUND', `${filePath} no longer exists.`);
    throw new FlowsightError('IMPORT_REJECTED', `Cannot open ${filePath}: ${(err as Error).message}`);
  }
}
