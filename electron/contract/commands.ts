/**
 * Every command of the API: name -> zod input schema + result type.
 * The backend validates every input with these schemas; faces only move envelopes.
 */
import { z } from 'zod';
import type {
  AppInfo,
  DoctorReport,
  DatasetDetail,
  DatasetPreview,
  DatasetSummary,
  JobInfo,
  ModelDetail,
  ModelKindInfo,
  ModelSummary,
  SampleInfo,
} from './dto.js';

export const FORMAT_OPTIONS = ['auto', 'nsl-kdd', 'cicflowmeter', 'unsw-nb15', 'zeek', 'csv'] as const;
export const COLUMN_ROLES = ['numeric', 'categorical', 'identifier', 'label', 'ignored'] as const;
export const SAMPLE_IDS = ['nsl-kdd', 'cicids2017'] as const;
export const MODEL_KINDS = ['isolation-forest', 'extra-trees', 'random-forest', 'gradient-boosting', 'ann', 'mlp', 'dnn', 'cnn', 'autoencoder'] as const;
export const TARGETS = ['binary', 'category', 'label'] as const;

const id = z.number().int().positive();
const name = z
  .string()
  .trim()
  .min(1, 'a name cannot be empty')
  .max(200, 'a name is at most 200 characters')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'a name cannot contain control characters');

export const schemas = {
  'app.info': z.object({}).strict(),
  'app.doctor': z.object({}).strict(),
  'datasets.list': z.object({}).strict(),
  'datasets.get': z.object({ id }).strict(),
  'datasets.preview': z
    .object({
      id,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(50),
    })
    .strict(),
  'datasets.import': z
    .object({
      /** files or folders on the machine that runs the backend */
      paths: z.array(z.string().min(1).max(4096)).max(1000).optional(),
      /** ids returned by the server face's upload endpoint */
      uploadIds: z.array(z.string().regex(/^[a-f0-9]{8,64}$/)).max(1000).optional(),
      sample: z.enum(SAMPLE_IDS).optional(),
      name: name.optional(),
      format: z.enum(FORMAT_OPTIONS).default('auto'),
      /** generic CSV: the label column; null = unlabelled traffic; absent = detect */
      label: z.string().min(1).max(500).nullable().optional(),
    })
    .strict()
    .refine(
      (v) => [v.paths?.length ?? 0, v.uploadIds?.length ?? 0, v.sample ? 1 : 0].filter((n) => n > 0).length === 1,
      'give exactly one of: paths, uploadIds, sample',
    ),
  'datasets.delete': z.object({ id }).strict(),
  'datasets.rename': z.object({ id, name }).strict(),
  'datasets.setRoles': z
    .object({ id, roles: z.record(z.string().min(1).max(500), z.enum(COLUMN_ROLES)) })
    .strict(),
  'datasets.samples': z.object({}).strict(),
  'models.catalog': z.object({}).strict(),
  /** starts a training job; its outcome arrives as `jobs.finished` (result: TrainResult) */
  'models.train': z
    .object({
      datasetId: id,
      model: z.enum(MODEL_KINDS),
      target: z.enum(TARGETS).default('category'),
      /** exactly one way to test; default: a stratified 30% hold-out */
      testSize: z.number().gt(0).lt(1).optional(),
      testDatasetId: id.optional(),
      folds: z.number().int().min(2).max(20).optional(),
      seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
      /** model parameters by key (see models.catalog); unknown keys are refused */
      params: z.record(z.string().min(1).max(100), z.union([z.number(), z.string().max(100), z.boolean()])).default({}),
      name: name.optional(),
    })
    .strict()
    .refine(
      (v) => [v.testSize !== undefined, v.testDatasetId !== undefined, v.folds !== undefined].filter(Boolean).length <= 1,
      'give at most one of: testSize, testDatasetId, folds',
    ),
  'models.list': z.object({ datasetId: id.optional() }).strict(),
  'models.get': z.object({ id }).strict(),
  'models.delete': z.object({ id }).strict(),
  'models.rename': z.object({ id, name }).strict(),
  /** starts a job scoring a stored dataset with a model (result: EvaluateResult) */
  'models.evaluate': z.object({ id, datasetId: id }).strict(),
  /** starts a job scoring a flow file into a CSV (result: ScoreResult) */
  'models.score': z
    .object({ id, path: z.string().min(1).max(4096), out: z.string().min(1).max(4096) })
    .strict(),
  'jobs.list': z.object({}).strict(),
  'jobs.get': z.object({ id }).strict(),
  'jobs.cancel': z.object({ id }).strict(),
} as const;

export interface CommandResults {
  'app.info': AppInfo;
  'app.doctor': DoctorReport;
  'datasets.list': { datasets: DatasetSummary[] };
  'datasets.get': DatasetDetail;
  'datasets.preview': DatasetPreview;
  /** starts a job; its outcome arrives as `jobs.finished` (result: ImportResult) */
  'datasets.import': { jobId: number };
  'datasets.delete': { deleted: true };
  'datasets.rename': DatasetSummary;
  'datasets.setRoles': { dataset: DatasetDetail; warnings: string[] };
  'datasets.samples': { samples: SampleInfo[] };
  'models.catalog': { kinds: ModelKindInfo[] };
  'models.train': { jobId: number };
  'models.list': { models: ModelSummary[] };
  'models.get': ModelDetail;
  'models.delete': { deleted: true };
  'models.rename': ModelSummary;
  'models.evaluate': { jobId: number };
  'models.score': { jobId: number };
  'jobs.list': { jobs: JobInfo[] };
  'jobs.get': JobInfo;
  'jobs.cancel': { cancelled: boolean };
}

export type CommandName = keyof typeof schemas & keyof CommandResults;
/** What a caller passes (defaults may be omitted). */
export type CommandInput<K extends CommandName> = z.input<(typeof schemas)[K]>;
/** What a handler receives (after validation and defaults). */
export type CommandArgs<K extends CommandName> = z.output<(typeof schemas)[K]>;
export type CommandResult<K extends CommandName> = CommandResults[K];

export const COMMAND_NAMES = Object.keys(schemas) as CommandName[];

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(schemas, value);
}
