/** Words for training and evaluation jobs' progress: phase names and what current/total count. */
import type { JobProgress, ModelKind } from '../../../electron/contract/index.js';
import { formatInt } from '../../components/format.js';
import { jobFraction } from '../jobs/jobs.slice.js';

const PHASES: Record<string, string> = {
  queued: 'Queued',
  starting: 'Starting',
  loading: 'Loading data',
  reading: 'Reading data',
  preparing: 'Preparing data',
  preprocessing: 'Preprocessing',
  splitting: 'Splitting',
  binning: 'Binning features',
  trees: 'Growing trees',
  growing: 'Growing trees',
  fitting: 'Fitting',
  training: 'Training',
  boosting: 'Boosting',
  rounds: 'Boosting',
  epochs: 'Training',
  folds: 'Cross-validating',
  fold: 'Cross-validating',
  evaluating: 'Evaluating',
  scoring: 'Scoring',
  predicting: 'Predicting',
  importance: 'Computing importance',
  curves: 'Computing curves',
  saving: 'Saving the model',
  writing: 'Writing',
  finishing: 'Finishing',
};

/** "fold 2/5: boosting" -> { step: "Fold 2/5", base: "boosting" }; "final model: trees" likewise. */
export function splitPhase(phase: string): { step: string | null; base: string } {
  const m = /^(.+?):\s*(.*)$/.exec(phase);
  if (!m) return { step: null, base: phase };
  const step = m[1]!.trim();
  return { step: step.charAt(0).toUpperCase() + step.slice(1), base: m[2]!.trim() };
}

function baseText(base: string): string {
  return PHASES[base] ?? (base ? base.charAt(0).toUpperCase() + base.slice(1).replace(/[-_]/g, ' ') : 'Working');
}

/** "Boosting", "Fold 2/5 · Growing trees", "Final model · Binning features" */
export function jobPhaseText(phase: string): string {
  const { step, base } = splitPhase(phase);
  return step ? `${step} · ${baseText(base)}` : baseText(base);
}

/** What the job's current/total count, given its phase and the model kind. */
export function progressUnit(fullPhase: string, kind: ModelKind | null): string {
  const phase = splitPhase(fullPhase).base;
  if (phase === 'boosting' || phase === 'rounds') return 'rounds';
  if (phase === 'trees' || phase === 'growing' || phase === 'fitting' || phase === 'training') return kind === 'gradient-boosting' ? 'rounds' : 'trees';
  if (phase === 'folds' || phase === 'fold') return 'folds';
  if (phase === 'epochs') return 'epochs';
  return '';
}

/**
 * The epoch a neural training is at: the one whose batches are running (`current` counts finished
 * epochs), else the last finished one; at least 1 and at most the total.
 */
export function epochNumber(p: JobProgress): number {
  const b = p.batch;
  const running = b && b.total > 0 && b.current < b.total && p.current < p.total;
  const n = running ? p.current + 1 : Math.max(1, p.current);
  return p.total > 0 ? Math.min(n, p.total) : n;
}

/** "Epoch 3 of 40 · batch 12 of 99" */
export function epochDetail(p: JobProgress): string {
  const epoch = `Epoch ${formatInt(epochNumber(p))}${p.total > 0 ? ` of ${formatInt(p.total)}` : ''}`;
  const b = p.batch;
  return b && b.total > 0 ? `${epoch} · batch ${formatInt(Math.min(b.current, b.total))} of ${formatInt(b.total)}` : epoch;
}

/** "45 of 200 rounds", "Epoch 3 of 40 · batch 12 of 99", "12,000 rows", "" */
export function progressDetail(p: JobProgress | null, kind: ModelKind | null): string {
  if (!p) return '';
  const unit = progressUnit(p.phase, kind);
  if (unit === 'epochs') return epochDetail(p);
  if (unit && p.total > 0) return `${formatInt(p.current)} of ${formatInt(p.total)} ${unit}`;
  if (p.rows !== undefined) return `${formatInt(p.rows)} rows`;
  if (p.total > 0) return `${formatInt(p.current)} of ${formatInt(p.total)}`;
  return '';
}

/** "validation loss" for "valid_loss" / "validLoss" / "logloss" style names. */
export function metricLabel(name: string): string {
  const spaced = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[-_]/g, ' ')
    .toLowerCase()
    .trim();
  return spaced
    .replace(/^valid\b/, 'validation')
    .replace(/\bval\b/, 'validation')
    .replace(/\blogloss\b/, 'log-loss');
}

/**
 * 0..1 for the progress bar, or null (indeterminate) while a phase has no count worth showing
 * (loading, a one-step phase like binning). Cross-validation spans its folds and the final model,
 * so the bar only moves forward: fold i of k covers [(i-1)/(k+1), i/(k+1)). Neural epochs count their
 * batches too, so the bar moves while an epoch runs.
 */
export function trainFraction(p: JobProgress | null, folds: number | null): number | null {
  if (!p) return null;
  // epochs move within an epoch by batch (a one-epoch run too)
  const inner = splitPhase(p.phase).base === 'epochs' && p.total > 0 ? jobFraction(p) : p.total > 1 ? Math.max(0, Math.min(1, p.current / p.total)) : null;
  const { step } = splitPhase(p.phase);
  if (step) {
    const m = /^fold (\d+)\s*\/\s*(\d+)$/i.exec(step);
    if (m) {
      const i = Number(m[1]);
      const k = Number(m[2]);
      if (k > 0 && i >= 1 && i <= k) return (i - 1 + (inner ?? 0)) / (k + 1);
    }
    if (/^final model$/i.test(step) && folds) return (folds + (inner ?? 0)) / (folds + 1);
  }
  return inner;
}
