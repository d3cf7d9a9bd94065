#!/usr/bin/env node
// One end-to-end Flowsight import (worker parse + SQLite write + commit) of FILE into a fresh
// workspace, in this process, so peak RSS covers the worker threads. Prints one JSON line.
// Usage: node tests/bench/import-bench.mjs FILE
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend } from '../../dist/electron/backend/index.js';

const file = process.argv[2];
const dir = mkdtempSync(join(tmpdir(), 'flowsight-bench-'));
const backend = await createBackend({ workspacePath: join(dir, 'workspace.sqlite'), face: 'cli' });
const bytes = statSync(file).size;
const t0 = performance.now();
const done = new Promise((resolve) => {
  backend.on((e) => {
    if (e.name === 'jobs.finished') resolve(e.payload);
  });
});
await backend.call('datasets.import', { paths: [file], format: 'auto' });
const job = await done;
const seconds = (performance.now() - t0) / 1000;
await backend.close();
rmSync(dir, { recursive: true, force: true });
if (job.status !== 'succeeded') {
  console.error(`import failed: ${job.error?.message}`);
  process.exit(1);
}
const mb = bytes / 1e6;
const rows = job.result.rows;
console.log(JSON.stringify({ bench: 'ingest', engine: 'flowsight-import', mb, rows, seconds, mbPerSecond: mb / seconds,
  rowsPerSecond: rows / seconds, peakRssMB: process.resourceUsage().maxRSS / 1024 }));
