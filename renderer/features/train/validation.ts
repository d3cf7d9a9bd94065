/**
 * The Train form: its state, defaults, and validation into a `models.train` input. Pure (no
 * React, no store) so every rule is unit-tested; messages are one sentence a person can act on.
 */
import type { CommandInput, DatasetDetail, DatasetSummary, ModelKind, ModelKindInfo, ModelParamSpec, TargetName } from '../../../electron/contract/index.js';
import { isNeuralKind } from '../../api/contract-values.js';
import { formatInt } from '../../components/format.js';

export type TestMode = 'split' | 'dataset' | 'folds';
export type TrainInput = CommandInput<'models.train'>;

export interface TrainForm {
  datasetId: number | null;
  target: TargetName;
  kind: ModelKind | null;
  /** edited parameter values per kind (numbers and choices as typed text); absent = the default */
  params: Partial<Record<ModelKind, Record<string, string | boolean>>>;
  testMode: TestMode;
  /** percent, as typed */
  testSizePct: string;
  folds: string;
  testDatasetId: number | null;
  seed: string;
  name: string;
}

export const DEFAULT_FORM: TrainForm = {
  datasetId: null,
  target: 'category',
  kind: null,
  params: {},
  testMode: 'split',
  testSizePct: '30',
  folds: '5',
  testDatasetId: null,
  seed: '42',
  name: '',
};

export const TEST_SIZE_MIN = 1;
export const TEST_SIZE_MAX = 90;
export const FOLDS_MIN = 2;
export const FOLDS_MAX = 20;
export const SEED_MAX = 2 ** 31 - 1;
/** the kind picked when none is chosen yet (if the catalog has it) */
export const DEFAULT_KIND: ModelKind = 'random-forest';

export interface ValidationContext {
  kinds: ModelKindInfo[] | null;
  datasets: DatasetSummary[];
  /** the chosen dataset's detail (class counts), once loaded */
  dataset: DatasetDetail | null;
}

export interface Validation {
  /** field -> message; fields: dataset, target, kind, param.<key>, testSize, folds, testDataset, seed, name */
  errors: Record<string, string>;
  /** advice that does not block training */
  warnings: string[];
  /** still loading what the checks need (the catalog, the dataset) */
  pending: boolean;
  /** the command input, when there are no errors and nothing is pending */
  input: TrainInput | null;
}

/** The value shown for a parameter: what was typed, else the default. */
export function paramValue(form: TrainForm, kind: ModelKind, spec: ModelParamSpec): string | boolean {
  const v = form.params[kind]?.[spec.key];
  if (v !== undefined) return v;
  return spec.type === 'bool' ? Boolean(spec.default) : String(spec.default);
}

/** Has any parameter of `kind` been changed from its default? */
export function paramsEdited(form: TrainForm, info: ModelKindInfo): boolean {
  return info.params.some((p) => {
    const v = form.params[info.kind]?.[p.key];
    return v !== undefined && (p.type === 'bool' ? v !== p.default : String(v).trim() !== String(p.default));
  });
}

function rangeText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `between ${min} and ${max}`;
  if (min !== undefined) return `at least ${min}`;
  if (max !== undefined) return `at most ${max}`;
  return '';
}

/** One parameter: its parsed value, or the message saying what is wrong. */
export function checkParam(spec: ModelParamSpec, raw: string | boolean): { value: number | string | boolean } | { error: string } {
  if (spec.type === 'bool') return { value: Boolean(raw) };
  const text = String(raw).trim();
  if (spec.type === 'choice') {
    if (spec.choices && !spec.choices.includes(text)) return { error: `${spec.label} must be one of: ${spec.choices.join(', ')}.` };
    return { value: text };
  }
  if (text === '') return { error: `${spec.label} needs a value.` };
  const n = Number(text);
  if (!Number.isFinite(n)) return { error: `${spec.label} must be a number.` };
  if (spec.type === 'int' && !Number.isInteger(n)) return { error: `${spec.label} must be a whole number.` };
  if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
    return { error: `${spec.label} must be ${rangeText(spec.min, spec.max)}.` };
  }
  return { value: n };
}

/** The target actually trained: unsupervised kinds (isolation forest, autoencoder) and unlabelled data are always benign / attack. */
export function effectiveTarget(form: TrainForm, info: ModelKindInfo | undefined, dataset: DatasetSummary | undefined): TargetName {
  if (info?.unsupervised || (dataset && !dataset.labelled)) return 'binary';
  return form.target;
}

/** Number of classes of `target` in the dataset (null when unknown). */
export function classCount(dataset: DatasetDetail | null, target: TargetName): number | null {
  if (!dataset) return null;
  if (!dataset.classCounts) return 0;
  return dataset.classCounts[target]?.length ?? 0;
}

function wholeNumber(text: string): number | null {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : null;
}

const TARGET_WORDS: Record<TargetName, string> = { binary: 'benign / attack', category: 'category', label: 'label' };

export function validateTrainForm(form: TrainForm, ctx: ValidationContext): Validation {
  const errors: Record<string, string> = {};
  const warnings: string[] = [];
  let pending = false;

  const summary = form.datasetId !== null ? ctx.datasets.find((d) => d.id === form.datasetId) : undefined;
  if (form.datasetId === null) errors.dataset = ctx.datasets.length === 0 ? 'Import a dataset first.' : 'Choose a dataset to train on.';
  else if (!summary) errors.dataset = 'This dataset no longer exists; choose another.';
  const detail = ctx.dataset && ctx.dataset.id === form.datasetId ? ctx.dataset : null;
  if (summary && !detail) pending = true;

  if (!ctx.kinds) pending = true;
  const info = ctx.kinds?.find((k) => k.kind === form.kind);
  if (ctx.kinds && !info) errors.kind = 'Choose a model.';

  if (summary && info && !summary.labelled && !info.unsupervised) {
    const names = (ctx.kinds ?? []).filter((k) => k.unsupervised).map((k) => k.name);
    errors.kind = `“${summary.name}” has no labels; only an unsupervised model (${names.length ? names.join(', ') : 'isolation forest'}) can learn from it.`;
  }

  const target = effectiveTarget(form, info, summary);
  if (summary?.labelled && detail) {
    const n = classCount(detail, target) ?? 0;
    if (n < 2) errors.target = `The ${TARGET_WORDS[target]} target has ${n === 1 ? 'one class' : 'no classes'} in this dataset; a model needs at least two to tell apart.`;
    if (info?.unsupervised && (detail.classCounts?.binary ?? []).every((c) => !/^(benign|normal)$/i.test(c.name))) {
      errors.kind = `${info.name} learns from benign flows, and this dataset has none.`;
    }
  }

  const params: Record<string, number | string | boolean> = {};
  if (info) {
    for (const spec of info.params) {
      const r = checkParam(spec, paramValue(form, info.kind, spec));
      if ('error' in r) errors[`param.${spec.key}`] = r.error;
      else params[spec.key] = r.value;
    }
  }

  let testing: Pick<TrainInput, 'testSize' | 'testDatasetId' | 'folds'> = {};
  if (form.testMode === 'split') {
    const t = form.testSizePct.trim();
    const pct = t === '' ? NaN : Number(t);
    if (!Number.isFinite(pct) || pct < TEST_SIZE_MIN || pct > TEST_SIZE_MAX) {
      errors.testSize = `Test size must be a percentage between ${TEST_SIZE_MIN}% and ${TEST_SIZE_MAX}%.`;
    } else {
      testing = { testSize: pct / 100 };
      if (summary && Math.floor(summary.rows * (pct / 100)) < 1) errors.testSize = `${pct}% of ${formatInt(summary.rows)} rows leaves no rows to test on.`;
    }
  } else if (form.testMode === 'folds') {
    const k = wholeNumber(form.folds);
    if (k === null || k < FOLDS_MIN || k > FOLDS_MAX) {
      errors.folds = `Folds must be a whole number between ${FOLDS_MIN} and ${FOLDS_MAX}.`;
    } else {
      testing = { folds: k };
      if (summary && summary.rows < k) errors.folds = `${k} folds need at least ${k} rows; “${summary.name}” has ${formatInt(summary.rows)}.`;
      const counts = detail?.classCounts?.[target];
      const rarest = counts && counts.length > 0 ? counts[counts.length - 1]! : null;
      if (rarest && rarest.count < k && !info?.unsupervised) {
        warnings.push(`The rarest class, ${rarest.name}, has ${formatInt(rarest.count)} ${rarest.count === 1 ? 'row' : 'rows'}: fewer than ${k} folds, so some folds will not test it.`);
      }
    }
  } else {
    const test = form.testDatasetId !== null ? ctx.datasets.find((d) => d.id === form.testDatasetId) : undefined;
    if (!test) errors.testDataset = 'Choose the dataset to test on.';
    else if (test.id === form.datasetId) errors.testDataset = 'The test dataset must differ from the training dataset.';
    else if (!test.labelled) errors.testDataset = `“${test.name}” has no labels, so it cannot measure the model.`;
    else testing = { testDatasetId: test.id };
  }

  // a neural network steps once per batch: a batch larger than the rows an epoch trains on is one step per epoch
  const batchSize = params.batchSize;
  const trainRows = summary ? (form.testMode === 'dataset' ? summary.rows : splitRows(summary.rows, form)?.train) : undefined;
  if (info && isNeuralKind(info.kind) && typeof batchSize === 'number' && trainRows) {
    const validation = typeof params.validation === 'number' ? params.validation : 0;
    const fitRows = Math.max(1, Math.round(trainRows * (1 - validation)));
    if (batchSize >= fitRows) {
      warnings.push(`A batch of ${formatInt(batchSize)} rows is more than the ≈ ${formatInt(fitRows)} rows an epoch trains on, so each epoch takes one step; a smaller batch learns faster.`);
    }
  }

  const seed = wholeNumber(form.seed);
  if (seed === null || seed > SEED_MAX) errors.seed = `Seed must be a whole number from 0 to ${formatInt(SEED_MAX)}.`;

  const name = form.name.trim();
  if (name.length > 200) errors.name = 'A name is at most 200 characters.';
  // eslint-disable-next-line no-control-regex
  else if (/[\u0000-\u001f\u007f]/.test(name)) errors.name = 'A name cannot contain control characters.';

  const ok = Object.keys(errors).length === 0 && !pending && info && summary && seed !== null;
  const input: TrainInput | null = ok
    ? {
        datasetId: summary.id,
        model: info.kind,
        target,
        ...testing,
        seed,
        params,
        ...(name ? { name } : {}),
      }
    : null;
  return { errors, warnings, pending, input };
}

/** Field errors in the order the form shows them. */
export function orderedErrors(v: Validation, info: ModelKindInfo | undefined): string[] {
  const order = ['dataset', 'target', 'kind', ...(info?.params.map((p) => `param.${p.key}`) ?? []), 'testSize', 'testDataset', 'folds', 'seed', 'name'];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const k of [...order, ...Object.keys(v.errors)]) {
    if (seen.has(k) || !v.errors[k]) continue;
    seen.add(k);
    out.push(v.errors[k]!);
  }
  return out;
}

/** Approximate train / test rows for the summary line. */
export function splitRows(rows: number, form: TrainForm): { train: number; test: number } | null {
  if (form.testMode === 'split') {
    const pct = Number(form.testSizePct);
    if (!Number.isFinite(pct) || pct <= 0 || pct >= 100) return null;
    const test = Math.round(rows * (pct / 100));
    return { train: rows - test, test };
  }
  if (form.testMode === 'folds') {
    const k = Number(form.folds);
    if (!Number.isInteger(k) || k < 2) return null;
    const test = Math.round(rows / k);
    return { train: rows - test, test };
  }
  return null;
}
