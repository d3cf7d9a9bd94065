/** Sorting and "best value" logic of the models comparison table (pure, tested). */
import type { ModelSummary } from '../../../electron/contract/index.js';
import { evaluationLabel, kindLabel, targetLabel } from '../../components/metric-format.js';

export type ModelSortKey =
  | 'name'
  | 'kind'
  | 'dataset'
  | 'target'
  | 'evaluation'
  | 'accuracy'
  | 'macroF1'
  | 'weightedF1'
  | 'detectionRate'
  | 'falsePositiveRate'
  | 'fitSeconds'
  | 'createdAt';

export interface ModelSort {
  key: ModelSortKey;
  dir: 'asc' | 'desc';
}

export const DEFAULT_MODEL_SORT: ModelSort = { key: 'createdAt', dir: 'desc' };

/** Metric columns and which way is better. */
export const METRIC_KEYS = ['accuracy', 'macroF1', 'weightedF1', 'detectionRate', 'falsePositiveRate'] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];
export const LOWER_IS_BETTER: ReadonlySet<ModelSortKey> = new Set(['falsePositiveRate', 'fitSeconds']);

function value(m: ModelSummary, key: ModelSortKey): string | number | null {
  switch (key) {
    case 'name':
      return m.name.toLowerCase();
    case 'kind':
      return kindLabel(m.kind);
    case 'dataset':
      return m.datasetName.toLowerCase();
    case 'target':
      return targetLabel(m.target);
    case 'evaluation':
      return evaluationLabel(m.evaluation);
    case 'createdAt':
      return m.createdAt;
    default: {
      const v = m[key];
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    }
  }
}

/** Sorted copy; missing values (null, NaN) always last; ties by newest first, then id. */
export function sortModels(models: ModelSummary[], sort: ModelSort): ModelSummary[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...models].sort((a, b) => {
    const va = value(a, sort.key);
    const vb = value(b, sort.key);
    if (va === null || vb === null) {
      if (va !== vb) return va === null ? 1 : -1;
    } else if (va !== vb) {
      const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
      if (c !== 0) return sign * c;
    }
    if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
    return b.id - a.id;
  });
}

/** A click on `key`: the same column flips; a new metric column starts with its best first. */
export function nextModelSort(current: ModelSort, key: ModelSortKey): ModelSort {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  if (key === 'createdAt') return { key, dir: 'desc' };
  if ((METRIC_KEYS as readonly string[]).includes(key)) return { key, dir: LOWER_IS_BETTER.has(key) ? 'asc' : 'desc' };
  return { key, dir: 'asc' };
}

/** Best value of each metric column among `models` (absent with fewer than two models, or when all agree). */
export function bestValues(models: ModelSummary[]): Partial<Record<MetricKey, number>> {
  const out: Partial<Record<MetricKey, number>> = {};
  if (models.length < 2) return out;
  for (const key of METRIC_KEYS) {
    const lower = LOWER_IS_BETTER.has(key);
    let best: number | undefined;
    let worst: number | undefined;
    for (const m of models) {
      const v = m[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      if (best === undefined || (lower ? v < best : v > best)) best = v;
      if (worst === undefined || (lower ? v > worst : v < worst)) worst = v;
    }
    // a column where every model scores the same has no best
    if (best !== undefined && worst !== undefined && !isBest(worst, best)) out[key] = best;
  }
  return out;
}

/** Equal within display precision (scores are shown with two decimals of a percent). */
export function isBest(v: number | null, best: number | undefined): boolean {
  return v !== null && best !== undefined && Number.isFinite(v) && Math.abs(v - best) < 5e-7;
}
