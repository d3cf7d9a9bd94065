/** Formatting of model results: scores, durations, model kinds and how a model was tested. */
import type { Evaluation, ModelKind, TargetName } from '../../electron/contract/index.js';
import { formatInt } from './format.js';

const pct2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const dec3 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
const dec1 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A 0..1 score as a percentage with two decimals: 0.98731 -> "98.73%"; null -> "—". */
export function formatScore(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${pct2.format(v * 100)}%`;
}

/** A -1..1 coefficient (MCC) or a raw 0..1 value with three decimals: "0.962". */
export function formatCoef(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return dec3.format(v);
}

/** 0.4 -> "400 ms", 12.34 -> "12.3 s", 125 -> "2 min 5 s". */
export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s) || s < 0) return '—';
  if (s < 1) return `${Math.max(1, Math.round(s * 1000))} ms`;
  if (s < 60) return `${dec1.format(s)} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  if (m < 60) return rest ? `${m} min ${rest} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60} min`;
}

/** Elapsed wall time as a clock: 5 -> "0:05", 125 -> "2:05", 3725 -> "1:02:05". */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const KIND_LABELS: Record<ModelKind, string> = {
  'isolation-forest': 'Isolation forest',
  'extra-trees': 'Extra trees',
  'random-forest': 'Random forest',
  'gradient-boosting': 'Gradient boosting',
  ann: 'ANN',
  mlp: 'MLP',
  dnn: 'DNN',
  cnn: '1-D CNN',
  autoencoder: 'Autoencoder',
};

export function kindLabel(kind: ModelKind | string): string {
  return KIND_LABELS[kind as ModelKind] ?? kind;
}

const TARGET_LABELS: Record<TargetName, string> = {
  binary: 'Benign / attack',
  category: 'Category',
  label: 'Label',
};

export function targetLabel(t: TargetName | string): string {
  return TARGET_LABELS[t as TargetName] ?? t;
}

/** "30% hold-out", "test dataset KDDTest+", "5-fold" */
export function evaluationLabel(e: Evaluation): string {
  switch (e.kind) {
    case 'split':
      return `${Math.round(e.testSize * 100)}% hold-out`;
    case 'dataset':
      return `test dataset ${e.datasetName}`;
    case 'folds':
      return `${e.folds}-fold`;
  }
}

/** "1,234 trees" style counts used by progress lines */
export function countOf(current: number, total: number, unit: string): string {
  return total > 0 ? `${formatInt(current)} of ${formatInt(total)} ${unit}` : `${formatInt(current)} ${unit}`;
}
