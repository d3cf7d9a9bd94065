/**
 * Accuracy on the real datasets (skipped when ../shared/datasets is absent), against the
 * scikit-learn peer figures in ../shared/peers/tables.md.
 */
import { describe, expect, it } from 'vitest';
import { datasetsDir } from '../../../tests/support/flow-import.js';
import { realData } from '../../../tests/support/ml-data.js';
import { predictClass } from '../flat/predict.js';
import { toRowMajor } from '../matrix.js';
import { cicidsSklearnSplit, CICIDS_SAMPLE_ROWS } from './cicids-split.fixture.js';
import { fitForest, fitForestPart, combineForestParts } from './forest.js';
import { accuracy, frameMatrix, frameMatrixOneHot, macroF1, pick } from './test-data.js';

describe.skipIf(!datasetsDir())('forests on real data', () => {
  it('CICIDS2017 sample, 16 labels, scikit-learn split: extra-trees macro-F1 >= 0.985 (sklearn 0.990)', () => {
    const d = realData.cicids('label')!;
    expect(d.frame.nSamples).toBe(CICIDS_SAMPLE_ROWS);
    const K = d.classes.length;
    const { train, test } = cicidsSklearnSplit();
    const trainSet = { X: frameMatrix(d.frame, train), y: pick(d.y, train), nClasses: K };
    const Xte = toRowMajor(frameMatrix(d.frame, test));
    const yte = pick(d.y, test);
    // fitted in two parts, as two workers would
    const params = { kind: 'extra-trees' as const, seed: 42 };
    const model = combineForestParts([fitForestPart(trainSet, params, { start: 0, count: 50 }), fitForestPart(trainSet, params, { start: 50, count: 50 })], trainSet.y);
    const pred = predictClass(model, Xte);
    const f1 = macroF1(yte, pred, K);
    const acc = accuracy(yte, pred);
    expect(f1).toBeGreaterThanOrEqual(0.985);
    expect(acc).toBeGreaterThanOrEqual(0.98);
  });

  it('NSL-KDD binary, KDDTrain+_20Percent -> KDDTest+: random forest (ordinal) >= 0.776, extra-trees (one-hot) >= 0.774', () => {
    const a = realData.nslTrain('binary')!;
    const b = realData.nslTest('binary')!;
    expect(b.classes).toEqual(a.classes);
    const Xtr = frameMatrix(a.frame);
    const Xte = toRowMajor(frameMatrix(b.frame, null, a.frame));
    const rf = fitForest({ X: Xtr, y: a.y, nClasses: 2 }, { kind: 'random-forest' });
    expect(accuracy(b.y, predictClass(rf, Xte))).toBeGreaterThanOrEqual(0.776); // sklearn one-hot: 0.786; ordinal: 0.774
    expect(rf.oobScore).toBeGreaterThan(0.99);

    // extra-trees on ordinal codes: mean over seeds at least scikit-learn's on the same matrix (0.766)
    const accs = [42, 7, 1].map((seed) => accuracy(b.y, predictClass(fitForest({ X: Xtr, y: a.y, nClasses: 2 }, { kind: 'extra-trees', seed }), Xte)));
    expect(accs.reduce((s, v) => s + v, 0) / accs.length).toBeGreaterThanOrEqual(0.766);

    // extra-trees with the peer's one-hot encoding
    const et = fitForest({ X: frameMatrixOneHot(a.frame), y: a.y, nClasses: 2 }, { kind: 'extra-trees' });
    expect(accuracy(b.y, predictClass(et, toRowMajor(frameMatrixOneHot(b.frame, a.frame))))).toBeGreaterThanOrEqual(0.774); // sklearn: 0.784
  });
});
