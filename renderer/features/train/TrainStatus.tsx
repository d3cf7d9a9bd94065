/**
 * The running training (progress, live metric, elapsed time, Cancel) and how it ended. Boosting
 * draws its live validation metric per round; a neural network its training and validation loss per
 * epoch, from the history each epoch's end sends.
 */
import { useEffect, useRef, useState } from 'react';
import { isNeuralKind } from '../../api/contract-values.js';
import { errorMessage } from '../../api/errors.js';
import { routeHref } from '../../app/routes.js';
import { Icon } from '../../components/Icon.js';
import { JobCancelledNotice, JobFailedNotice, JobProgress } from '../../components/JobProgress.js';
import { SeriesChart } from '../../components/SeriesChart.js';
import { formatStat } from '../../components/format.js';
import { formatClock, formatScore } from '../../components/metric-format.js';
import { jobPhaseText, metricLabel, progressDetail, progressUnit, splitPhase, trainFraction } from './progress.js';
import { type LiveHistory, TRAIN_CANCELLED_MESSAGE, type TrainTask, trainActive, useTrain } from './train.slice.js';

const LOSS_CHART_HEIGHT = 190;

/** Training and validation loss per finished epoch; a frame saying what will come until the first epoch ends. */
function LiveLossChart({ history }: { history: LiveHistory | null }) {
  const points = history?.points ?? [];
  if (points.length === 0) {
    return (
      <div className="chart-waiting" style={{ height: LOSS_CHART_HEIGHT }} data-testid="train-loss-waiting">
        The training and validation loss curves appear when the first epoch ends.
      </div>
    );
  }
  const hasValid = points.some((h) => h.valid !== undefined && Number.isFinite(h.valid));
  const last = points[points.length - 1]!;
  return (
    <SeriesChart
      data={points}
      xKey="round"
      xLabel="Epoch"
      series={hasValid ? [{ key: 'train', name: 'train loss' }, { key: 'valid', name: 'validation loss' }] : [{ key: 'train', name: 'train loss' }]}
      height={LOSS_CHART_HEIGHT}
      dotsUpTo={60}
      yFromZero
      testId="train-loss-chart"
      ariaLabel={`Live training${hasValid ? ' and validation' : ''} loss per epoch, ${last.round} ${last.round === 1 ? 'epoch' : 'epochs'} so far`}
    />
  );
}

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
  const metric = task.metric;
  const last = metric?.points[metric.points.length - 1];
  const unit = p ? progressUnit(p.phase, task.kind) : '';
  const xLabel = unit === 'rounds' ? 'Round' : unit === 'trees' ? 'Tree' : 'Step';
  const metricName = metric ? metricLabel(metric.name) : '';
  const neural = isNeuralKind(task.kind);

  return (
    <section className="card train-progress" aria-label={`Training ${task.title}`} data-testid="train-progress">
      <JobProgress
        heading={<>Training {task.title}</>}
        progressLabel="Training progress"
        testIdPrefix="train"
        fraction={fraction}
        phase={phase}
        detail={detail}
        detailTestId="train-progress-detail"
        cancelRequested={task.cancelRequested}
        cancelRef={cancelRef}
        onCancel={() => {
          setCancelError(null);
          cancel().catch((err) => setCancelError(errorMessage(err)));
        }}
      />
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
      {neural && <LiveLossChart history={task.history} />}
      {!neural && metric && metric.points.length > 0 && (
        <SeriesChart
          data={metric.points}
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
      <JobFailedNotice heading={<>Training {task.title} failed.</>} message={task.error?.message} testIdPrefix="train" dismissLabel="Dismiss training error" onDismiss={dismiss} />
    );
  }
  if (task.phase === 'cancelled') {
    return (
      <JobCancelledNotice message={TRAIN_CANCELLED_MESSAGE} testId="train-cancelled" onDismiss={dismiss} />
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
