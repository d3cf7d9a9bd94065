import { describe, expect, it } from 'vitest';
import { datasetsDir } from '../../../tests/support/flow-import.js';
import { realData } from '../../../tests/support/ml-data.js';
import { Rng } from '../../rng.js';
import { forestRawNaive, leafOf } from '../flat/naive.js';
import { attackScore, forestRaw, predictClass, predictProba } from '../flat/predict.js';
import { frameMatrix, rocAucSimple } from '../forest/test-data.js';
import { toRowMajor } from '../matrix.js';
import { FitCancelled, type ColMatrix } from '../types.js';
import {
  averagePathLength,
  combineIsolationParts,
  fitIsolationForest,
  fitIsolationPart,
  isolationSubsample,
  resolveIsolationParams,
  setAnomalyThreshold,
} from './isolation.js';

/** Normal cloud around 0 plus a few far outliers (the last nOut rows). */
function cloud(n: number, nOut: number, nFeatures: number, seed: number): ColMatrix {
  const rng = new Rng(seed);
  const total = n + nOut;
  const data = new Float32Array(total * nFeatures);
  for (let f = 0; f < nFeatures; f++) {
    for (let i = 0; i < total; i++) data[f * total + i] = i < n ? rng.normal() : 6 + rng.normal();
  }
  // one constant feature
  for (let i = 0; i < total; i++) data[(nFeatures - 1) * total + i] = 3;
  return { data, nSamples: total, nFeatures };
}

describe('isolation forest', () => {
  it('c(n) and subsample sizes follow scikit-learn', () => {
    expect(averagePathLength(0)).toBe(0);
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    expect(averagePathLength(256)).toBeCloseTo(2 * (Math.log(255) + 0.5772156649) - (2 * 255) / 256, 9);
    expect(isolationSubsample('auto', 10000)).toBe(256);
    expect(isolationSubsample('auto', 100)).toBe(100);
    expect(isolationSubsample(0.5, 100)).toBe(50);
    expect(isolationSubsample(1000, 100)).toBe(100);
    expect(() => resolveIsolationParams({ contamination: 0.7 })).toThrow(/contamination/);
    expect(() => resolveIsolationParams({ maxSamples: 1 })).toThrow(/maxSamples/);
  });

  it('trees: depth-limited, leaves hold c(node size), path length = depth + c; scores rank outliers first', () => {
    const X = cloud(2000, 20, 4, 1);
    const m = fitIsolationForest(X, null, { nTrees: 50, seed: 3 });
    const f = m.forest;
    expect(m.kind).toBe('isolation-forest');
    expect(m.link).toBe('anomaly');
    expect(m.nClasses).toBe(2);
    expect(f.aggregate).toBe('isolation');
    expect(f.base[0]).toBe(Math.fround(averagePathLength(256)));
    const Xr = toRowMajor(X);
    for (let t = 0; t < f.nTrees; t++) {
      for (let r = 0; r < 50; r++) {
        const { leaf, depth } = leafOf(f, t, Xr, r);
        expect(depth).toBeLessThanOrEqual(8);
        expect(f.value[leaf]).toBe(Math.fround(averagePathLength(f.cover![leaf]!)));
      }
    }
    // the constant feature is never split on
    expect(f.feature.includes(3)).toBe(false);
    expect(m.featureImportance[3]).toBe(0);
    const s = forestRaw(f, Xr);
    expect(s).toEqual(forestRawNaive(f, Xr));
    const positive = Uint8Array.from({ length: 2020 }, (_, i) => (i >= 2000 ? 1 : 0));
    expect(rocAucSimple(positive, s)).toBeGreaterThan(0.99);
    for (const v of s) {
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThan(1);
    }
  });

  it('parts combine into the same forest, on a subset of rows', () => {
    const X = cloud(500, 5, 3, 2);
    const rows = Int32Array.from({ length: 300 }, (_, i) => i * 1 + 100);
    const p = { nTrees: 9, seed: 11, maxSamples: 64 };
    const one = combineIsolationParts([fitIsolationPart(X, rows, p, { start: 0, count: 9 })]);
    const two = combineIsolationParts([fitIsolationPart(X, rows, p, { start: 5, count: 4 }), fitIsolationPart(X, rows, p, { start: 0, count: 5 })]);
    expect(two.forest.feature).toEqual(one.forest.feature);
    expect(two.forest.threshold).toEqual(one.forest.threshold);
    expect(two.forest.value).toEqual(one.forest.value);
    expect(one.params.subsample).toBe(64);
    expect(() => combineIsolationParts([fitIsolationPart(X, rows, p, { start: 0, count: 4 })])).toThrow(/4 of 9/);
  });

  it('contamination places the threshold at the training-score quantile; setAnomalyThreshold moves it', () => {
    const X = cloud(1000, 0, 3, 4);
    const m = fitIsolationForest(X, null, { nTrees: 30, contamination: 0.1 });
    const Xr = toRowMajor(X);
    const flagged = predictClass(m, Xr).reduce((s, v) => s + v, 0);
    expect(flagged).toBeGreaterThanOrEqual(95);
    expect(flagged).toBeLessThanOrEqual(105);
    expect(fitIsolationForest(X, null, { nTrees: 5 }).threshold).toBe(0.5);
    setAnomalyThreshold(m, 0.99);
    expect(predictClass(m, Xr).reduce((s, v) => s + v, 0)).toBe(0);
    const p = predictProba(m, Xr);
    const a = attackScore(m, Xr, 0);
    expect(p[1]).toBe(a[0]);
    expect(() => setAnomalyThreshold(m, NaN)).toThrow(/finite/);
  });

  it('is cancellable and refuses fewer than 2 rows', () => {
    const X = cloud(100, 0, 2, 5);
    expect(() => fitIsolationForest(X, null, { nTrees: 10 }, { isCancelled: () => true })).toThrow(FitCancelled);
    expect(() => fitIsolationForest(X, Int32Array.of(3), {})).toThrow(/at least 2/);
  });
});

describe.skipIf(!datasetsDir())('isolation forest on NSL-KDD', () => {
  it('fit on KDDTrain+_20Percent normals, ROC-AUC on KDDTest+ >= 0.90 (sklearn, one-hot + scaling: 0.936)', () => {
    const a = realData.nslTrain('binary')!;
    const b = realData.nslTest('binary')!;
    const X = frameMatrix(a.frame);
    const benignRows = Int32Array.from(Array.from(a.y.keys()).filter((i) => a.y[i] === a.benign));
    const m = fitIsolationForest(X, benignRows, { seed: 42 });
    const s = attackScore(m, toRowMajor(frameMatrix(b.frame, null, a.frame)), b.benign);
    const auc = rocAucSimple(Uint8Array.from(b.y, (c) => (c === b.benign ? 0 : 1)), s);
    expect(auc).toBeGreaterThanOrEqual(0.9);
  });
});
