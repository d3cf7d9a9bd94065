/**
 * Scoring flows with a stored model: a stored dataset (evaluate: metrics against its labels) or a
 * flow file on disk (score: one CSV row per flow with its identifiers, predicted class and score).
 * Runs in the score worker.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ColumnBatch, ImportSummary } from '../../../ml-core/data/types.js';
import { classificationMetrics } from '../../../ml-core/metrics/classification.js';
import type { RawColumn, RawFrame } from '../../../ml-core/preprocess/types.js';
import type { EvaluateResult, JobProgress, ScoreResult } from '../../contract/dto.js';
import { FlowsightError } from '../../contract/errors.js';
import type { DatasetsRepo } from '../db/datasets.repo.js';
import type { ModelsRepo } from '../db/models.repo.js';
import { mapParseError } from '../import/import-errors.js';
import { parseFiles } from '../import/parse-files.js';
import { planFiles } from '../import/plan.js';
import type { CancelFlag } from '../jobs/cancel.js';
import { binaryLabels, categoriesOfNumbers, isBenignClass, labelledRows, labelsOf, loadDatasetFrame } from './dataset-frame.js';
import { toRowMajor } from '../../../ml-core/models/matrix.js';
import { transform } from '../../../ml-core/preprocess/pipeline.js';
import { assertSchema, decide, decodeBundle, isAnomalyKind, isNeuralModel, prepareBundle, scoreFrame, type ModelBundle, type Scores } from './model-bundle.js';
import { MIN_PARALLEL_ROWS, PredictPool, sharedRows } from './predict-pool.js';

/** Rows scored per block (bounds the preprocessed copy). */
const SCORE_BLOCK = 65536;

/**
 * scoreFrame across every core: blocks of rows are preprocessed here and predicted by a
 * PredictPool; small inputs stay in this thread.
 */
export async function scoreFrameParallel(file: Uint8Array, bundle: ModelBundle, frame: RawFrame, rows: Int32Array | null, cancel: CancelFlag): Promise<Scores> {
  const n = rows ? rows.length : frame.nSamples;
  // a neural model predicts through TensorFlow.js in this thread (its kernels are the fast part)
  if (isNeuralModel(bundle.model)) return scoreFrame(await prepareBundle(bundle), frame, rows);
  if (n < MIN_PARALLEL_ROWS * 4) return scoreFrame(bundle, frame, rows);
  const k = bundle.manifest.classes.length;
  const proba = new Float32Array(n * k);
  const pred = new Int32Array(n);
  const score = new Float32Array(n);
  const pool = new PredictPool(file);
  try {
    await pool.warm();
    const t0 = performance.now();
    for (let s = 0; s < n; s += SCORE_BLOCK) {
      checkCancel(cancel, 'Scoring');
      const e = Math.min(n, s + SCORE_BLOCK);
      const idx = rows ? rows.subarray(s, e) : Int32Array.from({ length: e - s }, (_, i) => s + i);
      const X = sharedRows(toRowMajor(transform(bundle.manifest.preprocessor, frame, idx)));
      const p = await pool.predictProba(X);
      proba.set(p, s * k);
      decide(bundle, p, e - s, pred.subarray(s, e), score.subarray(s, e));
    }
    return { proba, pred, score, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await pool.close();
  }
}

export interface ScoreIo {
  models: ModelsRepo;
  datasets: DatasetsRepo;
  progress(p: JobProgress): void;
  cancel: CancelFlag;
}

function checkCancel(cancel: CancelFlag, what: string): void {
  if (cancel.cancelled) throw new FlowsightError('CANCELLED', `${what} was cancelled.`);
}

export function loadModel(models: ModelsRepo, id: number): ModelBundle {
  return decodeBundle(models.file(id));
}

/** Scores a stored dataset and compares with its labels. */
export async function evaluateDataset(modelId: number, datasetId: number, io: ScoreIo): Promise<EvaluateResult> {
  io.progress({ phase: 'loading', current: 0, total: 0 });
  const file = io.models.file(modelId);
  const bundle = decodeBundle(file);
  const m = bundle.manifest;
  const df = loadDatasetFrame(io.datasets, datasetId, m.target);
  assertSchema(bundle, df.frame, `Dataset "${df.name}"`);
  let labels = labelsOf(df, isAnomalyKind(m.kind) ? undefined : m.classes);
  if (isAnomalyKind(m.kind)) labels = binaryLabels(labels, `Dataset "${df.name}"`);
  checkCancel(io.cancel, 'Evaluation');
  const rows = labelledRows(labels.y);
  io.progress({ phase: 'scoring', current: 0, total: rows.length, rows: rows.length });
  const s = await scoreFrameParallel(file, bundle, df.frame, rows, io.cancel);
  checkCancel(io.cancel, 'Evaluation');
  const yTrue = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) yTrue[i] = labels.y[rows[i]!]!;
  const benign = m.benign >= 0 ? labels.classes.indexOf(m.classes[m.benign]!) : labels.classes.findIndex(isBenignClass);
  const metrics = classificationMetrics(yTrue, s.pred, labels.classes, benign);
  return {
    modelId,
    datasetId,
    metrics,
    predictRowsPerSecond: s.seconds > 0 ? Math.round(rows.length / s.seconds) : 0,
    rows: rows.length,
  };
}

/** Reads a flow file (or folder) fully into columns, as an import would, without storing it. */
export async function readFlowFile(target: string, cancel: CancelFlag, progress: (p: JobProgress) => void): Promise<{ summary: ImportSummary; batches: ColumnBatch[] }> {
  const files = planFiles([target]);
  const totalBytes = files.reduce((a, f) => a + f.bytes, 0);
  const batches: ColumnBatch[] = [];
  try {
    const out = await parseFiles(files, { format: 'auto' }, cancel, {
      columns: () => undefined,
      batches: (b) => batches.push(...b),
      progress: (bytes, rows) => progress({ phase: 'reading', current: bytes, total: totalBytes, bytes, totalBytes, rows }),
    });
    return { summary: out.summary, batches };
  } catch (err) {
    throw mapParseError(err);
  }
}

function concatColumn<T extends Float32Array | Float64Array | Int32Array>(batches: ColumnBatch[], idx: number, out: T): T {
  for (const b of batches) out.set(b.columns[idx] as T, b.rowStart);
  return out;
}

/** The column of one batch holding every row as is (no copy), else the batches concatenated into `alloc(n)`. */
function columnOf<T extends Float32Array | Float64Array | Int32Array>(batches: ColumnBatch[], idx: number, n: number, alloc: (n: number) => T): T {
  const b = batches.length === 1 ? batches[0]! : null;
  if (b && b.rowStart === 0 && b.nRows === n) {
    const c = b.columns[idx] as T;
    if (c.length === n) return c;
    if (c.length > n) return c.subarray(0, n) as T;
  }
  return concatColumn(batches, idx, alloc(n));
}

/** Feature columns of parsed batches as a RawFrame (roles as the importer chose them). */
export function frameOfBatches(summary: ImportSummary, batches: ColumnBatch[]): RawFrame {
  const n = summary.rows;
  const columns: RawColumn[] = [];
  summary.columns.forEach((c, idx) => {
    if (c.role === 'numeric' && c.storage !== 'dict') {
      columns.push({ name: c.name, kind: 'numeric', values: c.storage === 'f64' ? columnOf(batches, idx, n, (k) => new Float64Array(k)) : columnOf(batches, idx, n, (k) => new Float32Array(k)) });
    } else if (c.role === 'categorical' && c.storage === 'dict') {
      columns.push({ name: c.name, kind: 'categorical', codes: columnOf(batches, idx, n, (k) => new Int32Array(k)), categories: c.dictionary ?? [] });
    } else if (c.role === 'categorical') {
      // a numeric column the model may treat as categorical: its values as strings
      const values = c.storage === 'f64' ? columnOf(batches, idx, n, (k) => new Float64Array(k)) : columnOf(batches, idx, n, (k) => new Float32Array(k));
      const { codes, categories } = categoriesOfNumbers(values);
      columns.push({ name: c.name, kind: 'categorical', codes, categories });
    }
  });
  return { nSamples: n, columns };
}

/** A CSV cell: quoted when it holds a comma, quote, CR or LF; formula-looking text is defused. */
export function csvCell(v: string): string {
  let s = v;
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Scores a flow file and writes `out` (CSV): identifiers, true label when present, predicted class, score. */
export async function scoreFile(modelId: number, input: string, out: string, io: ScoreIo): Promise<ScoreResult> {
  const t0 = performance.now();
  const file = io.models.file(modelId);
  const bundle = decodeBundle(file);
  const outPath = path.resolve(out);
  const dir = path.dirname(outPath);
  if (!fs.existsSync(dir)) throw new FlowsightError('BAD_INPUT', `Cannot write ${outPath}: the folder ${dir} does not exist.`);
  const { summary, batches } = await readFlowFile(input, io.cancel, io.progress);
  const frame = frameOfBatches(summary, batches);
  assertSchema(bundle, frame, `The file ${input}`);
  checkCancel(io.cancel, 'Scoring');
  io.progress({ phase: 'scoring', current: 0, total: frame.nSamples, rows: frame.nSamples });
  const s = await scoreFrameParallel(file, bundle, frame, null, io.cancel);
  checkCancel(io.cancel, 'Scoring');

  // identifier and label columns, decoded per row
  const extraCols = summary.columns
    .map((c, idx) => ({ c, idx }))
    .filter(({ c }) => c.role === 'identifier' || c.role === 'label');
  const decoded = extraCols.map(({ c, idx }) => {
    const n = summary.rows;
    if (c.storage === 'dict') {
      const codes = concatColumn(batches, idx, new Int32Array(n));
      const dict = c.dictionary ?? [];
      return (i: number) => (codes[i]! < 0 ? '' : dict[codes[i]!]!);
    }
    const values = concatColumn(batches, idx, c.storage === 'f64' ? new Float64Array(n) : new Float32Array(n));
    return (i: number) => (Number.isNaN(values[i]!) ? '' : String(values[i]!));
  });
  const header = [...extraCols.map(({ c }) => c.name), 'predicted', 'score'];
  const classes = bundle.manifest.classes;
  const counts: Record<string, number> = {};
  let flagged = 0;
  const tmp = `${outPath}.part-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    let buf = header.map(csvCell).join(',') + '\n';
    const classCells = classes.map(csvCell);
    for (let i = 0; i < frame.nSamples; i++) {
      const k = s.pred[i]!;
      counts[classes[k]!] = (counts[classes[k]!] ?? 0) + 1;
      if (k !== bundle.manifest.benign) flagged++;
      let line = '';
      for (const d of decoded) line += csvCell(d(i)) + ',';
      buf += `${line}${classCells[k]},${s.score[i]!.toPrecision(6)}\n`;
      if (buf.length > 1 << 20) {
        fs.writeSync(fd, buf);
        buf = '';
        if (io.cancel.cancelled) break;
      }
    }
    fs.writeSync(fd, buf);
    fs.closeSync(fd);
    checkCancel(io.cancel, 'Scoring');
    fs.renameSync(tmp, outPath);
  } catch (err) {
    try {
      fs.closeSync(fd);
    } catch {
      /* closed */
    }
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return { modelId, out: outPath, rows: frame.nSamples, flagged, classCounts: counts, seconds: (performance.now() - t0) / 1000 };
}
