/**
 * Messages between the threads of an import. Every message carries `seq` (1, 2, 3, ... per
 * sender) so a receiver can tell a lost or reordered message from a bug; errors cross as
 * {code, message}.
 *
 *   main thread --workerData--> import worker (owns its SQLite connection; writes)
 *   main thread --workerData--> parse worker (reads files, runs FlowImporter), started at the
 *     same time (a worker takes 50-200 ms to start), joined to the import worker by a MessageChannel
 *   parse worker --ParseMessage (channel)--> import worker --ImportMessage--> main thread
 *   main thread --ControlMessage--> import worker (the parse thread died)
 */
import type { MessagePort } from 'node:worker_threads';
import type { ApiError } from '../../contract/errors.js';
import type { FormatId, ImportResult, JobProgress } from '../../contract/dto.js';
import type { ColumnBatch, ColumnSpec, ImportSummary, ProfileId } from '../../../ml-core/data/types.js';

export interface ImportFileRef {
  path: string;
  name: string;
  bytes: number;
}

export interface ImportTuning {
  /** bytes read per fs.readSync (default 4 MiB) */
  chunkBytes?: number;
  /** rows per ColumnBatch (default: the importer's, 65536) */
  batchRows?: number;
  /** parse in a second thread while this one writes (default true) */
  overlap?: boolean;
  /** batches parsed but not yet written, at most (default 4) */
  maxInFlight?: number;
  /** test hook: pause this long (ms) after each chunk, so a test can cancel or kill mid-import */
  chunkDelayMs?: number;
}

export interface ImportWorkerData {
  workspacePath: string;
  files: ImportFileRef[];
  datasetName: string;
  options: { format: FormatId | 'auto'; label?: string | null };
  /** CancelFlag buffer */
  cancel: SharedArrayBuffer;
  tuning?: ImportTuning;
  /** overlapped mode: the channel from the parse worker, and its back-pressure counter */
  parsePort?: MessagePort;
  inFlight?: SharedArrayBuffer;
}

export type ControlMessage = { type: 'parser-stopped'; error: ApiError };

export interface ImportTimings {
  totalMs: number;
  lockMs: number;
  readMs: number;
  parseMs: number;
  writeMs: number;
  waitMs: number;
  commitMs: number;
  bytes: number;
  rows: number;
}

export type ImportMessage =
  | { seq: number; type: 'progress'; progress: JobProgress }
  | { seq: number; type: 'done'; result: ImportResult; timings: ImportTimings }
  | { seq: number; type: 'failed'; error: ApiError };

export interface ParseWorkerData {
  files: ImportFileRef[];
  options: { format: FormatId | 'auto'; label?: string | null };
  cancel: SharedArrayBuffer;
  /** Int32Array[1]: batches posted and not yet written (back-pressure) */
  inFlight: SharedArrayBuffer;
  tuning?: ImportTuning;
  /** where ParseMessages go (the import worker holds the other end) */
  port: MessagePort;
}

export type ParseMessage =
  | { seq: number; type: 'columns'; columns: ColumnSpec[]; profile: ProfileId }
  | { seq: number; type: 'batch'; batch: ColumnBatch }
  | { seq: number; type: 'progress'; bytes: number; rows: number }
  | { seq: number; type: 'done'; summary: ImportSummary; readMs: number; parseMs: number; waitMs: number }
  | { seq: number; type: 'failed'; error: ApiError };

/** Numbers outgoing messages. */
export function sequencer(): () => number {
  let seq = 0;
  return () => ++seq;
}

/** Checks incoming numbering; throws on a gap or reordering. */
export function sequenceChecker(from: string): (seq: number) => void {
  let last = 0;
  return (seq) => {
    if (seq !== last + 1) throw new Error(`message ${seq} from the ${from} arrived after ${last} (lost or out of order)`);
    last = seq;
  };
}
