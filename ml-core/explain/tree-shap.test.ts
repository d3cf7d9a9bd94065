import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetsDir, filesIn, FIXTURES } from '../../tests/support/flow-import.js';
import { loadPaths, realData } from '../../tests/support/ml-data.js';
import { Rng } from '../rng.js';
import { forestRaw, predictProba } from '../models/flat/predict.js';
import { combineForestParts, fitForest, fitForestPart } from '../models/forest/forest.js';
import { frameMatrix, pick } from '../models/forest/test-data.js';
import { fitGbdt } from '../models/gbdt/gbdt.js';
import { fitIsolationForest } from '../models/iforest/isolation.js';
import { toRowMajor } from '../models/matrix.js';
import type { ColMatrix, FlatForest, RowMatrix, TrainedTreeModel } from '../models/types.js';
import { decodeModelFile, encodeModelFile } from '../serialize/model-file.js';
import { treeModelFromFile, treeModelToFile } from '../serialize/tree-model.js';
import { bruteForceShapley } from './shapley-reference.js';
import { ExplanationUnavailable, treeShap } from './tree-shap.js';

function sum(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}

function row(X: RowMatrix, r: number): Float32Array {
  return X.data.slice(r * X.nFeatures, (r + 1) * X.nFeatures);
}

/** Synthetic classification data: classes from interactions of a few features, some noise columns. */
function synthetic(n: number, nFeatures: number, nClasses: number, seed: number): { X: ColMatrix; y: Int32Array; rows: RowMatrix } {
  const rng = new Rng(seed);
  const data = new Float32Array(n * nFeatures); // column-major
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < nFeatures; f++) data[f * n + i] = f === 3 ? Math.floor(rng.next() * 4) : rng.normal();
    const a = data[i]!;
    const b = data[n + i]!;
    const c = data[2 * n + i]!;
    const score = a + 0.8 * b * (c > 0 ? 1 : -1) + 0.3 * data[3 * n + i]! + 0.4 * rng.normal();
    y[i] = nClasses === 2 ? (score > 0.3 ? 1 : 0) : Math.min(nClasses - 1, Math.max(0, Math.floor((score + 2) / (4 / nClasses))));
  }
  const X = { data, nSamples: n, nFeatures };
  return { X, y, rows: toRowMajor(X) };
}

/** Test rows: training rows, fresh rows, and rows with missing (NaN) and extreme values. */
function probeRows(rows: RowMatrix, seed: number, count: number): Float32Array[] {
  const rng = new Rng(seed, 5);
  const out: Float32Array[] = [];
  for (let i = 0; i < count; i++) {
    const x = row(rows, rng.int(rows.nSamples));
    if (i % 4 === 1) x[rng.int(x.length)] = NaN;
    if (i % 4 === 2) x[rng.int(x.length)] = 1e6;
    if (i % 4 === 3) for (let f = 0; f < x.length; f++) x[f] = rng.normal() * 2;
    out.push(x);
  }
  return out;
}

function expectMatchesReference(model: TrainedTreeModel, xs: Float32Array[], classes: number[]): void {
  for (const x of xs) {
    for (const c of classes) {
      const fast = treeShap(model, x, c);
      const ref = bruteForceShapley(model, x, c);
      expect(Math.abs(fast.base - ref.base)).toBeLessThan(1e-9);
      expect(Math.abs(fast.output - ref.output)).toBeLessThan(1e-9);
      for (let f = 0; f < x.length; f++) expect(Math.abs(fast.values[f]! - ref.values[f]!)).toBeLessThan(1e-9);
      expect(Math.abs(fast.base + sum(fast.values) - fast.output)).toBeLessThan(1e-6);
    }
  }
}

/** Sum to output for every probe row and class, and output = the flat predictor's (float32) output in the explained space. */
function expectAdditiveAndFaithful(model: TrainedTreeModel, xs: Float32Array[], classes: number[]): void {
  const nF = model.nFeatures;
  const X: RowMatrix = { data: new Float32Array(xs.length * nF), nSamples: xs.length, nFeatures: nF };
  xs.forEach((x, i) => X.data.set(x, i * nF));
  const raw = forestRaw(model.forest, X);
  const proba = predictProba(model, X);
  const nR = model.forest.nResults;
  xs.forEach((x, i) => {
    for (const c of classes) {
      const r = treeShap(model, x, c);
      expect(Math.abs(r.base + sum(r.values) - r.output)).toBeLessThan(1e-6);
      const tol = 2e-7 * Math.max(1, Math.abs(r.output));
      if (model.forest.aggregate === 'mean') {
        expect(r.outputName).toBe('probability');
        expect(Math.abs(r.output - proba[i * model.nClasses + c]!)).toBeLessThan(1e-6);
      } else if (model.forest.aggregate === 'sum') {
        expect(r.outputName).toBe('raw score (log-odds)');
        const margin = nR === 1 ? (c === 1 ? raw[i]! : -raw[i]!) : raw[i * nR + c]!;
        expect(Math.abs(r.output - margin)).toBeLessThan(tol + 1e-6);
        if (nR === 1) expect(Math.abs(1 / (1 + Math.exp(-r.output)) - proba[i * 2 + c]!)).toBeLessThan(1e-6);
      } else {
        expect(r.outputName).toBe('anomaly path length');
        const score = Math.pow(2, -r.output / model.forest.base[0]!);
        expect(Math.abs(score - raw[i]!)).toBeLessThan(1e-6);
      }
    }
  });
}

describe('TreeSHAP on hand-built trees', () => {
  /** One tree: x0 <= 0 ? (x1 <= 0 ? 0 : 1) : (x0 <= 1 ? 2 : 4); covers 10 / 6,4 / 3,3 / 1,3 */
  function handTree(): TrainedTreeModel {
    const forest: FlatForest = {
      nFeatures: 3,
      nOutputs: 1,
      nResults: 1,
      nTrees: 1,
      treeRoot: Int32Array.of(0),
      treeResult: Int32Array.of(0),
      feature: Int32Array.of(0, 1, -1, -1, 0, -1, -1),
      threshold: Float32Array.of(0, 0, 0, 0, 1, 0, 0),
      left: Int32Array.of(1, 2, -1, -1, 5, -1, -1),
      right: Int32Array.of(4, 3, -1, -1, 6, -1, -1),
      value: Float32Array.of(0, 0, 0, 1, 0, 2, 4),
      aggregate: 'sum',
      base: Float32Array.of(0.5),
      cover: Float32Array.of(10, 6, 3, 3, 4, 1, 3),
    };
    return { kind: 'gradient-boosting', params: {}, nFeatures: 3, nClasses: 2, forest, link: 'sigmoid', featureImportance: new Float64Array(3) };
  }

  it('gives the Shapley values worked out by hand, with a feature repeated on the path', () => {
    const m = handTree();
    // x = (2, -1, 0) reaches the leaf 4. Without the base 0.5: v({}) = 0.6 * 0.5 + 0.4 * (0.25 * 2 + 0.75 * 4) = 1.7;
    // v({0}) = 4 (x0 known: right, then right again); v({1}) = 0.6 * 0 + 0.4 * 3.5 = 1.4; v({0,1}) = 4.
    // phi0 = 0.5 * (4 - 1.7) + 0.5 * (4 - 1.4) = 2.45; phi1 = 0.5 * (1.4 - 1.7) + 0.5 * (4 - 4) = -0.15
    const r = treeShap(m, Float32Array.of(2, -1, 0), 1);
    expect(r.base).toBeCloseTo(0.5 + 1.7, 12);
    expect(r.output).toBeCloseTo(4.5, 12);
    expect(r.values[0]).toBeCloseTo(2.45, 12);
    expect(r.values[1]).toBeCloseTo(-0.15, 12);
    expect(r.values[2]).toBe(0);
    // class 0 of a binary booster: the negated margin
    const r0 = treeShap(m, Float32Array.of(2, -1, 0), 0);
    expect(r0.output).toBeCloseTo(-4.5, 12);
    expect(r0.values[0]).toBeCloseTo(-2.45, 12);
    expectMatchesReference(m, [Float32Array.of(2, -1, 0), Float32Array.of(0.5, 3, 1), Float32Array.of(-1, NaN, 0), Float32Array.of(NaN, -2, 0)], [0, 1]);
  });

  it('refuses a model without cover with a clear message, and a class out of range', () => {
    const m = handTree();
    delete m.forest.cover;
    expect(() => treeShap(m, Float32Array.of(0, 0, 0), 1)).toThrow(ExplanationUnavailable);
    expect(() => treeShap(m, Float32Array.of(0, 0, 0), 1)).toThrow(/Explanation not available.*Retrain/);
    expect(() => treeShap(handTree(), Float32Array.of(0, 0, 0), 2)).toThrow(/outside 0\.\.1/);
  });

  it('would catch a wrong cover weighting (the reference disagrees with a tree whose covers are swapped)', () => {
    const a = handTree();
    const b = handTree();
    b.forest.cover = Float32Array.of(10, 4, 3, 1, 6, 3, 3);
    const x = Float32Array.of(2, -1, 0);
    expect(Math.abs(treeShap(a, x, 1).values[0]! - bruteForceShapley(b, x, 1).values[0]!)).toBeGreaterThan(1e-3);
  });
});

describe('TreeSHAP matches the brute-force Shapley values on small trained models', () => {
  const bin = synthetic(300, 7, 2, 11);
  const multi = synthetic(300, 6, 3, 12);

  it('extra trees (deep, features repeated on paths)', () => {
    const m = fitForest({ X: multi.X, y: multi.y, nClasses: 3 }, { kind: 'extra-trees', nTrees: 5, seed: 3, maxFeatures: 'all' });
    const xs = probeRows(multi.rows, 1, 12);
    expectMatchesReference(m, xs, [0, 1, 2]);
    expectAdditiveAndFaithful(m, xs, [0, 1, 2]);
  });

  it('random forest with bootstrap and balanced class weights (weighted cover)', () => {
    const m = fitForest({ X: bin.X, y: bin.y, nClasses: 2 }, { kind: 'random-forest', nTrees: 4, seed: 5, maxDepth: 8, classWeight: 'balanced' });
    const xs = probeRows(bin.rows, 2, 12);
    expectMatchesReference(m, xs, [0, 1]);
    expectAdditiveAndFaithful(m, xs, [0, 1]);
  });

  it('gradient boosting, binary and multiclass', () => {
    const b = fitGbdt({ X: bin.X, y: bin.y, nClasses: 2 }, null, { maxRounds: 8, maxDepth: 4, maxLeaves: 0, growth: 'depth', seed: 1 });
    expect(b.forest.cover).toBeDefined();
    const xs = probeRows(bin.rows, 3, 10);
    expectMatchesReference(b, xs, [0, 1]);
    expectAdditiveAndFaithful(b, xs, [0, 1]);
    const m = fitGbdt({ X: multi.X, y: multi.y, nClasses: 3 }, null, { maxRounds: 6, maxLeaves: 12, subsample: 0.8, seed: 2 });
    const xm = probeRows(multi.rows, 4, 10);
    expectMatchesReference(m, xm, [0, 1, 2]);
    expectAdditiveAndFaithful(m, xm, [0, 1, 2]);
  });

  it('isolation forest (average path length)', () => {
    const m = fitIsolationForest(bin.X, null, { nTrees: 6, maxSamples: 64, seed: 9 });
    const xs = probeRows(bin.rows, 5, 12);
    expectMatchesReference(m, xs, [1]);
    expectAdditiveAndFaithful(m, xs, [0, 1]);
    // an outlier gets a shorter path than the average row: contributions sum negative
    const out = treeShap(m, Float32Array.of(8, -8, 8, 9, 8, -8, 8), 1);
    expect(out.output).toBeLessThan(out.base);
  });
});

describe('TreeSHAP on real fixture rows (CICIDS2017 corrected, 16 labels)', () => {
  const d = loadPaths(filesIn(join(FIXTURES, 'cicids2017-corrected')), 'label');
  const X = frameMatrix(d.frame);
  const rows = toRowMajor(X);
  const K = d.classes.length;

  it('matches brute force on an 8-column model trained on the fixture', () => {
    // eight informative CICFlowMeter columns
    const want = ['Destination Port', 'Flow Duration', 'Total Fwd Packet', 'Total Bwd packets', 'Fwd Packet Length Max', 'Flow Bytes/s', 'Flow IAT Mean', 'Init_Win_bytes_forward'];
    const names = d.frame.columns.map((c) => c.name);
    const cols = want.map((w) => names.findIndex((n) => n.toLowerCase().replace(/\s+/g, '') === w.toLowerCase().replace(/\s+/g, ''))).map((c, i) => (c >= 0 ? c : i * 5));
    const n = X.nSamples;
    const data = new Float32Array(n * cols.length);
    cols.forEach((c, j) => data.set(X.data.subarray(c * n, (c + 1) * n), j * n));
    const X8 = { data, nSamples: n, nFeatures: cols.length };
    const r8 = toRowMajor(X8);
    const xs = [0, 7, 20, 33, 50, 71, 90].filter((i) => i < n).map((i) => row(r8, i));
    const et = fitForest({ X: X8, y: d.y, nClasses: K }, { kind: 'extra-trees', nTrees: 6, seed: 42 });
    expectMatchesReference(et, xs, [0, d.y[7]!, K - 1]);
    const gb = fitGbdt({ X: X8, y: d.y, nClasses: K }, null, { maxRounds: 3, seed: 1, minChildWeight: 0.01, minSamplesLeaf: 1 });
    expectMatchesReference(gb, xs.slice(0, 4), [d.y[7]!, d.y[33]!]);
  });

  it('sums to the prediction for every family on all columns', () => {
    const xs = [0, 10, 25, 40, 60, 80].filter((i) => i < rows.nSamples).map((i) => row(rows, i));
    const classes = [0, d.y[25]!, d.y[60]!];
    expectAdditiveAndFaithful(fitForest({ X, y: d.y, nClasses: K }, { kind: 'extra-trees', nTrees: 20, seed: 1 }), xs, classes);
    expectAdditiveAndFaithful(fitForest({ X, y: d.y, nClasses: K }, { kind: 'random-forest', nTrees: 20, seed: 1 }), xs, classes);
    expectAdditiveAndFaithful(fitGbdt({ X, y: d.y, nClasses: K }, null, { maxRounds: 5, seed: 1, minChildWeight: 0.01, minSamplesLeaf: 1 }), xs, classes);
    const yb = Int32Array.from(d.y, (c) => (c === d.benign ? 0 : 1));
    expectAdditiveAndFaithful(fitGbdt({ X, y: yb, nClasses: 2 }, null, { maxRounds: 10, seed: 1, minChildWeight: 0.01, minSamplesLeaf: 1 }), xs, [0, 1]);
    expectAdditiveAndFaithful(fitIsolationForest(X, null, { nTrees: 30, seed: 1 }), xs, [1]);
  });

  it('keeps cover through the model file, so a reloaded booster explains the same', () => {
    const gb = fitGbdt({ X, y: d.y, nClasses: K }, null, { maxRounds: 4, seed: 3, minChildWeight: 0.01, minSamplesLeaf: 1 });
    const { manifest, arrays } = treeModelToFile(gb);
    const back = treeModelFromFile(decodeModelFile(encodeModelFile(manifest, arrays)));
    const x = row(rows, 12);
    expect(Array.from(treeShap(back, x, 2).values)).toEqual(Array.from(treeShap(gb, x, 2).values));
  });
});

function maxDepthOf(m: TrainedTreeModel): number {
  const f = m.forest;
  let best = 0;
  const walk = (n: number, d: number): void => {
    if (f.feature[n]! < 0) best = Math.max(best, d);
    else {
      walk(f.left[n]!, d + 1);
      walk(f.right[n]!, d + 1);
    }
  };
  for (let t = 0; t < f.nTrees; t++) walk(f.treeRoot[t]!, 0);
  return best;
}

describe.skipIf(!datasetsDir())('TreeSHAP on the CICIDS2017 sample', () => {
  // speed is reported here, not asserted (a benchmark's job); the sums are asserted
  it('explains rows of a 100-tree extra-trees model on real data, for every class asked', () => {
    const d = realData.cicids('label')!;
    const rng = new Rng(42, 9);
    const train = rng.sample(d.frame.nSamples, 12000).sort();
    const X = frameMatrix(d.frame, train);
    const m = combineForestParts([fitForestPart({ X, y: pick(d.y, train), nClasses: d.classes.length }, { kind: 'extra-trees', seed: 42 }, { start: 0, count: 100 })]);
    const all = toRowMajor(frameMatrix(d.frame));
    const probe = Array.from({ length: 40 }, () => row(all, rng.int(all.nSamples)));
    const pred = predictProba(m, { data: Float32Array.from(probe.flatMap((x) => Array.from(x))), nSamples: probe.length, nFeatures: m.nFeatures });
    const K = d.classes.length;
    const top = (i: number) => {
      let b = 0;
      for (let c = 1; c < K; c++) if (pred[i * K + c]! > pred[i * K + b]!) b = c;
      return b;
    };
    // warm-up: compiles the kernel and builds each class's base and live mask (once per model and class)
    const t0 = performance.now();
    for (let c = 0; c < K; c++) treeShap(m, probe[0]!, c);
    const firstMs = (performance.now() - t0) / K;
    const time = (cls: (i: number) => number) => {
      const t0 = performance.now();
      probe.forEach((x, i) => {
        const r = treeShap(m, x, cls(i));
        expect(Math.abs(r.base + sum(r.values) - r.output)).toBeLessThan(1e-6);
      });
      return (performance.now() - t0) / probe.length;
    };
    const msTop = time(top);
    const msBenign = time(() => d.benign);
    const msAttack = time(() => d.classes.indexOf('DoS Hulk'));
    console.log(
      `TreeSHAP, 100-tree extra-trees (${m.forest.feature.length} nodes, ${m.nFeatures} features, max depth ${maxDepthOf(m)}): ` +
        `${msTop.toFixed(2)} ms per row for the predicted class, ${msBenign.toFixed(2)} ms for BENIGN, ${msAttack.toFixed(2)} ms for DoS Hulk; ` +
        `first call per class ${firstMs.toFixed(2)} ms`,
    );
  });
});
