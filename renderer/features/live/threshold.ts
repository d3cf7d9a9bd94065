/** The threshold chooser's form: four ways to decide what is an alert, checked as typed. */
import type { ThresholdSpec } from '../../../electron/contract/index.js';

export type ThresholdMode = ThresholdSpec['mode'];

export interface ThresholdForm {
  mode: ThresholdMode;
  /** percent, e.g. "1" = 1% */
  fprPercent: string;
  alertsPerHour: string;
  score: string;
}

export const DEFAULT_THRESHOLD_FORM: ThresholdForm = { mode: 'model', fprPercent: '1', alertsPerHour: '60', score: '0.5' };

export function thresholdFromForm(f: ThresholdForm): { spec: ThresholdSpec | null; error: string | null } {
  switch (f.mode) {
    case 'model':
      return { spec: { mode: 'model' }, error: null };
    case 'fpr': {
      const p = Number(f.fprPercent);
      if (!f.fprPercent.trim() || !Number.isFinite(p) || p <= 0 || p >= 100) return { spec: null, error: 'The target false-positive rate must be above 0% and below 100%.' };
      return { spec: { mode: 'fpr', fpr: p / 100 }, error: null };
    }
    case 'budget': {
      const n = Number(f.alertsPerHour);
      if (!f.alertsPerHour.trim() || !Number.isFinite(n) || n <= 0) return { spec: null, error: 'The budget must be a number of alerts per hour above 0.' };
      return { spec: { mode: 'budget', alertsPerHour: n }, error: null };
    }
    case 'score': {
      const s = Number(f.score);
      if (!f.score.trim() || !Number.isFinite(s) || s < 0 || s > 1) return { spec: null, error: 'The score threshold must be between 0 and 1.' };
      return { spec: { mode: 'score', value: s }, error: null };
    }
  }
}
