import { describe, expect, it } from 'vitest';
import { averagePrecision, curveSets, prCurve, rocAuc, rocCurve, sortFloat32 } from './curves.js';
import { Rng } from '../rng.js';

/** naive O(n²) AUC: P(score_pos > score_neg) + ½ P(tie) */
function naiveAuc(positive: Uint8Array, score: ArrayLike<number>): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < positive.length; i++) {
    if (!positive[i]) continue;
    for (let j = 0; j < positive.length; j++) {
      if (positive[j]) continue;
      pairs++;
      if (score[i]! > score[j]!) sum += 1;
      else if (score[i] === score[j]) sum += 0.5;
    }
  }
  return sum / pairs;
}

/** naive average precision: for every distinct threshold (descending), count by brute force */
function naiveAp(positive: Uint8Array, score: ArrayLike<number>): number {
  const thr = [...new Set(Array.from(score))].sort((a, b) => b - a);
  let P = 0;
  for (const p of positive) P += p;
  let ap = 0;
  let prevR = 0;
  for (const t of thr) {
    let tp = 0;
    let fp = 0;
    for (let i = 0; i < positive.length; i++) {
      if (score[i]! >= t) {
        if (positive[i]) tp++;
        else fp++;
      }
    }
    const r = tp / P;
    ap += (r - prevR) * (tp / (tp + fp));
    prevR = r;
  }
  return ap;
}

function randomCase(rng: Rng, n: number, levels: number): { positive: Uint8Array; score: Float32Array } {
  const positive = new Uint8Array(n);
  const score = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    positive[i] = rng.next() < 0.35 ? 1 : 0;
    // few distinct levels → many ties; positives shifted up a little
    score[i] = Math.floor((rng.next() + positive[i]! * 0.3) * levels) / levels;
  }
  return { positive, score };
}

describe('sortFloat32', () => {
  it('sorts like the native sort, negatives, zeros, infinities and subnormals included', () => {
    const rng = new Rng(17);
    for (const n of [10, 5000, 70000]) {
      const a = new Float32Array(n).map(() => {
        const r = rng.next();
        if (r < 0.05) return [Infinity, -Infinity, 0, -0, 1e-42, -1e-42][rng.int(6)]!;
        return (rng.next() - 0.5) * 10 ** rng.int(12);
      });
      const expected = a.slice().sort();
      const got = sortFloat32(a.slice());
      expect(Array.from(got, (v) => (Object.is(v, -0) ? 0 : v))).toEqual(Array.from(expected, (v) => (Object.is(v, -0) ? 0 : v)));
    }
  });
});

describe('rocCurve', () => {
  it('matches a hand example with a tie', () => {
    const positive = Uint8Array.of(1, 0, 1, 0, 1);
    const score = Float64Array.of(0.9, 0.8, 0.8, 0.3, 0.1);
    const c = rocCurve(positive, score);
    expect(c.x).toEqual([0, 0, 0.5, 1, 1]);
    expect(c.y).toEqual([0, 1 / 3, 2 / 3, 2 / 3, 1]);
    expect(c.thresholds).toEqual([Number.MAX_VALUE, 0.9, 0.8, 0.3, 0.1]);
    expect(c.auc).toBeCloseTo(7 / 12, 15);
    expect(rocAuc(positive, score)).toBeCloseTo(7 / 12, 15);
  });

  it('fast AUC equals the naive pairwise AUC on random data with ties', () => {
    const rng = new Rng(21);
    for (let trial = 0; trial < 15; trial++) {
      const { positive, score } = randomCase(rng, 300 + rng.int(700), 2 + rng.int(40));
      const naive = naiveAuc(positive, score);
      expect(rocAuc(positive, score)).toBeCloseTo(naive, 12);
      expect(rocCurve(positive, score, 16).auc).toBeCloseTo(naive, 12);
    }
  });

  it('downsamples to maxPoints keeping (0,0) and (1,1), x and y non-decreasing', () => {
    const rng = new Rng(5);
    const n = 20000;
    const positive = new Uint8Array(n).map(() => (rng.next() < 0.2 ? 1 : 0));
    const score = new Float32Array(n).map((_, i) => rng.next() + positive[i]! * 0.5);
    const c = rocCurve(positive, score, 100);
    expect(c.x.length).toBeLessThanOrEqual(100);
    expect(c.x.length).toBeGreaterThan(50);
    expect([c.x[0], c.y[0]]).toEqual([0, 0]);
    expect([c.x.at(-1), c.y.at(-1)]).toEqual([1, 1]);
    for (let i = 1; i < c.x.length; i++) {
      expect(c.x[i]!).toBeGreaterThanOrEqual(c.x[i - 1]!);
      expect(c.y[i]!).toBeGreaterThanOrEqual(c.y[i - 1]!);
      expect(c.thresholds[i]!).toBeLessThan(c.thresholds[i - 1]!);
    }
    expect(c.auc).toBeCloseTo(naiveAuc(positive.subarray(0, 3000), score.subarray(0, 3000)), 1);
  });

  it('gives NaN AUC without positives or negatives, and handles NaN scores as lowest', () => {
    expect(rocAuc(Uint8Array.of(1, 1), Float32Array.of(0.1, 0.2))).toBeNaN();
    expect(rocCurve(Uint8Array.of(0, 0), Float32Array.of(0.1, 0.2)).auc).toBeNaN();
    expect(rocAuc(Uint8Array.of(1, 0, 0), Float32Array.of(0.5, NaN, 0.9))).toBeCloseTo(0.5, 15);
  });

  it('thins the curves of 500k rows to at most 256 points', () => {
    const rng = new Rng(8);
    const n = 500_000;
    const positive = new Uint8Array(n).map(() => (rng.next() < 0.1 ? 1 : 0));
    const score = new Float32Array(n).map((_, i) => rng.next() * 0.8 + positive[i]! * 0.2);
    const c = rocCurve(positive, score);
    const p = prCurve(positive, score);
    expect(c.x.length).toBeLessThanOrEqual(256);
    expect(p.x.length).toBeLessThanOrEqual(256);
    expect(c.auc).toBeGreaterThan(0.5);
  });
});

describe('prCurve', () => {
  it('matches a hand example with a tie', () => {
    const positive = Uint8Array.of(1, 0, 1, 0, 1);
    const score = Float32Array.of(0.875, 0.5, 0.5, 0.25, 0.125);
    const c = prCurve(positive, score);
    expect(c.x).toEqual([0, 1 / 3, 2 / 3, 2 / 3, 1]);
    expect(c.y).toEqual([1, 1, 2 / 3, 1 / 2, 3 / 5]);
    expect(c.auc).toBeCloseTo(34 / 45, 15);
    expect(averagePrecision(positive, score)).toBeCloseTo(34 / 45, 15);
  });

  it('average precision equals a naive computation on random data with ties', () => {
    const rng = new Rng(33);
    for (let trial = 0; trial < 15; trial++) {
      const { positive, score } = randomCase(rng, 200 + rng.int(500), 2 + rng.int(60));
      const naive = naiveAp(positive, score);
      expect(averagePrecision(positive, score)).toBeCloseTo(naive, 12);
      expect(prCurve(positive, score, 10).auc).toBeCloseTo(naive, 12);
    }
  });
});

describe('curveSets', () => {
  it('gives the attack curve then one-vs-rest by support, skipping absent classes', () => {
    const rng = new Rng(2);
    const classes = ['benign', 'dos', 'empty', 'probe'];
    const K = classes.length;
    const n = 400;
    const yTrue = new Int32Array(n).map(() => (rng.next() < 0.5 ? 0 : rng.next() < 0.7 ? 1 : 3));
    const proba = new Float32Array(n * K);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < K; c++) s += proba[i * K + c] = rng.next() + (yTrue[i] === c ? 1 : 0);
      for (let c = 0; c < K; c++) proba[i * K + c]! /= s;
    }
    const sets = curveSets(yTrue, proba, classes, 0);
    expect(sets.map((s) => s.name)).toEqual(['attack', 'benign', 'dos', 'probe'].slice(0, 1).concat(
      [0, 1, 3].sort((a, b) => yTrue.filter((v) => v === b).length - yTrue.filter((v) => v === a).length).map((c) => classes[c]!),
    ));
    const attackPos = new Uint8Array(n).map((_, i) => (yTrue[i] !== 0 ? 1 : 0));
    const attackScore = new Float32Array(n).map((_, i) => 1 - proba[i * K]!);
    expect(sets[0]!.positives).toBe(attackPos.reduce((a, b) => a + b, 0));
    expect(sets[0]!.negatives).toBe(n - sets[0]!.positives);
    expect(sets[0]!.roc.auc).toBeCloseTo(naiveAuc(attackPos, attackScore), 12);
    const dos = sets.find((s) => s.name === 'dos')!;
    const dosPos = new Uint8Array(n).map((_, i) => (yTrue[i] === 1 ? 1 : 0));
    expect(dos.roc.auc).toBeCloseTo(naiveAuc(dosPos, new Float32Array(n).map((_, i) => proba[i * K + 1]!)), 12);
    expect(dos.pr.auc).toBeCloseTo(naiveAp(dosPos, new Float32Array(n).map((_, i) => proba[i * K + 1]!)), 12);
    // a given attack score replaces 1 - p(benign)
    const own = new Float32Array(n).map((_, i) => (i % 7) / 7);
    expect(curveSets(yTrue, proba, classes, 0, own)[0]!.roc.auc).toBeCloseTo(naiveAuc(attackPos, own), 12);
    // no benign class: no attack set
    expect(curveSets(yTrue, proba, classes, -1)[0]!.name).not.toBe('attack');
    expect(JSON.parse(JSON.stringify(sets))).toEqual(sets);
  });

  it('caps one-vs-rest sets at 20 classes, largest first', () => {
    const K = 25;
    const classes = Array.from({ length: K }, (_, c) => `c${c}`);
    const y: number[] = [];
    for (let c = 0; c < K; c++) for (let i = 0; i <= c; i++) y.push(c);
    const yTrue = Int32Array.from(y);
    const proba = new Float32Array(y.length * K).fill(1 / K);
    const sets = curveSets(yTrue, proba, classes, -1);
    expect(sets.map((s) => s.name)).toEqual(Array.from({ length: 20 }, (_, i) => `c${K - 1 - i}`));
  });
});
