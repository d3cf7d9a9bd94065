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
import {
  ALERT_STATUSES,
  SEVERITIES,
  VERDICTS,
  type AlertDetail,
  type AlertStats,
  type AlertSummary,
  type MonitorInfo,
  type SuppressionRule,
  type ThresholdCalibration,
} from './live.js';

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

const path = z.string().min(1).max(4096);
const time = z.union([z.string().min(1).max(40), z.number()]);
/** an IPv4 / IPv6 address or CIDR subnet */
const ipOrSubnet = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, 'an IP address or a CIDR subnet such as 10.0.0.0/8');
const port = z.number().int().min(0).max(65535);

export const monitorSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), path }).strict(),
  z.object({ kind: z.literal('folder'), path }).strict(),
  z
    .object({
      kind: z.literal('replay'),
      path: path.optional(),
      datasetId: id.optional(),
      speed: z.union([z.literal('max'), z.number().positive().max(1e6)]).default('max'),
    })
    .strict()
    .refine((v) => (v.path === undefined) !== (v.datasetId === undefined), 'a replay needs exactly one of: path, datasetId'),
]);

export const thresholdSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('model') }).strict(),
  z.object({ mode: z.literal('fpr'), fpr: z.number().gt(0).lt(1) }).strict(),
  z.object({ mode: z.literal('budget'), alertsPerHour: z.number().positive().max(1e9) }).strict(),
  z.object({ mode: z.literal('score'), value: z.number().min(0).max(1) }).strict(),
]);

export const alertFilterSchema = z
  .object({
    from: time.optional(),
    to: time.optional(),
    severity: z.array(z.enum(SEVERITIES)).max(4).optional(),
    classes: z.array(z.string().min(1).max(200)).max(200).optional(),
    modelId: id.optional(),
    monitorId: id.optional(),
    src: ipOrSubnet.optional(),
    dst: ipOrSubnet.optional(),
    port: port.optional(),
    status: z.array(z.enum(ALERT_STATUSES)).max(3).optional(),
    verdict: z.array(z.enum([...VERDICTS, 'none'])).max(3).optional(),
    includeSuppressed: z.boolean().optional(),
    ids: z.array(id).max(100000).optional(),
  })
  .strict();

const suppressionFields = {
  src: ipOrSubnet.optional(),
  dst: ipOrSubnet.optional(),
  className: z.string().min(1).max(200).optional(),
  port: port.optional(),
};
const anySuppressionField = (v: { src?: string; dst?: string; className?: string; port?: number }) =>
  v.src !== undefined || v.dst !== undefined || v.className !== undefined || v.port !== undefined;

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
  /** the score threshold for a target false-positive rate on the model's held-out rows */
  'models.calibrate': z.object({ id, fpr: z.number().gt(0).lt(1) }).strict(),
  'jobs.list': z.object({}).strict(),
  'jobs.get': z.object({ id }).strict(),
  'jobs.cancel': z.object({ id }).strict(),

  'monitors.list': z.object({}).strict(),
  'monitors.get': z.object({ id }).strict(),
  /**
   * starts scoring a source live. `resume` (default true): a file monitor of the same model and
   * path that exists already continues from its saved offset instead of a new one starting.
   */
  'monitors.start': z
    .object({
      modelId: id,
      source: monitorSourceSchema,
      threshold: thresholdSchema.default({ mode: 'model' }),
      aggregateSeconds: z.number().min(0).max(86400).default(60),
      name: name.optional(),
      resume: z.boolean().default(true),
    })
    .strict(),
  'monitors.pause': z.object({ id }).strict(),
  'monitors.resume': z.object({ id }).strict(),
  'monitors.stop': z.object({ id }).strict(),
  /** a running monitor's threshold, changed while it runs */
  'monitors.setThreshold': z.object({ id, threshold: thresholdSchema }).strict(),
  /** deletes a stopped monitor; its alerts stay */
  'monitors.delete': z.object({ id }).strict(),

  'alerts.list': z
    .object({
      filter: alertFilterSchema.default({}),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(5000).default(200),
      sort: z.enum(['newest', 'oldest', 'score', 'severity', 'count']).default('newest'),
    })
    .strict(),
  /** how many alerts and flows match */
  'alerts.count': z.object({ filter: alertFilterSchema.default({}) }).strict(),
  'alerts.get': z.object({ id }).strict(),
  'alerts.stats': z
    .object({ filter: alertFilterSchema.default({}), buckets: z.number().int().min(1).max(500).default(60) })
    .strict(),
  /** triage on a selection (filter.ids) or on every alert a filter matches */
  'alerts.update': z
    .object({
      filter: alertFilterSchema,
      status: z.enum(ALERT_STATUSES).optional(),
      closeReason: z.string().trim().max(500).optional(),
      verdict: z.enum([...VERDICTS, 'none']).optional(),
      note: z.string().trim().min(1).max(10000).optional(),
    })
    .strict()
    .refine((v) => v.status !== undefined || v.verdict !== undefined || v.note !== undefined, 'give at least one of: status, verdict, note'),
  /**
   * labelled alerts (a verdict) as a new dataset for retraining: true positives keep their
   * class, false positives become BENIGN. Only alerts of models with the same input columns.
   */
  'alerts.toDataset': z.object({ filter: alertFilterSchema.default({}), name }).strict(),

  'suppressions.list': z.object({}).strict(),
  /** how many stored alerts (and flows) a rule would hide */
  'suppressions.preview': z.object(suppressionFields).strict().refine(anySuppressionField, 'give at least one of: src, dst, className, port'),
  'suppressions.create': z
    .object({
      ...suppressionFields,
      reason: z.string().trim().max(500).default(''),
      /** ISO 8601; absent = never */
      expiresAt: z.string().min(1).max(40).optional(),
    })
    .strict()
    .refine(anySuppressionField, 'give at least one of: src, dst, className, port'),
  'suppressions.delete': z.object({ id }).strict(),
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
  'models.calibrate': ThresholdCalibration;
  'monitors.list': { monitors: MonitorInfo[] };
  'monitors.get': MonitorInfo;
  'monitors.start': MonitorInfo;
  'monitors.pause': MonitorInfo;
  'monitors.resume': MonitorInfo;
  'monitors.stop': MonitorInfo;
  'monitors.setThreshold': MonitorInfo;
  'monitors.delete': { deleted: true };
  'alerts.list': { alerts: AlertSummary[]; total: number; flows: number };
  'alerts.count': { alerts: number; flows: number };
  'alerts.get': AlertDetail;
  'alerts.stats': AlertStats;
  'alerts.update': { updated: number };
  'alerts.toDataset': { datasetId: number; rows: number; classes: Record<string, number> };
  'suppressions.list': { rules: SuppressionRule[] };
  'suppressions.preview': { alerts: number; flows: number };
  'suppressions.create': SuppressionRule;
  'suppressions.delete': { deleted: true };
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
