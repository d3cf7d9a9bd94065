/**
 * Parse thread of an import: reads the files and runs FlowImporter, posting column batches (their
 * buffers transferred, not copied) over a MessageChannel to the import worker, which writes them
 * meanwhile.
 * Back-pressure: at most `maxInFlight` batches posted and not yet written.
 */
import { workerData } from 'node:worker_threads';
import type { ColumnBatch } from '../../../ml-core/data/types.js';
import { serializeError } from '../errors.js';
import { parseFiles } from '../import/parse-files.js';
import { CancelFlag } from '../jobs/cancel.js';
import { sequencer, type ParseMessage, type ParseWorkerData } from './protocol.js';

type Outgoing = ParseMessage extends infer M ? (M extends { seq: number } ? Omit<M, 'seq'> : never) : never;

const data = workerData as ParseWorkerData;
const port = data.port;
const cancel = new CancelFlag(data.cancel);
const inFlight = new Int32Array(data.inFlight);
const maxInFlight = Math.max(1, data.tuning?.maxInFlight ?? 4);
const next = sequencer();
let waitMs = 0;

function post(msg: Outgoing, transfer: ArrayBuffer[] = []): void {
  port.postMessage({ ...msg, seq: next() }, transfer);
}

function sendBatch(batch: ColumnBatch): void {
  const t0 = process.hrtime.bigint();
  for (;;) {
    const n = Atomics.load(inFlight, 0);
    if (n < maxInFlight || cancel.cancelled) break;
    Atomics.wait(inFlight, 0, n, 50);
  }
  waitMs += Number(process.hrtime.bigint() - t0) / 1e6;
  // each column owns its buffer (the importer allocates fresh arrays per batch); transfer each once
  const buffers = new Set<ArrayBuffer>();
  for (const c of batch.columns) buffers.add(c.buffer as ArrayBuffer);
  Atomics.add(inFlight, 0, 1);
  post({ type: 'batch', batch }, [...buffers]);
}

try {
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
} catch (err) {
  post({ type: 'failed', error: serializeError(err, 'Parsing the import failed') });
}
