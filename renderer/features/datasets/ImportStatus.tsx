/** The running import: progress bar + Cancel; then its failure or cancellation, in a live region. */
import { useState } from 'react';
import { errorMessage } from '../../api/errors.js';
import { JobCancelledNotice, JobFailedNotice, JobProgress } from '../../components/JobProgress.js';
import { formatBytes, formatInt } from '../../components/format.js';
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
      <JobFailedNotice heading={<>Import of “{task.title}” failed.</>} message={task.error?.message} testIdPrefix="import" dismissLabel="Dismiss import error" onDismiss={dismiss} />
    );
  }
  if (task.phase === 'cancelled') {
    return (
      <JobCancelledNotice message={CANCELLED_MESSAGE} testId="import-cancelled" onDismiss={dismiss} />
    );
  }

  const { fraction, phase, detail } = describeProgress(task);
  return (
    <section className="import-progress card" aria-label={`Importing ${task.title}`} data-testid="import-progress">
      <JobProgress
        heading={<>Importing “{task.title}”</>}
        progressLabel="Import progress"
        testIdPrefix="import"
        fraction={fraction}
        phase={phase}
        detail={detail}
        cancelRequested={task.cancelRequested}
        onCancel={() => {
          setCancelError(null);
          cancel().catch((err) => setCancelError(errorMessage(err)));
        }}
      />
      {cancelError && (
        <p className="inline-error" role="alert">
          {cancelError}
        </p>
      )}
    </section>
  );
}
