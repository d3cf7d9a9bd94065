import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import { FitCancelled } from '../types.js';
import { Adam, cosineRate, PlateauSchedule } from './adam.js';
import { buildArch, countParameters, hiddenWidths, initParams } from './arch.js';
import { naiveForward } from './naive.js';
import { predictNeural, reconstructionErrors, softmaxProba } from './predict.js';
import { autodiffStep, denseStep, type StepBatch } from './step.js';
import { convStep, isConvArch } from './conv-step.js';
import { testTf } from '../../../tests/support/test-tf.js';
import type { Tf } from './tf-types.js';
import { dropoutMask, fitNeural, type NeuralData } from './train.js';
import type { NeuralHyperParams, NeuralKind } from './types.js';

let tf: Tf;
beforeAll(async () => {
  tf = await testTf();
});

const HP: NeuralHyperParams = {
  units: 16,
  layers: 2,
  filters: 4,
  dropout: 0.2,
  epochs: 20,
  batchSize: 32,
  learningRate: 0.01,
  lrSchedule: 'constant',
  patience: 0,
  weightDecay: 0,
  batchNorm: true,
  seed: 7,
};

function randomRows(n: number, d: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(n * d);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  return x;
}

/** Two classes split by the sign of x0 + x1 - x2 (learnable by every kind). */
function blobs(n: number, d: number, seed: number): NeuralData {
  const X = randomRows(n, d, seed);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = X[i * d]! + X[i * d + 1]! - X[i * d + 2]! > 0 ? 1 : 0;
  return { X, nSamples: n, nFeatures: d, y };
}

function randomize(ws: Float32Array[], seed: number): Float32Array[] {
  const rng = new Rng(seed, 3);
  return ws.map((w) => w.map((v, i) => v + 0.3 * rng.normal() + (i % 3 === 0 ? 0.5 : 0)));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('architectures', () => {
  it('halves hidden widths and matches the PyTorch peer DNN parameter count', () => {
    expect(hiddenWidths(256, 3)).toEqual([256, 128, 64]);
    expect(hiddenWidths(16, 4)).toEqual([16, 8, 8, 8]);
    // torch-DNN on NSL-KDD binary: 118 inputs (one-hot), 256-128-64, 2 classes -> 71,746 parameters
    const dnn = buildArch('dnn', 118, 2, { ...HP, units: 256, layers: 3, batchNorm: false });
    expect(countParameters(dnn)).toBe(71_746);
    // torch-CNN: conv(1->32,k3), conv(32->64,k3), dense(64 * (118 // 4) -> 128), dense(128 -> 2) = 244,290
    const cnn = buildArch('cnn', 118, 2, { ...HP, filters: 32, units: 128 });
    expect(countParameters(cnn)).toBe(244_290);
  });

  it('refuses a CNN on too few features', () => {
    expect(() => buildArch('cnn', 3, 2, HP)).toThrow(/at least 4/);
  });
});

describe('TensorFlow.js inference agrees with the plain-loop reference', () => {
  const kinds: NeuralKind[] = ['ann', 'mlp', 'dnn', 'cnn', 'autoencoder'];
  for (const kind of kinds) {
    it(kind, () => {
      const d = 9;
      const arch = buildArch(kind, d, 3, HP);
      // batch-norm running statistics away from 0/1 so the inference path is really exercised
      const w = randomize(initParams(arch, 1), 2).map((a, i) => (arch.params[i]!.name.endsWith('.var') ? a.map((v) => 0.5 + Math.abs(v)) : a));
      const X = { data: randomRows(50, d, 3), nSamples: 50, nFeatures: d };
      const ref = naiveForward(arch, w, X);
      if (kind === 'autoencoder') {
        const err = reconstructionErrors(tf, arch, w, X, 16);
        for (let r = 0; r < 50; r++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += (ref[r * d + j]! - X.data[r * d + j]!) ** 2;
          expect(err[r]).toBeCloseTo(s / d, 3);
        }
      } else {
        const p = softmaxProba(tf, arch, w, X, 16);
        for (let r = 0; r < 50; r++) {
          const z = [0, 1, 2].map((c) => ref[r * 3 + c]!);
          const mx = Math.max(...z);
          const e = z.map((v) => Math.exp(v - mx));
          const s = e[0]! + e[1]! + e[2]!;
          for (let c = 0; c < 3; c++) expect(p[r * 3 + c]).toBeCloseTo(e[c]! / s, 4);
        }
      }
    });
  }
});

describe('the hand-written dense backward pass', () => {
  function batchFor(kind: NeuralKind, arch: ReturnType<typeof buildArch>, n: number): StepBatch {
    const rng = new Rng(11);
    const d = arch.nInputs;
    const b: StepBatch = { x: randomRows(n, d, 5), n, masks: new Map() };
    if (kind !== 'autoencoder') {
      b.weight = Float32Array.from({ length: n }, (_, i) => 0.5 + (i % 4));
      b.weightedOneHot = new Float32Array(n * arch.nOutputs);
      for (let i = 0; i < n; i++) b.weightedOneHot[i * arch.nOutputs + (i % arch.nOutputs)] = b.weight[i]!;
    }
    let width = d;
    arch.layers.forEach((l, i) => {
      if (l.type === 'dense' || l.type === 'batchnorm') width = l.units;
      if (l.type === 'dropout') b.masks.set(i, Float32Array.from({ length: n * width }, () => (rng.next() < l.rate ? 0 : 1 / (1 - l.rate))));
    });
    return b;
  }

  for (const kind of ['dnn', 'mlp', 'autoencoder'] as NeuralKind[]) {
    it(`gives the gradients of automatic differentiation (${kind})`, () => {
      const arch = buildArch(kind, 7, 3, HP);
      const w = randomize(initParams(arch, 4), 5);
      const b = batchFor(kind, arch, 24);
      const fast = denseStep(tf, arch, w, b);
      const ref = autodiffStep(tf, arch, w, b);
      expect(fast.loss).toBeCloseTo(ref.loss, 5);
      arch.params.forEach((p, i) => {
        if (!p.trainable) {
          expect(fast.grads[i]).toBeNull();
          return;
        }
        const scale = Math.max(1e-3, ...Array.from(ref.grads[i]!, Math.abs));
        expect(maxAbsDiff(fast.grads[i]!, ref.grads[i]!) / scale).toBeLessThan(1e-4);
      });
      for (const [layer, s] of ref.batchStats) {
        expect(maxAbsDiff(fast.batchStats.get(layer)!.mean, s.mean)).toBeLessThan(1e-5);
        expect(maxAbsDiff(fast.batchStats.get(layer)!.variance, s.variance)).toBeLessThan(1e-5);
      }
    });
  }
});

describe('the hand-written 1-D CNN pass', () => {
  for (const d of [9, 12]) {
    it(`gives the gradients of automatic differentiation (${d} features: ${d % 4 ? 'odd pooling lengths' : 'even'})`, () => {
      const arch = buildArch('cnn', d, 3, { ...HP, filters: 3, units: 8 });
      expect(isConvArch(arch)).toBe(true);
      const w = randomize(initParams(arch, 6), 7);
      const n = 10;
      const rng = new Rng(12);
      const b: StepBatch = { x: randomRows(n, d, 8), n, masks: new Map() };
      b.weight = Float32Array.from({ length: n }, (_, i) => 1 + (i % 2));
      b.weightedOneHot = new Float32Array(n * 3);
      for (let i = 0; i < n; i++) b.weightedOneHot[i * 3 + (i % 3)] = b.weight[i]!;
      arch.layers.forEach((l, i) => {
        if (l.type === 'dropout') b.masks.set(i, Float32Array.from({ length: n * 8 }, () => (rng.next() < l.rate ? 0 : 1 / (1 - l.rate))));
      });
      const fast = convStep(tf, arch, w, b);
      const ref = autodiffStep(tf, arch, w, b);
      expect(fast.loss).toBeCloseTo(ref.loss, 5);
      arch.params.forEach((p, i) => {
        const scale = Math.max(1e-3, ...Array.from(ref.grads[i]!, Math.abs));
        expect(maxAbsDiff(fast.grads[i]!, ref.grads[i]!) / scale, p.name).toBeLessThan(1e-4);
      });
    });
  }
});

describe('dropout masks', () => {
  it('drop the given share, scale the rest by 1 / (1 - rate), and differ by seed', () => {
    const a = new Float32Array(100_000);
    dropoutMask(a, 0.2, 12345);
    const zeros = a.filter((v) => v === 0).length / a.length;
    expect(zeros).toBeGreaterThan(0.19);
    expect(zeros).toBeLessThan(0.21);
    expect(new Set(a)).toEqual(new Set([0, Math.fround(1.25)]));
    const b = new Float32Array(100_000);
    dropoutMask(b, 0.2, 12346);
    expect(Array.from(a.subarray(0, 64))).not.toEqual(Array.from(b.subarray(0, 64)));
    const c = new Float32Array(100_000);
    dropoutMask(c, 0.2, 12345);
    expect(c).toEqual(a);
  });
});

describe('Adam and schedules', () => {
  it('takes the textbook first step (|Δw| = lr, sign of the gradient)', () => {
    const w = [Float32Array.of(1, -2, 3)];
    new Adam([3]).step(w, [Float32Array.of(0.5, -4, 0)], 0.1, [0]);
    expect(w[0]![0]).toBeCloseTo(0.9, 5);
    expect(w[0]![1]).toBeCloseTo(-1.9, 5);
    expect(w[0]![2]).toBeCloseTo(3, 6);
  });

  it('decays with cosine to 1% and halves on a plateau', () => {
    expect(cosineRate(1, 0, 11)).toBeCloseTo(1);
    expect(cosineRate(1, 10, 11)).toBeCloseTo(0.01);
    const s = new PlateauSchedule(1, 2);
    expect([s.update(1), s.update(0.5), s.update(0.6), s.update(0.7)]).toEqual([1, 1, 1, 0.5]);
  });
});

describe('fitNeural', () => {
  const train = blobs(600, 6, 1);
  const valid = blobs(200, 6, 2);

  function accuracy(kind: NeuralKind, model: ReturnType<typeof fitNeural>, data: NeuralData): number {
    const p = predictNeural(tf, model, { data: data.X, nSamples: data.nSamples, nFeatures: data.nFeatures });
    let ok = 0;
    for (let i = 0; i < data.nSamples; i++) ok += (p[i * 2 + 1]! > p[i * 2]! ? 1 : 0) === data.y![i] ? 1 : 0;
    return ok / data.nSamples;
  }

  for (const kind of ['ann', 'mlp', 'dnn', 'cnn'] as NeuralKind[]) {
    it(`${kind} learns a linear boundary`, () => {
      const model = fitNeural(tf, train, valid, { kind, nClasses: 2, hp: { ...HP, epochs: kind === 'cnn' ? 12 : 20 } });
      expect(accuracy(kind, model, valid)).toBeGreaterThan(kind === 'cnn' ? 0.85 : 0.9);
      expect(model.history.length).toBe(kind === 'cnn' ? 12 : 20);
      expect(model.history.at(-1)!.train).toBeLessThan(model.history[0]!.train);
      expect(model.featureImportance.length).toBe(6);
      // the three features that decide the class matter more than the three that do not
      const imp = model.featureImportance;
      expect(Math.min(imp[0]!, imp[1]!, imp[2]!)).toBeGreaterThan(Math.max(imp[3]!, imp[4]!, imp[5]!));
    });
  }

  it('repeats exactly with the same seed and differs with another', () => {
    const hp = { ...HP, epochs: 3 };
    const a = fitNeural(tf, train, valid, { kind: 'dnn', nClasses: 2, hp });
    const b = fitNeural(tf, train, valid, { kind: 'dnn', nClasses: 2, hp });
    const c = fitNeural(tf, train, valid, { kind: 'dnn', nClasses: 2, hp: { ...hp, seed: 8 } });
    a.weights.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(b.weights[i]!)));
    expect(maxAbsDiff(a.weights[0]!, c.weights[0]!)).toBeGreaterThan(0);
  });

  it('stops early and keeps the best epoch', () => {
    // a tiny training set the network overfits: validation loss turns up
    const small = blobs(40, 6, 9);
    const model = fitNeural(tf, small, valid, { kind: 'mlp', nClasses: 2, hp: { ...HP, units: 64, dropout: 0, epochs: 300, learningRate: 0.03, patience: 5 } });
    expect(model.training.epochsRun).toBeLessThan(300);
    expect(model.training.epochsRun).toBe(model.training.bestEpoch + 5);
    const bestValid = Math.min(...model.history.map((h) => h.valid!));
    expect(model.history[model.training.bestEpoch - 1]!.valid).toBe(bestValid);
  });

  it('reports progress per batch and per epoch, and cancels between batches', () => {
    const seen: string[] = [];
    let calls = 0;
    expect(() =>
      fitNeural(tf, train, null, {
        kind: 'ann',
        nClasses: 2,
        hp: { ...HP, epochs: 5 },
        control: {
          onProgress: (p) => seen.push(`${p.current}:${p.batch?.current ?? '-'}:${p.history ? p.history.length : ''}`),
          isCancelled: () => ++calls > 30,
        },
      }),
    ).toThrow(FitCancelled);
    // 600 rows / 32 = 19 batches per epoch: one epoch end (with history) then batches of the second
    expect(seen).toContain('1:19:1');
    expect(seen.some((s) => s.startsWith('1:') && s.endsWith(':'))).toBe(true);
  });

  it('weighs classes: a heavy weight on the rare class raises its recall', () => {
    const n = 800;
    const X = randomRows(n, 4, 21);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) y[i] = X[i * 4]! > 1.3 ? 1 : 0; // ~10% positives, noisy boundary below
    for (let i = 0; i < n; i++) if (i % 7 === 0) X[i * 4] = X[i * 4]! + 0.5;
    const data = { X, nSamples: n, nFeatures: 4, y };
    const hp = { ...HP, epochs: 8, dropout: 0 };
    const recall = (m: ReturnType<typeof fitNeural>) => {
      const p = predictNeural(tf, m, { data: X, nSamples: n, nFeatures: 4 });
      let tp = 0;
      let pos = 0;
      for (let i = 0; i < n; i++) if (y[i]) { pos++; if (p[i * 2 + 1]! > 0.5) tp++; }
      return tp / pos;
    };
    const plain = fitNeural(tf, data, null, { kind: 'ann', nClasses: 2, hp });
    const weighted = fitNeural(tf, { ...data, sampleWeight: Float32Array.from(y, (c) => (c ? 10 : 1)) }, null, { kind: 'ann', nClasses: 2, hp });
    expect(recall(weighted)).toBeGreaterThan(recall(plain));
  });

  it('autoencoder: rows unlike the training rows reconstruct worse', () => {
    const benign = { X: randomRows(500, 8, 31).map((v, i) => (i % 8 < 4 ? v : v * 0.05)), nSamples: 500, nFeatures: 8 };
    const model = fitNeural(tf, benign, null, { kind: 'autoencoder', nClasses: 2, hp: { ...HP, units: 8, layers: 2, dropout: 0, epochs: 30 } });
    model.errorScale = 1;
    const odd = { data: randomRows(100, 8, 32).map((v) => v * 3), nSamples: 100, nFeatures: 8 };
    const same = { data: benign.X.subarray(0, 800), nSamples: 100, nFeatures: 8 };
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(reconstructionErrors(tf, model.arch, model.weights, odd))).toBeGreaterThan(3 * mean(reconstructionErrors(tf, model.arch, model.weights, same)));
    const p = predictNeural(tf, model, same);
    expect(p.length).toBe(200);
    expect(p[0]! + p[1]!).toBeCloseTo(1, 6);
  });
});
