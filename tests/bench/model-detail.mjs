// The stored models' figures the CLI's `train --json` leaves out (curves, neural training info),
// read from a workspace through the backend's own `models.get` (dist/ build).
// usage: node tests/bench/model-detail.mjs WORKSPACE ID...
// Prints one JSON line per model: headline metrics, the attack-vs-benign ROC-AUC and average
// precision, the anomaly threshold, and the neural training info (epochs run, best epoch, backend).
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '../..');
const { createBackend } = await import(pathToFileURL(join(root, 'dist/electron/backend/index.js')).href);

const [workspacePath, ...ids] = process.argv.slice(2);
if (!workspacePath || !ids.length) {
  console.error('usage: node tests/bench/model-detail.mjs WORKSPACE ID...');
  process.exit(2);
}
const backend = await createBackend({ workspacePath: resolve(workspacePath), face: 'cli' });
try {
  for (const id of ids) {
    let m;
    try {
      m = await backend.call('models.get', { id: Number(id) });
    } catch (err) {
      console.log(JSON.stringify({ bench: 'model-detail', id: Number(id), error: err.message }));
      continue;
    }
    // binary models have one curve set, 'attack'; many classes one per class (one-vs-rest)
    const attack = m.curves.find((c) => c.name === 'attack') ?? (m.curves.length === 1 ? m.curves[0] : undefined);
    console.log(JSON.stringify({
      bench: 'model-detail', id: m.id, kind: m.kind, target: m.target, params: m.params,
      nFeatures: m.nFeatures, trainRows: m.trainRows, testRows: m.testRows, fitSeconds: m.fitSeconds,
      accuracy: m.accuracy, macroF1: m.macroF1, detectionRate: m.detectionRate, falsePositiveRate: m.falsePositiveRate,
      rocAuc: attack?.roc.auc ?? null, averagePrecision: attack?.pr.auc ?? null, threshold: m.threshold,
      neural: m.neural ?? null,
    }));
  }
} finally {
  await backend.close();
}
