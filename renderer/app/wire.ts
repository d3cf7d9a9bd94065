/** Connects the api's events and connection state to the stores. Call once at start. */
import type { Api } from '../api/client.js';
import { useDatasets } from '../features/datasets/datasets.slice.js';
import { useJobs } from '../features/jobs/jobs.slice.js';
import { errorMessage } from '../api/errors.js';
import { toast } from '../components/toasts.js';
import { useApp } from './app.slice.js';
import { useTheme } from './theme.js';
import { useUi } from './ui.slice.js';

export function wireStores(api: Api): () => void {
  const offEvent = api.onEvent((event) => {
    if (event.name === 'app.menu') {
      void onMenu(api, event.payload.action);
      return;
    }
    useJobs.getState().applyEvent(event);
    useDatasets.getState().applyEvent(event);
  });

  let wasOpen = api.connection().status === 'open';
  useApp.setState({ connection: api.connection() });
  const offConn = api.onConnection((state) => {
    useApp.setState({ connection: state });
    const open = state.status === 'open';
    if (open && !wasOpen) {
      // events may have been missed while away: re-read what the UI shows
      void refreshAll();
      // the neural runtime is asked once; again only if that question failed
      if (useApp.getState().neural.status === 'error') void useApp.getState().loadNeural();
    }
    wasOpen = open;
  });

  // the first loads (queued by the transport until the socket opens)
  void refreshAll();
  // which TensorFlow.js backend trains neural models here: asked once, nothing waits for it
  void useApp.getState().loadNeural();

  // fallback only: if a running job has been silent for a while, ask for it
  const fallback = setInterval(() => {
    if (Object.values(useJobs.getState().jobs).some((j) => j.status === 'running')) void useJobs.getState().refreshStale();
  }, 5000);

  return () => {
    offEvent();
    offConn();
    clearInterval(fallback);
  };
}

let refreshing: Promise<void> | null = null;

export function refreshAll(): Promise<void> {
  refreshing ??= (async () => {
    try {
      const ds = useDatasets.getState();
      const tasks: Promise<unknown>[] = [
        useApp.getState().loadInfo(),
        ds.loadList(),
        useJobs.getState().load().catch(() => {}),
      ];
      for (const id of Object.keys(ds.details)) tasks.push(ds.loadDetail(Number(id), true));
      await Promise.all(tasks);
      // a job that ended while the connection was down: settle the import waiting on it
      const t = useDatasets.getState().importTask;
      if (t?.jobId) {
        const job = useJobs.getState().jobs[t.jobId];
        if (job && job.status !== 'running') useDatasets.getState().applyEvent({ name: 'jobs.finished', payload: job });
      }
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** Desktop face: app-menu items the renderer acts on. */
export async function onMenu(api: Api, action: string): Promise<void> {
  if (action === 'toggle-theme') {
    useTheme.getState().toggle();
    return;
  }
  if (action === 'import-files' || action === 'import-folder') {
    try {
      const paths = await api.openFiles({ folders: action === 'import-folder' });
      if (paths.length === 0) return;
      const ui = useUi.getState();
      if (ui.importDialog) ui.setImportPaths([...new Set([...ui.importDialog.paths, ...paths])]);
      else ui.openImport([], paths);
    } catch (err) {
      toast.error(errorMessage(err));
    }
  }
}
