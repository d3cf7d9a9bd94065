/** The running training (progress, live metric, elapsed time, Cancel) and how it ended. */
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../api/errors.js';
import { routeHref } from '../../app/routes.js';
import { Icon } from '../../components/Icon.js';
import { ProgressBar } from '../../components/ProgressBar.js';
import { SeriesChart } from '../../components/SeriesChart.js';
import { formatPercent, formatStat } from '../../components/format.js';
import { formatClock, formatScore } from '../../components/metric-format.js';
import { jobPhaseText, metricLabel, progressDetail, progressUnit, splitPhase, trainFraction } from './progress.js';
import { TRAIN_CANCELLED_MESSAGE, type TrainTask, trainActive, useTrain } from './train.slice.js';

/** Seconds since the task started, ticking once a second while it runs. */
function useElapsed(task: TrainTask): number {
  const [now, setNow] = useState(() => Date.now());
  const running = trainActive(task);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  const end = task.endedAt ?? (running ? now : Date.now());
  return Math.max(0, (end - task.startedAt) / 1000);
}

function Running({ task }: { task: TrainTask }) {
  const cancel = useTrain((s) => s.cancel);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  // Start is disabled while training runs: its keyboard focus moves to Cancel
  useEffect(() => {
    const active = document.activeElement as HTMLButtonElement | null;
    if (!active || active === document.body || active.disabled) cancelRef.current?.focus();
  }, []);
  const elapsed = useElapsed(task);
  const p = task.progress;
  const fraction = task.phase === 'starting' ? null : trainFraction(p, task.folds);
  const phase = task.phase === 'starting' || !p ? 'Starting' : jobPhaseText(p.phase);
  const detail = progressDetail(p, task.kind);
  const pct = fraction === null ? null : formatPercent(fraction);
  const metric = task.metric;
  const last = metric?.points[metric.points.length - 1];
  const unit = p ? progressUnit(p.phase, task.kind) : '';
  const xLabel = unit === 'rounds' ? 'Round' : unit === 'trees' ? 'Tree' : 'Step';
  const metricName = metric ? metricLabel(metric.name) : '';

  return (
    <section className="card train-progress" aria-label={`Training ${task.title}`} data-testid="train-progress">
      <div className="import-progress-head">
        <div className="import-progress-title">
          <span className="spinner" aria-hidden="true" />
          <strong>Training {task.title}</strong>
        </div>
        <button
          ref={cancelRef}
          type="button"
          className="btn btn-sm"
          onClick={() => {
            setCancelError(null);
            cancel().catch((err) => setCancelError(errorMessage(err)));
          }}
          disabled={task.cancelRequested}
          data-testid="train-cancel"
        >
          {task.cancelRequested ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
      <ProgressBar
        value={fraction}
        label={`Training progress: ${phase}`}
        valueText={`${phase}${pct ? ` ${pct}` : ''}${detail ? `, ${detail}` : ''}`}
        testId="train-progress-bar"
      />
      <div className="import-progress-meta">
        <span className="import-phase" data-testid="train-phase">
          {phase}
        </span>
        <span className="num dim" data-testid="train-progress-detail">
          {detail}
        </span>
        <span className="num import-pct">{pct ?? ''}</span>
      </div>
      <div className="train-progress-facts small">
        <span className="dim">Elapsed</span>{' '}
        <span className="num" data-testid="train-elapsed">
          {formatClock(elapsed)}
        </span>
        {last && (
          <>
            <span className="dim"> · {metricName}</span>{' '}
            <span className="num" data-testid="train-metric-value">
              {formatStat(last.value)}
            </span>
            {metric!.run > 1 && !(p && splitPhase(p.phase).step) && <span className="dim"> (run {metric!.run})</span>}
          </>
        )}
      </div>
      {metric && metric.points.length > 0 && (
        <SeriesChart
          data={metric.points as unknown as Array<Record<string, number>>}
          xKey="x"
          xLabel={xLabel}
          series={[{ key: 'value', name: metricName }]}
          height={170}
          testId="train-metric-chart"
          ariaLabel={`Live ${metricName} per ${xLabel.toLowerCase()}`}
        />
      )}
      {cancelError && (
        <p className="inline-error" role="alert">
          {cancelError}
        </p>
      )}
    </section>
  );
}

export function TrainStatus() {
  const task = useTrain((s) => s.task);
  const dismiss = useTrain((s) => s.dismiss);
  if (!task) return null;
  if (trainActive(task)) return <Running task={task} />;

  if (task.phase === 'failed') {
    return (
      <div className="notice notice-error notice-lg" role="alert" data-testid="train-error">
        <Icon name="error" size={18} />
        <div className="notice-body">
          <strong>Training {task.title} failed.</strong>
          <p className="notice-message" data-testid="train-error-message">
            {task.error?.message}
          </p>
        </div>
        <button type="button" className="btn btn-sm btn-ghost" onClick={dismiss} aria-label="Dismiss training error">
          <Icon name="close" size={14} />
        </button>
      </div>
    );
  }
  if (task.phase === 'cancelled') {
    return (
      <div className="notice notice-info" role="status" data-testid="train-cancelled">
        <Icon name="info" />
        <div className="notice-body">{TRAIN_CANCELLED_MESSAGE}</div>
        <button type="button" className="btn btn-sm btn-ghost" onClick={dismiss} aria-label="Dismiss">
          <Icon name="close" size={14} />
        </button>
      </div>
    );
  }
  return (
    <div className="notice notice-success" role="status" data-testid="train-succeeded">
      <Icon name="check" />
      <div className="notice-body">
        Trained {task.title}
        {task.result ? ` · accuracy ${formatScore(task.result.metrics.accuracy)}` : ''}.{' '}
        {task.modelId !== null && <a href={routeHref({ name: 'model', id: task.modelId })}>Open the results</a>}
      </div>
      <button type="button" className="btn btn-sm btn-ghost" onClick={dismiss} aria-label="Dismiss">
        <Icon name="close" size={14} />
      </button>
    </div>
  );
}
