import { useEffect, useRef } from 'react';
import { api } from '../api/client.js';
import { Icon } from '../components/Icon.js';
import { Toasts } from '../components/Toasts.js';
import { toast } from '../components/toasts.js';
import { DatasetsPage } from '../features/datasets/DatasetsPage.js';
import { DatasetView } from '../features/datasets/DatasetView.js';
import { DropOverlay } from '../features/datasets/DropOverlay.js';
import { ImportDialog } from '../features/datasets/ImportDialog.js';
import { SamplesDialog } from '../features/datasets/SamplesDialog.js';
import { useDatasets } from '../features/datasets/datasets.slice.js';
import { LivePage } from '../features/live/LivePage.js';
import { useLive } from '../features/live/live.slice.js';
import { useLiveEvents } from '../features/live/useLiveEvents.js';
import { ModelResults } from '../features/models/ModelResults.js';
import { ModelsPage } from '../features/models/ModelsPage.js';
import { useModels } from '../features/models/models.slice.js';
import { useModelEvents } from '../features/models/useModelEvents.js';
import { TrainPage } from '../features/train/TrainPage.js';
import { useTrainOutcome } from '../features/train/useTrainOutcome.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { StatusBar } from './StatusBar.js';
import { WorkspacePage } from './WorkspacePage.js';
import { navigate, routeHref, useRoute } from './routes.js';
import { useTheme } from './theme.js';
import { useUi } from './ui.slice.js';

/** Ctrl/Cmd+O opens the import dialog from anywhere. */
function useShortcuts() {
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'o') {
        e.preventDefault();
        const ui = useUi.getState();
        if (!ui.importDialog) ui.openImport();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** On a successful import: open the new dataset and say so. */
function useImportOutcome() {
  const task = useDatasets((s) => s.importTask);
  useEffect(() => {
    if (task?.phase === 'succeeded') {
      const id = task.datasetId;
      useDatasets.getState().dismissImport();
      if (id !== null) {
        navigate({ name: 'dataset', id });
        toast.success(`Imported “${task.title}”.`);
      }
    }
  }, [task]);
}

function ThemeToggle() {
  const theme = useTheme((s) => s.theme);
  const toggle = useTheme((s) => s.toggle);
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="btn btn-ghost btn-icon"
      onClick={toggle}
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      data-testid="theme-toggle"
    >
      <Icon name={theme === 'dark' ? 'sun' : 'moon'} />
    </button>
  );
}

function NavBar() {
  const route = useRoute();
  const count = useDatasets((s) => s.list.length);
  const listReady = useDatasets((s) => s.listStatus === 'ready');
  const modelCount = useModels((s) => s.list.length);
  const modelsReady = useModels((s) => s.listStatus === 'ready');
  const running = useLive((s) => Object.values(s.monitors).filter((m) => m.state === 'running').length);
  const items = [
    { key: 'datasets', label: 'Datasets', icon: <Icon name="database" />, href: routeHref({ name: 'datasets' }), active: route.name === 'datasets' || route.name === 'dataset', badge: listReady ? count : null },
    { key: 'train', label: 'Train', icon: <Icon name="train" />, href: routeHref({ name: 'train', datasetId: null }), active: route.name === 'train', badge: null },
    { key: 'models', label: 'Models', icon: <Icon name="models" />, href: routeHref({ name: 'models' }), active: route.name === 'models' || route.name === 'model', badge: modelsReady ? modelCount : null },
    { key: 'live', label: 'Live', icon: <Icon name="pulse" />, href: routeHref({ name: 'live' }), active: route.name === 'live', badge: running > 0 ? running : null },
    { key: 'workspace', label: 'Workspace', icon: <Icon name="workspace" />, href: routeHref({ name: 'workspace' }), active: route.name === 'workspace', badge: null },
  ];
  return (
    <nav className="sidenav" aria-label="Main">
      <ul>
        {items.map((it) => (
          <li key={it.key}>
            <a href={it.href} className={`nav-item${it.active ? ' active' : ''}`} aria-current={it.active ? 'page' : undefined} data-testid={`nav-${it.key}`}>
              {it.icon}
              <span className="nav-label">{it.label}</span>
              {it.badge !== null && <span className="nav-badge">{it.badge}</span>}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A new page starts at the top; focus that was on the old page moves to the new one. */
function useRouteFocus(routeKey: string) {
  const first = useRef(true);
  useEffect(() => {
    const main = document.getElementById('main');
    if (!main) return;
    main.scrollTop = 0;
    if (first.current) {
      first.current = false;
      return;
    }
    const active = document.activeElement;
    if (!active || active === document.body || !active.isConnected || main.contains(active)) {
      main.focus({ preventScroll: true });
    }
  }, [routeKey]);
}

export function App() {
  const route = useRoute();
  useRouteFocus(routeHref(route));
  const importDialog = useUi((s) => s.importDialog);
  const samplesDialog = useUi((s) => s.samplesDialog);
  useShortcuts();
  useImportOutcome();
  useTrainOutcome();
  useModelEvents();
  useLiveEvents();

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="brand">
          <svg className="brand-mark" width="20" height="20" viewBox="0 0 20 20" aria-hidden="true">
            <rect x="1" y="1" width="18" height="18" rx="5" className="brand-mark-bg" />
            <path d="M5 12.5c2-4.5 4-4.5 5 0s3 4.5 5-2" className="brand-mark-line" />
          </svg>
          <span className="brand-name">Flowsight</span>
        </div>
        <div className="topbar-spacer" />
        <ThemeToggle />
      </header>
      <NavBar />
      <div className="content">
        <ConnectionBanner />
        <main id="main" className="main" tabIndex={-1}>
          {route.name === 'dataset' ? (
            <DatasetView key={route.id} id={route.id} />
          ) : route.name === 'train' ? (
            <TrainPage presetDatasetId={route.datasetId} />
          ) : route.name === 'models' ? (
            <ModelsPage />
          ) : route.name === 'model' ? (
            <ModelResults key={route.id} id={route.id} />
          ) : route.name === 'live' ? (
            <LivePage />
          ) : route.name === 'workspace' ? (
            <WorkspacePage />
          ) : (
            <DatasetsPage />
          )}
        </main>
      </div>
      <StatusBar />
      {importDialog && <ImportDialog key="import" initialFiles={importDialog.files} initialPaths={importDialog.paths} />}
      {samplesDialog && <SamplesDialog />}
      {api.face === 'browser' && <DropOverlay />}
      <Toasts />
    </div>
  );
}
