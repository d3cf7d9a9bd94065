import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { forestRaw, predictProba } from '../models/flat/predict.js';
import { fitForest } from '../models/forest/forest.js';
import { fitIsolationForest } from '../models/iforest/isolation.js';
import { toRowMajor } from '../models/matrix.js';
import type { ColMatrix, TrainedTreeModel } from '../models/types.js';
import { FORMAT_VERSION, ModelFileError, crc32, decodeModelFile, encodeModelFile } from './model-file.js';
import { loadTreeModel, saveTreeModel, treeModelFromFile, treeModelToFile } from './tree-model.js';
import { utf8Decode, utf8Encode } from './utf8.js';

function sameBits(a: Float32Array, b: Float32Array): boolean {
  const ia = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ib = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return ia.length === ib.length && ia.every((v, i) => v === ib[i]);
}

describe('UTF-8', () => {
  it('round-trips text with multi-byte characters and refuses malformed bytes', () => {
    for (const s of ['', 'plain', 'Ünïcödé – “quotes”', '日本語', 'emoji 🛡️🔥', '\u0000\u007f\u0080\u07ff\u0800\uffff']) {
      const bytes = utf8Encode(s);
      expect(utf8Decode(bytes)).toBe(s);
      expect(Array.from(bytes)).toEqual(Array.from(new TextEncoder().encode(s)));
    }
    expect(utf8Decode(utf8Encode('x'.repeat(20000)))).toBe('x'.repeat(20000));
    expect(() => utf8Decode(Uint8Array.of(0xc0, 0x80))).toThrow(/invalid/); // overlong
    expect(() => utf8Decode(Uint8Array.of(0xe2, 0x82))).toThrow(/truncated/);
    expect(() => utf8Decode(Uint8Array.of(0xed, 0xa0, 0x80))).toThrow(/invalid/); // surrogate
    expect(() => utf8Decode(Uint8Array.of(0xff))).toThrow(/invalid/);
  });
});

describe('model file', () => {
  const arrays = {
    f32: Float32Array.of(1.5, NaN, -Infinity, -0),
    f64: Float64Array.of(Math.PI, 1e300),
    i32: Int32Array.of(-1, 2 ** 31 - 1),
    u8: Uint8Array.of(1, 2, 3),
    u16: Uint16Array.of(65535),
    u32: Uint32Array.of(2 ** 32 - 1),
    i16: Int16Array.of(-32768),
    i8: Int8Array.of(-128, 127),
    empty: new Float32Array(0),
  };

  it('round-trips a manifest and typed arrays of every kind, 8-byte aligned', () => {
    const bytes = encodeModelFile({ name: 'm', nested: { list: [1, 'ü'] } }, arrays);
    expect(String.fromCharCode(...bytes.subarray(0, 8))).toBe('FSMODEL\0');
    expect(new DataView(bytes.buffer).getUint32(8, true)).toBe(FORMAT_VERSION);
    const { manifest, arrays: back } = decodeModelFile(bytes);
    expect(manifest).toEqual({ name: 'm', nested: { list: [1, 'ü'] } });
    for (const [k, v] of Object.entries(arrays)) {
      expect(back[k]!.constructor).toBe(v.constructor);
      expect(new Uint8Array(back[k]!.buffer, back[k]!.byteOffset, back[k]!.byteLength)).toEqual(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    }
    const jsonLen = new DataView(bytes.buffer).getUint32(12, true);
    const dataStart = Math.ceil((24 + jsonLen) / 8) * 8;
    expect(dataStart % 8).toBe(0);
    const dir = JSON.parse(new TextDecoder().decode(bytes.subarray(24, 24 + jsonLen))).arrays as Array<{ byteOffset: number }>;
    for (const e of dir) expect(e.byteOffset % 8).toBe(0);
    // an array viewed at an offset inside a bigger buffer is stored by its own bytes
    const big = new Float32Array(10).map((_, i) => i);
    const r = decodeModelFile(encodeModelFile({}, { part: big.subarray(3, 6) }));
    expect(Array.from(r.arrays.part!)).toEqual([3, 4, 5]);
  });

  it('refuses newer versions, truncation, corruption and garbage with clear messages', () => {
    const bytes = encodeModelFile({ a: 1 }, arrays);
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint32(8, FORMAT_VERSION + 1, true);
    expect(() => decodeModelFile(newer)).toThrow(/format version 2, newer than the 1.*update Flowsight/);
    expect(() => decodeModelFile(bytes.subarray(0, bytes.length - 5))).toThrow(/truncated/);
    expect(() => decodeModelFile(bytes.subarray(0, 10))).toThrow(/only 10 bytes/);
    const flipped = bytes.slice();
    flipped[flipped.length - 3]! ^= 0x40;
    expect(() => decodeModelFile(flipped)).toThrow(/corrupt/);
    expect(() => decodeModelFile(utf8Encode('{"not": "a model file", "padding": "................"}'))).toThrow(/not a Flowsight model file/);
    expect(() => decodeModelFile(new Uint8Array(3))).toThrow(ModelFileError);
    const trailing = new Uint8Array(bytes.length + 4);
    trailing.set(bytes);
    expect(() => decodeModelFile(trailing)).toThrow(/trailing/);
  });

  it('crc32 matches the zlib check value', () => {
    expect(crc32(utf8Encode('123456789'))).toBe(0xcbf43926);
  });
});

describe('tree models', () => {
  const rng = new Rng(5);
  const n = 600;
  const nFeatures = 5;
  const data = new Float32Array(n * nFeatures);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.int(3);
    for (let f = 0; f < nFeatures; f++) data[f * n + i] = y[i]! * (f % 2) + rng.normal();
  }
  const X: ColMatrix = { data, nSamples: n, nFeatures };
  const Xr = toRowMajor(X);
  const models: Array<[string, TrainedTreeModel]> = [
    ['extra trees', fitForest({ X, y, nClasses: 3 }, { kind: 'extra-trees', nTrees: 15 })],
    ['random forest', fitForest({ X, y, nClasses: 3 }, { kind: 'random-forest', nTrees: 15 })],
    ['isolation forest', fitIsolationForest(X, null, { nTrees: 25, contamination: 0.05 })],
  ];
  for (const [name, model] of models) {
    it(`${name}: load(save(m)) predicts bit for bit and keeps every field`, () => {
      const bytes = saveTreeModel(model, { schema: { columns: ['a', 'b'] } });
      const back = loadTreeModel(bytes);
      expect(sameBits(forestRaw(back.forest, Xr), forestRaw(model.forest, Xr))).toBe(true);
      expect(sameBits(predictProba(back, Xr), predictProba(model, Xr))).toBe(true);
      expect(back.kind).toBe(model.kind);
      expect(back.params).toEqual(model.params);
      expect(back.link).toBe(model.link);
      expect(back.threshold).toBe(model.threshold);
      expect(back.oobScore).toBe(model.oobScore);
      expect(back.featureImportance).toEqual(model.featureImportance);
      expect(back.forest.cover).toEqual(model.forest.cover);
      expect(decodeModelFile(bytes).manifest.schema).toEqual({ columns: ['a', 'b'] });
    });
  }

  it('refuses a tree model whose arrays do not fit together', () => {
    const { manifest, arrays } = treeModelToFile(models[0]![1]);
    const decode = (m: Record<string, unknown>, a: typeof arrays) => decodeModelFile(encodeModelFile(m, a));
    expect(() => treeModelFromFile(decode({ ...manifest, type: 'neural' }, arrays))).toThrow(/manifest type/);
    expect(() => treeModelFromFile(decode({ ...manifest, version: 9 }, arrays))).toThrow(/layout version 9.*update Flowsight/);
    expect(() => treeModelFromFile(decode(manifest, { ...arrays, left: arrays.left!.subarray(1) }))).toThrow(/'left' has/);
    const left = (arrays.left as Int32Array).slice();
    left[0] = 0;
    expect(() => treeModelFromFile(decode(manifest, { ...arrays, left }))).toThrow(/invalid tree model/);
    const feature = (arrays.feature as Int32Array).slice();
    feature[0] = 99;
    expect(() => treeModelFromFile(decode(manifest, { ...arrays, feature }))).toThrow(/feature 99/);
    const { threshold: _t, ...noThreshold } = arrays;
    expect(() => treeModelFromFile(decode(manifest, noThreshold))).toThrow(/'threshold' is missing/);
  });
});
