import { describe, expect, it } from 'vitest';
import { classificationMetrics, confusionMatrix } from './classification.js';
import { Rng } from '../rng.js';

describe('confusionMatrix', () => {
  it('counts true × predicted, row-major', () => {
    const m = confusionMatrix(Int32Array.of(0, 0, 1, 2, 2), Int32Array.of(0, 1, 1, 2, 0), 3);
    expect(Array.from(m)).toEqual([1, 1, 0, 0, 1, 0, 1, 0, 1]);
    expect(() => confusionMatrix(Int32Array.of(0), Int32Array.of(3), 3)).toThrow(RangeError);
    expect(() => confusionMatrix(Int32Array.of(0), Int32Array.of(0, 1), 3)).toThrow(RangeError);
  });
});

describe('classificationMetrics', () => {
  it('matches a 3-class example computed by hand', () => {
    // confusion (true rows): [2 1 1] [1 2 0] [0 1 2]
    const yTrue = Int32Array.of(0, 0, 0, 0, 1, 1, 1, 2, 2, 2);
    const yPred = Int32Array.of(0, 0, 1, 2, 1, 1, 0, 2, 2, 1);
    const m = classificationMetrics(yTrue, yPred, ['benign', 'dos', 'probe'], 0);
    expect(m.confusion).toEqual({ labels: ['benign', 'dos', 'probe'], matrix: [[2, 1, 1], [1, 2, 0], [0, 1, 2]] });
    expect(m.accuracy).toBeCloseTo(0.6, 15);
    expect(m.perClass.benign).toEqual({ precision: 2 / 3, recall: 0.5, f1: 4 / 7, support: 4 });
    expect(m.perClass.dos).toEqual({ precision: 0.5, recall: 2 / 3, f1: 4 / 7, support: 3 });
    expect(m.perClass.probe!.f1).toBeCloseTo(2 / 3, 15);
    expect(m.macroF1).toBeCloseTo(38 / 63, 15);
    expect(m.weightedF1).toBeCloseTo(0.6, 15);
    expect(m.balancedAccuracy).toBeCloseTo(11 / 18, 15);
    // Gorodkin: (6·10 − 33) / sqrt((100 − 34)(100 − 34)) = 27 / 66
    expect(m.mcc).toBeCloseTo(9 / 22, 15);
    expect(m.detectionRate).toBeCloseTo(5 / 6, 15);
    expect(m.falsePositiveRate).toBeCloseTo(0.5, 15);
  });

  it('macro-F1 covers classes present in truth or predictions; balanced accuracy classes in truth', () => {
    // class 2 only predicted, class 3 absent everywhere
    const m = classificationMetrics(Int32Array.of(0, 0, 1, 1), Int32Array.of(0, 2, 1, 1), ['a', 'b', 'c', 'd'], -1);
    expect(m.macroF1).toBeCloseTo((2 / 3 + 1 + 0) / 3, 15);
    expect(m.balancedAccuracy).toBeCloseTo(0.75, 15);
    expect(m.perClass.c).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.perClass.d).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.detectionRate).toBeNull();
    expect(m.falsePositiveRate).toBeNull();
  });

  it('binary MCC equals the binary formula on random data', () => {
    const rng = new Rng(4);
    for (let trial = 0; trial < 20; trial++) {
      const n = 50 + rng.int(200);
      const yTrue = new Int32Array(n).map(() => (rng.next() < 0.3 ? 1 : 0));
      const yPred = yTrue.map((v) => (rng.next() < 0.25 ? 1 - v : v));
      let tp = 0, tn = 0, fp = 0, fn = 0;
      for (let i = 0; i < n; i++) {
        if (yTrue[i] === 1 && yPred[i] === 1) tp++;
        else if (yTrue[i] === 0 && yPred[i] === 0) tn++;
        else if (yPred[i] === 1) fp++;
        else fn++;
      }
      const expected = (tp * tn - fp * fn) / Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
      const m = classificationMetrics(yTrue, yPred, ['normal', 'attack'], 0);
      expect(m.mcc).toBeCloseTo(expected, 12);
      expect(m.detectionRate).toBeCloseTo(tp / (tp + fn), 15);
      expect(m.falsePositiveRate).toBeCloseTo(fp / (fp + tn), 15);
    }
  });

  it('handles degenerate inputs: MCC 0 when undefined, empty input zeros', () => {
    const all0 = classificationMetrics(Int32Array.of(0, 0, 0), Int32Array.of(0, 0, 0), ['x', 'y'], 0);
    expect(all0.accuracy).toBe(1);
    expect(all0.mcc).toBe(0);
    expect(all0.macroF1).toBe(1);
    expect(all0.detectionRate).toBeNull();
    expect(all0.falsePositiveRate).toBe(0);
    const empty = classificationMetrics(new Int32Array(0), new Int32Array(0), ['x', 'y'], 0);
    expect(empty).toMatchObject({ accuracy: 0, macroF1: 0, weightedF1: 0, balancedAccuracy: 0, mcc: 0, detectionRate: null, falsePositiveRate: null });
    // perfect multi-class
    expect(classificationMetrics(Int32Array.of(0, 1, 2), Int32Array.of(0, 1, 2), ['a', 'b', 'c'], -1).mcc).toBe(1);
  });

  it('is plain JSON', () => {
    const m = classificationMetrics(Int32Array.of(0, 1, 1), Int32Array.of(0, 1, 0), ['a', 'b'], 0);
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });
});
