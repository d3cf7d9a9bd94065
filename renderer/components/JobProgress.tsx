/** The head, bar and phase line of a running background job (an import, a training): title with spinner, Cancel, progress. */
import type { ReactNode, Ref } from 'react';
import { Icon } from './Icon.js';
import { ProgressBar } from './ProgressBar.js';
import { formatPercent } from './format.js';

export function JobProgress({
  heading,
  progressLabel,
  testIdPrefix,
  fraction,
  phase,
  detail,
  detailTestId,
  cancelRequested,
  onCancel,
  cancelRef,
}: {
  /** the bold title beside the spinner */
  heading: ReactNode;
  /** the progress bar's accessible name, before ": phase" */
  progressLabel: string;
  /** test ids `${prefix}-cancel`, `${prefix}-progress-bar`, `${prefix}-phase` */
  testIdPrefix: string;
  /** 0..1, or null while unknown */
  fraction: number | null;
  phase: string;
  detail: string;
  detailTestId?: string;
  cancelRequested: boolean;
  onCancel(): void;
  cancelRef?: Ref<HTMLButtonElement>;
}) {
  const pct = fraction === null ? null : formatPercent(fraction);
  return (
    <>
      <div className="import-progress-head">
        <div className="import-progress-title">
          <span className="spinner" aria-hidden="true" />
          <strong>{heading}</strong>
        </div>
        <button ref={cancelRef} type="button" className="btn btn-sm" onClick={onCancel} disabled={cancelRequested} data-testid={`${testIdPrefix}-cancel`}>
          {cancelRequested ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
      <ProgressBar
        value={fraction}
        label={`${progressLabel}: ${phase}`}
        valueText={`${phase}${pct ? ` ${pct}` : ''}${detail ? `, ${detail}` : ''}`}
        testId={`${testIdPrefix}-progress-bar`}
      />
      <div className="import-progress-meta">
        <span className="import-phase" data-testid={`${testIdPrefix}-phase`}>
          {phase}
        </span>
        <span className="num dim" data-testid={detailTestId}>
          {detail}
        </span>
        <span className="num import-pct">{pct ?? ''}</span>
      </div>
    </>
  );
}

/** How a job ended when it failed: the message, with a button that dismisses it. */
export function JobFailedNotice({ heading, message, testIdPrefix, dismissLabel, onDismiss }: { heading: ReactNode; message: ReactNode; testIdPrefix: string; dismissLabel: string; onDismiss(): void }) {
  return (
    <div className="notice notice-error notice-lg" role="alert" data-testid={`${testIdPrefix}-error`}>
      <Icon name="error" size={18} />
      <div className="notice-body">
        <strong>{heading}</strong>
        <p className="notice-message" data-testid={`${testIdPrefix}-error-message`}>
          {message}
        </p>
      </div>
      <button type="button" className="btn btn-sm btn-ghost" onClick={onDismiss} aria-label={dismissLabel}>
        <Icon name="close" size={14} />
      </button>
    </div>
  );
}

/** How a job ended when it was cancelled, with a button that dismisses it. */
export function JobCancelledNotice({ message, testId, onDismiss }: { message: ReactNode; testId: string; onDismiss(): void }) {
  return (
    <div className="notice notice-info" role="status" data-testid={testId}>
      <Icon name="info" />
      <div className="notice-body">{message}</div>
      <button type="button" className="btn btn-sm btn-ghost" onClick={onDismiss} aria-label="Dismiss">
        <Icon name="close" size={14} />
      </button>
    </div>
  );
}
