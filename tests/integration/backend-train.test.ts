/**
 * Training, evaluation and scoring through createBackend and the real worker threads, on the
 * bundled samples and the fixtures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/backend/api.js';
import type { EvaluateResult, ScoreResult, TrainResult } from '../../electron/contract/dto.js';
import { FIXTURES } from '../support/flow-import.js';
import { countModels, recordEvents, removeTempDirs, trainingWorkspace, waitForJob } from '../support/backend-fixtures.js';

let backend: Backend;
let dir: string;
let nsl: number;
let cicids: number;
let nslTest: number;

beforeAll(async () => {
  ({ backend, dir, nsl, cicids, nslTest } = await trainingWorkspace());
}, 60_000);

afterAll(async () => {
  await backend?.close();
  removeTempDirs();
});

async function train(input: Parameters<Backend['call']>[1] & object) {
  const { jobId } = await backend.call('models.train', input as never);
  return waitForJob(backend, jobId, 120_000);
}

function modelRows(): number {
  return countModels(path.join(dir, 'workspace.sqlite'));
}

describe('models.train', () => {
  it('trains extra trees on a 30% hold-out, stores the model and its evaluation', async () => {
    const events = recordEvents(backend);
    const job = await train({ datasetId: nsl, model: 'extra-trees', target: 'binary', params: { nTrees: 30 } });
    expect(job.error).toBeNull();
    expect(job.kind).toBe('train');
    const r = job.result as TrainResult;
    expect(Object.keys(r).sort()).toEqual(['fitSeconds', 'metrics', 'model', 'modelId', 'target']);
    expect(r.model).toBe('extra-trees');
    expect(r.metrics.accuracy).toBeGreaterThan(0.9);
    expect(Object.keys(r.metrics.perClass).sort()).toEqual(['attack', 'benign']);
    const trees = events.filter((e) => e.name === 'jobs.progress' && e.payload.jobId === job.id && e.payload.phase === 'trees');
    expect(trees.length).toBeGreaterThan(0);
    expect(events.find((e) => e.name === 'models.changed')).toMatchObject({ payload: { id: r.modelId, reason: 'trained' } });

    const d = await backend.call('models.get', { id: r.modelId });
    expect(d).toMatchObject({ kind: 'extra-trees', datasetId: nsl, target: 'binary', classes: ['attack', 'benign'], evaluation: { kind: 'split', testSize: 0.3 } });
    expect(d.trainRows + d.testRows).toBe(3000);
    const total = d.metrics.confusion.matrix.flat().reduce((a, b) => a + b, 0);
    expect(total).toBe(d.testRows);
    expect(d.importance.length).toBeGreaterThan(5);
    expect(d.importance[0]!.importance).toBeGreaterThanOrEqual(d.importance[1]!.importance);
    expect(d.curves[0]).toMatchObject({ name: 'attack' });
    expect(d.curves[0]!.roc.auc).toBeGreaterThan(0.9);
    expect(d.features).toContain('service');
    expect(d.params).toMatchObject({ nTrees: 30 });
    expect(d.bytes).toBeGreaterThan(1000);
    expect((await backend.call('models.list', {})).models.map((m) => m.id)).toContain(r.modelId);
    expect((await backend.call('models.list', { datasetId: cicids })).models).toEqual([]);
  });

  it('is repeatable: the same seed gives the same model and metrics', async () => {
    const a = (await train({ datasetId: cicids, model: 'random-forest', target: 'label', params: { nTrees: 10 }, seed: 7 })).result as TrainResult;
    const b = (await train({ datasetId: cicids, model: 'random-forest', target: 'label', params: { nTrees: 10 }, seed: 7 })).result as TrainResult;
    expect(b.metrics).toEqual(a.metrics);
    const da = await backend.call('models.get', { id: a.modelId });
    const db = await backend.call('models.get', { id: b.modelId });
    expect(db.importance).toEqual(da.importance);
    expect(db.name).not.toBe(da.name); // names are made unique
  });

  it('gradient boosting with 3-fold cross-validation reports mean and spread and a loss history', async () => {
    const job = await train({ datasetId: cicids, model: 'gradient-boosting', target: 'category', folds: 3, params: { maxRounds: 30 } });
    expect(job.error).toBeNull();
    const d = await backend.call('models.get', { id: (job.result as TrainResult).modelId });
    expect(d.evaluation).toEqual({ kind: 'folds', folds: 3 });
    expect(d.crossValidation!.folds).toBe(3);
    expect(d.crossValidation!.macroF1.mean).toBeGreaterThan(0.8);
    expect(d.crossValidation!.macroF1.std).toBeGreaterThanOrEqual(0);
    expect(d.testRows).toBe(3000);
    expect(d.history!.length).toBeGreaterThan(1);
  });

  it('an isolation forest learns benign rows and places its threshold at the target false-positive rate', async () => {
    const job = await train({ datasetId: nsl, model: 'isolation-forest', testDatasetId: nslTest, params: { targetFpr: 0.05 } });
    expect(job.error).toBeNull();
    const d = await backend.call('models.get', { id: (job.result as TrainResult).modelId });
    expect(d.classes).toEqual(['benign', 'attack']);
    expect(d.threshold).toMatchObject({ targetFpr: 0.05 });
    expect(d.evaluation).toMatchObject({ kind: 'dataset', datasetId: nslTest });
    expect(d.curves[0]!.roc.auc).toBeGreaterThan(0.7);
  });

  it('refuses unknown parameters and out-of-range values before starting a job', async () => {
    await expect(backend.call('models.train', { datasetId: nsl, model: 'extra-trees', params: { nope: 1 } })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('"nope"') });
    await expect(backend.call('models.train', { datasetId: nsl, model: 'gradient-boosting', params: { learningRate: 5 } })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('learningRate') });
    await expect(backend.call('models.train', { datasetId: 999, model: 'extra-trees' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(backend.call('models.train', { datasetId: nsl, model: 'extra-trees', folds: 3, testSize: 0.2 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('a cancelled training leaves no model behind', async () => {
    const before = modelRows();
    const { jobId } = await backend.call('models.train', { datasetId: cicids, model: 'extra-trees', target: 'label', params: { nTrees: 2000 } });
    await new Promise<void>((resolve) => {
      const off = backend.on((e) => {
        if (e.name === 'jobs.progress' && e.payload.jobId === jobId && e.payload.phase === 'trees') {
          off();
          resolve();
        }
      });
    });
    await backend.call('jobs.cancel', { id: jobId });
    const job = await waitForJob(backend, jobId, 60_000);
    expect(job.status).toBe('cancelled');
    expect(modelRows()).toBe(before);
  });
});

describe('models.evaluate and models.score', () => {
  let modelId: number;
  beforeAll(async () => {
    modelId = ((await train({ datasetId: nsl, model: 'gradient-boosting', target: 'binary', params: { maxRounds: 40 } })).result as TrainResult).modelId;
  }, 60_000);

  it('evaluates on another dataset whose categorical values include ones never seen in training', async () => {
    const { jobId } = await backend.call('models.evaluate', { id: modelId, datasetId: nslTest });
    const job = await waitForJob(backend, jobId);
    expect(job.error).toBeNull();
    const r = job.result as EvaluateResult;
    expect(r.rows).toBeGreaterThan(100);
    expect(r.metrics.accuracy).toBeGreaterThan(0.6);
    expect(r.predictRowsPerSecond).toBeGreaterThan(0);
  });

  it('refuses data without the columns the model was trained on, naming them', async () => {
    const { jobId } = await backend.call('models.evaluate', { id: modelId, datasetId: cicids });
    const job = await waitForJob(backend, jobId);
    expect(job.status).toBe('failed');
    expect(job.error!.message).toMatch(/missing "duration"/);
  });

  it('scores a flow file into a CSV with one row per flow', async () => {
    const out = path.join(dir, 'scored.csv');
    const { jobId } = await backend.call('models.score', { id: modelId, path: path.join(FIXTURES, 'nsl-kdd/KDDTest+.excerpt.txt'), out });
    const job = await waitForJob(backend, jobId);
    expect(job.error).toBeNull();
    const r = job.result as ScoreResult;
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.length).toBe(r.rows + 1);
    expect(lines[0]).toMatch(/predicted,score$/);
    expect(Object.values(r.classCounts).reduce((a, b) => a + b, 0)).toBe(r.rows);
  });

  it('deletes and renames models', async () => {
    const renamed = await backend.call('models.rename', { id: modelId, name: 'my gbdt' });
    expect(renamed.name).toBe('my gbdt');
    await backend.call('models.delete', { id: modelId });
    await expect(backend.call('models.get', { id: modelId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
