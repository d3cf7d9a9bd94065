/**
 * Alert explanations and chart statistics, off the main thread. Own connection; the last few
 * decoded models and every model's benign ranges are kept.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AlertsRepo } from '../db/alerts.repo.js';
import { openWorkerConnection } from '../db/connection.js';
import { DatasetsRepo } from '../db/datasets.repo.js';
import { ModelsRepo } from '../db/models.repo.js';
import type { AlertsReply, AlertsRequest } from '../live/alerts-thread.js';
import { benignRanges, explainFlow } from '../live/explain.js';
import { decodeBundle, prepareBundle, type ModelBundle } from '../training/model-bundle.js';

const BUNDLE_CACHE = 3;
const db = openWorkerConnection(workerData.workspacePath as string);
const models = new ModelsRepo(db);
const datasets = new DatasetsRepo(db);
const alerts = new AlertsRepo(db);
const bundles = new Map<number, ModelBundle>();

async function bundleOf(modelId: number): Promise<ModelBundle> {
  const hit = bundles.get(modelId);
  if (hit) {
    bundles.delete(modelId);
    bundles.set(modelId, hit);
    return hit;
  }
  const b = await prepareBundle(decodeBundle(models.file(modelId)));
  bundles.set(modelId, b);
  while (bundles.size > BUNDLE_CACHE) bundles.delete(bundles.keys().next().value!);
  return b;
}

async function answer(m: AlertsRequest): Promise<unknown> {
  if (m.kind === 'stats') return alerts.stats(m.filter, m.buckets);
  if (m.kind === 'list') return alerts.list(m.filter, m.offset, m.limit, m.sort);
  if (m.kind === 'count') return alerts.count(m.filter);
  const bundle = await bundleOf(m.modelId);
  const classIdx = m.className === null ? -1 : bundle.manifest.classes.indexOf(m.className);
  return explainFlow(bundle, m.features, benignRanges(datasets, models, m.modelId), classIdx >= 0 && bundle.model.link !== 'anomaly' ? { classIdx } : {});
}

parentPort!.on('message', (m: AlertsRequest) => {
  answer(m).then(
    (value): AlertsReply => ({ id: m.id, ok: true, value }),
    (err: unknown): AlertsReply => {
      const e = err as { message?: string; code?: string };
      return { id: m.id, ok: false, message: e?.message ?? String(err), ...(typeof e?.code === 'string' ? { code: e.code } : {}) };
    },
  ).then((reply) => parentPort!.postMessage(reply));
});
