/**
 * Live: the monitors, charts of what they flag, and the alert queue with its detail drawer.
 * Keyboard (not while typing): j/k move, Enter/o open, Esc close, x check, a acknowledge,
 * t true positive, f false positive (on the checked alerts, else the selected one).
 */
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../api/errors.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { Icon } from '../../components/Icon.js';
import { formatInt, plural } from '../../components/format.js';
import { toast } from '../../components/toasts.js';
import { useDatasets } from '../datasets/datasets.slice.js';
import { useModels } from '../models/models.slice.js';
import { AlertDrawer } from './AlertDrawer.js';
import { AlertFilters } from './AlertFilters.js';
import { AlertQueue } from './AlertQueue.js';
import { LiveCharts } from './LiveCharts.js';
import { MonitorPanel } from './MonitorPanel.js';
import { StartMonitorDialog } from './StartMonitorDialog.js';
import { SuppressionDialog } from './SuppressionDialog.js';
import { SuppressionRules } from './SuppressionRules.js';
import { ToDatasetDialog } from './ToDatasetDialog.js';
import { NO_CLASSES, type QueueSort, type RuleFields, type TriagePatch, useLive } from './live.slice.js';

/** the queue and the drawer beside it */
const QUEUE_HEIGHT = 560;

const SORTS: Array<{ id: QueueSort; label: string }> = [
  { id: 'newest', label: 'Newest first' },
  { id: 'oldest', label: 'Oldest first' },
  { id: 'severity', label: 'Severity' },
  { id: 'score', label: 'Score' },
  { id: 'count', label: 'Most flows' },
];

/** Typing in a field, or a modal dialog open: the page's letter keys stay out of the way. */
export function shortcutsBlocked(e: KeyboardEvent): boolean {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return true;
  const t = e.target as HTMLElement | null;
  if (t && t instanceof HTMLElement) {
    if (t.isContentEditable) return true;
    const tag = t.tagName;
    if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
    if (tag === 'INPUT' && !['checkbox', 'radio', 'button'].includes((t as HTMLInputElement).type)) return true;
  }
  return document.querySelector('[aria-modal="true"]') !== null;
}

const KEY_ACTIONS: Record<string, TriagePatch> = {
  a: { status: 'acknowledged' },
  t: { verdict: 'true-positive' },
  f: { verdict: 'false-positive' },
};

function useQueueShortcuts(queueRef: React.RefObject<HTMLDivElement | null>) {
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (shortcutsBlocked(e)) return;
      const live = useLive.getState();
      const target = e.target as HTMLElement | null;
      const onControl = !!target && target !== queueRef.current?.querySelector('.aq') && /^(BUTTON|A|SUMMARY|INPUT)$/.test(target.tagName);
      const key = e.key;
      if (key === 'Escape') {
        if (live.drawerId !== null) {
          e.preventDefault();
          live.closeDrawer();
          queueRef.current?.querySelector<HTMLElement>('.aq')?.focus();
        }
        return;
      }
      if (e.shiftKey && key !== 'J' && key !== 'K') return;
      switch (key.toLowerCase()) {
        case 'j':
          e.preventDefault();
          live.move(1);
          break;
        case 'k':
          e.preventDefault();
          live.move(-1);
          break;
        case 'o':
          e.preventDefault();
          live.openDrawer();
          break;
        case 'enter':
          if (onControl) return;
          e.preventDefault();
          live.openDrawer();
          break;
        case 'x':
          if (live.selectedId !== null) {
            e.preventDefault();
            live.toggleCheck(live.selectedId);
          }
          break;
        case 'a':
        case 't':
        case 'f': {
          const patch = KEY_ACTIONS[key.toLowerCase()]!;
          if (live.checked.size === 0 && live.selectedId === null) return;
          e.preventDefault();
          void live.triage('auto', patch).catch(() => undefined);
          break;
        }
        default:
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [queueRef]);
}

function BulkBar({ onToDataset }: { onToDataset(): void }) {
  const checked = useLive((s) => s.checked.size);
  const total = useLive((s) => s.total);
  const [confirm, setConfirm] = useState<{ patch: TriagePatch; words: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const run = (patch: TriagePatch) => void useLive.getState().triage('auto', patch).catch((err) => toast.error(errorMessage(err)));
  async function onFilter() {
    if (!confirm) return;
    setBusy(true);
    try {
      const n = await useLive.getState().triage('filter', confirm.patch);
      toast.success(`${plural(n, 'alert')} ${confirm.words}.`);
      setConfirm(null);
    } catch (err) {
      toast.error(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  const actions: Array<{ id: string; label: string; patch: TriagePatch; words: string }> = [
    { id: 'ack', label: 'Acknowledge', patch: { status: 'acknowledged' }, words: 'acknowledged' },
    { id: 'tp', label: 'True positive', patch: { verdict: 'true-positive' }, words: 'marked true positive' },
    { id: 'fp', label: 'False positive', patch: { verdict: 'false-positive' }, words: 'marked false positive' },
    { id: 'close', label: 'Close', patch: { status: 'closed', closeReason: 'resolved' }, words: 'closed (resolved)' },
    { id: 'reopen', label: 'Reopen', patch: { status: 'open' }, words: 'reopened' },
  ];
  return (
    <div className="bulk-bar" role="toolbar" aria-label="Bulk actions" data-testid="bulk-bar">
      {checked > 0 ? (
        <>
          <span className="bulk-count" data-testid="bulk-count">
            {formatInt(checked)} checked
          </span>
          {actions.map((a) => (
            <button key={a.id} type="button" className="btn btn-sm" onClick={() => run(a.patch)} data-testid={`bulk-${a.id}`}>
              {a.label}
            </button>
          ))}
          <button type="button" className="btn btn-sm btn-ghost" onClick={() => useLive.getState().clearChecked()} data-testid="bulk-clear">
            Uncheck all
          </button>
        </>
      ) : (
        <>
          <span className="dim small">Every alert the filter matches ({formatInt(total)}):</span>
          {actions.slice(0, 4).map((a) => (
            <button key={a.id} type="button" className="btn btn-sm btn-ghost" disabled={total === 0} onClick={() => setConfirm({ patch: a.patch, words: a.words })} data-testid={`bulk-filter-${a.id}`}>
              {a.label}…
            </button>
          ))}
        </>
      )}
      <span className="topbar-spacer" />
      <button type="button" className="btn btn-sm" onClick={onToDataset} data-testid="to-dataset-open" title="Alerts with a verdict as a dataset for retraining">
        <Icon name="database" size={14} /> Add labelled alerts to a dataset…
      </button>
      {confirm && (
        <ConfirmDialog
          title="Apply to every matching alert?"
          message={
            <p>
              {plural(total, 'alert')} matching the current filter will be {confirm.words}.
            </p>
          }
          confirmLabel="Apply"
          busy={busy}
          onConfirm={() => void onFilter()}
          onCancel={() => setConfirm(null)}
          testId="bulk-filter-dialog"
        />
      )}
    </div>
  );
}

export function LivePage() {
  const [starting, setStarting] = useState(false);
  const [rulePrefill, setRulePrefill] = useState<RuleFields | null>(null);
  const [toDataset, setToDataset] = useState(false);
  const drawerOpen = useLive((s) => s.drawerId !== null);
  const sort = useLive((s) => s.sort);
  const total = useLive((s) => s.total);
  const totalFlows = useLive((s) => s.totalFlows);
  const loaded = useLive((s) => s.alerts.length);
  const announcement = useLive((s) => s.announcement);
  const classes = useLive((s) => s.stats?.classes ?? NO_CLASSES);
  const queueRef = useRef<HTMLDivElement>(null);
  useQueueShortcuts(queueRef);

  useEffect(() => {
    document.title = 'Live — Flowsight';
    const live = useLive.getState();
    live.setActive(true);
    void live.loadMonitors();
    void live.loadAlerts();
    void live.loadStats();
    void live.loadRules();
    if (useModels.getState().listStatus === 'idle') void useModels.getState().loadList();
    if (useDatasets.getState().listStatus === 'idle') void useDatasets.getState().loadList();
    return () => {
      useLive.getState().setActive(false);
      document.title = 'Flowsight';
    };
  }, []);

  return (
    <div className="page live-page" data-testid="live-page">
      <header className="page-header">
        <div className="title-block">
          <h1>Live</h1>
          <p className="page-subtitle">Score flows as they arrive, then triage what the models flag.</p>
        </div>
      </header>
      <MonitorPanel onStart={() => setStarting(true)} />
      <LiveCharts />
      <section className="card card-table queue-card" aria-labelledby="queue-title">
        <div className="card-head card-head-wrap">
          <h2 id="queue-title" className="card-title">
            Alert queue{' '}
            <span className="count-badge" data-testid="queue-total">
              {formatInt(total)}
            </span>{' '}
            <span className="dim small">
              {plural(totalFlows, 'flow')}
              {loaded < total ? ` · ${formatInt(loaded)} loaded` : ''}
            </span>
          </h2>
          <label className="field-inline small">
            <span className="dim">Sort</span>
            <select className="select select-sm" value={sort} onChange={(e) => useLive.getState().setSort(e.target.value as QueueSort)} data-testid="queue-sort">
              {SORTS.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <AlertFilters />
        <BulkBar onToDataset={() => setToDataset(true)} />
        <div ref={queueRef} className={`queue-layout${drawerOpen ? ' with-drawer' : ''}`}>
          <AlertQueue height={QUEUE_HEIGHT} compact={drawerOpen} />
          <AlertDrawer onSuppress={(prefill) => setRulePrefill(prefill)} />
        </div>
        <div className="queue-foot small">
          <span className="kbd-hints" aria-hidden="true">
            <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open · <kbd>Esc</kbd> close · <kbd>x</kbd> check · <kbd>a</kbd> acknowledge · <kbd>t</kbd> true positive · <kbd>f</kbd> false positive
          </span>
          <span className="queue-status" role="status" aria-live="polite" data-testid="queue-status">
            {announcement}
          </span>
        </div>
      </section>
      <SuppressionRules onNew={() => setRulePrefill({})} />
      {starting && <StartMonitorDialog onClose={() => setStarting(false)} />}
      {rulePrefill && <SuppressionDialog prefill={rulePrefill} classes={classes} onClose={() => setRulePrefill(null)} />}
      {toDataset && <ToDatasetDialog onClose={() => setToDataset(false)} />}
    </div>
  );
}
