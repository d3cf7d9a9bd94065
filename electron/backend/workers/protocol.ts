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
 *
 * Parallel range parsing (one large delimited file): the main thread starts N parse workers, detects
 * the layout from the file's head while they start and posts it to them (PlanMessage), then starts
 * the import worker, joined to each parse worker by its own MessageChannel. Parse worker k reads
 * bytes [start_k, start_k+1) of the file, start_k just past the first LF at or after size * k / N,
 * with its own FlowImporter (part-local dictionary codes); each batch carries the dictionary values
 * its importer added since its previous batch, and the import worker remaps the codes to global
 * ones before writing. At the end each sends its ImportPart and whether its range ended at a record
 * boundary; the import worker merges the parts (mergeImportParts).
 */
import type { MessagePort } from 'node:worker_threads';
import type { ApiError } from '../../contract/errors.js';
import type { FormatId, ImportResult, JobProgress } from '../../contract/dto.js';
import type { ImportPart } from '../../../ml-core/data/import-part.js';
import type { ColumnBatch, ColumnSpec, ImportSummary, LayoutPlan, ProfileId } from '../../../ml-core/data/types.js';

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
  /**
   * parse one large delimited file as this many byte ranges in parallel threads (default:
   * DEFAULT_PARALLEL_PARTS, at most the machine's available parallelism); 1 = never
   */
  parallelParts?: number;
  /** smallest file parsed in parallel ranges (default 32 MiB) */
  parallelMinBytes?: number;
}

/** One range of a file parsed in parallel: which of how many, and the layout detected once for all. */
export interface PartAssignment {
  index: number;
  count: number;
  plan: LayoutPlan;
}

/**
 * main thread -> parse worker (parallel ranges), once, right after it started: the file's layout,
 * or null when it cannot be read in ranges (then part 0 parses the whole file the one-pass way,
 * sending 'batch' and 'done', and the others leave).
 */
export interface PlanMessage {
  type: 'plan';
  plan: LayoutPlan | null;
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
  /**
   * parallel ranges: one channel per parse worker (part order), and an Int32Array[N + 1]:
   * batches in flight per part, then the stop cell (set: the parse workers give up quietly)
   */
  partPorts?: MessagePort[];
  partsInFlight?: SharedArrayBuffer;
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
  /** parallel ranges: how many (parseMs, readMs and waitMs are then summed over them), and the ms fixing the row order */
  parts?: number;
  reorderMs?: number;
  /** parallel ranges abandoned and the file parsed again in one thread (a split inside a quoted field, or an error past the first range) */
  fallback?: string;
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
  /** parallel ranges: this worker's range (the plan follows as a PlanMessage); inFlight is then partsInFlight (its cell: part.index; stop: cell part.count) */
  part?: { index: number; count: number };
}

export type ParseMessage =
  | { seq: number; type: 'columns'; columns: ColumnSpec[]; profile: ProfileId }
  | { seq: number; type: 'batch'; batch: ColumnBatch }
  | { seq: number; type: 'progress'; bytes: number; rows: number }
  | { seq: number; type: 'done'; summary: ImportSummary; readMs: number; parseMs: number; waitMs: number }
  | { seq: number; type: 'failed'; error: ApiError }
  // parallel ranges only:
  | { seq: number; type: 'range'; start: number; end: number }
  | {
      seq: number;
      type: 'part-batch';
      batch: ColumnBatch;
      /** per column: dictionary values added since the previous batch (part-local codes from the part's earlier size on); null: none */
      dictAdds: Array<string[] | null>;
      /** bytes of the range pushed so far */
      bytes: number;
    }
  | { seq: number; type: 'part-done'; part: ImportPart | null; atBoundary: boolean; readMs: number; parseMs: number; waitMs: number };

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
