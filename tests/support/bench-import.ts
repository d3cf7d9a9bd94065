/**
 * End-to-end import benchmark through createBackend (the real worker path).
 *   node --import tsx tests/support/bench-import.ts FILE [--inline] [--runs N] [--parts N]
 * (--parts: parallel ranges for one large file; 1 = one parse thread; default: the backend's choice)
 * Prints MB/s from datasets.import to jobs.finished, where the worker spent its time, and peak RSS
 * of the whole process (all threads).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackend } from '../../electron/backend/index.js';
import type { JobInfo } from '../../electron/contract/dto.js';
import type { ImportTimings } from '../../electron/backend/workers/protocol.js';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
  console.error('usage: bench-import.ts FILE [--inline] [--runs N] [--parts N]');
  process.exit(2);
}
const inline = args.includes('--inline');
const runsIdx = args.indexOf('--runs');
const runs = runsIdx >= 0 ? Number(args[runsIdx + 1]) : 1;
const partsIdx = args.indexOf('--parts');
const parts = partsIdx >= 0 ? Number(args[partsIdx + 1]) : undefined;
const bytes = fs.statSync(file).size;

for (let r = 0; r < runs; r++) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowsight-bench-'));
  let timings: ImportTimings | null = null;
  const backend = await createBackend({
    workspacePath: path.join(dir, 'workspace.sqlite'),
    face: 'cli',
    importTuning: { overlap: !inline, ...(parts !== undefined ? { parallelParts: parts } : {}) },
    onImportTimings: (t) => (timings = t),
  });
  const t0 = process.hrtime.bigint();
  const finished = new Promise<JobInfo>((resolve) =>
    backend.on((e) => {
      if (e.name === 'jobs.finished') resolve(e.payload);
    }),
  );
  await backend.call('datasets.import', { paths: [file] });
  const job = await finished;
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  await backend.close();
  const wal = fs.existsSync(path.join(dir, 'workspace.sqlite-wal')) ? fs.statSync(path.join(dir, 'workspace.sqlite-wal')).size : 0;
  const dbSize = fs.statSync(path.join(dir, 'workspace.sqlite')).size;
  fs.rmSync(dir, { recursive: true, force: true });
  if (job.status !== 'succeeded') {
    console.error('import failed:', job.error);
    process.exit(1);
  }
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({
      mode: inline ? 'inline' : parts !== undefined ? `parts=${parts}` : 'overlap',
      mb: +(bytes / 1e6).toFixed(1),
      rows: (job.result as { rows: number }).rows,
      seconds: +s.toFixed(3),
      mbPerS: +(bytes / 1e6 / s).toFixed(1),
      peakRssMb: Math.round(rssMb),
      dbMb: +(dbSize / 1e6).toFixed(1),
      walMb: +(wal / 1e6).toFixed(1),
      timings,
    }),
  );
}
