/**
 * The neural models' accuracy on the real datasets (../shared/datasets, or FLOWSIGHT_DATASETS),
 * trained through the backend with the Train page's defaults; skipped when the datasets are
 * absent. Targets and peers (../shared/peers/tables.md, same files): NSL-KDD binary, trained on
 * KDDTrain+_20Percent and tested on KDDTest+ — DNN >= 0.78 (PyTorch DNN 0.790), CNN >= 0.769
 * (PyTorch CNN 0.779), MLP >= 0.762 (scikit-learn MLP 0.772); the autoencoder, trained on benign
 * rows only, ROC-AUC >= 0.93 on KDDTest+ (Isolation Forest 0.936); CICIDS2017 sample 70/30, DNN
 * macro-F1 >= 0.95.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/backend/api.js';
import { createBackend } from '../../electron/backend/index.js';
import type { ImportResult, TrainResult } from '../../electron/contract/dto.js';
import { importAndWait, removeTempDirs, tempDir, waitForJob } from '../support/backend-fixtures.js';
import { datasetsDir, filesIn } from '../support/flow-import.js';

const DATA = datasetsDir();

describe.skipIf(!DATA)('neural models on the real datasets', () => {
  let backend: Backend;
  let nslTrain: number;
  let nslTest: number;
  let cicids: number;

  beforeAll(async () => {
    const dir = tempDir();
    backend = await createBackend({ workspacePath: path.join(dir, 'workspace.sqlite'), face: 'cli' });
    const id = async (paths: string[]) => ((await importAndWait(backend, { paths })).result as ImportResult).id;
    nslTrain = await id([path.join(DATA!, 'nsl-kdd/KDDTrain+_20Percent.txt')]);
    nslTest = await id([path.join(DATA!, 'nsl-kdd/KDDTest+.txt')]);
    cicids = await id(filesIn(path.join(DATA!, 'cicids2017-improved-sample')));
  }, 120_000);

  afterAll(async () => {
    await backend?.close();
    removeTempDirs();
  });

  async function train(input: Record<string, unknown>): Promise<TrainResult> {
    const { jobId } = await backend.call('models.train', input as never);
    const job = await waitForJob(backend, jobId, 900_000);
    expect(job.error).toBeNull();
    return job.result as TrainResult;
  }

  const nsl = (model: string) => train({ datasetId: nslTrain, testDatasetId: nslTest, model, target: 'binary' });

  it('DNN: accuracy >= 0.78 on KDDTest+', async () => {
    const r = await nsl('dnn');
    expect(r.metrics.accuracy).toBeGreaterThanOrEqual(0.78);
  }, 900_000);

  it('MLP: accuracy >= 0.762 on KDDTest+', async () => {
    const r = await nsl('mlp');
    expect(r.metrics.accuracy).toBeGreaterThanOrEqual(0.762);
  }, 900_000);

  it('1-D CNN: accuracy >= 0.769 on KDDTest+', async () => {
    const r = await nsl('cnn');
    expect(r.metrics.accuracy).toBeGreaterThanOrEqual(0.769);
  }, 900_000);

  it('autoencoder (benign rows only): ROC-AUC >= 0.93 on KDDTest+', async () => {
    const r = await nsl('autoencoder');
    const detail = await backend.call('models.get', { id: r.modelId });
    expect(detail.curves[0]!.roc.auc).toBeGreaterThanOrEqual(0.93);
  }, 900_000);

  it('DNN on the CICIDS2017 sample (16 classes, 70/30): macro-F1 >= 0.95', async () => {
    const r = await train({ datasetId: cicids, model: 'dnn', target: 'label', testSize: 0.3 });
    expect(r.metrics.macroF1).toBeGreaterThanOrEqual(0.95);
  }, 900_000);
});
