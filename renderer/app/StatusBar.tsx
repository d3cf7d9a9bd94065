import { useId } from 'react';
import { Icon } from '../components/Icon.js';
import { baseName, formatPercent } from '../components/format.js';
import { isSlowBackend, neuralRuntimeDetails, neuralRuntimeText } from '../components/neural-format.js';
import { useDatasets } from '../features/datasets/datasets.slice.js';
import { jobFraction, runningJobs, useJobs } from '../features/jobs/jobs.slice.js';
import { jobPhaseText } from '../features/train/progress.js';
import { type NeuralRuntime, useApp } from './app.slice.js';
import { useShallow } from 'zustand/react/shallow';

const CONN_TEXT = {
  open: 'Connected',
  connecting: 'Connecting…',
  reconnecting: 'Disconnected',
} as const;

/** Status-bar words for the neural runtime: the short text, the tooltip, and whether to warn. */
export function neuralStatus(n: NeuralRuntime): { text: string; details: string; tone: 'ok' | 'warn' | 'checking' } {
  if (n.status === 'checking') return { text: 'checking…', details: 'Finding out which TensorFlow.js backend trains neural networks here…', tone: 'checking' };
  if (n.status === 'error') return { text: 'unavailable', details: `The neural runtime could not be checked: ${n.error}`, tone: 'warn' };
  const { info } = n;
  return { text: neuralRuntimeText(info), details: neuralRuntimeDetails(info), tone: info.backend === null || isSlowBackend(info.backend) ? 'warn' : 'ok' };
}

/** "Neural: WebAssembly (SIMD)"; hover or focus tells what was skipped and why. */
function NeuralItem() {
  const neural = useApp((s) => s.neural);
  const descId = useId();
  const { text, details, tone } = neuralStatus(neural);
  return (
    <>
      <span
        className={`status-item status-neural status-${tone}`}
        title={details}
        tabIndex={0}
        aria-describedby={descId}
        data-testid="status-neural"
        data-backend={neural.status === 'ready' ? (neural.info.backend ?? 'none') : neural.status}
      >
        {tone === 'warn' && <Icon name="alert" size={12} />}
        <span className="status-key">Neural:</span> {text}
      </span>
      <span id={descId} className="sr-only">
        {details}
      </span>
    </>
  );
}

export function StatusBar() {
  const info = useApp((s) => s.info);
  const conn = useApp((s) => s.connection);
  const jobs = useJobs(useShallow(runningJobs));
  const job = jobs[0];
  const frac = job ? jobFraction(job.progress) : null;
  const task = useDatasets((s) => s.importTask);
  const uploading = !job && task && (task.phase === 'uploading' || task.phase === 'starting') ? task : null;
  const upFrac = uploading?.upload && uploading.upload.total > 0 ? uploading.upload.loaded / uploading.upload.total : null;
  const connText = info?.face === 'electron' ? 'Desktop' : CONN_TEXT[conn.status];

  return (
    <footer className="statusbar" data-testid="status-bar">
      <span className="status-item" title={info?.workspacePath} data-testid="status-workspace">
        <span className="status-key">Workspace</span> {info ? baseName(info.workspacePath) : '—'}
      </span>
      <span className="status-item status-grow" data-testid="status-job" aria-live="polite">
        {job ? (
          <>
            <span className="spinner" aria-hidden="true" />
            {job.title} · {jobPhaseText(job.progress.phase)}
            {frac !== null ? ` ${formatPercent(frac)}` : ''}
            {jobs.length > 1 ? ` (+${jobs.length - 1} more)` : ''}
          </>
        ) : uploading ? (
          <>
            <span className="spinner" aria-hidden="true" />
            {uploading.phase === 'uploading' ? `Uploading ${uploading.title}` : `Starting import of ${uploading.title}`}
            {uploading.phase === 'uploading' && upFrac !== null ? ` ${formatPercent(upFrac)}` : ''}
          </>
        ) : (
          <span className="dim">No running jobs</span>
        )}
      </span>
      <NeuralItem />
      <span className={`status-item conn conn-${info?.face === 'electron' ? 'open' : conn.status}`} data-testid="status-connection">
        <span className="conn-dot" aria-hidden="true" />
        {connText}
      </span>
      {info && <span className="status-item dim">v{info.version}</span>}
    </footer>
  );
}
