import { useEffect } from 'react';
import { Icon } from '../components/Icon.js';
import { toast } from '../components/toasts.js';
import { useApp } from './app.slice.js';
import { IMPORT_SHORTCUT } from './shortcut.js';

const FACE_TEXT = { electron: 'Desktop app', browser: 'Browser (local server)', cli: 'Command line' } as const;

export function WorkspacePage() {
  const info = useApp((s) => s.info);
  const error = useApp((s) => s.infoError);
  const load = useApp((s) => s.loadInfo);
  useEffect(() => {
    void load();
  }, [load]);

  async function copyPath() {
    if (!info) return;
    try {
      await navigator.clipboard.writeText(info.workspacePath);
      toast.success('Workspace path copied.');
    } catch {
      toast.error('Could not copy: the clipboard is not available here.');
    }
  }

  return (
    <div className="page page-narrow" data-testid="workspace-page">
      <header className="page-header">
        <div>
          <h1>Workspace</h1>
          <p className="page-subtitle">Everything Flowsight stores — datasets, jobs, and later models and alerts — lives in this one SQLite file.</p>
        </div>
      </header>
      {error && (
        <div className="notice notice-error" role="alert">
          <Icon name="error" />
          <span>{error}</span>
        </div>
      )}
      {info ? (
        <section className="card" aria-labelledby="ws-file">
          <h2 id="ws-file" className="card-title">
            Workspace file
          </h2>
          <div className="path-row">
            <code className="path" data-testid="workspace-path">
              {info.workspacePath}
            </code>
            <button type="button" className="btn btn-sm" onClick={copyPath}>
              <Icon name="copy" size={14} /> Copy path
            </button>
          </div>
          <dl className="facts facts-grid">
            <div>
              <dt>Flowsight</dt>
              <dd>{info.version}</dd>
            </div>
            <div>
              <dt>Workspace schema</dt>
              <dd>v{info.schemaVersion}</dd>
            </div>
            <div>
              <dt>Running as</dt>
              <dd>{FACE_TEXT[info.face] ?? info.face}</dd>
            </div>
            <div>
              <dt>Platform</dt>
              <dd>{info.platform}</dd>
            </div>
            <div>
              <dt>Node.js</dt>
              <dd>{info.node}</dd>
            </div>
            <div>
              <dt>SQLite</dt>
              <dd>{info.sqlite}</dd>
            </div>
          </dl>
        </section>
      ) : (
        !error && <div className="skeleton-block" aria-busy="true" aria-label="Loading workspace information" />
      )}
      <section className="card" aria-labelledby="kbd-title">
        <h2 id="kbd-title" className="card-title">
          Keyboard
        </h2>
        <dl className="kbd-list">
          <div>
            <dt>
              <kbd>{IMPORT_SHORTCUT.startsWith('⌘') ? '⌘' : 'Ctrl'}</kbd> <kbd>O</kbd>
            </dt>
            <dd>Import flow files</dd>
          </div>
          <div>
            <dt>
              <kbd>Tab</kbd> / <kbd>Shift</kbd> <kbd>Tab</kbd>
            </dt>
            <dd>Move between controls</dd>
          </div>
          <div>
            <dt>
              <kbd>↑</kbd> <kbd>↓</kbd> <kbd>PgUp</kbd> <kbd>PgDn</kbd>
            </dt>
            <dd>Scroll a focused table</dd>
          </div>
          <div>
            <dt>
              <kbd>Esc</kbd>
            </dt>
            <dd>Close a dialog</dd>
          </div>
        </dl>
      </section>
    </div>
  );
}
