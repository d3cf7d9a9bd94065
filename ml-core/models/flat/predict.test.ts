import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import type { FlatForest, RowMatrix, TrainedTreeModel } from '../types.js';
import { forestRawNaive, leafOf } from './naive.js';
import { floatKey, packForest, thresholdKey } from './pack.js';
import {
  attackScore,
  attackScoreRange,
  forestRaw,
  forestRawRange,
  predictClass,
  predictClassRange,
  predictProba,
  predictProbaRange,
} from './predict.js';

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1e-45, -1e-45, 3.4028234663852886e38, -3.4028234663852886e38];

/** A random forest of random trees (nodes in random order, not preorder) with values per aggregate. */
function randomForest(seed: number, aggregate: FlatForest['aggregate'], nFeatures: number, nTrees: number, nResults: number, opts: { pure?: number } = {}): FlatForest {
  const rng = new Rng(seed);
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const treeRoot: number[] = [];
  const nOutputs = aggregate === 'mean' ? nResults : 1;
  const leafValue = (): number[] => {
    if (aggregate !== 'mean') return [rng.normal() * 3];
    if (rng.next() < (opts.pure ?? 0.6)) {
      const v = new Array<number>(nOutputs).fill(0);
      v[rng.int(nOutputs)] = 1;
      return v;
    }
    const raw = Array.from({ length: nOutputs }, () => rng.next());
    const s = raw.reduce((a, b) => a + b, 0);
    return raw.map((x) => x / s);
  };
  const grow = (depth: number): number => {
    const g = feature.length;
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    value.push(...leafValue());
    if (depth < 9 && rng.next() < 0.8 - depth * 0.05) {
      feature[g] = rng.int(nFeatures);
      const u = rng.next();
      threshold[g] = u < 0.05 ? SPECIAL[rng.int(SPECIAL.length)]! : rng.normal();
      left[g] = grow(depth + 1);
      right[g] = grow(depth + 1);
    }
    return g;
  };
  for (let t = 0; t < nTrees; t++) treeRoot.push(grow(0));
  const base =
    aggregate === 'sum' ? Float32Array.from({ length: nResults }, () => rng.normal()) : aggregate === 'isolation' ? Float32Array.of(7.2) : new Float32Array(0);
  return {
    nFeatures,
    nOutputs,
    nResults,
    nTrees,
    treeRoot: Int32Array.from(treeRoot),
    treeResult: aggregate === 'sum' && nResults > 1 ? Int32Array.from({ length: nTrees }, (_, t) => t % nResults) : null,
    feature: Int32Array.from(feature),
    threshold: Float32Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float32Array.from(value),
    aggregate,
    base,
  };
}

function randomRows(seed: number, nSamples: number, nFeatures: number): RowMatrix {
  const rng = new Rng(seed);
  const data = new Float32Array(nSamples * nFeatures);
  for (let i = 0; i < data.length; i++) data[i] = rng.next() < 0.03 ? SPECIAL[rng.int(SPECIAL.length)]! : rng.normal();
  return { data, nSamples, nFeatures };
}

function bitwiseEqual(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const ia = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ib = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ia.length; i++) if (ia[i] !== ib[i]) return false;
  return true;
}

describe('int32 keys', () => {
  it('compare exactly as float32 x <= t does (NaN, infinities, signed zeros, denormals)', () => {
    const rng = new Rng(3);
    const vals = [...SPECIAL, 1, -1, 1.5, 2 ** -126, -(2 ** -126)];
    for (let i = 0; i < 3000; i++) vals.push(Math.fround(rng.normal() * 10 ** rng.int(10)));
    const f = new Float32Array(vals);
    let wrong = 0;
    for (let i = 0; i < f.length; i++) {
      for (let j = 0; j < f.length; j += 7) {
        const x = f[i]!;
        const t = f[(i * 13 + j) % f.length]!;
        if (floatKey(x) <= thresholdKey(t) !== x <= t) wrong++;
      }
      for (const t of SPECIAL.map(Math.fround)) if (floatKey(f[i]!) <= thresholdKey(t) !== f[i]! <= t) wrong++;
    }
    expect(wrong).toBe(0);
  });
});

describe('fast forest predictor equals the naive one bit for bit', () => {
  const cases: Array<[FlatForest['aggregate'], number, number]> = [
    ['mean', 5, 1],
    ['mean', 5, 3],
    ['sum', 1, 1],
    ['sum', 4, 1],
    ['isolation', 1, 1],
  ];
  for (const [aggregate, nResults, pureFlag] of cases) {
    it(`${aggregate} with ${nResults} results`, () => {
      for (const seed of [1, 2]) {
        const forest = randomForest(seed, aggregate, 6, 23, nResults, { pure: pureFlag === 1 ? 0.6 : 0.0 });
        for (const n of [0, 1, 3, 4, 5, 17, 1024, 2503]) {
          const X = randomRows(seed * 100 + n, n, 6);
          const fast = forestRaw(forest, X);
          const slow = forestRawNaive(forest, X);
          expect(fast.length).toBe(n * nResults);
          expect(bitwiseEqual(fast, slow)).toBe(true);
        }
      }
    });
  }

  it('one tree, and a forest whose trees are single leaves', () => {
    const one = randomForest(9, 'mean', 4, 1, 3);
    const X = randomRows(9, 300, 4);
    expect(bitwiseEqual(forestRaw(one, X), forestRawNaive(one, X))).toBe(true);
    const stumps: FlatForest = { ...randomForest(9, 'sum', 4, 1, 1), nTrees: 3, treeRoot: Int32Array.of(0, 0, 0) };
    stumps.feature = Int32Array.of(-1);
    stumps.left = Int32Array.of(-1);
    stumps.right = Int32Array.of(-1);
    stumps.value = Float32Array.of(0.25);
    stumps.threshold = Float32Array.of(0);
    expect(() => forestRaw(stumps, X)).toThrow(/twice/); // a node shared by trees is refused
  });

  it('row ranges write where asked and match the whole batch', () => {
    const forest = randomForest(4, 'mean', 6, 11, 3);
    const X = randomRows(4, 2100, 6);
    const whole = forestRaw(forest, X);
    const shared = new Float32Array(whole.length);
    forestRawRange(forest, X, 0, 700, shared);
    forestRawRange(forest, X, 700, 1999, shared);
    forestRawRange(forest, X, 1999, 2100, shared);
    expect(bitwiseEqual(shared, whole)).toBe(true);
    const local = new Float32Array(50 * 3);
    forestRawRange(forest, X, 1000, 1050, local, 0);
    expect(bitwiseEqual(local, whole.subarray(3000, 3150))).toBe(true);
  });

  it('refuses wrong shapes and broken forests', () => {
    const forest = randomForest(5, 'mean', 6, 3, 2);
    expect(() => forestRaw(forest, randomRows(1, 4, 5))).toThrow(/expects 6 features/);
    expect(() => forestRawRange(forest, randomRows(1, 4, 6), 0, 5, new Float32Array(10))).toThrow(/outside/);
    expect(() => forestRawRange(forest, randomRows(1, 4, 6), 0, 4, new Float32Array(7))).toThrow(/out holds/);
    const cyclic = randomForest(5, 'mean', 6, 1, 2);
    const inner = cyclic.feature.findIndex((f, g) => f >= 0 && g !== cyclic.treeRoot[0]);
    const cyc: FlatForest = { ...cyclic, left: cyclic.left.slice() };
    cyc.left[inner] = cyc.treeRoot[0]!;
    expect(() => packForest(cyc)).toThrow(/not a tree|twice/);
    const badFeature: FlatForest = { ...cyclic, feature: cyclic.feature.slice() };
    badFeature.feature[inner] = 6;
    expect(() => packForest(badFeature)).toThrow(/feature 6/);
  });

  it('naive leafOf walks x <= threshold left, NaN right', () => {
    const forest: FlatForest = {
      nFeatures: 1,
      nOutputs: 1,
      nResults: 1,
      nTrees: 1,
      treeRoot: Int32Array.of(0),
      treeResult: null,
      feature: Int32Array.of(0, -1, -1),
      threshold: Float32Array.of(0.5, 0, 0),
      left: Int32Array.of(1, -1, -1),
      right: Int32Array.of(2, -1, -1),
      value: Float32Array.of(0, 10, 20),
      aggregate: 'sum',
      base: Float32Array.of(1),
    };
    const X = { data: Float32Array.of(0.5, 0.6, NaN, -Infinity), nSamples: 4, nFeatures: 1 };
    expect([0, 1, 2, 3].map((r) => leafOf(forest, 0, X, r).leaf)).toEqual([1, 2, 2, 1]);
    expect(Array.from(forestRaw(forest, X))).toEqual([11, 21, 21, 11]);
  });
});

function model(forest: FlatForest, link: TrainedTreeModel['link'], nClasses: number, threshold?: number): TrainedTreeModel {
  const m: TrainedTreeModel = { kind: 'gradient-boosting', params: {}, nFeatures: forest.nFeatures, nClasses, forest, link, featureImportance: new Float64Array(forest.nFeatures) };
  if (threshold !== undefined) m.threshold = threshold;
  return m;
}

describe('probabilities, classes and attack scores', () => {
  const X = randomRows(8, 600, 5);

  it('identity: probabilities are the raw means; argmax takes the first maximum', () => {
    const f = randomForest(8, 'mean', 5, 9, 3);
    const m = model(f, 'identity', 3);
    const raw = forestRaw(f, X);
    const proba = predictProba(m, X);
    expect(bitwiseEqual(proba, raw)).toBe(true);
    const cls = predictClass(m, X);
    for (let i = 0; i < 600; i++) {
      const p = [proba[3 * i]!, proba[3 * i + 1]!, proba[3 * i + 2]!];
      expect(cls[i]).toBe(p.indexOf(Math.max(...p)));
    }
    const score = attackScore(m, X, 1);
    for (let i = 0; i < 600; i++) expect(score[i]).toBe(Math.fround(1 - proba[3 * i + 1]!));
  });

  it('softmax and sigmoid links', () => {
    const f3 = randomForest(9, 'sum', 5, 12, 3);
    const soft = model(f3, 'softmax', 3);
    const raw = forestRaw(f3, X);
    const p = predictProba(soft, X);
    for (let i = 0; i < 600; i++) {
      const e = [0, 1, 2].map((c) => Math.exp(raw[3 * i + c]!));
      const s = e[0]! + e[1]! + e[2]!;
      for (let c = 0; c < 3; c++) expect(p[3 * i + c]).toBeCloseTo(e[c]! / s, 6);
    }
    const f1 = randomForest(10, 'sum', 5, 12, 1);
    const sig = model(f1, 'sigmoid', 2);
    const r1 = forestRaw(f1, X);
    const p1 = predictProba(sig, X);
    const c1 = predictClass(sig, X);
    for (let i = 0; i < 600; i++) {
      const q = 1 / (1 + Math.exp(-r1[i]!));
      expect(p1[2 * i + 1]).toBeCloseTo(q, 6);
      expect(p1[2 * i]).toBeCloseTo(1 - q, 6);
      expect(c1[i]).toBe(p1[2 * i + 1]! > p1[2 * i]! ? 1 : 0);
    }
    expect(() => predictProba(model(f1, 'softmax', 3), X)).toThrow(/cannot have/);
  });

  it('anomaly: [1 - s, s], class by threshold, score = s', () => {
    const f = randomForest(11, 'isolation', 5, 20, 1);
    const m = model(f, 'anomaly', 2, 0.6);
    const s = forestRaw(f, X);
    const p = predictProba(m, X);
    const c = predictClass(m, X);
    const a = attackScore(m, X, 0);
    for (let i = 0; i < 600; i++) {
      expect(s[i]).toBeGreaterThan(0);
      expect(s[i]).toBeLessThan(1);
      expect(p[2 * i + 1]).toBe(s[i]);
      expect(p[2 * i]).toBe(Math.fround(1 - s[i]!));
      expect(c[i]).toBe(s[i]! >= 0.6 ? 1 : 0);
      expect(a[i]).toBe(s[i]);
    }
  });

  it('range entry points fill a shared buffer in pieces', () => {
    const f = randomForest(12, 'mean', 5, 7, 4);
    const m = model(f, 'identity', 4);
    const p = predictProba(m, X);
    const c = predictClass(m, X);
    const s = attackScore(m, X, 2);
    const p2 = new Float32Array(p.length);
    const c2 = new Int32Array(c.length);
    const s2 = new Float32Array(s.length);
    for (const [a, b] of [
      [0, 250],
      [250, 251],
      [251, 600],
    ] as const) {
      predictProbaRange(m, X, a, b, p2);
      predictClassRange(m, X, a, b, c2);
      attackScoreRange(m, X, 2, a, b, s2);
    }
    expect(p2).toEqual(p);
    expect(c2).toEqual(c);
    expect(s2).toEqual(s);
    expect(() => attackScore(m, X, 4)).toThrow(/benign/);
  });
});
