/** Data shapes that cross the API (plain JSON; no typed arrays, no classes). */
import type {
  CleaningReport,
  ColumnRole,
  ColumnStats,
  FormatId,
  ProfileId,
  TargetName,
} from '../../ml-core/data/types.js';

export type { CleaningReport, ColumnRole, ColumnStats, FormatId, ProfileId, TargetName };

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

export type JobKind = 'import';
export type JobStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

export interface JobProgress {
  phase: string; // 'reading' | 'writing' | 'finishing' ...
  current: number;
  total: number;
  bytes?: number;
  totalBytes?: number;
  rows?: number;
}

export interface JobInfo {
  id: number;
  kind: JobKind;
  title: string;
  status: JobStatus;
  progress: JobProgress;
  createdAt: string;
  finishedAt: string | null;
  /** for import jobs: ImportResult */
  result: ImportResult | null;
  error: { code: string; message: string } | null;
}

export interface SampleInfo {
  id: 'nsl-kdd' | 'cicids2017';
  name: string;
  description: string;
  citation: string;
  rows: number;
}
