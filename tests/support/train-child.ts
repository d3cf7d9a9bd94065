/**
 * Child process for the SIGKILL test of training: opens the workspace, imports the CICIDS2017
 * sample, starts a long extra-trees training and prints `TREES <n>` as trees are grown; the parent
 * kills it mid-training.
 *   node --import tsx tests/support/train-child.ts WORKSPACE
 */
import { createBackend } from '../../electron/backend/index.js';

const [workspacePath] = process.argv.slice(2);
if (!workspacePath) {
  console.error('usage: train-child.ts WORKSPACE');
  process.exit(2);
}
const backend = await createBackend({ workspacePath, face: 'cli' });
let trainJob = -1;
const imported = new Promise<number>((resolve) => {
  backend.on((e) => {
    if (e.name === 'jobs.finished' && e.payload.kind === 'import') resolve((e.payload.result as { id: number }).id);
    if (e.name === 'jobs.progress' && e.payload.jobId === trainJob && e.payload.phase === 'trees') console.log(`TREES ${e.payload.current}`);
    if (e.name === 'jobs.finished' && e.payload.id === trainJob) console.log(`FINISHED ${e.payload.status}`);
  });
});
await backend.call('datasets.import', { sample: 'cicids2017' });
const datasetId = await imported;
const { jobId } = await backend.call('models.train', { datasetId, model: 'extra-trees', target: 'label', params: { nTrees: 2000 } });
trainJob = jobId;
console.log(`JOB ${jobId}`);
