/**
 * Child process for the SIGKILL test: opens the workspace, starts a slow import of FILE and prints
 * `PROGRESS <rows>` lines as rows are written; the parent kills it mid-import.
 *   node --import tsx tests/support/import-child.ts WORKSPACE FILE
 */
import { createBackend } from '../../electron/backend/index.js';

const [workspacePath, file] = process.argv.slice(2);
if (!workspacePath || !file) {
  console.error('usage: import-child.ts WORKSPACE FILE');
  process.exit(2);
}
const backend = await createBackend({
  workspacePath,
  face: 'cli',
  importTuning: { chunkBytes: 64 * 1024, batchRows: 1000, chunkDelayMs: 50 },
});
backend.on((e) => {
  if (e.name === 'jobs.progress') console.log(`PROGRESS ${e.payload.rows ?? 0}`);
  if (e.name === 'jobs.finished') console.log(`FINISHED ${e.payload.status}`);
});
const { jobId } = await backend.call('datasets.import', { paths: [file] });
console.log(`JOB ${jobId}`);
