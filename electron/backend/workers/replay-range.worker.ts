/**
 * Byte ranges of a file replayed as fast as possible: this thread takes ranges in turn (a shared
 * counter) and parses, scores and groups them; only the groups of flagged flows and the counts go
 * back to the monitor thread.
 */
import path from 'node:path';
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { ChunkParser } from '../sources/chunk-parser.js';
import { decodeBundle, prepareBundle } from '../training/model-bundle.js';
import { CONTROL_PAUSE, CONTROL_STOP, type RangeMessage, type RangeWorkerData } from '../live/monitor-run.js';
import { rangeChunks, readHead } from '../live/range-reader.js';
import { BlockScorer, transferables } from '../live/score-block.js';

const d = workerData as RangeWorkerData;
const ctrl = new Int32Array(d.control);
let threshold = d.threshold;
parentPort!.on('message', (m: { type: 'threshold'; value: number | null }) => {
  if (m.type === 'threshold') threshold = m.value;
});
const post = (m: RangeMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function run(): Promise<void> {
  const scorer = new BlockScorer(await prepareBundle(decodeBundle(d.modelFile)));
  const parser = new ChunkParser();
  parser.begin(path.basename(d.file), readHead(d.file), fs.statSync(d.file).size, { keep: scorer.keep });
  const next = new Int32Array(d.next);
  for (let r = Atomics.add(next, 0, 1); r < d.ranges.length; r = Atomics.add(next, 0, 1)) {
    const { start, end } = d.ranges[r]!;
    for (const { bytes, offset } of rangeChunks(d.file, start, end)) {
      while (Atomics.load(ctrl, 0) === CONTROL_PAUSE) await sleep(50);
      if (Atomics.load(ctrl, 0) === CONTROL_STOP) break;
      const readAt = Date.now();
      const { summary, batches } = parser.parse(bytes, offset);
      const result = scorer.scoreParsed(summary, batches, { threshold, windowMs: d.windowMs, fallbackTime: readAt, dataName: `The file ${d.file}`, readAt });
      post({ type: 'block', result, bytes: bytes.length }, transferables(result));
      // let threshold messages in
      await new Promise<void>((r) => setImmediate(r));
    }
    if (Atomics.load(ctrl, 0) === CONTROL_STOP) break;
  }
  post({ type: 'done' });
}

run().catch((err: unknown) => {
  const e = err as { code?: string; message?: string };
  post({ type: 'failed', code: typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code) ? e.code : 'INTERNAL', message: e.message ?? String(err) });
});
