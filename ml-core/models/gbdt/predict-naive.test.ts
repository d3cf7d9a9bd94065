import { describe, expect, it } from 'vitest';
import type { FlatForest, TrainedTreeModel } from '../types.js';
import { predictClassNaive, predictProbaNaive, predictRawNaive } from './predict-naive.js';

// two trees for 2 result slots: tree 0 (slot 0) splits feature 0 at 1.5; tree 1 (slot 1) is one leaf
const forest: FlatForest = {
  nFeatures: 2,
  nOutputs: 1,
  nResults: 2,
  nTrees: 2,
  treeRoot: Int32Array.of(0, 3),
  treeResult: Int32Array.of(0, 1),
  feature: Int32Array.of(0, -1, -1, -1),
  threshold: Float32Array.of(1.5, 0, 0, 0),
  left: Int32Array.of(1, -1, -1, -1),
  right: Int32Array.of(2, -1, -1, -1),
  value: Float32Array.of(0, -1, 2, 0.5),
  aggregate: 'sum',
  base: Float32Array.of(0.25, -0.25),
};

describe('naive flat-forest predictor', () => {
  it('adds base and leaf values per slot; x <= threshold goes left, NaN right', () => {
    const X = { data: Float32Array.of(1, 0, 1.5, 0, 2, 0, NaN, 0), nSamples: 4, nFeatures: 2 };
    expect(Array.from(predictRawNaive(forest, X))).toEqual([-0.75, 0.25, -0.75, 0.25, 2.25, 0.25, 2.25, 0.25]);
  });

  it('turns raw scores into probabilities through the link', () => {
    const model = { nClasses: 2, link: 'softmax', forest } as TrainedTreeModel;
    const X = { data: Float32Array.of(2, 0), nSamples: 1, nFeatures: 2 };
    const p = predictProbaNaive(model, X);
    expect(p[0]).toBeCloseTo(Math.exp(2.25) / (Math.exp(2.25) + Math.exp(0.25)), 12);
    expect(Array.from(predictClassNaive(model, X))).toEqual([0]);
    const binary = { nClasses: 2, link: 'sigmoid', forest: { ...forest, nResults: 1, treeResult: Int32Array.of(0, 0), base: Float32Array.of(0) } } as TrainedTreeModel;
    expect(predictProbaNaive(binary, X)[1]).toBeCloseTo(1 / (1 + Math.exp(-2.5)), 12);
  });

  it('refuses a matrix with the wrong number of features', () => {
    expect(() => predictRawNaive(forest, { data: new Float32Array(3), nSamples: 1, nFeatures: 3 })).toThrow(/2 features/);
  });
});
