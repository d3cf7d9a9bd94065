/**
 * `flowsight train`, `models`, `evaluate` and `score` end to end: child process, real backend,
 * temp workspace, the NSL-KDD fixtures (200 training flows, 250 test flows).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cliArgs = ['--import', 'tsx', join(root, 'electron', 'cli', 'index.ts')];
const trainFile = join(root, 'tests', 'fixtures', 'nsl-kdd', 'KDDTrain+_20Percent.head200.txt');
const testFile = join(root, 'tests', 'fixtures', 'nsl-kdd', 'KDDTest+.excerpt.txt');

const handlersReady = existsSync(join(root, 'electron', 'backend', 'handlers', 'models.handlers.ts'));
/** the model code the training and scoring workers load */
const modelsReady =
  handlersReady &&
  ['models/forest/index.ts', 'models/iforest/index.ts', 'models/gbdt/index.ts', 'models/flat/predict.ts', 'serialize/index.ts'].every((p) =>
    existsSync(join(root, 'ml-core', p)),
  );

function flowsight(args: string[]) {
  const r = spawnSync(process.execPath, [...cliArgs, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, FLOWSIGHT_WORKSPACE: '' },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lineCount(text: string): number {
  return text.split(/\r?\n/).filter((l) => l.trim() !== '').length;
}

const METRIC_KEYS = ['accuracy', 'macroF1', 'weightedF1', 'detectionRate', 'falsePositiveRate', 'perClass', 'confusion'];

function expectMetrics(m: Record<string, unknown>): void {
  for (const key of METRIC_KEYS) expect(m).toHaveProperty(key);
  const perClass = m.perClass as Record<string, Record<string, number>>;
  expect(Object.keys(perClass).length).toBeGreaterThanOrEqual(2);
  for (const c of Object.values(perClass)) {
    for (const key of ['precision', 'recall', 'f1', 'support']) expect(typeof c[key]).toBe('number');
  }
  const confusion = m.confusion as { labels: string[]; matrix: number[][] };
  expect(confusion.matrix).toHaveLength(confusion.labels.length);
}

describe.skipIf(!handlersReady)('flowsight train / models / evaluate / score (real backend)', () => {
  let tmp: string;
  let ws: string;
  let trainId: number;
  let testId: number;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'flowsight-cli-train-'));
    ws = join(tmp, 'workspace.sqlite');
    const a = flowsight(['import', trainFile, '--json', '--workspace', ws, '--name', 'KDD train']);
    expect(a.stderr).toBe('');
    trainId = (JSON.parse(a.stdout) as { id: number }).id;
    const b = flowsight(['import', testFile, '--json', '--workspace', ws, '--name', 'KDD test']);
    expect(b.stderr).toBe('');
    testId = (JSON.parse(b.stdout) as { id: number }).id;
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('refuses an unknown --set key, naming it (exit 1), and stores nothing', () => {
    const r = flowsight(['train', '--dataset', String(trainId), '--model', 'extra-trees', '--set', 'nope=1', '--workspace', ws]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('"nope"');
    expect(r.stderr).toContain('nTrees');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(JSON.parse(flowsight(['models', '--json', '--workspace', ws]).stdout)).toEqual({ models: [] });
  });

  it('refuses an unknown model kind before opening the workspace (exit 2)', () => {
    const fresh = join(tmp, 'untouched.sqlite');
    const r = flowsight(['train', '--dataset', '1', '--model', 'svm', '--workspace', fresh]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown model 'svm'; use one of isolation-forest, extra-trees, random-forest, gradient-boosting, ann, mlp, dnn, cnn, autoencoder.");
    expect(existsSync(fresh)).toBe(false);
  });

  it('refuses more than one way of testing (exit 2)', () => {
    const r = flowsight(['train', '--dataset', '1', '--model', 'extra-trees', '--folds', '3', '--test-size', '0.2', '--workspace', ws]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Give only one of --test-dataset, --test-size and --folds');
  });

  it('a dataset that does not exist is one sentence, exit 1', () => {
    const r = flowsight(['train', '--dataset', '999', '--model', 'extra-trees', '--workspace', ws]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  describe.skipIf(!modelsReady)('with the model code', () => {
    let modelId: number;

    it('train --json prints one TrainResult document', () => {
      const r = flowsight([
        'train', '--dataset', String(trainId), '--model', 'extra-trees', '--target', 'binary',
        '--set', 'nTrees=20', '--json', '--workspace', ws,
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as { modelId: number; model: string; target: string; fitSeconds: number; metrics: Record<string, unknown> };
      expect(Object.keys(doc).slice(0, 5)).toEqual(['modelId', 'model', 'target', 'fitSeconds', 'metrics']);
      expect(doc).toMatchObject({ model: 'extra-trees', target: 'binary' });
      expect(typeof doc.modelId).toBe('number');
      expect(doc.fitSeconds).toBeGreaterThanOrEqual(0);
      expectMetrics(doc.metrics);
      // the NSL-KDD head splits easily into normal vs attack
      expect(doc.metrics.accuracy as number).toBeGreaterThan(0.8);
      modelId = doc.modelId;
    });

    it('models --json lists it; the table shows it', () => {
      const r = flowsight(['models', '--json', '--workspace', ws]);
      expect(r.code).toBe(0);
      const { models } = JSON.parse(r.stdout) as { models: Array<Record<string, unknown>> };
      expect(models).toHaveLength(1);
      expect(models[0]).toMatchObject({ id: modelId, kind: 'extra-trees', datasetId: trainId, target: 'binary' });
      const t = flowsight(['models', '--workspace', ws]);
      expect(t.code).toBe(0);
      expect(t.stdout.split('\n')[0]).toMatch(/^\s*ID\s+NAME\s+KIND\s+DATASET\s+TARGET\s+EVALUATION\s+ACCURACY\s+MACRO-F1\s+FIT S\s+CREATED$/);
      expect(t.stdout).toMatch(new RegExp(`^\\s*${modelId}\\s+.*extra-trees`, 'm'));
    });

    it('evaluate --json returns metrics and a prediction speed', () => {
      const r = flowsight(['evaluate', '--model', String(modelId), '--dataset', String(testId), '--json', '--workspace', ws]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as { metrics: Record<string, unknown>; predictRowsPerSecond: number };
      expect(Object.keys(doc).slice(0, 2)).toEqual(['metrics', 'predictRowsPerSecond']);
      expectMetrics(doc.metrics);
      expect(doc.predictRowsPerSecond).toBeGreaterThan(0);
    });

    it('score writes one CSV row per flow plus a header', () => {
      const out = join(tmp, 'scored.csv');
      const r = flowsight(['score', '--model', String(modelId), testFile, '--out', out, '--workspace', ws]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const flows = lineCount(readFileSync(testFile, 'utf8'));
      expect(r.stdout).toMatch(new RegExp(`^Scored ${flows} flows: \\d+ flagged .*; wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.\\n$`));
      const text = readFileSync(out, 'utf8');
      expect(lineCount(text)).toBe(flows + 1);
      expect(text.split('\n')[0]).toContain('predicted');

      const j = flowsight(['score', '--model', String(modelId), testFile, '--out', join(tmp, 'scored2.csv'), '--json', '--workspace', ws]);
      expect(j.code).toBe(0);
      expect(JSON.parse(j.stdout)).toMatchObject({ modelId, out: join(tmp, 'scored2.csv'), rows: flows });
    });

    it('train --folds 3 works and prints a readable summary', () => {
      const r = flowsight([
        'train', '--dataset', String(trainId), '--model', 'random-forest', '--target', 'binary',
        '--folds', '3', '--set', 'nTrees=10', '--name', 'RF 3-fold', '--workspace', ws,
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Trained model #\d+ 'RF 3-fold': random-forest, target binary, fitted in /);
      expect(r.stdout).toContain('3-fold CV');
      for (const label of ['Accuracy', 'Macro-F1', 'Weighted-F1', 'Detection rate (DR)', 'False-positive rate (FPR)']) {
        expect(r.stdout).toContain(label);
      }
      expect(r.stdout).toMatch(/CLASS\s+PRECISION\s+RECALL\s+F1\s+SUPPORT/);
      const { models } = JSON.parse(flowsight(['models', '--json', '--workspace', ws]).stdout) as {
        models: Array<{ name: string; evaluation: { kind: string; folds?: number } }>;
      };
      expect(models.find((m) => m.name === 'RF 3-fold')?.evaluation).toEqual({ kind: 'folds', folds: 3 });
    });

    it('gradient boosting tested on another dataset', () => {
      const r = flowsight([
        'train', '--dataset', String(trainId), '--model', 'gradient-boosting', '--target', 'binary',
        '--test-dataset', String(testId), '--set', 'maxRounds=10', '--json', '--workspace', ws,
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as { model: string; metrics: Record<string, unknown> };
      expect(doc.model).toBe('gradient-boosting');
      expectMetrics(doc.metrics);
    });

    it('a neural network: --set epochs etc.; --json adds epochSeconds and backend after the agreed keys', () => {
      const r = flowsight([
        'train', '--dataset', String(trainId), '--model', 'dnn', '--target', 'binary', '--test-dataset', String(testId),
        '--set', 'epochs=4', '--set', 'units=32', '--set', 'layers=2', '--set', 'batchSize=32', '--set', 'dropout=0.1',
        '--set', 'learningRate=0.003', '--json', '--workspace', ws,
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as Record<string, unknown> & { metrics: Record<string, unknown> };
      expect(Object.keys(doc)).toEqual(['modelId', 'model', 'target', 'fitSeconds', 'metrics', 'epochSeconds', 'backend']);
      expect(doc.model).toBe('dnn');
      expect(doc.epochSeconds as number).toBeGreaterThan(0);
      expect(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).toContain(doc.backend);
      expectMetrics(doc.metrics);
    });
  });
});
