import { beforeAll, describe, expect, it } from 'vitest';
import { testTf } from '../../tests/support/test-tf.js';
import { Rng } from '../rng.js';
import { predictNeural } from '../models/neural/predict.js';
import type { Tf } from '../models/neural/tf-types.js';
import { fitNeural, type NeuralData } from '../models/neural/train.js';
import type { NeuralHyperParams, NeuralKind, TrainedNeuralModel } from '../models/neural/types.js';
import { neuralAttribution } from './neural.js';

let tf: Tf;
beforeAll(async () => {
  tf = await testTf();
});

const HP: NeuralHyperParams = {
  units: 16,
  layers: 2,
  filters: 4,
  dropout: 0.1,
  epochs: 15,
  batchSize: 32,
  learningRate: 0.01,
  lrSchedule: 'constant',
  patience: 0,
  weightDecay: 0,
  batchNorm: true,
  seed: 3,
};

const D = 8;

/** Standard-normal rows; class 1 when x0 + x1 - x2 > 0 (features 3.. are noise). */
function blobs(n: number, seed: number): NeuralData {
  const rng = new Rng(seed);
  const X = new Float32Array(n * D);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < D; j++) X[i * D + j] = rng.normal() * (j < 3 ? 1 : 0.3);
    y[i] = X[i * D]! + X[i * D + 1]! - X[i * D + 2]! > 0 ? 1 : 0;
  }
  return { X, nSamples: n, nFeatures: D, y };
}

function sum(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}

const models = new Map<NeuralKind, TrainedNeuralModel>();
function model(kind: NeuralKind): TrainedNeuralModel {
  let m = models.get(kind);
  if (!m) {
    const data = blobs(400, 1);
    m = fitNeural(tf, data, null, { kind, nClasses: 2, hp: { ...HP, epochs: kind === 'cnn' ? 8 : 15 } });
    models.set(kind, m);
  }
  return m;
}

describe('neural attribution (integrated gradients)', () => {
  for (const kind of ['mlp', 'dnn', 'cnn', 'autoencoder'] as NeuralKind[]) {
    it(`${kind}: contributions sum to f(x) - f(baseline), output is the model's own`, async () => {
      const m = model(kind);
      const test = blobs(6, 99);
      const baseline = new Float32Array(D);
      const cls = 1;
      for (let r = 0; r < test.nSamples; r++) {
        const x = test.X.slice(r * D, (r + 1) * D);
        if (kind === 'autoencoder') x[5] = 6; // an unusual value the autoencoder reconstructs badly
        const a = await neuralAttribution(tf, m, x, baseline, cls);
        expect(a.method).toBe('gradient-input');
        const p = predictNeural(tf, m, { data: x, nSamples: 1, nFeatures: D });
        expect(a.output).toBeCloseTo(p[cls]!, 5);
        const pb = predictNeural(tf, m, { data: baseline, nSamples: 1, nFeatures: D });
        expect(a.base).toBeCloseTo(pb[cls]!, 5);
        const delta = a.output - a.base;
        const gap = Math.abs(sum(a.values) - delta);
        expect(gap).toBeLessThanOrEqual(Math.max(0.02 * Math.abs(delta), 2e-3));
        for (let j = 0; j < D; j++) if (x[j] === baseline[j]) expect(a.values[j]).toBe(0);
      }
    });
  }

  it('puts the weight on the features the classifier uses, with the right sign', async () => {
    const m = model('mlp');
    // strongly class 1: x0, x1 high, x2 low; noise features at typical values
    const x = Float32Array.of(2, 2, -2, 0.1, -0.1, 0.2, 0, 0.1);
    const a = await neuralAttribution(tf, m, x, new Float32Array(D), 1);
    const top = [...a.values.keys()].sort((i, j) => Math.abs(a.values[j]!) - Math.abs(a.values[i]!)).slice(0, 3).sort();
    expect(top).toEqual([0, 1, 2]);
    expect(a.values[0]).toBeGreaterThan(0);
    expect(a.values[2]).toBeGreaterThan(0); // x2 low pushes towards class 1
    const a0 = await neuralAttribution(tf, m, x, new Float32Array(D), 0);
    for (let j = 0; j < D; j++) expect(a0.values[j]).toBeCloseTo(-a.values[j]!, 4);
  });

  it('autoencoder: the unusual feature carries the anomaly score', async () => {
    const m = model('autoencoder');
    const x = Float32Array.of(0.1, -0.2, 0.3, 0, 0.1, 8, 0, -0.1);
    const a = await neuralAttribution(tf, m, x, new Float32Array(D), 1);
    expect(a.output).toBeGreaterThan(a.base);
    const top = [...a.values.keys()].sort((i, j) => a.values[j]! - a.values[i]!)[0];
    expect(top).toBe(5);
  });

  it('occlusion on request: the change when one feature goes back to the baseline', async () => {
    const m = model('dnn');
    const x = Float32Array.of(1.5, 0.5, -1, 0.2, 0, 0.1, -0.2, 0.3);
    const b = new Float32Array(D);
    const a = await neuralAttribution(tf, m, x, b, 1, { method: 'occlusion' });
    expect(a.method).toBe('occlusion');
    expect(a.values[4]).toBe(0);
    const x0 = x.slice();
    x0[0] = 0;
    const p = predictNeural(tf, m, { data: x0, nSamples: 1, nFeatures: D });
    expect(a.values[0]).toBeCloseTo(a.output - p[1]!, 5);
  });

  it('refuses rows of the wrong width, non-finite values and unknown classes', async () => {
    const m = model('mlp');
    await expect(neuralAttribution(tf, m, new Float32Array(3), new Float32Array(D), 1)).rejects.toThrow(/expects 8 input columns/);
    await expect(neuralAttribution(tf, m, new Float32Array(D).fill(NaN), new Float32Array(D), 1)).rejects.toThrow(/not a finite/);
    await expect(neuralAttribution(tf, m, new Float32Array(D), new Float32Array(D), 2)).rejects.toThrow(/outside 0\.\.1/);
  });
});
