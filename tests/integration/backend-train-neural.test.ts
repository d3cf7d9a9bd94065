/**
 * Neural models through createBackend and the real worker threads: training with per-epoch
 * progress, the stored model's detail, evaluation and scoring by other jobs (which load
 * TensorFlow.js themselves), cancel, and parameter checks. The backend is whatever this machine
 * loads first (WebAssembly here).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/backend/api.js';
import type { EvaluateResult, JobProgress, ScoreResult, TrainResult } from '../../electron/contract/dto.js';
import { countModels, recordEvents, removeTempDirs, trainingWorkspace, waitForJob } from '../support/backend-fixtures.js';
import { FIXTURES } from '../support/flow-import.js';

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

async function train(input: Record<string, unknown>) {
  const { jobId } = await backend.call('models.train', input as never);
  return waitForJob(backend, jobId, 150_000);
}

function modelRows(): number {
  return countModels(path.join(dir, 'workspace.sqlite'));
}

describe('neural models', () => {
  let dnnId: number;

  it('trains a DNN with progress per batch and epoch, and stores its history and backend', async () => {
    const events = recordEvents(backend);
    const job = await train({ datasetId: nsl, model: 'dnn', target: 'binary', seed: 3, params: { epochs: 8, batchSize: 64, patience: 0 } });
    expect(job.error).toBeNull();
    const r = job.result as TrainResult;
    dnnId = r.modelId;
    expect(r.model).toBe('dnn');
    expect(['wasm', 'cpu', 'tensorflow', 'tensorflow-gpu']).toContain(r.backend);
    expect(r.epochSeconds).toBeGreaterThan(0);
    expect(r.metrics.accuracy).toBeGreaterThan(0.9);

    const progress = events.filter((e) => e.name === 'jobs.progress' && e.payload.jobId === job.id).map((e) => e.payload as JobProgress & { jobId: number });
    const epochs = progress.filter((p) => p.phase === 'epochs');
    expect(epochs.length).toBeGreaterThan(0);
    expect(epochs.every((p) => p.total === 8 && p.batch && p.batch.total === Math.ceil((3000 * 0.7 * 0.9) / 64))).toBe(true);
    // the last epoch's event carries the whole history (throttling may drop earlier ones, never the phase's last)
    const withHistory = epochs.filter((p) => p.history);
    expect(withHistory.at(-1)!.history!.length).toBeGreaterThan(1);
    expect(withHistory.at(-1)!.history![0]).toMatchObject({ round: 1, train: expect.any(Number), valid: expect.any(Number) });

    const detail = await backend.call('models.get', { id: r.modelId });
    expect(detail.kind).toBe('dnn');
    expect(detail.history!.map((h) => h.round)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(detail.neural).toMatchObject({ backend: r.backend, epochsRun: 8, bestEpoch: 8, parameters: expect.any(Number) });
    expect(detail.importance.length).toBeGreaterThan(5);
    expect(detail.importance[0]!.importance).toBeGreaterThan(detail.importance.at(-1)!.importance);
    expect(detail.formatVersion).toBe(2);
  }, 180_000);

  it('the stored DNN evaluates a test dataset and scores a file in other jobs', async () => {
    const { jobId } = await backend.call('models.evaluate', { id: dnnId, datasetId: nslTest });
    const ev = await waitForJob(backend, jobId, 120_000);
    expect(ev.error).toBeNull();
    const er = ev.result as EvaluateResult;
    expect(er.rows).toBeGreaterThan(10);
    expect(er.metrics.accuracy).toBeGreaterThan(0.5);

    const out = path.join(dir, 'scored.csv');
    const s = await backend.call('models.score', { id: dnnId, path: path.join(FIXTURES, 'nsl-kdd/KDDTest+.excerpt.txt'), out });
    const sj = await waitForJob(backend, s.jobId, 120_000);
    expect(sj.error).toBeNull();
    const sr = sj.result as ScoreResult;
    expect(sr.rows).toBe(er.rows);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.length).toBe(sr.rows + 1);
  }, 180_000);

  it('trains the same model again from the same seed to the same figures', async () => {
    const a = await train({ datasetId: nsl, model: 'mlp', target: 'binary', seed: 11, params: { epochs: 3, units: 32 } });
    const b = await train({ datasetId: nsl, model: 'mlp', target: 'binary', seed: 11, params: { epochs: 3, units: 32 } });
    expect((a.result as TrainResult).metrics).toEqual((b.result as TrainResult).metrics);
  }, 120_000);

  it('trains a 1-D CNN on many classes (convolution gradients on this backend)', async () => {
    const job = await train({ datasetId: cicids, model: 'cnn', target: 'label', params: { epochs: 3, filters: 8, units: 32, batchSize: 128 } });
    expect(job.error).toBeNull();
    const r = job.result as TrainResult;
    expect(r.metrics.accuracy).toBeGreaterThan(0.5);
    expect(Object.keys(r.metrics.perClass).length).toBeGreaterThan(5);
  }, 180_000);

  it('an autoencoder learns benign rows only and places its threshold at the target false-positive rate', async () => {
    const job = await train({ datasetId: nsl, model: 'autoencoder', target: 'label', params: { epochs: 15, targetFpr: 0.05 } });
    expect(job.error).toBeNull();
    const r = job.result as TrainResult;
    expect(r.target).toBe('binary');
    const detail = await backend.call('models.get', { id: r.modelId });
    expect(detail.classes).toEqual(['benign', 'attack']);
    expect(detail.threshold).toMatchObject({ targetFpr: 0.05 });
    expect(detail.threshold!.value).toBeGreaterThan(0);
    expect(detail.threshold!.value).toBeLessThan(1);
    // attacks reconstruct worse than benign flows: ranking well above chance
    expect(detail.curves[0]!.roc.auc).toBeGreaterThan(0.8);
    expect(r.metrics.falsePositiveRate).toBeLessThan(0.15);
  }, 180_000);

  it('refuses parameters out of range and parameters of other kinds before any job starts', async () => {
    await expect(backend.call('models.train', { datasetId: nsl, model: 'dnn', params: { layers: 0 } })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('layers') });
    await expect(backend.call('models.train', { datasetId: nsl, model: 'ann', params: { nTrees: 5 } })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('"nTrees"') });
    await expect(backend.call('models.train', { datasetId: nsl, model: 'mlp', params: { lrSchedule: 'fast' } })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('a cancelled neural training leaves no model behind', async () => {
    const before = modelRows();
    const { jobId } = await backend.call('models.train', { datasetId: cicids, model: 'dnn', target: 'label', params: { epochs: 500, batchSize: 16 } });
    await new Promise<void>((resolve) => {
      const off = backend.on((e) => {
        if (e.name === 'jobs.progress' && e.payload.jobId === jobId && e.payload.phase === 'epochs') {
          off();
          resolve();
        }
      });
    });
    await backend.call('jobs.cancel', { id: jobId });
    const job = await waitForJob(backend, jobId, 60_000);
    expect(job.status).toBe('cancelled');
    expect(modelRows()).toBe(before);
  }, 120_000);
});
