/**
 * Accuracy on the real datasets (../shared/datasets), skipped when they are absent. The data is
 * prepared here with small helpers (non-finite -> 0, categorical codes through the training
 * dictionary, a seeded stratified split) so that this test does not depend on ml-core/preprocess.
 * Peers on the same data (../shared/peers/tables.md): XGBoost hist macro-F1 0.977 on CICIDS,
 * accuracy 0.795 on KDDTest+ (one-hot categoricals).
 */
import { describe, expect, it } from 'vitest';
import { datasetsDir } from '../../../tests/support/flow-import.js';
import { realData } from '../../../tests/support/ml-data.js';
import type { RawFrame } from '../../preprocess/types.js';
import { Rng } from '../../rng.js';
import { takeRows, toRowMajor } from '../matrix.js';
import type { ColMatrix, TrainSet } from '../types.js';
import { fitGbdt } from './gbdt.js';
import { predictClassNaive } from './predict-naive.js';

/** Column-major matrix of a frame: non-finite numbers -> 0; categorical codes re-mapped to `ref`'s dictionary (unseen -> -1). */
function toMatrix(frame: RawFrame, ref: RawFrame = frame): ColMatrix {
  const n = frame.nSamples;
  const data = new Float32Array(n * frame.columns.length);
  frame.columns.forEach((c, f) => {
    if (c.kind === 'numeric') {
      for (let i = 0; i < n; i++) data[f * n + i] = Number.isFinite(c.values[i]!) ? c.values[i]! : 0;
    } else {
      const r = ref.columns[f]!;
      const map = c.categories.map((s) => (r.kind === 'categorical' ? r.categories.indexOf(s) : -1));
      for (let i = 0; i < n; i++) data[f * n + i] = c.codes[i]! < 0 ? -1 : map[c.codes[i]!]!;
    }
  });
  return { data, nSamples: n, nFeatures: frame.columns.length };
}

/** Per class, a seeded shuffle puts round(share x count) rows in `test`; both lists ascending. */
function stratifiedSplit(y: Int32Array, nClasses: number, share: number, seed: number) {
  const rng = new Rng(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (let k = 0; k < nClasses; k++) {
    const idx = Int32Array.from(y.keys()).filter((i) => y[i] === k);
    rng.shuffle(idx);
    const nTest = Math.round(idx.length * share);
    idx.forEach((r, j) => (j < nTest ? test : train).push(r));
  }
  const sorted = (a: number[]) => Int32Array.from(a.sort((p, q) => p - q));
  return { train: sorted(train), test: sorted(test) };
}

function subset(s: TrainSet, rows: Int32Array): TrainSet {
  return { X: takeRows(s.X, rows), y: Int32Array.from(rows, (r) => s.y[r]!), nClasses: s.nClasses };
}

function scores(y: Int32Array, pred: Int32Array, nClasses: number) {
  const tp = new Float64Array(nClasses);
  const fp = new Float64Array(nClasses);
  const fn = new Float64Array(nClasses);
  let ok = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === pred[i]) {
      ok++;
      tp[y[i]!]++;
    } else {
      fn[y[i]!]++;
      fp[pred[i]!]++;
    }
  }
  let f1 = 0;
  for (let k = 0; k < nClasses; k++) f1 += tp[k]! > 0 ? (2 * tp[k]!) / (2 * tp[k]! + fp[k]! + fn[k]!) : 0;
  return { accuracy: ok / y.length, macroF1: f1 / nClasses };
}

describe.skipIf(!datasetsDir())('gradient boosting on real flow data', () => {
  it('CICIDS2017 sample, 16 classes, 70/30 split: macro-F1 >= 0.98', () => {
    const cic = realData.cicids('label')!;
    const all: TrainSet = { X: toMatrix(cic.frame), y: cic.y, nClasses: cic.classes.length };
    const split = stratifiedSplit(all.y, all.nClasses, 0.3, 42);
    const train = subset(all, split.train);
    const test = subset(all, split.test);
    // every training row is used (100 rounds, no early stopping): the rare classes have 8-25
    // training rows, and holding 10% back for early stopping moves macro-F1 by +-0.01 with the
    // luck of which rows go (0.972-0.991 over 8 seeds of that split, mean 0.980)
    const model = fitGbdt(train, null, {});
    const r = scores(test.y, predictClassNaive(model, toRowMajor(test.X)), all.nClasses);
    expect(model.forest.nTrees).toBe(100 * 16);
    expect(r.macroF1).toBeGreaterThanOrEqual(0.98);
    expect(r.accuracy).toBeGreaterThan(0.98);
  });

  it('NSL-KDD binary, KDDTrain+_20Percent -> KDDTest+: accuracy >= 0.785', () => {
    const tr = realData.nslTrain('binary')!;
    const te = realData.nslTest('binary')!;
    expect(te.classes).toEqual(tr.classes);
    const model = fitGbdt({ X: toMatrix(tr.frame), y: tr.y, nClasses: 2 }, null, {});
    const r = scores(te.y, predictClassNaive(model, toRowMajor(toMatrix(te.frame, tr.frame))), 2);
    expect(r.accuracy).toBeGreaterThanOrEqual(0.785);
  });
});
