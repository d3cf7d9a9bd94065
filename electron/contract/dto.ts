/** Data shapes that cross the API (plain JSON; no typed arrays, no classes). */
import type {
  ClassificationMetrics,
  ClassMetrics,
  ConfusionMatrix,
  CrossValidationSummary,
  Curve,
  CurveSet,
  MeanSpread,
} from '../../ml-core/metrics/types.js';
import type {
  CleaningReport,
  ColumnRole,
  ColumnStats,
  FormatId,
  ProfileId,
  TargetName,
} from '../../ml-core/data/types.js';

export type { CleaningReport, ColumnRole, ColumnStats, FormatId, ProfileId, TargetName };
export type { ClassificationMetrics, ClassMetrics, ConfusionMatrix, CrossValidationSummary, Curve, CurveSet, MeanSpread };

export type Face = 'electron' | 'browser' | 'cli';

export interface AppInfo {
  version: string;
  workspacePath: string;
  schemaVersion: number;
  node: string;
  sqlite: string;
  platform: string;
  face: Face;
}

/** TensorFlow.js backends, fastest first (see backend/training/tf-runtime.ts). */
export type NeuralBackend = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** Which TensorFlow.js backend the neural models train on here, and why the faster ones are not used. */
export interface NeuralRuntimeInfo {
  /** null when none could be loaded (error says why) */
  backend: NeuralBackend | null;
  /** for people: "WebAssembly (SIMD)", ... */
  label: string;
  /** 'auto' or the backend forced by FLOWSIGHT_TF_BACKEND */
  requested: string;
  skipped: Array<{ backend: NeuralBackend; reason: string }>;
  /** TensorFlow.js version, null when it did not load */
  version: string | null;
  error?: string;
}

/** `flowsight doctor` / app.doctor: what this installation runs on. */
export interface DoctorReport {
  app: AppInfo;
  /** Electron version when running inside Electron, else null */
  electron: string | null;
  cpus: number;
  memoryBytes: number;
  workspace: { path: string; schemaVersion: number; sizeBytes: number; datasets: number; models: number };
  neural: NeuralRuntimeInfo;
}

export interface DatasetSummary {
  id: number;
  name: string;
  format: FormatId;
  profile: ProfileId;
  rows: number;
  /** columns whose role is numeric or categorical */
  features: number;
  /** label-target classes (0 when unlabelled) */
  classes: number;
  labelled: boolean;
  files: number;
  bytes: number;
  createdAt: string; // ISO 8601
}

export interface ColumnInfo {
  index: number;
  name: string;
  /** as written in the file ('' when the file has no header) */
  sourceName: string;
  role: ColumnRole;
  /** the role the importer chose; `role` differs when the user changed it */
  defaultRole: ColumnRole;
  type: 'number' | 'string';
  stats: ColumnStats;
}

/** Per-target class counts, largest first. */
export type ClassCounts = Record<TargetName, Array<{ name: string; count: number }>>;

export interface DatasetDetail extends DatasetSummary {
  columns: ColumnInfo[];
  cleaning: CleaningReport;
  classCounts: ClassCounts | null;
  /** e.g. identifier columns included as features (label leakage) */
  warnings: string[];
}

export type PreviewCell = number | string | null;

export interface DatasetPreview {
  columns: string[];
  rows: PreviewCell[][];
  offset: number;
  total: number;
}

/** The CLI's `import --json` document. */
export interface ImportResult {
  id: number;
  name: string;
  format: FormatId;
  profile: ProfileId;
  rows: number;
  features: number;
  labels: Record<string, number>;
  cleaning: CleaningReport;
}

export type JobKind = 'import' | 'train' | 'evaluate' | 'score';
export type JobStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

export interface JobProgress {
  phase: string; // 'reading' | 'writing' | 'finishing' ...
  current: number;
  total: number;
  bytes?: number;
  totalBytes?: number;
  rows?: number;
  /** training: the live validation metric after this tree / round */
  metric?: { name: string; value: number };
  /** neural training: the batch within the current epoch */
  batch?: { current: number; total: number };
  /** neural training: the loss history so far, one point per finished epoch (the whole list each time) */
  history?: HistoryPoint[];
}

export interface JobInfo {
  id: number;
  kind: JobKind;
  title: string;
  status: JobStatus;
  progress: JobProgress;
  createdAt: string;
  finishedAt: string | null;
  /** import: ImportResult; train: TrainResult; evaluate: EvaluateResult; score: ScoreResult */
  result: ImportResult | TrainResult | EvaluateResult | ScoreResult | null;
  error: { code: string; message: string } | null;
}

export interface SampleInfo {
  id: 'nsl-kdd' | 'cicids2017';
  name: string;
  description: string;
  citation: string;
  rows: number;
}

// ---- models ------------------------------------------------------------------------------------

export type ModelKind =
  | 'isolation-forest'
  | 'extra-trees'
  | 'random-forest'
  | 'gradient-boosting'
  | 'ann'
  | 'mlp'
  | 'dnn'
  | 'cnn'
  | 'autoencoder';

/** The neural kinds (TensorFlow.js): trained per epoch, with a loss history. */
export const NEURAL_KINDS = ['ann', 'mlp', 'dnn', 'cnn', 'autoencoder'] as const;
export type NeuralKind = (typeof NEURAL_KINDS)[number];

/** One point of a training history: boosting round or neural epoch (1-based), training and validation loss. */
export interface HistoryPoint {
  round: number;
  train: number;
  valid?: number;
}

/** How a neural model was trained (stored with it, shown on Results, returned by `train --json`). */
export interface NeuralTrainingInfo {
  /** TensorFlow.js backend it trained on */
  backend: NeuralBackend;
  backendLabel: string;
  /** median seconds per epoch */
  epochSeconds: number;
  epochsRun: number;
  /** the epoch whose weights were kept (early stopping restores the best) */
  bestEpoch: number;
  /** learning rate at the end */
  finalLearningRate: number;
  parameters: number;
  /** threads the batches were split across (WebAssembly / JavaScript backends) */
  threads?: number;
}

/** How a model was tested: a stratified hold-out split, a separate dataset, or k-fold cross-validation. */
export type Evaluation =
  | { kind: 'split'; testSize: number }
  | { kind: 'dataset'; datasetId: number; datasetName: string }
  | { kind: 'folds'; folds: number };

/** One tunable parameter of a model kind, as the Train page and `--set` know it. */
export interface ModelParamSpec {
  key: string;
  label: string;
  type: 'int' | 'float' | 'choice' | 'bool';
  default: number | string | boolean;
  min?: number;
  max?: number;
  choices?: string[];
  help: string;
  /** shown on the Train page without opening "more parameters" */
  main: boolean;
}

export interface ModelKindInfo {
  kind: ModelKind;
  name: string;
  description: string;
  /** isolation forest: learns from benign rows only and flags what differs */
  unsupervised: boolean;
  params: ModelParamSpec[];
}

/** The metrics document M of the CLI (`train`, `evaluate`): a ClassificationMetrics. */
export type ModelMetrics = ClassificationMetrics;

export type ParamValue = number | string | boolean;

export interface ModelSummary {
  id: number;
  name: string;
  kind: ModelKind;
  /** null when the training dataset has been deleted since */
  datasetId: number | null;
  datasetName: string;
  target: TargetName;
  classes: string[];
  evaluation: Evaluation;
  params: Record<string, ParamValue>;
  seed: number;
  nFeatures: number;
  trainRows: number;
  testRows: number;
  fitSeconds: number;
  createdAt: string;
  /** headline figures of the evaluation (k-fold: the means) */
  accuracy: number;
  macroF1: number;
  weightedF1: number;
  detectionRate: number | null;
  falsePositiveRate: number | null;
}

export interface FeatureImportance {
  feature: string;
  importance: number;
}

export interface ModelDetail extends ModelSummary {
  /** hold-out / test-dataset metrics; k-fold: metrics of all folds' predictions pooled */
  metrics: ModelMetrics;
  curves: CurveSet[];
  /** sorted, largest first */
  importance: FeatureImportance[];
  /** boosting: loss per round (train, validation); neural models: loss per epoch */
  history: HistoryPoint[] | null;
  /** neural models: backend, seconds per epoch, epochs run, best epoch */
  neural?: NeuralTrainingInfo | null;
  crossValidation: CrossValidationSummary | null;
  /** isolation forest, autoencoder: anomaly-score threshold and the false-positive rate it was chosen for */
  threshold: { value: number; targetFpr: number } | null;
  oobScore: number | null;
  /** input columns the model reads, in order */
  features: string[];
  predictRowsPerSecond: number;
  /** model file size in bytes */
  bytes: number;
  formatVersion: number;
}

/** `flowsight train --json`, and a train job's result. */
export interface TrainResult {
  modelId: number;
  model: ModelKind;
  target: TargetName;
  fitSeconds: number;
  metrics: ModelMetrics;
  /** neural models: median seconds per epoch */
  epochSeconds?: number;
  /** neural models: the TensorFlow.js backend it trained on */
  backend?: NeuralBackend;
}

/** `flowsight evaluate --json`, and an evaluate job's result. */
export interface EvaluateResult {
  modelId: number;
  datasetId: number;
  metrics: ModelMetrics;
  predictRowsPerSecond: number;
  rows: number;
}

/** A score job's result (`flowsight score`). */
export interface ScoreResult {
  modelId: number;
  out: string;
  rows: number;
  /** rows predicted as some attack class (or anomalous) */
  flagged: number;
  classCounts: Record<string, number>;
  seconds: number;
}
