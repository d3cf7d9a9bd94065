import { describe, expect, it } from 'vitest';
import { detail, summary } from '../../test/fixtures.js';
import { catalog, neuralCatalog } from '../models/test-fixtures.js';
import { DEFAULT_FORM, type TrainForm, checkParam, orderedErrors, splitRows, validateTrainForm } from './validation.js';

const ds = detail();
const unlabelled = { ...summary, id: 8, name: 'conn.log', labelled: false, classes: 0 };
const testSet = { ...summary, id: 9, name: 'Thursday' };
const ctx = { kinds: catalog, datasets: [summary, unlabelled, testSet], dataset: ds };
const form = (over: Partial<TrainForm> = {}): TrainForm => ({ ...DEFAULT_FORM, datasetId: 7, kind: 'random-forest', ...over });

describe('validateTrainForm', () => {
  it('builds the command input from defaults', () => {
    const v = validateTrainForm(form(), ctx);
    expect(v.errors).toEqual({});
    expect(v.input).toEqual({
      datasetId: 7,
      model: 'random-forest',
      target: 'category',
      testSize: 0.3,
      seed: 42,
      params: { trees: 100, maxDepth: 20, maxFeatures: 'sqrt', classWeight: true, minSamplesLeaf: 1 },
    });
  });

  it('refuses parameters out of range, not whole, or empty, naming the parameter and its range', () => {
    const v = validateTrainForm(form({ params: { 'random-forest': { trees: '5000', maxDepth: '2.5', minSamplesLeaf: '' } } }), ctx);
    expect(v.input).toBeNull();
    expect(v.errors['param.trees']).toBe('Trees must be between 1 and 2000.');
    expect(v.errors['param.maxDepth']).toBe('Max depth must be a whole number.');
    expect(v.errors['param.minSamplesLeaf']).toBe('Min rows per leaf needs a value.');
    expect(checkParam(catalog[3]!.params[1]!, '0')).toEqual({ error: 'Learning rate must be between 0.001 and 1.' });
    expect(checkParam(catalog[3]!.params[1]!, '0.05')).toEqual({ value: 0.05 });
    expect(orderedErrors(v, catalog[1])[0]).toBe('Trees must be between 1 and 2000.');
  });

  it('checks the testing choice: split size, folds, a separate labelled test dataset', () => {
    expect(validateTrainForm(form({ testSizePct: '95' }), ctx).errors.testSize).toBe('Test size must be a percentage between 1% and 90%.');
    expect(validateTrainForm(form({ testSizePct: '25' }), ctx).input).toMatchObject({ testSize: 0.25 });
    expect(validateTrainForm(form({ testMode: 'folds', folds: '1' }), ctx).errors.folds).toBe('Folds must be a whole number between 2 and 20.');
    expect(validateTrainForm(form({ testMode: 'folds', folds: '10', target: 'label' }), ctx).warnings).toEqual([]);
    const folds = validateTrainForm(form({ testMode: 'folds', folds: '12', target: 'label' }), ctx);
    expect(folds.input).toMatchObject({ folds: 12 });
    expect(folds.input).not.toHaveProperty('testSize');
    expect(folds.warnings[0]).toBe('The rarest class, Heartbleed, has 11 rows: fewer than 12 folds, so some folds will not test it.');
    expect(validateTrainForm(form({ testMode: 'dataset' }), ctx).errors.testDataset).toBe('Choose the dataset to test on.');
    expect(validateTrainForm(form({ testMode: 'dataset', testDatasetId: 7 }), ctx).errors.testDataset).toBe('The test dataset must differ from the training dataset.');
    expect(validateTrainForm(form({ testMode: 'dataset', testDatasetId: 8 }), ctx).errors.testDataset).toContain('has no labels');
    expect(validateTrainForm(form({ testMode: 'dataset', testDatasetId: 9 }), ctx).input).toMatchObject({ testDatasetId: 9 });
  });

  it('checks seed and name', () => {
    expect(validateTrainForm(form({ seed: '-1' }), ctx).errors.seed).toBe('Seed must be a whole number from 0 to 2,147,483,647.');
    expect(validateTrainForm(form({ seed: '7' }), ctx).input).toMatchObject({ seed: 7 });
    expect(validateTrainForm(form({ name: 'x'.repeat(201) }), ctx).errors.name).toBe('A name is at most 200 characters.');
    expect(validateTrainForm(form({ name: '  RF v2  ' }), ctx).input).toMatchObject({ name: 'RF v2' });
  });

  it('keeps unlabelled data for the isolation forest and trains it on benign / attack', () => {
    const ulDetail = { ...ds, ...unlabelled, classCounts: null };
    const c = { ...ctx, dataset: ulDetail };
    expect(validateTrainForm(form({ datasetId: 8 }), c).errors.kind).toContain('has no labels');
    const v = validateTrainForm(form({ datasetId: 8, kind: 'isolation-forest' }), c);
    expect(v.errors).toEqual({});
    expect(v.input).toMatchObject({ model: 'isolation-forest', target: 'binary' });
    // on labelled data too, an isolation forest always learns benign / attack
    expect(validateTrainForm(form({ kind: 'isolation-forest', target: 'label' }), ctx).input).toMatchObject({ target: 'binary' });
  });

  it('refuses a target with a single class, and waits (no input, no message) while things load', () => {
    const one = { ...ds, classCounts: { ...ds.classCounts!, category: [{ name: 'DoS', count: 10 }] } };
    expect(validateTrainForm(form(), { ...ctx, dataset: one }).errors.target).toContain('one class');
    const loading = validateTrainForm(form(), { ...ctx, dataset: null });
    expect(loading).toMatchObject({ pending: true, input: null, errors: {} });
    expect(validateTrainForm(form(), { ...ctx, kinds: null }).pending).toBe(true);
  });

  it('warns when a neural network’s batch holds every row an epoch trains on', () => {
    const small = { ...summary, rows: 300 };
    const c = { kinds: neuralCatalog, datasets: [small], dataset: { ...ds, rows: 300 } };
    // 300 rows: 210 train (30% held out), 189 after the 10% validation share
    const v = validateTrainForm(form({ kind: 'dnn' }), c);
    expect(v.warnings).toEqual(['A batch of 256 rows is more than the ≈ 189 rows an epoch trains on, so each epoch takes one step; a smaller batch learns faster.']);
    expect(v.input).not.toBeNull();
    expect(validateTrainForm(form({ kind: 'dnn', params: { dnn: { batchSize: '64' } } }), c).warnings).toEqual([]);
    expect(validateTrainForm(form({ kind: 'dnn', params: { dnn: { validation: '0.5', batchSize: '105' } } }), c).warnings).toHaveLength(1);
    // trees have no batches
    expect(validateTrainForm(form({ kind: 'random-forest' }), { ...c, kinds: catalog }).warnings).toEqual([]);
  });

  it('estimates train and test rows', () => {
    expect(splitRows(3000, form())).toEqual({ train: 2100, test: 900 });
    expect(splitRows(3000, form({ testMode: 'folds', folds: '5' }))).toEqual({ train: 2400, test: 600 });
    expect(splitRows(3000, form({ testMode: 'dataset' }))).toBeNull();
  });
});
