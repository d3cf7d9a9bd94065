import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { treeShap } from '../../../ml-core/explain/tree-shap.js';
import { transform } from '../../../ml-core/preprocess/pipeline.js';
import type { ImportResult as ParsedImport } from '../../../tests/support/flow-import.js';
import { filesIn, FIXTURES, importPaths } from '../../../tests/support/flow-import.js';
import { removeTempDirs, tempDir } from '../../../tests/support/backend-fixtures.js';
import type { ModelKind, ParamValue, TargetName } from '../../contract/dto.js';
import { openWorkspace, type Db } from '../db/connection.js';
import { DatasetsRepo } from '../db/datasets.repo.js';
import { ModelsRepo } from '../db/models.repo.js';
import { ImportWriter } from '../import/import-writer.js';
import { CancelFlag } from '../jobs/cancel.js';
import { inlineForests } from '../training/forest-runner.js';
import { decodeBundle, encodeBundle, predictBundle, prepareBundle, type ModelBundle } from '../training/model-bundle.js';
import { runTraining } from '../training/train-pipeline.js';
import { benignRanges, clearBenignRangeCache, explainFlow, frameOfRecord, type FeatureRecord } from './explain.js';

let db: Db;
let datasets: DatasetsRepo;
let models: ModelsRepo;
let cicids: { id: number; parsed: ParsedImport };
let nsl: { id: number; parsed: ParsedImport };

/** Writes an in-memory import into the workspace (what the import job does in its worker). */
function store(name: string, parsed: ParsedImport): number {
  const w = new ImportWriter(db, new CancelFlag());
  w.begin(name);
  w.setColumns(parsed.summary.columns.map((c) => ({ name: c.name, sourceName: c.sourceName, role: c.role, storage: c.storage })));
  for (const b of [...parsed.batches].sort((a, c) => a.rowStart - c.rowStart)) w.write(b);
  return w.commit(parsed.summary, [{ path: `/tmp/${name}`, name, bytes: 1 }], { format: 'auto' }).id;
}

async function train(datasetId: number, model: ModelKind, target: TargetName, params: Record<string, ParamValue>): Promise<number> {
  const out = await runTraining(
    { datasetId, model, target, seed: 7, params },
    { datasets, progress() {}, isCancelled: () => false, forests: inlineForests },
  );
  return models.insert(out.model);
}

/** Feature record of row r of an in-memory import (the model's raw input columns). */
function recordOf(parsed: ParsedImport, r: number): FeatureRecord {
  const rec: FeatureRecord = {};
  parsed.summary.columns.forEach((c, idx) => {
    if (c.role !== 'numeric' && c.role !== 'categorical') return;
    const b = parsed.batches.find((x) => r >= x.rowStart && r < x.rowStart + x.nRows)!;
    const v = b.columns[idx]![r - b.rowStart]!;
    if (c.storage === 'dict') rec[c.name] = v < 0 ? null : c.dictionary![v]!;
    else rec[c.name] = Number.isNaN(v) ? null : v;
  });
  return rec;
}

function labelOf(parsed: ParsedImport, r: number): string {
  const t = parsed.summary.targets!;
  const idx = parsed.summary.columns.findIndex((c) => c.name === t.labelColumn);
  const b = parsed.batches.find((x) => r >= x.rowStart && r < x.rowStart + x.nRows)!;
  return t.label[b.columns[idx]![r - b.rowStart]!]!;
}

function bundleOf(modelId: number): ModelBundle {
  return decodeBundle(models.file(modelId));
}

beforeAll(() => {
  process.env.FLOWSIGHT_NEURAL_THREADS = '1';
  db = openWorkspace(path.join(tempDir(), 'workspace.sqlite')).db;
  datasets = new DatasetsRepo(db);
  models = new ModelsRepo(db);
  const c = importPaths(filesIn(path.join(FIXTURES, 'cicids2017-corrected')));
  cicids = { id: store('cicids', c), parsed: c };
  const n = importPaths([path.join(FIXTURES, 'nsl-kdd/KDDTrain+_20Percent.head200.txt')]);
  nsl = { id: store('nsl', n), parsed: n };
});

afterAll(() => {
  db?.close();
  removeTempDirs();
});

describe('benignRanges', () => {
  it('gives the 5th/50th/95th percentiles of the benign training rows per numeric model column, cached per model', async () => {
    const id = await train(cicids.id, 'extra-trees', 'label', { nTrees: 10 });
    clearBenignRangeCache();
    const r = benignRanges(datasets, models, id)!;
    expect(r).not.toBeNull();
    // reference: the benign rows of the fixture, straight from the import
    const col = 'Flow Duration';
    const vals: number[] = [];
    for (let i = 0; i < cicids.parsed.summary.rows; i++) {
      if (labelOf(cicids.parsed, i).toUpperCase() === 'BENIGN') vals.push(recordOf(cicids.parsed, i)[col] as number);
    }
    vals.sort((a, b) => a - b);
    const q = (p: number) => {
      const pos = p * (vals.length - 1);
      const lo = Math.floor(pos);
      return vals[lo]! + (vals[Math.min(vals.length - 1, lo + 1)]! - vals[lo]!) * (pos - lo);
    };
    expect(r[col]!.median).toBeCloseTo(q(0.5), 3);
    expect(r[col]!.p5).toBeCloseTo(q(0.05), 3);
    expect(r[col]!.p95).toBeCloseTo(q(0.95), 3);
    expect(r[col]!.p5).toBeLessThanOrEqual(r[col]!.median);
    expect(benignRanges(datasets, models, id)).toBe(r); // cached
    // categorical columns have no range
    const nslModel = await train(nsl.id, 'random-forest', 'binary', { nTrees: 5 });
    const rn = benignRanges(datasets, models, nslModel)!;
    expect(rn.protocol_type).toBeUndefined();
    expect(rn.src_bytes).toBeDefined();
  });

  it('is null when the training dataset is gone', async () => {
    const n2 = store('nsl-copy', nsl.parsed);
    const id = await train(n2, 'random-forest', 'binary', { nTrees: 3 });
    datasets.delete(n2);
    clearBenignRangeCache();
    expect(benignRanges(datasets, models, id)).toBeNull();
  });
});

describe('explainFlow', () => {
  it('extra trees on CICIDS: P(predicted attack class), exact sum, every column with value and range', async () => {
    const id = await train(cicids.id, 'extra-trees', 'label', { nTrees: 30 });
    const bundle = bundleOf(id);
    const ranges = benignRanges(datasets, models, id);
    const classes = bundle.manifest.classes;
    let checked = 0;
    for (let r = 0; r < cicids.parsed.summary.rows; r += 7) {
      const rec = recordOf(cicids.parsed, r);
      const e = await explainFlow(bundle, rec, ranges);
      expect(e.method).toBe('tree-shap');
      const x = transform(bundle.manifest.preprocessor, frameOfRecord(bundle.manifest.preprocessor, rec)).data;
      const p = predictBundle(bundle, { data: x, nSamples: 1, nFeatures: x.length });
      const pred = p.indexOf(Math.max(...p));
      const explained = classes.findIndex((c) => e.output === `P(${c})`);
      expect(explained).toBeGreaterThanOrEqual(0);
      expect(explained).not.toBe(bundle.manifest.benign);
      if (pred !== bundle.manifest.benign) expect(explained).toBe(pred);
      expect(e.value).toBeCloseTo(p[explained]!, 6);
      const total = e.contributions.reduce((s, c) => s + c.contribution, e.baseValue);
      expect(Math.abs(total - e.value)).toBeLessThan(1e-6);
      expect(e.contributions.length).toBe(bundle.manifest.features.length);
      for (let i = 1; i < e.contributions.length; i++) expect(Math.abs(e.contributions[i - 1]!.contribution)).toBeGreaterThanOrEqual(Math.abs(e.contributions[i]!.contribution));
      const dur = e.contributions.find((c) => c.feature === 'Flow Duration')!;
      expect(dur.value).toBe(rec['Flow Duration']);
      expect(dur.benign).toEqual(ranges!['Flow Duration']);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
    // an explicit class and a top-N cut
    const e = await explainFlow(bundle, recordOf(cicids.parsed, 0), ranges, { classIdx: bundle.manifest.benign, top: 5 });
    expect(e.output).toBe(`P(${classes[bundle.manifest.benign]})`);
    expect(e.contributions).toHaveLength(5);
  });

  it('NSL-KDD with one-hot categories: contributions summed back per raw column; gradient boosting in log-odds', async () => {
    for (const [kind, params] of [
      ['extra-trees', { nTrees: 30, encode: 'onehot', addIndicators: true }],
      ['gradient-boosting', { maxRounds: 20, encode: 'onehot' }],
    ] as Array<[ModelKind, Record<string, ParamValue>]>) {
      const id = await train(nsl.id, kind, 'binary', params);
      const bundle = bundleOf(id);
      const pre = bundle.manifest.preprocessor;
      const attack = bundle.manifest.classes.indexOf('attack');
      expect(pre.outputNames.length).toBeGreaterThan(pre.inputs.length); // one-hot really expanded
      const ranges = benignRanges(datasets, models, id);
      let expandedSeen = 0; // rows where a raw column's contribution came from several one-hot columns
      for (const r of [0, 3, 17, 40, 99, 120, 150, 199]) {
        const rec = recordOf(nsl.parsed, r);
        const e = await explainFlow(bundle, rec, ranges, { classIdx: attack });
        expect(e.output).toBe(kind === 'gradient-boosting' ? 'log-odds of attack' : 'P(attack)');
        expect(e.contributions.map((c) => c.feature).sort()).toEqual(pre.inputs.map((i) => i.name).sort());
        const x = transform(pre, frameOfRecord(pre, rec)).data;
        const shap = treeShap(bundle.model as never, x, attack);
        // per raw column = sum of its one-hot columns
        const perInput = new Float64Array(pre.inputs.length);
        const nonZero = new Int32Array(pre.inputs.length);
        pre.outputSource.forEach((s, o) => {
          perInput[s]! += shap.values[o]!;
          if (shap.values[o] !== 0) nonZero[s]!++;
        });
        pre.inputs.forEach((input, i) => expect(e.contributions.find((c) => c.feature === input.name)!.contribution).toBeCloseTo(perInput[i]!, 12));
        if (nonZero.some((k) => k > 1)) expandedSeen++;
        expect(e.contributions.find((c) => c.feature === 'service')!.value).toBe(rec.service);
        const total = e.contributions.reduce((s, c) => s + c.contribution, e.baseValue);
        expect(Math.abs(total - e.value)).toBeLessThan(1e-6);
        const p = predictBundle(bundle, { data: x, nSamples: 1, nFeatures: x.length });
        expect(kind === 'gradient-boosting' ? 1 / (1 + Math.exp(-e.value)) : e.value).toBeCloseTo(p[attack]!, 5);
      }
      if (kind === 'extra-trees') expect(expandedSeen).toBeGreaterThan(0);
    }
  });

  it('isolation forest: the anomaly score, contributions on its scale summing exactly', async () => {
    const id = await train(nsl.id, 'isolation-forest', 'binary', { nTrees: 50 });
    const bundle = bundleOf(id);
    const ranges = benignRanges(datasets, models, id);
    for (const r of [1, 5, 60]) {
      const rec = recordOf(nsl.parsed, r);
      const e = await explainFlow(bundle, rec, ranges);
      expect(e.output).toBe('anomaly score');
      const x = transform(bundle.manifest.preprocessor, frameOfRecord(bundle.manifest.preprocessor, rec)).data;
      const p = predictBundle(bundle, { data: x, nSamples: 1, nFeatures: x.length });
      expect(e.value).toBeCloseTo(p[1]!, 6);
      const total = e.contributions.reduce((s, c) => s + c.contribution, e.baseValue);
      expect(Math.abs(total - e.value)).toBeLessThan(1e-9);
    }
    // a flow with absurd byte counts: the bytes columns push the score up
    const odd = { ...recordOf(nsl.parsed, 1), src_bytes: 9e9, dst_bytes: 9e9 };
    const e = await explainFlow(bundle, odd, ranges);
    const top = e.contributions.slice(0, 4).map((c) => c.feature);
    expect(top.some((f) => f === 'src_bytes' || f === 'dst_bytes')).toBe(true);
    expect(e.contributions.find((c) => c.feature === 'src_bytes')!.contribution).toBeGreaterThan(0);
  });

  it('neural classifier: gradient × input from the benign medians, per raw column, approximately complete', async () => {
    const id = await train(nsl.id, 'mlp', 'binary', { epochs: 5, units: 16 });
    const bundle = await prepareBundle(bundleOf(id));
    const ranges = benignRanges(datasets, models, id);
    const rec = recordOf(nsl.parsed, 2);
    const e = await explainFlow(bundle, rec, ranges, { classIdx: bundle.manifest.classes.indexOf('attack') });
    expect(e.method).toBe('gradient-input');
    expect(e.output).toBe('P(attack)');
    const x = transform(bundle.manifest.preprocessor, frameOfRecord(bundle.manifest.preprocessor, rec)).data;
    const p = predictBundle(bundle, { data: x, nSamples: 1, nFeatures: x.length });
    expect(e.value).toBeCloseTo(p[bundle.manifest.classes.indexOf('attack')]!, 4);
    const total = e.contributions.reduce((s, c) => s + c.contribution, e.baseValue);
    expect(Math.abs(total - e.value)).toBeLessThan(Math.max(0.02 * Math.abs(e.value - e.baseValue), 2e-3));
    expect(e.contributions).toHaveLength(bundle.manifest.features.length);
  });

  it('refuses a flow that lacks model columns, and an old model without node cover', async () => {
    const id = await train(cicids.id, 'random-forest', 'label', { nTrees: 5 });
    const bundle = bundleOf(id);
    const rec = recordOf(cicids.parsed, 3);
    delete rec['Flow Duration'];
    await expect(explainFlow(bundle, rec, null)).rejects.toThrow(/lacks columns the model reads: "Flow Duration"/);
    const old = bundleOf(id);
    if (!('forest' in old.model)) throw new Error('expected a tree model');
    delete old.model.forest.cover;
    const reloaded = decodeBundle(encodeBundle(old)); // an old model file: no cover array
    await expect(explainFlow(reloaded, recordOf(cicids.parsed, 3), null)).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/Explanation not available/) });
  });
});
