/** The monitors: what each reads and with which model, its threshold, state, rates, and controls. */
import { memo, useMemo, useState } from 'react';
import type { MonitorInfo } from '../../../electron/contract/index.js';
import { errorMessage } from '../../api/errors.js';
import { Icon } from '../../components/Icon.js';
import { ProgressBar } from '../../components/ProgressBar.js';
import { formatInt, formatPercent } from '../../components/format.js';
import { formatClock } from '../../components/metric-format.js';
import { toast } from '../../components/toasts.js';
import { useDatasets } from '../datasets/datasets.slice.js';
import { STATE_LABEL, formatLatency, formatRate, formatScore3, isActiveState, sortMonitors, sourceLabel, sourceProgress, thresholdLabel } from './live-format.js';
import { useLive } from './live.slice.js';
import { ThresholdDialog } from './ThresholdDialog.js';

function Fact({ label, value, testId, title }: { label: string; value: string; testId?: string; title?: string }) {
  return (
    <div className="monitor-fact" title={title}>
      <dt>{label}</dt>
      <dd className="num" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

export const MonitorCard = memo(function MonitorCard({ monitor: m, focused, datasetName }: { monitor: MonitorInfo; focused: boolean; datasetName(id: number): string | undefined }) {
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(false);
  const progress = sourceProgress(m);
  async function act(action: 'pause' | 'resume' | 'stop' | 'delete') {
    setBusy(true);
    try {
      await useLive.getState().monitorAction(m.id, action);
    } catch (err) {
      toast.error(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  const active = isActiveState(m.state);
  return (
    <li className={`monitor-card monitor-${m.state}${focused ? ' focused' : ''}`} data-testid={`monitor-${m.id}`} data-state={m.state} aria-label={`Monitor ${m.name}, ${STATE_LABEL[m.state]}`}>
      <div className="monitor-head">
        <div className="monitor-title">
          <span className={`state-dot state-${m.state}`} aria-hidden="true" />
          <strong className="ellipsis" title={m.name}>
            {m.name}
          </strong>
          <span className={`chip monitor-state state-chip-${m.state}`} data-testid={`monitor-state-${m.id}`}>
            {STATE_LABEL[m.state]}
          </span>
        </div>
        <div className="button-row">
          <button type="button" className={`btn btn-sm${focused ? ' btn-pressed' : ''}`} aria-pressed={focused} onClick={() => useLive.getState().focusMonitor(focused ? null : m.id)} title="Draw this monitor's score histogram">
            <Icon name="chart" size={14} /> Histogram
          </button>
          {active && m.modelId !== null && (
            <button type="button" className="btn btn-sm" onClick={() => setEditing(true)} data-testid={`monitor-threshold-edit-${m.id}`} title="Change the threshold while it runs">
              Threshold…
            </button>
          )}
          {m.state === 'running' && (
            <button type="button" className="btn btn-sm" onClick={() => void act('pause')} disabled={busy} data-testid={`monitor-pause-${m.id}`}>
              Pause
            </button>
          )}
          {m.state === 'paused' && (
            <button type="button" className="btn btn-sm" onClick={() => void act('resume')} disabled={busy} data-testid={`monitor-resume-${m.id}`}>
              <Icon name="play" size={14} /> Resume
            </button>
          )}
          {active && (
            <button type="button" className="btn btn-sm btn-danger-outline" onClick={() => void act('stop')} disabled={busy} data-testid={`monitor-stop-${m.id}`}>
              <Icon name="stop" size={14} /> Stop
            </button>
          )}
          {!active && (
            <button type="button" className="btn btn-sm btn-ghost btn-danger-ghost" onClick={() => void act('delete')} disabled={busy} data-testid={`monitor-delete-${m.id}`} aria-label={`Delete monitor ${m.name} (its alerts stay)`} title="Delete the monitor (its alerts stay)">
              <Icon name="trash" size={14} />
            </button>
          )}
        </div>
      </div>
      <div className="monitor-sub small">
        <span title="source">
          <Icon name={m.source.kind === 'folder' ? 'folder' : m.source.kind === 'file' ? 'file' : 'play'} size={12} /> {sourceLabel(m.source, datasetName)}
        </span>
        <span className="dim">·</span>
        <span title="model">
          <Icon name="models" size={12} /> {m.modelName}
        </span>
        <span className="dim">·</span>
        <span title="threshold" data-testid={`monitor-threshold-${m.id}`}>
          {m.thresholdValue === null ? 'alerts by predicted class' : `threshold ${formatScore3(m.thresholdValue)}`} <span className="dim">({thresholdLabel(m.threshold)})</span>
        </span>
      </div>
      <dl className="monitor-facts">
        <Fact label="Flows/s" value={active ? formatRate(m.stats.flowsPerSecond) : '—'} testId={`monitor-rate-${m.id}`} />
        <Fact label="Latency" value={active ? formatLatency(m.stats.latencyMs) : '—'} testId={`monitor-latency-${m.id}`} title="median time from a flow read to its alert committed" />
        <Fact label="Alerts/min" value={active ? formatRate(m.stats.alertsPerMinute) : '—'} testId={`monitor-alert-rate-${m.id}`} />
        <Fact label="Flows" value={formatInt(m.stats.flows)} testId={`monitor-flows-${m.id}`} />
        <Fact label="Flagged" value={formatInt(m.stats.flaggedFlows)} title={`${formatInt(m.stats.suppressedFlows)} suppressed`} />
        <Fact label="Alerts" value={formatInt(m.stats.alerts)} testId={`monitor-alerts-${m.id}`} />
        <Fact label="Running" value={formatClock(m.stats.seconds)} />
      </dl>
      {progress !== null && (m.source.kind === 'replay' || m.state === 'running') && (
        <div className="monitor-progress">
          <ProgressBar value={progress} label={`${m.name}: ${formatPercent(progress)} of the source read`} />
          <span className="small dim num">{formatPercent(progress)}</span>
        </div>
      )}
      {m.error && (
        <p className="inline-error" role="alert">
          <Icon name="error" size={14} /> {m.error}
        </p>
      )}
      {editing && <ThresholdDialog monitor={m} onClose={() => setEditing(false)} />}
      {!m.error && m.stats.warning && (
        <p className="small warn-text">
          <Icon name="alert" size={12} /> {m.stats.warning}
        </p>
      )}
    </li>
  );
});

export function MonitorPanel({ onStart }: { onStart(): void }) {
  const monitors = useLive((s) => s.monitors);
  const status = useLive((s) => s.monitorsStatus);
  const error = useLive((s) => s.monitorsError);
  const focusId = useLive((s) => s.focusMonitorId);
  const datasets = useDatasets((s) => s.list);
  const list = useMemo(() => sortMonitors(Object.values(monitors)), [monitors]);
  const datasetName = useMemo(() => {
    const names = new Map(datasets.map((d) => [d.id, d.name]));
    return (id: number) => names.get(id);
  }, [datasets]);
  const focused = focusId ?? list[0]?.id ?? null;
  return (
    <section className="card monitor-panel" aria-labelledby="monitors-title" data-testid="monitor-panel">
      <div className="card-head">
        <h2 id="monitors-title" className="card-title">
          Monitors
        </h2>
        <button type="button" className="btn btn-sm btn-primary" onClick={onStart} data-testid="monitor-start-open">
          <Icon name="play" size={14} /> Start monitoring…
        </button>
      </div>
      {status === 'error' && (
        <p className="inline-error" role="alert">
          <Icon name="error" size={14} /> {error}
        </p>
      )}
      {list.length === 0 && status !== 'error' ? (
        <p className="dim monitor-empty" data-testid="monitors-empty">
          No monitor yet. Start one to score a growing flow log, a folder of flow files, or a replay of a dataset with one of your models.
        </p>
      ) : (
        <ul className="monitor-list">
          {list.map((m) => (
            <MonitorCard key={m.id} monitor={m} focused={m.id === focused} datasetName={datasetName} />
          ))}
        </ul>
      )}
    </section>
  );
}
