import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import { forestRaw, predictClass, predictProba } from '../flat/predict.js';
import { takeRows, toRowMajor } from '../matrix.js';
import { FitCancelled, type ColMatrix, type FitProgress, type TrainSet } from '../types.js';
import { combineForestParts, fitForest, fitForestPart, warmUpForest } from './forest.js';
import { FOREST_DEFAULTS, featuresPerNode, resolveForestParams } from './params.js';
import { buildTreeNaive } from './tree-builder-naive.js';
import { binaryFeatures, TreeBuilder, treeLeaf, type TreeConfig } from './tree-builder.js';

/**
 * Blobs: class c centred at c on a few informative features, plus noise, constant and few-valued
 * columns, and two two-valued ones (one informative, one rare like a one-hot column).
 */
function blobs(nSamples: number, nClasses: number, seed: number, nNoise = 3): TrainSet {
  const rng = new Rng(seed);
  const nInf = 3;
  const nFeatures = nInf + nNoise + 4;
  const data = new Float32Array(nSamples * nFeatures);
  const y = new Int32Array(nSamples);
  for (let i = 0; i < nSamples; i++) {
    const c = rng.int(nClasses);
    y[i] = c;
    for (let f = 0; f < nInf; f++) data[f * nSamples + i] = c * (f + 1) * 0.7 + rng.normal();
    for (let f = nInf; f < nInf + nNoise; f++) data[f * nSamples + i] = Math.round(rng.normal() * 3); // ties
    data[(nInf + nNoise) * nSamples + i] = 5; // constant
    data[(nInf + nNoise + 1) * nSamples + i] = c === 0 ? 1 : rng.int(3); // few distinct values
    data[(nInf + nNoise + 2) * nSamples + i] = rng.next() < 0.2 + 0.2 * c ? 2.5 : -0.5; // two values
    data[(nInf + nNoise + 3) * nSamples + i] = +(rng.next() < 0.05); // rare flag
  }
  return { X: { data, nSamples, nFeatures }, y, nClasses };
}

function expectSameForest(a: ReturnType<typeof fitForest>, b: ReturnType<typeof fitForest>): void {
  expect(a.forest.nTrees).toBe(b.forest.nTrees);
  expect(a.forest.treeRoot).toEqual(b.forest.treeRoot);
  expect(a.forest.feature).toEqual(b.forest.feature);
  expect(a.forest.threshold).toEqual(b.forest.threshold);
  expect(a.forest.left).toEqual(b.forest.left);
  expect(a.forest.right).toEqual(b.forest.right);
  expect(a.forest.value).toEqual(b.forest.value);
  expect(a.featureImportance).toEqual(b.featureImportance);
  expect(a.oobScore).toBe(b.oobScore);
}

describe('forest parameters', () => {
  it('fills scikit-learn defaults per kind and validates', () => {
    expect(FOREST_DEFAULTS['extra-trees'].bootstrap).toBe(false);
    expect(FOREST_DEFAULTS['random-forest'].bootstrap).toBe(true);
    const p = resolveForestParams('random-forest', { nTrees: 7, maxDepth: undefined });
    expect(p).toMatchObject({ kind: 'random-forest', nTrees: 7, maxFeatures: 'sqrt', criterion: 'gini', maxDepth: 0, seed: 42 });
    expect(() => resolveForestParams('extra-trees', { nTrees: 0 })).toThrow(/nTrees/);
    expect(() => resolveForestParams('extra-trees', { maxFeatures: 1.5 })).toThrow(/maxFeatures/);
    expect(() => resolveForestParams('extra-trees', { minSamplesSplit: 1 })).toThrow(/minSamplesSplit/);
    expect(featuresPerNode('sqrt', 83)).toBe(9);
    expect(featuresPerNode('log2', 83)).toBe(6);
    expect(featuresPerNode(0.01, 83)).toBe(1);
    expect(featuresPerNode('all', 83)).toBe(83);
  });
});

describe('fast tree builder equals the naive one', () => {
  const cases: Array<[string, Partial<TreeConfig>, boolean]> = [
    ['extra-trees', { splitter: 'random' }, false],
    ['extra-trees, min leaf 3, depth 6', { splitter: 'random', minSamplesLeaf: 3, maxDepth: 6 }, false],
    ['extra-trees, bootstrap weights', { splitter: 'random' }, true],
    ['random forest', { splitter: 'best' }, false],
    ['random forest, bootstrap weights, min split 5', { splitter: 'best', minSamplesSplit: 5 }, true],
    ['random forest, all features', { splitter: 'best', maxFeatures: 8 }, false],
  ];
  for (const [name, over, weighted] of cases) {
    it(name, () => {
      for (const seed of [1, 2, 3]) {
        const t = blobs(300, 4, seed);
        const cfg: TreeConfig = { splitter: 'random', criterion: 'gini', maxFeatures: 2, maxDepth: 0, minSamplesSplit: 2, minSamplesLeaf: 1, nClasses: 4, ...over };
        let rows = Int32Array.from({ length: 300 }, (_, i) => i);
        let weights: Float64Array | null = null;
        if (weighted) {
          const r = new Rng(seed, 99);
          weights = new Float64Array(300);
          for (let d = 0; d < 300; d++) weights[r.int(300)]! += 1;
          rows = rows.filter((i) => weights![i]! > 0);
        }
        const fast = new TreeBuilder(t.X, t.y, cfg).build(rows, weights, new Rng(seed, 5));
        const slow = buildTreeNaive(t.X, t.y, rows, weights, cfg, new Rng(seed, 5));
        expect(fast.nNodes).toBe(slow.nNodes);
        expect(fast.feature).toEqual(slow.feature);
        expect(fast.threshold).toEqual(slow.threshold);
        expect(fast.left).toEqual(slow.left);
        expect(fast.right).toEqual(slow.right);
        expect(fast.value).toEqual(slow.value);
        expect(fast.cover).toEqual(slow.cover);
        for (let f = 0; f < t.X.nFeatures; f++) expect(fast.importance[f]).toBeCloseTo(slow.importance[f]!, 10);
      }
    });
  }

  it('reuses one builder across trees without carrying state over', () => {
    const t = blobs(200, 3, 4);
    const cfg: TreeConfig = { splitter: 'random', criterion: 'entropy', maxFeatures: 2, maxDepth: 0, minSamplesSplit: 2, minSamplesLeaf: 1, nClasses: 3 };
    const rows = Int32Array.from({ length: 200 }, (_, i) => i);
    const b = new TreeBuilder(t.X, t.y, cfg);
    b.build(rows, null, new Rng(1, 0));
    const second = b.build(rows, null, new Rng(1, 1));
    const fresh = new TreeBuilder(t.X, t.y, cfg).build(rows, null, new Rng(1, 1));
    expect(second).toEqual(fresh);
  });
});

describe('tree invariants', () => {
  const t = blobs(400, 3, 11);
  for (const kind of ['extra-trees', 'random-forest'] as const) {
    it(`${kind}: preorder, thresholds inside the node's range, leaves hold the class fractions of their rows`, () => {
      const part = fitForestPart(t, { kind, nTrees: 3, bootstrap: false }, { start: 0, count: 3 });
      for (const tree of part.trees) {
        // route every training row and recount
        const reached = new Map<number, number[]>();
        for (let i = 0; i < t.X.nSamples; i++) {
          let node = 0;
          for (;;) {
            const list = reached.get(node) ?? [];
            list.push(i);
            reached.set(node, list);
            const f = tree.feature[node]!;
            if (f < 0) break;
            node = t.X.data[f * t.X.nSamples + i]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
          }
          expect(treeLeaf(tree, t.X, i)).toBe(node);
        }
        for (let node = 0; node < tree.nNodes; node++) {
          const rows = reached.get(node)!;
          expect(rows.length).toBe(tree.cover[node]);
          for (let c = 0; c < 3; c++) {
            expect(tree.value[node * 3 + c]).toBe(Math.fround(rows.filter((r) => t.y[r] === c).length * (1 / rows.length)));
          }
          const f = tree.feature[node]!;
          if (f < 0) {
            expect(tree.left[node]).toBe(-1);
            // a leaf is pure or cannot be split
            continue;
          }
          expect(tree.left[node]).toBe(node + 1);
          const vals = rows.map((r) => t.X.data[f * t.X.nSamples + r]!);
          expect(tree.threshold[node]).toBeGreaterThanOrEqual(Math.min(...vals));
          expect(tree.threshold[node]).toBeLessThan(Math.max(...vals));
        }
        const sum = tree.importance.reduce((s, v) => s + v, 0);
        expect(sum).toBeCloseTo(1, 12);
      }
    });
  }
});

describe('forests', () => {
  const t = blobs(500, 3, 21);
  const Xr = toRowMajor(t.X);

  for (const kind of ['extra-trees', 'random-forest'] as const) {
    it(`${kind}: trees split over parts give the same forest`, () => {
      const params = { kind, nTrees: 10, seed: 5 };
      const one = combineForestParts([fitForestPart(t, params, { start: 0, count: 10 })], t.y);
      const two = combineForestParts([fitForestPart(t, params, { start: 4, count: 6 }), fitForestPart(t, params, { start: 0, count: 4 })], t.y);
      const three = combineForestParts(
        [fitForestPart(t, params, { start: 0, count: 3 }), fitForestPart(t, params, { start: 3, count: 3 }), fitForestPart(t, params, { start: 6, count: 4 })],
        t.y,
      );
      expectSameForest(one, two);
      expectSameForest(one, three);
      expect(forestRaw(one.forest, Xr)).toEqual(forestRaw(two.forest, Xr));
      if (kind === 'random-forest') expect(one.oobScore).toBeGreaterThan(0.5);
      else expect(one.oobScore).toBeUndefined();
    });
  }

  it('refuses parts with gaps, overlaps or different data', () => {
    const p = { kind: 'extra-trees' as const, nTrees: 6 };
    const a = fitForestPart(t, p, { start: 0, count: 3 });
    const b = fitForestPart(t, p, { start: 2, count: 4 });
    const c = fitForestPart(t, p, { start: 4, count: 2 });
    expect(() => combineForestParts([a, b], t.y)).toThrow(/overlap|missing/);
    expect(() => combineForestParts([a, c], t.y)).toThrow(/missing/);
    expect(() => combineForestParts([a], t.y)).toThrow(/3 of 6/);
    const other = fitForestPart(blobs(300, 3, 2), p, { start: 3, count: 3 });
    expect(() => combineForestParts([a, other], t.y)).toThrow(/different/);
    expect(() => fitForestPart(t, p, { start: 5, count: 2 })).toThrow(/inside/);
  });

  it('is repeatable by seed and learns the blobs', () => {
    const a = fitForest(t, { kind: 'extra-trees', nTrees: 20, seed: 3 });
    const b = fitForest(t, { kind: 'extra-trees', nTrees: 20, seed: 3 });
    const c = fitForest(t, { kind: 'extra-trees', nTrees: 20, seed: 4 });
    expectSameForest(a, b);
    expect(c.forest.threshold).not.toEqual(a.forest.threshold);
    const test = blobs(400, 3, 22);
    const pred = predictClass(a, toRowMajor(test.X));
    let ok = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] === test.y[i]) ok++;
    expect(ok / pred.length).toBeGreaterThan(0.8);
    const proba = predictProba(a, toRowMajor(test.X));
    for (let i = 0; i < 400; i++) expect(proba[i * 3]! + proba[i * 3 + 1]! + proba[i * 3 + 2]!).toBeCloseTo(1, 5);
    // informative features 0..2 carry the importance, the constant one none
    const imp = a.featureImportance;
    expect(imp.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(imp[0]! + imp[1]! + imp[2]!).toBeGreaterThan(0.5);
    expect(imp[6]).toBe(0);
    expect(a.params).toMatchObject({ kind: 'extra-trees', nTrees: 20, seed: 3, bootstrap: false });
    expect(a.link).toBe('identity');
    expect(a.forest.cover?.length).toBe(a.forest.feature.length);
  });

  it('leaves out zero-weight rows exactly', () => {
    const w = new Float32Array(t.X.nSamples).fill(1);
    const keep: number[] = [];
    for (let i = 0; i < w.length; i++) {
      if (i % 7 === 3) w[i] = 0;
      else keep.push(i);
    }
    const rows = Int32Array.from(keep);
    const weighted = fitForest({ ...t, sampleWeight: w }, { kind: 'extra-trees', nTrees: 5 });
    const subset = fitForest({ X: takeRows(t.X, rows), y: Int32Array.from(rows, (r) => t.y[r]!), nClasses: 3 }, { kind: 'extra-trees', nTrees: 5 });
    expectSameForest(weighted, subset);
  });

  it("classWeight 'balanced' equals the same weights given as sampleWeight", () => {
    // 80 rows of class 0 and 320 of class 1: weights 400 / (2 × count) = 2.5 and 0.625, exact in float32
    const b2 = blobs(400, 2, 8);
    const y = Int32Array.from({ length: 400 }, (_, i) => (i % 5 === 0 ? 0 : 1));
    const t2: TrainSet = { X: b2.X, y, nClasses: 2 };
    const sw = Float32Array.from(y, (c) => (c === 0 ? 2.5 : 0.625));
    for (const kind of ['extra-trees', 'random-forest'] as const) {
      const a = fitForest(t2, { kind, nTrees: 4, classWeight: 'balanced' });
      const b = fitForest({ ...t2, sampleWeight: sw }, { kind, nTrees: 4 });
      expectSameForest(a, b);
    }
    const sub = fitForest(t, { kind: 'random-forest', nTrees: 4, classWeight: 'balanced-subsample' });
    expect(sub.forest.nTrees).toBe(4);
  });

  it('reports progress per tree and stops when cancelled', () => {
    const seen: FitProgress[] = [];
    fitForest(t, { kind: 'extra-trees', nTrees: 5 }, { onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => p.current)).toEqual([1, 2, 3, 4, 5]);
    expect(seen.every((p) => p.phase === 'trees' && p.total === 5)).toBe(true);
    let calls = 0;
    expect(() => fitForest(t, { kind: 'extra-trees', nTrees: 5 }, { isCancelled: () => ++calls > 2 })).toThrow(FitCancelled);
  });

  it('does not write to X (it may be shared between workers)', () => {
    const copy = t.X.data.slice();
    fitForest(t, { kind: 'random-forest', nTrees: 3, maxSamples: 0.5 });
    expect(t.X.data).toEqual(copy);
  });

  it('handles a single class, a single row and max depth 1', () => {
    const one: TrainSet = { X: { data: Float32Array.of(1, 2, 3), nSamples: 3, nFeatures: 1 }, y: Int32Array.of(1, 1, 1), nClasses: 2 };
    const m = fitForest(one, { kind: 'extra-trees', nTrees: 2 });
    expect(m.forest.feature).toEqual(Int32Array.of(-1, -1));
    expect(Array.from(predictProba(m, toRowMajor(one.X)))).toEqual([0, 1, 0, 1, 0, 1]);
    expect(m.featureImportance).toEqual(new Float64Array(1));
    const single: TrainSet = { X: { data: Float32Array.of(1), nSamples: 1, nFeatures: 1 }, y: Int32Array.of(0), nClasses: 1 };
    expect(fitForest(single, { kind: 'random-forest', nTrees: 2 }).forest.nTrees).toBe(2);
    const stumps = fitForest(t, { kind: 'random-forest', nTrees: 3, maxDepth: 1 });
    expect(stumps.forest.feature.length).toBe(9);
  });

  it('rejects bad training sets', () => {
    const X: ColMatrix = { data: new Float32Array(4), nSamples: 2, nFeatures: 2 };
    expect(() => fitForest({ X, y: Int32Array.of(0, 2), nClasses: 2 }, { kind: 'extra-trees' })).toThrow(/class index 2/);
    expect(() => fitForest({ X, y: Int32Array.of(0), nClasses: 2 }, { kind: 'extra-trees' })).toThrow(/labels/);
    expect(() => fitForest({ X, y: Int32Array.of(0, 1), nClasses: 2, sampleWeight: new Float32Array(2) }, { kind: 'extra-trees' })).toThrow(/positive weight/);
  });

  it('warms up on synthetic data and stops when the real fit is waiting', () => {
    let polls = 0;
    warmUpForest('extra-trees', () => ++polls > 2);
    expect(polls).toBe(3);
    expect(() => warmUpForest('random-forest')).not.toThrow();
  });
});

describe('two-valued features', () => {
  it('are found with their two values (-0 and +0 one value; NaN, three values or near-equal values excluded)', () => {
    const cols = [
      [0, 1, 1, 0, 1],
      [2.5, -0.5, 2.5, 2.5, -0.5],
      [-0, 0, 3, 0, -0],
      [0, 1, NaN, 0, 1],
      [0, 1, 2, 0, 1],
      [1, 1, 1, 1, 1],
      [1, 1 + 1e-8, 1, 1, 1],
    ];
    const n = 5;
    const X: ColMatrix = { data: Float32Array.from(cols.flat()), nSamples: n, nFeatures: cols.length };
    const lo = new Float64Array(cols.length);
    const hi = new Float64Array(cols.length);
    const bits = binaryFeatures(X, lo, hi);
    expect(bits.map((b) => (b ? Array.from(b) : null))).toEqual([[0, 1, 1, 0, 1], [1, 0, 1, 1, 0], [0, 0, 1, 0, 0], null, null, null, null]);
    expect([lo[0], hi[0], lo[1], hi[1], lo[2], hi[2]]).toEqual([0, 1, -0.5, 2.5, 0, 3]);
  });
});
