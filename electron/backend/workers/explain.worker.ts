/**
 * Explanations of alerts, off the main thread: TreeSHAP on a deep forest can take a few hundred
 * milliseconds for one flow, and the benign ranges read the training dataset's columns. Own
 * connection; the last few decoded models and every model's benign ranges are kept.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openWorkerConnection } from '../db/connection.js';
import { DatasetsRepo } from '../db/datasets.repo.js';
import { ModelsRepo } from '../db/models.repo.js';
import type { ExplainReply, ExplainRequest } from '../live/explain-service.js';
import { benignRanges, explainFlow } from '../live/explain.js';
import { decodeBundle, prepareBundle, type ModelBundle } from '../training/model-bundle.js';

const BUNDLE_CACHE = 3;
const db = openWorkerConnection(workerData.workspacePath as string);
const models = new ModelsRepo(db);
const datasets = new DatasetsRepo(db);
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

parentPort!.on('message', (m: ExplainRequest) => {
  void (async (): Promise<ExplainReply> => {
    try {
      const bundle = await bundleOf(m.modelId);
      const classIdx = m.className === null ? -1 : bundle.manifest.classes.indexOf(m.className);
      const explanation = await explainFlow(bundle, m.features, benignRanges(datasets, models, m.modelId), classIdx >= 0 && bundle.model.link !== 'anomaly' ? { classIdx } : {});
      return { id: m.id, ok: true, explanation };
    } catch (err) {
      return { id: m.id, ok: false, message: err instanceof Error ? err.message : String(err) };
    }
  })().then((reply) => parentPort!.postMessage(reply));
});
