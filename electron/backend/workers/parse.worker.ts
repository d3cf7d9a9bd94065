/**
 * Parse thread of an import: reads the files and runs FlowImporter, posting column batches (their
 * buffers transferred, not copied) over a MessageChannel to the import worker, which writes them
 * meanwhile.
 * Back-pressure: at most `maxInFlight` batches posted and not yet written.
 *
 * With `part`, this thread parses one byte range of one large file (parallel ranges, see
 * protocol.ts): its batches carry part-local dictionary codes and the values added since the
 * last batch; it ends with its ImportPart. It gives up quietly when the import worker sets the
 * stop cell (the parallel attempt was abandoned).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ColumnBatch, LayoutPlan } from '../../../ml-core/data/types.js';
import { serializeError } from '../errors.js';
import { parseFiles, parseRange } from '../import/parse-files.js';
import { CancelFlag } from '../jobs/cancel.js';
import { sequencer, type ParseMessage, type ParseWorkerData, type PlanMessage } from './protocol.js';

type Outgoing = ParseMessage extends infer M ? (M extends { seq: number } ? Omit<M, 'seq'> : never) : never;

const data = workerData as ParseWorkerData;
const port = data.port;
const cancel = new CancelFlag(data.cancel);
const inFlight = new Int32Array(data.inFlight);
const cell = data.part ? data.part.index : 0;
const stopCell = data.part ? data.part.count : -1;
const maxInFlight = Math.max(1, data.tuning?.maxInFlight ?? 4);
const next = sequencer();
let waitMs = 0;

const stopped = (): boolean => stopCell >= 0 && Atomics.load(inFlight, stopCell) !== 0;

function post(msg: Outgoing, transfer: ArrayBuffer[] = []): void {
  port.postMessage({ ...msg, seq: next() }, transfer);
}

/** Blocks while maxInFlight batches of this thread wait to be written; false: cancelled or stopped meanwhile. */
function waitForRoom(): boolean {
  const t0 = process.hrtime.bigint();
  for (;;) {
    if (cancel.cancelled || stopped()) break;
    const n = Atomics.load(inFlight, cell);
    if (n < maxInFlight) break;
    Atomics.wait(inFlight, cell, n, 50);
  }
  waitMs += Number(process.hrtime.bigint() - t0) / 1e6;
  return !cancel.cancelled && !stopped();
}

function transferables(batch: ColumnBatch): ArrayBuffer[] {
  // each column owns its buffer (the importer allocates fresh arrays per batch); transfer each once
  const buffers = new Set<ArrayBuffer>();
  for (const c of batch.columns) buffers.add(c.buffer as ArrayBuffer);
  return [...buffers];
}

function sendBatch(batch: ColumnBatch): void {
  waitForRoom();
  Atomics.add(inFlight, cell, 1);
  post({ type: 'batch', batch }, transferables(batch));
}

/** Parse all the files the one-pass way (also part 0 of a file that cannot be read in ranges). */
async function parseAll(): Promise<void> {
  const { summary, readMs, parseMs } = await parseFiles(
    data.files,
    data.options,
    cancel,
    {
      columns: (columns, profile) => post({ type: 'columns', columns, profile }),
      batches: (batches) => batches.forEach(sendBatch),
      progress: (bytes, rows) => post({ type: 'progress', bytes, rows }),
    },
    data.tuning,
  );
  post({ type: 'done', summary, readMs, parseMs, waitMs });
}

/** Parallel ranges: this worker's range, once the main thread has posted the layout. */
async function parsePart(index: number, count: number): Promise<void> {
  const plan = await new Promise<LayoutPlan | null>((resolve) => {
    parentPort!.once('message', (msg: PlanMessage) => resolve(msg.plan));
  });
  if (plan === null) {
    if (index === 0) await parseAll();
    return;
  }
  const outcome = await parseRange(
    data.files[0]!,
    data.options,
    { index, count, plan },
    cancel,
    stopped,
    {
      columns: (columns, profile) => post({ type: 'columns', columns, profile }),
      range: (start, end) => post({ type: 'range', start, end }),
      batches: (batches, dictAdds, bytes) => {
        batches.forEach((batch, i) => {
          if (!waitForRoom()) return;
          Atomics.add(inFlight, cell, 1);
          // the values added so far cover every batch of this call: send them with the first
          const adds = i === 0 ? dictAdds : dictAdds.map(() => null);
          post({ type: 'part-batch', batch, dictAdds: adds, bytes }, transferables(batch));
        });
      },
      progress: (bytes, rows) => post({ type: 'progress', bytes, rows }),
    },
    data.tuning,
  );
  if (outcome && !stopped()) {
    const { part, atBoundary, readMs, parseMs } = outcome;
    post({ type: 'part-done', part, atBoundary, readMs, parseMs, waitMs });
  }
}

try {
  if (data.part) await parsePart(data.part.index, data.part.count);
  else await parseAll();
} catch (err) {
  if (!stopped()) post({ type: 'failed', error: serializeError(err, 'Parsing the import failed') });
}
