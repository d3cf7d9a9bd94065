import { baseName, formatPercent } from '../components/format.js';
import { useDatasets } from '../features/datasets/datasets.slice.js';
import { jobFraction, runningJobs, useJobs } from '../features/jobs/jobs.slice.js';
import { useApp } from './app.slice.js';
import { useShallow } from 'zustand/react/shallow';

const CONN_TEXT = {
  open: 'Connected',
  connecting: 'Connecting…',
  reconnecting: 'Disconnected',
} as const;

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
            {job.title} · {job.progress.phase}
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
      <span className={`status-item conn conn-${info?.face === 'electron' ? 'open' : conn.status}`} data-testid="status-connection">
        <span className="conn-dot" aria-hidden="true" />
        {connText}
      </span>
      {info && <span className="status-item dim">v{info.version}</span>}
    </footer>
  );
}
