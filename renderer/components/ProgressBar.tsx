export interface ProgressBarProps {
  /** 0..1, or null when the amount of work is not known yet */
  value: number | null;
  label: string;
  /** what a screen reader says instead of the bare percentage */
  valueText?: string;
  testId?: string;
  tone?: 'accent' | 'danger' | 'success';
}

export function ProgressBar({ value, label, valueText, testId, tone = 'accent' }: ProgressBarProps) {
  const pct = value === null ? null : Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div
      className={`progress progress-${tone}${pct === null ? ' progress-indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct ?? undefined}
      aria-valuetext={valueText}
      data-testid={testId}
    >
      <div className="progress-fill" style={pct === null ? undefined : { width: `${pct}%` }} />
    </div>
  );
}
