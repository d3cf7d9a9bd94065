// Flowsight's side of the model benchmark, on the compiled build (dist/): imports the real
// datasets into a temporary workspace, then trains each model the way a training job does
// (runTraining with forests on the backend's forest threads, which persist from job to job as in
// the app) and times batch prediction on the test rows.
// usage: node tests/bench/models-bench.mjs CASE [RUNS]    (CASE: see CASES below)
// Prints one JSON line per (case, model).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '../..');
const dist = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
const { createBackend } = await dist('electron/backend/index.js');
const { openWorkerConnection } = await dist('electron/backend/db/connection.js');
const { DatasetsRepo } = await dist('electron/backend/db/datasets.repo.js');
const { CancelFlag } = await dist('electron/backend/jobs/cancel.js');
const { ForestPool, threadedForests } = await dist('electron/backend/training/forest-runner.js');
const { decodeBundle } = await dist('electron/backend/training/model-bundle.js');
const { loadDatasetFrame, labelsOf } = await dist('electron/backend/training/dataset-frame.js');
const { runTraining, holdoutSplit } = await dist('electron/backend/training/train-pipeline.js');
const { transform } = await dist('ml-core/preprocess/pipeline.js');
const { toRowMajor } = await dist('ml-core/models/matrix.js');
const { predictProba } = await dist('ml-core/models/flat/predict.js');
const { PredictPool, sharedRows } = await dist('electron/backend/training/predict-pool.js');

const datasets = resolve(process.env.FLOWSIGHT_DATASETS ?? join(root, '../shared/datasets'));
const CASES = {
  'nsl-binary': { train: [join(datasets, 'nsl-kdd/KDDTrain+_20Percent.txt')], test: [join(datasets, 'nsl-kdd/KDDTest+.txt')], target: 'binary', models: ['extra-trees', 'random-forest', 'gradient-boosting', 'isolation-forest'] },
  'cicids-label': { train: readdirSync(join(datasets, 'cicids2017-improved-sample')).map((f) => join(datasets, 'cicids2017-improved-sample', f)), test: null, target: 'label', models: ['extra-trees', 'random-forest', 'gradient-boosting'] },
};
const name = process.argv[2];
const runs = Number(process.argv[3] ?? 3);
const only = process.env.FLOWSIGHT_BENCH_MODELS?.split(',');
const c = CASES[name];
if (!c) {
  console.error(`unknown case ${name}; one of ${Object.keys(CASES).join(', ')}`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'flowsight-bench-'));
const workspacePath = join(dir, 'bench.db');
const backend = await createBackend({ workspacePath, face: 'cli' });
async function importPaths(paths) {
  const { jobId } = await backend.call('datasets.import', { paths });
  for (;;) {
    const job = await backend.call('jobs.get', { id: jobId });
    if (job.status !== 'running') {
      if (job.status !== 'succeeded') throw new Error(job.error?.message ?? job.status);
      return job.result.id;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
const trainId = await importPaths(c.train);
const testId = c.test ? await importPaths(c.test) : null;
await backend.close();

const db = openWorkerConnection(workspacePath);
const repo = new DatasetsRepo(db);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// the backend's forest threads: one pool for every training, as a running app keeps them
const forestPool = new ForestPool();

for (const model of c.models) {
  if (only && !only.includes(model)) continue;
  const fits = [];
  let out;
  for (let r = 0; r < runs; r++) {
    const cancel = new CancelFlag();
    out = await runTraining(
      { datasetId: trainId, model, target: c.target, seed: 42, params: {}, ...(testId ? { testDatasetId: testId } : { testSize: 0.3 }) },
      { datasets: repo, progress: () => {}, isCancelled: () => false, forests: threadedForests({ cancel: cancel.buffer, ports: forestPool.connect() }) },
    );
    fits.push(out.fitSeconds);
  }
  // batch prediction on the test rows, preprocessed once (as scikit-learn's predict gets a ready matrix)
  const bundle = decodeBundle(out.model.file);
  const testFrame = loadDatasetFrame(repo, testId ?? trainId, c.target);
  let rows = null;
  if (!testId) {
    const l = labelsOf(loadDatasetFrame(repo, trainId, c.target));
    const labelled = Int32Array.from(l.y.keys()).filter((i) => l.y[i] >= 0);
    rows = holdoutSplit(l.y, l.classes.length, 0.3, 42, labelled).test;
  }
  const X = toRowMajor(transform(bundle.manifest.preprocessor, testFrame.frame, rows));
  const timeIt = async (fn) => {
    await fn(); // warm-up
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 1500) {
      await fn();
      n++;
    }
    return (X.nSamples * n) / ((performance.now() - t0) / 1000);
  };
  const predictRowsPerSecond1t = await timeIt(() => predictProba(bundle.model, X));
  // every core: the PredictPool the evaluate and score jobs use
  const pool = new PredictPool(out.model.file);
  await pool.warm();
  const shared = sharedRows(X);
  const predictRowsPerSecond = await timeIt(() => pool.predictProba(shared));
  await pool.close();
  const m = out.metrics;
  console.log(JSON.stringify({
    bench: 'models', case: name, model, threads: availableParallelism(), nTrain: out.model.summary.trainRows, nTest: out.model.summary.testRows,
    fitSeconds: median(fits), fitRuns: fits.map((f) => +f.toFixed(4)), accuracy: m.accuracy, macroF1: m.macroF1, weightedF1: m.weightedF1,
    detectionRate: m.detectionRate, falsePositiveRate: m.falsePositiveRate, predictRowsPerSecond, predictRowsPerSecond1t, nTest: X.nSamples,
    rounds: out.model.detail.history?.length ?? null,
  }));
}
await forestPool.close();
db.close();
rmSync(dir, { recursive: true, force: true });
