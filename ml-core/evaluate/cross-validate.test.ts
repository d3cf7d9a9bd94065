import { describe, expect, it } from 'vitest';
import { crossValidate, crossValidateAsync, holdout, summarize } from './cross-validate.js';
import { stratifiedKFold } from '../preprocess/split.js';
import { classificationMetrics } from '../metrics/classification.js';

describe('summarize', () => {
  it('gives mean and sample standard deviation', () => {
    const s = summarize([1, 2, 3, 4]);
    expect(s.mean).toBe(2.5);
    expect(s.std).toBeCloseTo(Math.sqrt(5 / 3), 15);
    expect(summarize([7])).toEqual({ mean: 7, std: 0 });
    expect(summarize([]).mean).toBeNaN();
  });
});

describe('crossValidate', () => {
  const classes = ['benign', 'attack', 'scan'];
  const y = Int32Array.from({ length: 53 }, (_, i) => (i % 5 === 0 ? 1 : i % 11 === 0 ? 2 : 0));

  it('runs the folds of stratifiedKFold and scores the test rows', () => {
    const seen: Array<{ train: number[]; test: number[] }> = [];
    // predicts benign except for every third test row, which gets its true class
    const fitAndPredict = (train: Int32Array, test: Int32Array): Int32Array => {
      seen.push({ train: Array.from(train), test: Array.from(test) });
      return test.map((r, i) => (i % 3 === 0 ? y[r]! : 0));
    };
    const folds: number[] = [];
    const res = crossValidate({ y, nClasses: 3, folds: 4, seed: 3, classes, benign: 0, fitAndPredict, onFold: (f) => folds.push(f) });
    expect(folds).toEqual([0, 1, 2, 3]);
    const expectedFolds = stratifiedKFold(y, 3, 4, 3);
    expect(seen).toEqual(expectedFolds.map((f) => ({ train: Array.from(f.train), test: Array.from(f.test) })));
    expect(res.perFold.length).toBe(4);
    expectedFolds.forEach((f, k) => {
      const yt = f.test.map((r) => y[r]!);
      const yp = f.test.map((r, i) => (i % 3 === 0 ? y[r]! : 0));
      expect(res.perFold[k]).toEqual(classificationMetrics(yt, yp, classes, 0));
    });
    const acc = res.perFold.map((m) => m.accuracy);
    expect(res.summary.folds).toBe(4);
    expect(res.summary.accuracy).toEqual(summarize(acc));
    expect(res.summary.falsePositiveRate).toEqual({ mean: 0, std: 0 });
    expect(res.summary.detectionRate!.mean).toBeGreaterThan(0);
    expect(res.summary.detectionRate!.mean).toBeLessThan(1);
  });

  it('an oracle scores 1 everywhere; rates without benign are null; bad prediction length throws', () => {
    const res = crossValidate({ y, nClasses: 3, folds: 3, seed: 1, classes, benign: -1, fitAndPredict: (_t, test) => test.map((r) => y[r]!) });
    expect(res.summary.accuracy).toEqual({ mean: 1, std: 0 });
    expect(res.summary.mcc).toEqual({ mean: 1, std: 0 });
    expect(res.summary.detectionRate).toBeNull();
    expect(() => crossValidate({ y, nClasses: 3, folds: 3, seed: 1, classes, benign: 0, fitAndPredict: () => new Int32Array(1) })).toThrow(/predictions/);
  });

  it('the async variant gives the same result', async () => {
    const f = (_t: Int32Array, test: Int32Array): Int32Array => test.map((r, i) => (i % 2 ? y[r]! : 1));
    const sync = crossValidate({ y, nClasses: 3, folds: 5, seed: 8, classes, benign: 0, fitAndPredict: f });
    const asyncRes = await crossValidateAsync({ y, nClasses: 3, folds: 5, seed: 8, classes, benign: 0, fitAndPredict: async (t, test) => f(t, test) });
    expect(asyncRes).toEqual(sync);
  });
});

describe('holdout', () => {
  it('splits, predicts and scores', () => {
    const y = Int32Array.from({ length: 40 }, (_, i) => i % 4);
    const r = holdout({ y, nClasses: 4, testSize: 0.25, seed: 2, classes: ['a', 'b', 'c', 'd'], benign: 0, fitAndPredict: (_t, test) => test.map((row) => y[row]!) });
    expect(r.test.length).toBe(12); // round(0.25 * 10) = 3 per class (2.5 rounds up)
    expect(r.train.length).toBe(28);
    expect(r.metrics.accuracy).toBe(1);
  });
});
