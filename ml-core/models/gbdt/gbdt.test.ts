import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import { toRowMajor } from '../matrix.js';
import { FitCancelled, type ColMatrix, type FitProgress, type TrainSet } from '../types.js';
import { fitGbdt } from './gbdt.js';
import { GBDT_DEFAULTS, resolveGbdtParams } from './params.js';
import { predictClassNaive, predictProbaNaive, predictRawNaive } from './predict-naive.js';

function colMatrix(nSamples: number, nFeatures: number, value: (i: number, f: number) => number): ColMatrix {
  const data = new Float32Array(nSamples * nFeatures);
  for (let f = 0; f < nFeatures; f++) for (let i = 0; i < nSamples; i++) data[f * nSamples + i] = value(i, f);
  return { data, nSamples, nFeatures };
}

/** XOR of the signs of two features, plus noise features. */
function xor(nSamples: number, seed: number, nNoise = 2): TrainSet {
  const rng = new Rng(seed);
  const raw = Array.from({ length: nSamples }, () => Array.from({ length: 2 + nNoise }, () => rng.uniform(-1, 1)));
  const X = colMatrix(nSamples, 2 + nNoise, (i, f) => raw[i]![f]!);
  const y = Int32Array.from(raw, (r) => ((r[0]! > 0) !== (r[1]! > 0) ? 1 : 0));
  return { X, y, nClasses: 2 };
}

/** Three Gaussian blobs in 3 features with some overlap. */
function blobs(nSamples: number, seed: number, spread = 0.6): TrainSet {
  const rng = new Rng(seed);
  const centers = [
    [0, 0, 0],
    [2, 0, 1],
    [0, 2, -1],
  ];
  const y = Int32Array.from({ length: nSamples }, () => rng.int(3));
  const X = colMatrix(nSamples, 3, (i, f) => centers[y[i]!]![f]! + spread * rng.normal());
  return { X, y, nClasses: 3 };
}

function accuracy(pred: Int32Array, y: Int32Array): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) ok++;
  return ok / y.length;
}

describe('fitGbdt', () => {
  it('learns XOR with depth-2 trees', () => {
    const train = xor(2000, 1);
    const test = xor(1000, 2);
    const model = fitGbdt(train, null, { growth: 'depth', maxDepth: 2, maxLeaves: 0, maxRounds: 30, learningRate: 0.5 });
    expect(model.link).toBe('sigmoid');
    expect(model.forest.nResults).toBe(1);
    expect(model.forest.aggregate).toBe('sum');
    expect(accuracy(predictClassNaive(model, toRowMajor(test.X)), test.y)).toBeGreaterThan(0.97);
    // the two XOR features carry (nearly) all the gain
    expect(model.featureImportance[0]! + model.featureImportance[1]!).toBeGreaterThan(0.95);
    const sum = model.featureImportance.reduce((a, v) => a + v, 0);
    expect(sum).toBeCloseTo(1, 12);
  });

  it('learns a multiclass problem with one tree per class per round and a softmax link', () => {
    const train = blobs(3000, 3);
    const test = blobs(1000, 4);
    const model = fitGbdt(train, null, { maxRounds: 20 });
    expect(model.link).toBe('softmax');
    expect(model.forest.nResults).toBe(3);
    expect(model.forest.nTrees).toBe(60);
    expect(Array.from(model.forest.treeResult!.subarray(0, 6))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(model.forest.base.length).toBe(3);
    expect(accuracy(predictClassNaive(model, toRowMajor(test.X)), test.y)).toBeGreaterThan(0.85);
    const proba = predictProbaNaive(model, toRowMajor(test.X));
    expect(proba[0]! + proba[1]! + proba[2]!).toBeCloseTo(1, 12);
  });

  it('stores real-valued thresholds: the flat forest reproduces the training-time scores', () => {
    // training loss from the binned walk equals the loss of the naive flat-forest predictor
    // (row subsampling and minRowHessian leave rows out of trees: those are scored by a walk)
    for (const extra of [{ growth: 'leaf' }, { growth: 'depth', maxDepth: 4 }, { subsample: 0.6, minRowHessian: 0.05 }] as const) {
      const train = blobs(1500, 5);
      const model = fitGbdt(train, null, { maxRounds: 8, ...extra });
      const raw = predictRawNaive(model.forest, toRowMajor(train.X));
      let loss = 0;
      for (let i = 0; i < train.X.nSamples; i++) {
        const r = [raw[i * 3]!, raw[i * 3 + 1]!, raw[i * 3 + 2]!];
        const max = Math.max(...r);
        const lse = Math.log(r.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
        loss += lse - r[train.y[i]!]!;
      }
      expect(loss / train.X.nSamples).toBeCloseTo(model.history!.at(-1)!.train, 9);
    }
  });

  it('starts from the log-odds / log-prior base score', () => {
    const X = colMatrix(10, 1, () => 1); // constant: no split possible
    const y = Int32Array.of(1, 1, 1, 0, 0, 0, 0, 0, 0, 0);
    const model = fitGbdt({ X, y, nClasses: 2 }, null, { maxRounds: 3 });
    expect(model.forest.base[0]).toBeCloseTo(Math.log(3 / 7), 6);
    expect(model.featureImportance[0]).toBe(0);
    // nothing to split: boosting stops after one round of single-leaf trees
    expect(model.forest.nTrees).toBe(1);
    const multi = fitGbdt({ X, y: Int32Array.of(0, 0, 0, 0, 0, 1, 1, 1, 2, 2), nClasses: 3 }, null, { maxRounds: 1 });
    expect(Array.from(multi.forest.base, (v) => Math.exp(v))).toEqual([0.5, 0.3, 0.2].map((p) => expect.closeTo(p, 6)));
  });

  it('is exactly repeatable for a seed, and the seed matters when sampling', () => {
    const train = blobs(1500, 6);
    const params = { maxRounds: 10, subsample: 0.7, colsample: 0.67, seed: 123 };
    const a = fitGbdt(train, null, params);
    const b = fitGbdt(train, null, params);
    expect(a.forest).toEqual(b.forest);
    expect(a.history).toEqual(b.history);
    const c = fitGbdt(train, null, { ...params, seed: 124 });
    expect(c.forest.threshold).not.toEqual(a.forest.threshold);
  });

  it('stops early and keeps the trees of the best validation round', () => {
    // labels are pure noise: the validation loss bottoms out early and then rises
    const rng = new Rng(8);
    const noise = (n: number): TrainSet => ({ X: colMatrix(n, 4, () => rng.normal()), y: Int32Array.from({ length: n }, () => rng.int(2)), nClasses: 2 });
    const train = noise(800);
    const valid = noise(400);
    const model = fitGbdt(train, valid, { maxRounds: 200, earlyStoppingRounds: 5, learningRate: 0.3 });
    const history = model.history!;
    const best = history.reduce((b, h, i) => (h.valid! < history[b]!.valid! ? i : b), 0);
    expect(history.length).toBe(best + 1 + 5);
    expect(history.length).toBeLessThan(200);
    expect(model.forest.nTrees).toBe(best + 1);
    expect(model.params.roundsKept).toBe(best + 1);
    // the kept forest scores the validation set with the best round's loss
    const raw = predictRawNaive(model.forest, toRowMajor(valid.X));
    let loss = 0;
    for (let i = 0; i < raw.length; i++) {
      const z = raw[i]!;
      loss += Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0) - (valid.y[i] === 1 ? z : 0);
    }
    expect(loss / raw.length).toBeCloseTo(history[best]!.valid!, 6);
  });

  it('reports progress every round and throws FitCancelled when asked to stop', () => {
    const train = blobs(600, 7);
    const seen: FitProgress[] = [];
    fitGbdt(train, blobs(200, 8), { maxRounds: 4, earlyStoppingRounds: 0 }, { onProgress: (p) => seen.push(p) });
    const boosting = seen.filter((p) => p.phase === 'boosting');
    expect(boosting.map((p) => p.current)).toEqual([1, 2, 3, 4]);
    expect(boosting.every((p) => p.total === 4 && p.metric?.name === 'valid logloss' && p.metric.value > 0)).toBe(true);
    let polls = 0;
    expect(() => fitGbdt(train, null, { maxRounds: 50 }, { isCancelled: () => ++polls > 5 })).toThrow(FitCancelled);
  });

  it('honours maxLeaves (leaf-wise) and maxDepth (depth-wise)', () => {
    const train = blobs(2000, 9, 1.2);
    const leafy = fitGbdt(train, null, { maxRounds: 3, growth: 'leaf', maxLeaves: 5, minChildWeight: 1e-3 });
    const deep = fitGbdt(train, null, { maxRounds: 3, growth: 'depth', maxDepth: 3, maxLeaves: 0, minChildWeight: 1e-3 });
    for (const [model, check] of [
      [leafy, (leaves: number) => expect(leaves).toBeLessThanOrEqual(5)],
      [deep, (_: number, depth: number) => expect(depth).toBeLessThanOrEqual(3)],
    ] as const) {
      const f = model.forest;
      for (let t = 0; t < f.nTrees; t++) {
        let leaves = 0;
        let maxDepth = 0;
        const walk = (n: number, d: number) => {
          if (f.feature[n]! < 0) {
            leaves++;
            maxDepth = Math.max(maxDepth, d);
          } else {
            walk(f.left[n]!, d + 1);
            walk(f.right[n]!, d + 1);
          }
        };
        walk(f.treeRoot[t]!, 0);
        check(leaves, maxDepth);
      }
    }
    // depth-wise to depth 3 fills the levels on this data
    expect(deep.forest.feature.length).toBeGreaterThan(3 * 7);
  });

  it('honours sample weights', () => {
    const train = blobs(2000, 10, 1.5);
    const weight = Float32Array.from(train.y, (c) => (c === 2 ? 10 : 1));
    const plain = fitGbdt(train, null, { maxRounds: 10 });
    const weighted = fitGbdt({ ...train, sampleWeight: weight }, null, { maxRounds: 10 });
    const X = toRowMajor(train.X);
    const share = (m: typeof plain) => predictClassNaive(m, X).filter((c) => c === 2).length;
    expect(share(weighted)).toBeGreaterThan(share(plain) * 1.1);
    // zero weight everywhere but class 0 and 1 rows: class 2 is never predicted
    const zeroed = fitGbdt({ ...train, sampleWeight: Float32Array.from(train.y, (c) => (c === 2 ? 0 : 1)) }, null, { maxRounds: 10 });
    expect(share(zeroed)).toBe(0);
  });

  it('stays stable with heavy class weights (maxDeltaStep caps the leaf steps)', () => {
    const rng = new Rng(12);
    const n = 3000;
    const y = Int32Array.from({ length: n }, () => (rng.next() < 0.01 ? 1 : 0));
    const X = colMatrix(n, 3, (i, f) => (f === 0 ? y[i]! * 2 : 0) + rng.normal());
    const w = Float32Array.from(y, (c) => (c === 1 ? 50 : 1));
    const model = fitGbdt({ X, y, nClasses: 2, sampleWeight: w }, null, { maxRounds: 30, maxDeltaStep: 2 });
    const losses = model.history!.map((h) => h.train);
    for (let i = 1; i < losses.length; i++) expect(losses[i]!).toBeLessThan(losses[i - 1]! + 1e-9);
    let maxAbs = 0;
    for (const v of model.forest.value) maxAbs = Math.max(maxAbs, Math.abs(v));
    expect(maxAbs).toBeLessThanOrEqual(2 * resolveGbdtParams().learningRate + 1e-6);
  });

  it('does not crash on NaN and sends NaN right as the flat predictor does', () => {
    const rng = new Rng(13);
    const n = 1000;
    const X = colMatrix(n, 2, (_, f) => (rng.next() < 0.2 ? NaN : rng.normal() + f));
    const y = Int32Array.from({ length: n }, (_, i) => (Number.isNaN(X.data[i]!) || X.data[i]! > 0.5 ? 1 : 0));
    const model = fitGbdt({ X, y, nClasses: 2 }, null, { maxRounds: 10 });
    const pred = predictClassNaive(model, toRowMajor(X));
    expect(accuracy(pred, y)).toBeGreaterThan(0.99);
    // training-time loss matches the flat forest's on the same rows, NaN included
    const raw = predictRawNaive(model.forest, toRowMajor(X));
    let loss = 0;
    for (let i = 0; i < n; i++) loss += Math.log1p(Math.exp(-Math.abs(raw[i]!))) + Math.max(raw[i]!, 0) - (y[i] === 1 ? raw[i]! : 0);
    expect(loss / n).toBeCloseTo(model.history!.at(-1)!.train, 9);
  });

  it('rejects bad input with a clear message', () => {
    const train = blobs(50, 14);
    expect(() => fitGbdt({ ...train, y: train.y.map(() => 5) }, null)).toThrow(/label 5/);
    expect(() => fitGbdt({ ...train, nClasses: 1 }, null)).toThrow(/at least 2 classes/);
    expect(() => fitGbdt(train, { ...blobs(10, 15), X: colMatrix(10, 2, () => 0) })).toThrow(/features/);
    expect(() => fitGbdt({ ...train, sampleWeight: new Float32Array(50).fill(-1) }, null)).toThrow(/weight/);
  });
});

describe('resolveGbdtParams', () => {
  it('fills defaults and keeps what is given', () => {
    expect(resolveGbdtParams()).toEqual(GBDT_DEFAULTS);
    expect(resolveGbdtParams({ learningRate: 0.05 }).learningRate).toBe(0.05);
    expect(resolveGbdtParams({ learningRate: undefined }).learningRate).toBe(GBDT_DEFAULTS.learningRate);
  });

  it('rejects values out of range and unknown names', () => {
    expect(() => resolveGbdtParams({ learningRate: 0 })).toThrow(/learningRate/);
    expect(() => resolveGbdtParams({ maxBins: 300 })).toThrow(/maxBins/);
    expect(() => resolveGbdtParams({ subsample: 1.5 })).toThrow(/subsample/);
    expect(() => resolveGbdtParams({ growth: 'wide' as 'leaf' })).toThrow(/growth/);
    expect(() => resolveGbdtParams({ maxLeaves: 0, maxDepth: 0 })).toThrow(/size limit/);
    expect(() => resolveGbdtParams({ bogus: 1 } as never)).toThrow(/bogus/);
  });
});
