/** Live monitoring and alert triage: the shapes that cross the API (plain JSON). */

/** Where a monitor's flows come from. */
export type MonitorSource =
  /** a growing CSV / TSV / Zeek log, tailed (survives rotation and truncation) */
  | { kind: 'file'; path: string }
  /** a folder: every flow file that appears in it is read to its end, then tailed while it grows */
  | { kind: 'folder'; path: string }
  /** an imported dataset or a flow file played back: 'max' = as fast as possible, N = N x by its timestamps */
  | { kind: 'replay'; path?: string; datasetId?: number; speed: 'max' | number };

/**
 * How a monitor decides that a flow is an alert. Scores are in [0, 1]: classifiers 1 - P(benign),
 * anomaly models their anomaly score.
 * - model: the model's own decision (its predicted class / its stored threshold)
 * - fpr: the score threshold whose false-positive rate on the model's held-out benign rows is `fpr`
 * - budget: about `alertsPerHour` flagged flows per hour at the observed flow rate (adapts as it runs)
 * - score: a fixed score threshold
 */
export type ThresholdSpec =
  | { mode: 'model' }
  | { mode: 'fpr'; fpr: number }
  | { mode: 'budget'; alertsPerHour: number }
  | { mode: 'score'; value: number };

export type MonitorState = 'running' | 'paused' | 'stopped' | 'finished' | 'failed' | 'interrupted';

/** Number of equal bins of the score histograms over [0, 1]. */
export const SCORE_BINS = 50;

export interface MonitorStats {
  /** flows scored */
  flows: number;
  /** flows at or above the threshold (suppressed ones included) */
  flaggedFlows: number;
  /** alert rows created (an alert aggregates flows) */
  alerts: number;
  /** flows hidden by suppression rules */
  suppressedFlows: number;
  /** bytes of the source read (file sources) and its size when last looked at */
  bytes: number;
  totalBytes: number;
  /** recent rates (last ~5 s) */
  flowsPerSecond: number;
  alertsPerMinute: number;
  /** median ms from a flow being read to its alert being committed (recent) */
  latencyMs: number | null;
  /** seconds the monitor has been running */
  seconds: number;
  /** counts of every scored flow's score in SCORE_BINS equal bins over [0, 1] */
  scoreHistogram: number[];
  /** lines of the source that could not be read as flows (wrong number of fields, unreadable), skipped */
  skippedLines?: number;
  /** the last problem that did not stop the monitor (skipped lines ...) */
  warning?: string;
}

export interface MonitorInfo {
  id: number;
  name: string;
  modelId: number | null;
  modelName: string;
  source: MonitorSource;
  threshold: ThresholdSpec;
  /** the score threshold in force now; null: the model's own class decision (mode 'model' on a classifier) */
  thresholdValue: number | null;
  /** alerts from the same source and class within this many seconds are one alert */
  aggregateSeconds: number;
  state: MonitorState;
  error: string | null;
  stats: MonitorStats;
  createdAt: string;
  updatedAt: string;
}

/** What a target false-positive rate means for a model, from its held-out rows. */
export interface ThresholdCalibration {
  modelId: number;
  /** score threshold */
  threshold: number;
  /** false-positive rate and detection rate at that threshold on the held-out rows */
  fpr: number;
  detectionRate: number;
  /** the held-out ROC points (fpr ascending) the UI draws the choice on */
  curve: Array<{ fpr: number; tpr: number; threshold: number }>;
}

export type Severity = 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type AlertStatus = 'open' | 'acknowledged' | 'closed';
export const ALERT_STATUSES = ['open', 'acknowledged', 'closed'] as const;
export type Verdict = 'true-positive' | 'false-positive';
export const VERDICTS = ['true-positive', 'false-positive'] as const;

export interface AlertSummary {
  id: number;
  monitorId: number | null;
  modelId: number | null;
  modelName: string;
  className: string;
  severity: Severity;
  /** highest score of its flows */
  score: number;
  /** flows aggregated into this alert */
  count: number;
  /** flow time (ISO 8601) of the first and last flow */
  firstSeen: string;
  lastSeen: string;
  createdAt: string;
  srcIp: string | null;
  dstIp: string | null;
  srcPort: number | null;
  dstPort: number | null;
  protocol: string | null;
  status: AlertStatus;
  closeReason: string | null;
  verdict: Verdict | null;
  /** the suppression rule that hides it */
  suppressedBy: number | null;
  noteCount: number;
}

export interface AlertNote {
  id: number;
  text: string;
  createdAt: string;
}

/** One feature's part in an alert's score. */
export interface FeatureContribution {
  feature: string;
  /** the flow's value (categorical: the category) */
  value: number | string | null;
  /** signed push on the explained output (positive: towards the alert) */
  contribution: number;
  /** benign rows of the training data: 5th, 50th and 95th percentile (numeric features; null when unknown) */
  benign: { p5: number; median: number; p95: number } | null;
}

export interface AlertExplanation {
  /** tree-shap: exact Shapley values of the trees; gradient-input / occlusion: neural models */
  method: 'tree-shap' | 'gradient-input' | 'occlusion';
  /** what is explained, e.g. "P(DoS Hulk)" or "anomaly score" */
  output: string;
  /** the model's output for an average row, and for this flow (base + sum of contributions) */
  baseValue: number;
  value: number;
  /** largest |contribution| first */
  contributions: FeatureContribution[];
}

export interface AlertDetail extends AlertSummary {
  /** the representative flow's input features (the model's columns, in order) */
  features: Array<{ name: string; value: number | string | null }>;
  explanation: AlertExplanation | null;
  /** why there is no explanation (model deleted ...) */
  explanationError?: string;
  notes: AlertNote[];
  /** recent alerts from the same source IP (this one excluded), newest first */
  sameSource: AlertSummary[];
}

/** Filters shared by alerts.list / stats / update / toDataset and the CLI. Absent = any. */
export interface AlertFilter {
  /** flow time, ISO 8601 or ms since the epoch */
  from?: string | number;
  to?: string | number;
  severity?: Severity[];
  classes?: string[];
  modelId?: number;
  monitorId?: number;
  /** an address or a CIDR subnet (IPv4 or IPv6) */
  src?: string;
  dst?: string;
  /** source or destination port */
  port?: number;
  status?: AlertStatus[];
  verdict?: Array<Verdict | 'none'>;
  /** default false: alerts hidden by a suppression rule are left out */
  includeSuppressed?: boolean;
  ids?: number[];
}

export interface AlertStats {
  /** alert flows over time, stacked by class */
  bucketSeconds: number;
  buckets: Array<{ start: string; counts: Record<string, number> }>;
  classes: string[];
  topSources: Array<{ ip: string; alerts: number; flows: number }>;
  topDestinations: Array<{ ip: string; alerts: number; flows: number }>;
  classMix: Array<{ className: string; alerts: number; flows: number }>;
  severity: Record<Severity, number>;
  total: { alerts: number; flows: number };
}

export interface SuppressionRule {
  id: number;
  src: string | null;
  dst: string | null;
  className: string | null;
  port: number | null;
  reason: string;
  createdAt: string;
  expiresAt: string | null;
  /** false once expired */
  active: boolean;
  /** alerts it hides now */
  hidden: number;
}

/** One committed alert event (`alerts.created`, and a line of `flowsight watch --json`). */
export interface AlertEvent {
  alertId: number;
  monitorId: number;
  /** true: a new alert row; false: flows added to an existing alert */
  created: boolean;
  className: string;
  severity: Severity;
  score: number;
  srcIp: string | null;
  dstIp: string | null;
  dstPort: number | null;
  protocol: string | null;
  firstSeen: string;
  lastSeen: string;
  /** flows of the alert so far */
  count: number;
  suppressedBy: number | null;
  /** flows this event added to the alert */
  flows: number;
}

/** `flowsight replay --json`'s last line, and what a finished replay reports. */
export interface ReplayResult {
  monitorId: number;
  flows: number;
  seconds: number;
  flowsPerSecond: number;
  flaggedFlows: number;
  alerts: number;
}
