import { describe, expect, it } from 'vitest';
import { DEFAULT_PREPROCESS, SchemaMismatchError, checkSchema, fitPreprocessor, transform, transformInto } from './pipeline.js';
import type { RawFrame } from './types.js';
import { datasetsDir } from '../../tests/support/flow-import.js';
import { realData } from '../../tests/support/ml-data.js';
import { stratifiedSplit } from './split.js';

/** column featureIdx of a column-major matrix as a plain array */
function col(m: { data: Float32Array; nSamples: number }, featureIdx: number): number[] {
  return Array.from(m.data.subarray(featureIdx * m.nSamples, (featureIdx + 1) * m.nSamples));
}

function frame(): RawFrame {
  return {
    nSamples: 8,
    columns: [
      { name: 'bytes', kind: 'numeric', values: Float64Array.of(1, NaN, 3, Infinity, 10, -Infinity, 2, 1000) },
      // proto: tcp tcp udp tcp icmp udp (missing) tcp
      { name: 'proto', kind: 'categorical', codes: Int32Array.of(0, 0, 1, 0, 2, 1, -1, 0), categories: ['tcp', 'udp', 'icmp'] },
    ],
  };
}

describe('fitPreprocessor', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_PREPROCESS).toEqual({ impute: 'median', fillValue: 0, addIndicators: false, scale: 'none', encode: 'ordinal', maxOneHot: 64 });
  });

  it('takes the median of finite values only (NaN and ±Infinity are missing)', () => {
    const pre = fitPreprocessor(frame(), null);
    // finite: 1 3 10 2 1000 → median 3
    expect(pre.inputs[0]).toMatchObject({ kind: 'numeric', fill: 3, center: 0, scale: 1, indicator: false });
    const X = transform(pre, frame());
    expect(col(X, 0)).toEqual([1, 3, 3, 3, 10, 3, 2, 1000]);
    // counting infinities as values would move the median
    for (const inf of [Infinity, -Infinity]) {
      const f: RawFrame = { nSamples: 6, columns: [{ name: 'a', kind: 'numeric', values: Float32Array.of(inf, inf, inf, 5, 6, 9) }] };
      expect((fitPreprocessor(f, null).inputs[0] as { fill: number }).fill).toBe(6);
    }
  });

  it('fits on the given rows only: a value only in other rows does not move the median', () => {
    const train = Int32Array.of(0, 1, 2, 4); // finite 1 3 10 → median 3
    const pre = fitPreprocessor(frame(), train);
    expect((pre.inputs[0] as { fill: number }).fill).toBe(3);
    const preOther = fitPreprocessor(frame(), Int32Array.of(0, 2, 6, 7)); // 1 3 2 1000 → 2.5
    expect((preOther.inputs[0] as { fill: number }).fill).toBe(2.5);
    // categories seen only outside the training rows are unknown: icmp only at row 4
    const pre2 = fitPreprocessor(frame(), Int32Array.of(0, 1, 2, 3));
    expect(pre2.inputs[1]).toMatchObject({ categories: ['tcp', 'udp'] });
    expect(col(transform(pre2, frame()), 1)).toEqual([0, 0, 1, 0, 2, 1, -1, 0]); // icmp unseen → 2
  });

  it('uses a constant fill and adds missing indicators after their column', () => {
    const pre = fitPreprocessor(frame(), null, { impute: 'constant', fillValue: -5, addIndicators: true });
    expect(pre.outputNames).toEqual(['bytes', 'bytes missing', 'proto']);
    expect(pre.outputSource).toEqual([0, 0, 1]);
    const X = transform(pre, frame());
    expect(col(X, 0)).toEqual([1, -5, 3, -5, 10, -5, 2, 1000]);
    expect(col(X, 1)).toEqual([0, 1, 0, 1, 0, 1, 0, 0]);
    // no indicator for a column without missing values in training
    const clean = fitPreprocessor(frame(), Int32Array.of(0, 2), { addIndicators: true });
    expect(clean.outputNames).toEqual(['bytes', 'proto']);
  });

  it('standard scaling uses mean and population std of the filled values', () => {
    const f: RawFrame = { nSamples: 5, columns: [{ name: 'a', kind: 'numeric', values: Float32Array.of(2, 4, NaN, 4, 6) }] };
    const pre = fitPreprocessor(f, null, { scale: 'standard' });
    // filled: 2 4 4 4 6 → mean 4, var (4+0+0+0+4)/5 = 1.6
    expect(pre.inputs[0]).toMatchObject({ fill: 4, center: 4 });
    expect((pre.inputs[0] as { scale: number }).scale).toBeCloseTo(Math.sqrt(1.6), 12);
    const X = transform(pre, f);
    const s = Math.sqrt(1.6);
    col(X, 0).forEach((v, i) => expect(v).toBeCloseTo([-2 / s, 0, 0, 0, 2 / s][i]!, 6));
    // a constant column gets scale 1
    const c = fitPreprocessor({ nSamples: 3, columns: [{ name: 'a', kind: 'numeric', values: Float32Array.of(7, 7, 7) }] }, null, { scale: 'standard' });
    expect(c.inputs[0]).toMatchObject({ center: 7, scale: 1 });
  });

  it('robust scaling uses median and IQR (linear quantiles), IQR 0 → 1', () => {
    const f: RawFrame = { nSamples: 5, columns: [{ name: 'a', kind: 'numeric', values: Float64Array.of(1, 2, 3, 4, 100) }] };
    const pre = fitPreprocessor(f, null, { scale: 'robust' });
    // q25 = 2, q50 = 3, q75 = 4
    expect(pre.inputs[0]).toMatchObject({ center: 3, scale: 2 });
    expect(col(transform(pre, f), 0)).toEqual([-1, -0.5, 0, 0.5, 48.5]);
    const flat: RawFrame = { nSamples: 5, columns: [{ name: 'a', kind: 'numeric', values: Float64Array.of(0, 0, 0, 0, 9) }] };
    expect(fitPreprocessor(flat, null, { scale: 'robust' }).inputs[0]).toMatchObject({ center: 0, scale: 1 });
  });

  it('log-standard scaling standardises sign(x)·ln(1 + |x|), missing values filled with the raw median', () => {
    const raw = [0, 9, 99, -9, 999, NaN];
    const f: RawFrame = { nSamples: 6, columns: [{ name: 'a', kind: 'numeric', values: Float64Array.from(raw) }] };
    const pre = fitPreprocessor(f, null, { scale: 'log-standard', addIndicators: true });
    const slog = (x: number) => Math.sign(x) * Math.log1p(Math.abs(x));
    // median of the finite values 9 -> the missing row counts as slog(9)
    const logs = [0, 9, 99, -9, 999, 9].map(slog);
    const mean = logs.reduce((a, b) => a + b) / 6;
    const std = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / 6);
    expect(pre.inputs[0]).toMatchObject({ fill: 9, log: true, indicator: true });
    expect((pre.inputs[0] as { center: number }).center).toBeCloseTo(mean, 10);
    expect((pre.inputs[0] as { scale: number }).scale).toBeCloseTo(std, 10);
    const out = transform(pre, f);
    col(out, 0).forEach((v, i) => expect(v).toBeCloseTo((logs[i]! - mean) / std, 5));
    expect(col(out, 1)).toEqual([0, 0, 0, 0, 0, 1]);
    // without log, the same options keep no `log` flag (models saved before it read the same)
    expect(fitPreprocessor(f, null, { scale: 'standard' }).inputs[0]).not.toHaveProperty('log');
  });

  it('median and robust quantiles (quickselect) equal a naive sort on random, tied, sorted and reversed data', () => {
    const naiveQ = (sorted: number[], q: number): number => {
      const pos = (sorted.length - 1) * q;
      const lo = Math.floor(pos);
      const hi = Math.min(sorted.length - 1, lo + 1);
      return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
    };
    let s = 99;
    const rnd = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 60; trial++) {
      const n = 1 + Math.floor(rnd() * (trial < 30 ? 12 : 3000));
      const levels = 1 + Math.floor(rnd() * 50);
      let vals = Array.from({ length: n }, () => (rnd() < 0.1 ? NaN : Math.floor(rnd() * levels) - 10));
      if (trial % 5 === 1) vals = vals.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
      if (trial % 5 === 2) vals = vals.filter((v) => !Number.isNaN(v)).sort((a, b) => b - a);
      if (vals.length === 0) continue;
      const f: RawFrame = { nSamples: vals.length, columns: [{ name: 'a', kind: 'numeric', values: Float64Array.from(vals) }] };
      const pre = fitPreprocessor(f, null, { scale: 'robust' });
      const finite = vals.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
      const fill = finite.length ? naiveQ(finite, 0.5) : 0;
      const filled = vals.map((v) => (Number.isFinite(v) ? v : fill)).sort((a, b) => a - b);
      const iqr = naiveQ(filled, 0.75) - naiveQ(filled, 0.25);
      expect(pre.inputs[0]).toMatchObject({ fill, center: naiveQ(filled, 0.5), scale: iqr > 0 ? iqr : 1 });
    }
  });

  it('orders categories by descending frequency then name', () => {
    const f: RawFrame = {
      nSamples: 7,
      columns: [{ name: 'svc', kind: 'categorical', codes: Int32Array.of(0, 1, 2, 2, 1, 3, -1), categories: ['z', 'b', 'a', 'c', 'never'] }],
    };
    const pre = fitPreprocessor(f, null);
    expect(pre.inputs[0]).toMatchObject({ categories: ['a', 'b', 'c', 'z'], other: false });
    expect(col(transform(pre, f), 0)).toEqual([3, 1, 0, 0, 1, 2, -1]);
  });

  it('one-hot encodes with an "other" column past maxOneHot', () => {
    const pre = fitPreprocessor(frame(), null, { encode: 'onehot', maxOneHot: 1 });
    // tcp 4, udp 2, icmp 1
    expect(pre.outputNames).toEqual(['bytes', 'proto=tcp', 'proto=other']);
    expect(pre.outputSource).toEqual([0, 1, 1]);
    const X = transform(pre, frame());
    expect(col(X, 1)).toEqual([1, 1, 0, 1, 0, 0, 0, 1]);
    expect(col(X, 2)).toEqual([0, 0, 1, 0, 1, 1, 0, 0]); // missing row 6: all zero
  });

  it('one-hot: unseen and missing categories are all zeros when there is no "other"', () => {
    const pre = fitPreprocessor(frame(), Int32Array.of(0, 2), { encode: 'onehot' });
    expect(pre.outputNames).toEqual(['bytes', 'proto=tcp', 'proto=udp']);
    const X = transform(pre, frame());
    expect(col(X, 1)).toEqual([1, 1, 0, 1, 0, 0, 0, 1]);
    expect(col(X, 2)).toEqual([0, 0, 1, 0, 0, 1, 0, 0]);
  });

  it('maps a frame with other column order and another dictionary by name', () => {
    const pre = fitPreprocessor(frame(), null); // tcp 0, udp 1, icmp 2
    const other: RawFrame = {
      nSamples: 5,
      columns: [
        { name: 'extra', kind: 'numeric', values: new Float32Array(5) },
        { name: 'proto', kind: 'categorical', codes: Int32Array.of(0, 1, 2, 3, -1), categories: ['icmp', 'gre', 'tcp', 'udp'] },
        { name: 'bytes', kind: 'numeric', values: Float32Array.of(5, NaN, 7, 8, 9) },
      ],
    };
    const X = transform(pre, other);
    expect(X.nFeatures).toBe(2);
    expect(col(X, 0)).toEqual([5, 3, 7, 8, 9]);
    expect(col(X, 1)).toEqual([2, 3, 0, 1, -1]); // gre unseen → 3 known categories
    expect(checkSchema(pre, other)).toEqual({ missing: [], extra: ['extra'], wrongKind: [] });
    const oh = fitPreprocessor(frame(), null, { encode: 'onehot' });
    const Y = transform(oh, other);
    expect(oh.outputNames).toEqual(['bytes', 'proto=tcp', 'proto=udp', 'proto=icmp']);
    expect(col(Y, 1)).toEqual([0, 0, 1, 0, 0]);
    expect(col(Y, 2)).toEqual([0, 0, 0, 1, 0]);
    expect(col(Y, 3)).toEqual([1, 0, 0, 0, 0]);
  });

  it('refuses a frame without the needed columns, naming them', () => {
    const f: RawFrame = {
      nSamples: 3,
      columns: [
        { name: 'Flow Bytes/s', kind: 'numeric', values: new Float32Array(3) },
        { name: 'service', kind: 'categorical', codes: new Int32Array(3), categories: ['http'] },
        { name: 'dur', kind: 'numeric', values: new Float32Array(3) },
      ],
    };
    const pre = fitPreprocessor(f, null);
    const g: RawFrame = { nSamples: 3, columns: [{ name: 'dur', kind: 'numeric', values: new Float32Array(3) }, { name: 'x', kind: 'numeric', values: new Float32Array(3) }] };
    expect(checkSchema(pre, g)).toEqual({ missing: ['Flow Bytes/s', 'service'], extra: ['x'], wrongKind: [] });
    expect(() => transform(pre, g)).toThrow(SchemaMismatchError);
    expect(() => transform(pre, g)).toThrow('the model needs columns this data does not have: "Flow Bytes/s", "service"');
    try {
      transform(pre, g);
    } catch (e) {
      expect((e as SchemaMismatchError).missing).toEqual(['Flow Bytes/s', 'service']);
      expect((e as SchemaMismatchError).code).toBe('SCHEMA_MISMATCH');
    }
    // same name, other kind
    const h: RawFrame = {
      nSamples: 3,
      columns: [
        { name: 'Flow Bytes/s', kind: 'numeric', values: new Float32Array(3) },
        { name: 'service', kind: 'numeric', values: new Float32Array(3) },
        { name: 'dur', kind: 'numeric', values: new Float32Array(3) },
      ],
    };
    expect(() => transform(pre, h)).toThrow(/"service" \(expected categorical\)/);
  });

  it('survives a JSON round trip and transforms identically, also on a row subset and into a given matrix', () => {
    for (const options of [{}, { encode: 'onehot' as const, maxOneHot: 2, scale: 'standard' as const, addIndicators: true }, { scale: 'robust' as const }]) {
      const pre = fitPreprocessor(frame(), Int32Array.of(0, 1, 2, 3, 4), options);
      const back = JSON.parse(JSON.stringify(pre));
      expect(back).toEqual(pre);
      const a = transform(pre, frame());
      const b = transform(back, frame());
      expect(Array.from(b.data)).toEqual(Array.from(a.data));
      const rows = Int32Array.of(7, 2, 2);
      const sub = transform(back, frame(), rows);
      for (let f = 0; f < a.nFeatures; f++) expect(col(sub, f)).toEqual(Array.from(rows, (r) => a.data[f * a.nSamples + r]));
      const out = { data: new Float32Array(3 * a.nFeatures).fill(99), nSamples: 3, nFeatures: a.nFeatures };
      transformInto(pre, frame(), rows, out);
      expect(Array.from(out.data)).toEqual(Array.from(sub.data));
    }
  });

  it('matches a naive per-cell reference on random data', () => {
    let s = 7;
    const rnd = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const n = 2000;
    const num = new Float32Array(n).map(() => (rnd() < 0.1 ? NaN : Math.round(rnd() * 100)));
    const cats = ['a', 'b', 'c', 'd', 'e'];
    const codes = new Int32Array(n).map(() => (rnd() < 0.05 ? -1 : Math.floor(rnd() ** 2 * 5)));
    const f: RawFrame = { nSamples: n, columns: [{ name: 'x', kind: 'numeric', values: num }, { name: 'c', kind: 'categorical', codes, categories: cats }] };
    const train = new Int32Array(1000).map((_, i) => i * 2);
    const pre = fitPreprocessor(f, train, { encode: 'onehot', maxOneHot: 3, scale: 'standard' });
    // naive fit
    const vals = Array.from(train, (r) => num[r]!).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    const med = vals.length % 2 ? vals[(vals.length - 1) / 2]! : (vals[vals.length / 2 - 1]! + vals[vals.length / 2]!) / 2;
    const filled = Array.from(train, (r) => (Number.isFinite(num[r]!) ? num[r]! : med));
    const mean = filled.reduce((a, b) => a + b, 0) / filled.length;
    const std = Math.sqrt(filled.reduce((a, b) => a + (b - mean) ** 2, 0) / filled.length);
    const cnt = new Map<string, number>();
    for (const r of train) if (codes[r]! >= 0) cnt.set(cats[codes[r]!]!, (cnt.get(cats[codes[r]!]!) ?? 0) + 1);
    const order = [...cnt.keys()].sort((a, b) => cnt.get(b)! - cnt.get(a)! || (a < b ? -1 : 1));
    const top = order.slice(0, 3);
    expect(pre.outputNames).toEqual(['x', ...top.map((c) => `c=${c}`), 'c=other']);
    const X = transform(pre, f);
    for (let i = 0; i < n; i++) {
      const v = Number.isFinite(num[i]!) ? num[i]! : med;
      expect(X.data[i]).toBeCloseTo((v - mean) / std, 5);
      const cat = codes[i]! >= 0 ? cats[codes[i]!]! : null;
      for (let k = 0; k < 3; k++) expect(X.data[(1 + k) * n + i]).toBe(cat === top[k] ? 1 : 0);
      expect(X.data[4 * n + i]).toBe(cat !== null && !top.includes(cat) ? 1 : 0);
    }
  });
});

describe.skipIf(!datasetsDir())('pipeline on NSL-KDD', () => {
  it('fits on the training split and transforms the whole frame', () => {
    const d = realData.nslTrain('binary')!;
    const { train } = stratifiedSplit(d.y, d.classes.length, 0.2, 1);
    const pre = fitPreprocessor(d.frame, train, { encode: 'onehot' });
    const X = transform(pre, d.frame);
    expect(X.nSamples).toBe(d.frame.nSamples);
    expect(X.nFeatures).toBe(pre.outputNames.length);
    expect(X.data.every((v) => Number.isFinite(v))).toBe(true);
    expect(pre.outputNames).toContain('protocol_type=tcp');
  });
});
