/** The running import: progress bar + Cancel; then its failure or cancellation, in a live region. */
import { useState } from 'react';
import { errorMessage } from '../../api/errors.js';
import { Icon } from '../../components/Icon.js';
import { ProgressBar } from '../../components/ProgressBar.js';
import { formatBytes, formatInt, formatPercent } from '../../components/format.js';
import { jobFraction } from '../jobs/jobs.slice.js';
import { CANCELLED_MESSAGE, type ImportTask, useDatasets } from './datasets.slice.js';

const PHASE_TEXT: Record<string, string> = {
  uploading: 'Uploading',
  starting: 'Starting',
  queued: 'Queued',
  reading: 'Reading',
  parsing: 'Parsing',
  writing: 'Writing',
  finishing: 'Finishing',
  statistics: 'Computing statistics',
};

export function phaseText(phase: string): string {
  return PHASE_TEXT[phase] ?? phase.charAt(0).toUpperCase() + phase.slice(1);
}

/** fraction (0..1 or null), phase label, and the detail line for a task */
export function describeProgress(t: ImportTask): { fraction: number | null; phase: string; detail: string } {
  if (t.phase === 'uploading' && t.upload) {
    const { loaded, total, fileIndex, fileCount } = t.upload;
    const fraction = total > 0 ? loaded / total : null;
    const files = fileCount > 1 ? ` · file ${fileIndex + 1} of ${fileCount}` : '';
    return { fraction, phase: 'Uploading', detail: `${formatBytes(loaded)} of ${formatBytes(total)}${files}` };
  }
  if (t.phase === 'starting' || !t.progress) {
    return { fraction: null, phase: 'Starting', detail: t.upload ? 'Upload complete; preparing the import…' : 'Preparing the import…' };
  }
  const p = t.progress;
  const parts: string[] = [];
  if (p.bytes !== undefined) parts.push(p.totalBytes ? `${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)}` : formatBytes(p.bytes));
  if (p.rows !== undefined) parts.push(`${formatInt(p.rows)} rows`);
  if (parts.length === 0 && p.total > 0) parts.push(`${formatInt(p.current)} of ${formatInt(p.total)}`);
  return { fraction: jobFraction(p), phase: phaseText(p.phase), detail: parts.join(' · ') };
}

export function ImportStatus() {
  const task = useDatasets((s) => s.importTask);
  const cancel = useDatasets((s) => s.cancelImport);
  const dismiss = useDatasets((s) => s.dismissImport);
  const [cancelError, setCancelError] = useState<string | null>(null);
  if (!task || task.phase === 'succeeded') return null;

  if (task.phase === 'failed') {
    return (
      <div className="notice notice-error notice-lg" role="alert" data-testid="import-error">
        <Icon name="error" size={18} />
        <div className="notice-body">
          <strong>Import of “{task.title}” failed.</strong>
          <p className="notice-message" data-testid="import-error-message">
            {task.error?.message}
          </p>
        </div>
        <button type="button" className="btn btn-sm btn-ghost" onClick={dismiss} aria-label="Dismiss import error">
          <Icon name="close" size={14} />
        </button>
      </div>
    );
  }
  if (task.phase === 'cancelled') {
    return (
      <div className="notice notice-info" role="status" data-testid="import-cancelled">
        <Icon name="info" />
        <div className="notice-body">{CANCELLED_MESSAGE}</div>
        <button type="button" className="btn btn-sm btn-ghost" onClick={dismiss} aria-label="Dismiss">
          <Icon name="close" size={14} />
        </button>
      </div>
    );
  }

  const { fraction, phase, detail } = describeProgress(task);
  const pct = fraction === null ? null : formatPercent(fraction);
  return (
    <section className="import-progress card" aria-label={`Importing ${task.title}`} data-testid="import-progress">
      <div className="import-progress-head">
        <div className="import-progress-title">
          <span className="spinner" aria-hidden="true" />
          <strong>Importing “{task.title}”</strong>
        </div>
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => {
            setCancelError(null);
            cancel().catch((err) => setCancelError(errorMessage(err)));
          }}
          disabled={task.cancelRequested}
          data-testid="import-cancel"
        >
          {task.cancelRequested ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
      <ProgressBar
        value={fraction}
        label={`Import progress: ${phase}`}
        valueText={`${phase}${pct ? ` ${pct}` : ''}${detail ? `, ${detail}` : ''}`}
        testId="import-progress-bar"
      />
      <div className="import-progress-meta">
        <span className="import-phase" data-testid="import-phase">
          {phase}
        </span>
        <span className="num dim">{detail}</span>
        <span className="num import-pct">{pct ?? ''}</span>
      </div>
      {cancelError && (
        <p className="inline-error" role="alert">
          {cancelError}
        </p>
      )}
    </section>
  );
}
