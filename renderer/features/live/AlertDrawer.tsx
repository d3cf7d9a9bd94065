/**
 * One alert in detail, beside the queue (not modal: j/k keep moving and the drawer follows):
 * the flow, why the model flagged it, the triage actions, notes, and recent alerts from the
 * same source.
 */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { AlertDetail } from '../../../electron/contract/index.js';
import { errorMessage } from '../../api/errors.js';
import { Icon } from '../../components/Icon.js';
import { formatDate, formatInt, formatStat } from '../../components/format.js';
import { ExplanationBars } from './ExplanationBars.js';
import { formatFlowTime, formatScore3 } from './live-format.js';
import { type RuleFields, type TriagePatch, useLive } from './live.slice.js';
import { SeverityBadge, StatusBadge, VerdictBadge } from './parts.js';

export const CLOSE_REASONS = ['resolved', 'benign activity', 'duplicate', 'expected (scanner, test)', 'other'] as const;

function endpoint(ip: string | null, port: number | null): string {
  if (!ip) return '—';
  return port !== null ? `${ip}:${port}` : ip;
}

function Facts({ a }: { a: AlertDetail }) {
  return (
    <dl className="drawer-facts">
      <dt>Score</dt>
      <dd className="num">{formatScore3(a.score)}</dd>
      <dt>Flows</dt>
      <dd className="num">{formatInt(a.count)}</dd>
      <dt>Source</dt>
      <dd className="mono" data-testid="alert-detail-src">
        {endpoint(a.srcIp, a.srcPort)}
      </dd>
      <dt>Destination</dt>
      <dd className="mono" data-testid="alert-detail-dst">
        {endpoint(a.dstIp, a.dstPort)}
        {a.protocol && <span className="dim"> {a.protocol}</span>}
      </dd>
      <dt>First seen</dt>
      <dd className="mono">{formatFlowTime(a.firstSeen)}</dd>
      <dt>Last seen</dt>
      <dd className="mono">{formatFlowTime(a.lastSeen)}</dd>
      <dt>Model</dt>
      <dd>{a.modelName}</dd>
      <dt>Status</dt>
      <dd>
        <StatusBadge status={a.status} reason={a.closeReason} />
        {a.status === 'closed' && a.closeReason && <span className="dim small"> {a.closeReason}</span>}
      </dd>
      <dt>Verdict</dt>
      <dd data-testid="alert-detail-verdict" data-verdict={a.verdict ?? 'none'}>
        <VerdictBadge verdict={a.verdict} />
      </dd>
      {a.suppressedBy !== null && (
        <>
          <dt>Suppressed</dt>
          <dd>by rule {a.suppressedBy}</dd>
        </>
      )}
    </dl>
  );
}

function CloseForm({ onDone }: { onDone(): void }) {
  const [reason, setReason] = useState<string>(CLOSE_REASONS[0]);
  const [other, setOther] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    const text = reason === 'other' ? other.trim() || 'other' : reason;
    await useLive.getState().triage('auto', { status: 'closed', closeReason: text }).catch(() => undefined);
    onDone();
  }
  return (
    <form className="drawer-close-form" onSubmit={(e) => void submit(e)} data-testid="alert-close-form">
      <label className="field">
        <span className="field-label">Reason</span>
        <select className="select select-sm" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="alert-close-reason" data-autofocus>
          {CLOSE_REASONS.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      {reason === 'other' && <input className="input input-sm" value={other} onChange={(e) => setOther(e.target.value)} placeholder="why" aria-label="Other reason" maxLength={500} />}
      <div className="button-row">
        <button type="submit" className="btn btn-sm btn-primary" data-testid="alert-close-submit">
          Close alert
        </button>
        <button type="button" className="btn btn-sm" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Notes({ a }: { a: AlertDetail }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function add(e?: FormEvent) {
    e?.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await useLive.getState().triage([a.id], { note: text.trim() });
      setText('');
      await useLive.getState().loadDetail(a.id);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="drawer-section" aria-labelledby="alert-notes-title">
      <h3 id="alert-notes-title" className="drawer-h">
        Notes <span className="count-badge">{a.notes.length}</span>
      </h3>
      {a.notes.length > 0 && (
        <ul className="notes-list" data-testid="alert-notes">
          {a.notes.map((n) => (
            <li key={n.id}>
              <p>{n.text}</p>
              <span className="small dim">{formatDate(n.createdAt)}</span>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={(e) => void add(e)} className="note-form">
        <textarea
          className="input note-input"
          rows={2}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void add();
          }}
          placeholder="Add a note (Ctrl+Enter)"
          aria-label="New note"
          maxLength={10000}
          data-testid="alert-note-input"
        />
        <button type="submit" className="btn btn-sm" disabled={busy || !text.trim()} data-testid="alert-note-add">
          Add note
        </button>
      </form>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

export function AlertDrawer({ onSuppress }: { onSuppress(prefill: RuleFields): void }) {
  const drawerId = useLive((s) => s.drawerId);
  const detail = useLive((s) => s.detail);
  const status = useLive((s) => s.detailStatus);
  const error = useLive((s) => s.detailError);
  const checkedCount = useLive((s) => s.checked.size);
  const [closing, setClosing] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => setClosing(false), [drawerId]);

  if (drawerId === null) return null;
  const a = detail && detail.id === drawerId ? detail : null;
  const act = (patch: TriagePatch) => void useLive.getState().triage('auto', patch).catch(() => undefined);
  const scopeNote = checkedCount > 0 ? ` (the ${checkedCount} checked)` : '';

  return (
    <aside className="drawer" aria-labelledby="alert-drawer-title" data-testid="alert-drawer" data-alert-id={drawerId}>
      <header className="drawer-header">
        <div className="drawer-title">
          {a && <SeverityBadge severity={a.severity} />}
          <h2 id="alert-drawer-title" ref={headingRef} tabIndex={-1} data-testid="alert-drawer-title">
            {a ? a.className : `Alert ${drawerId}`}
          </h2>
          <span className="dim small">#{drawerId}</span>
        </div>
        <button type="button" className="btn btn-icon btn-ghost" aria-label="Close the alert detail (Esc)" title="Close (Esc)" onClick={() => useLive.getState().closeDrawer()} data-testid="alert-drawer-close">
          <Icon name="close" />
        </button>
      </header>
      <div className="drawer-body">
        {!a && status === 'error' && (
          <p className="inline-error" role="alert">
            <Icon name="error" size={14} /> {error}
          </p>
        )}
        {!a && status !== 'error' && <div className="skeleton-block tall" aria-busy="true" aria-label="Loading the alert" />}
        {a && (
          <>
            <div className="drawer-actions" role="toolbar" aria-label={`Triage${scopeNote}`}>
              <button type="button" className="btn btn-sm" onClick={() => act({ status: 'acknowledged' })} data-testid="alert-ack" aria-keyshortcuts="a" title={`Acknowledge${scopeNote} (a)`}>
                Acknowledge <kbd>a</kbd>
              </button>
              <button type="button" className="btn btn-sm" onClick={() => act({ verdict: 'true-positive' })} data-testid="alert-tp" aria-keyshortcuts="t" title={`True positive${scopeNote} (t)`}>
                True positive <kbd>t</kbd>
              </button>
              <button type="button" className="btn btn-sm" onClick={() => act({ verdict: 'false-positive' })} data-testid="alert-fp" aria-keyshortcuts="f" title={`False positive${scopeNote} (f)`}>
                False positive <kbd>f</kbd>
              </button>
              {a.status === 'closed' ? (
                <button type="button" className="btn btn-sm" onClick={() => act({ status: 'open' })} data-testid="alert-reopen">
                  Reopen
                </button>
              ) : (
                <button type="button" className="btn btn-sm" onClick={() => setClosing((c) => !c)} aria-expanded={closing} data-testid="alert-close">
                  Close…
                </button>
              )}
              <button
                type="button"
                className="btn btn-sm"
                onClick={() => onSuppress({ src: a.srcIp ?? undefined, className: a.srcIp ? undefined : a.className })}
                data-testid="alert-suppress"
                title="Hide alerts like this one from now on (prefilled with its source)"
              >
                Suppress…
              </button>
            </div>
            {closing && <CloseForm onDone={() => setClosing(false)} />}
            <Facts a={a} />

            <section className="drawer-section" aria-labelledby="alert-why-title">
              <h3 id="alert-why-title" className="drawer-h">
                Why it was flagged
              </h3>
              {a.explanation ? (
                <ExplanationBars explanation={a.explanation} />
              ) : (
                <p className="dim small" data-testid="alert-explanation-missing">
                  {a.explanationError ?? 'No explanation for this alert.'}
                </p>
              )}
            </section>

            <details className="drawer-section disclosure" data-testid="alert-features">
              <summary className="drawer-h">The flow ({a.features.length} features)</summary>
              <dl className="feature-values">
                {a.features.map((f) => (
                  <div key={f.name}>
                    <dt className="mono">{f.name}</dt>
                    <dd className="num mono">{f.value === null ? '—' : typeof f.value === 'number' ? formatStat(f.value) : f.value}</dd>
                  </div>
                ))}
              </dl>
            </details>

            <Notes a={a} />

            <section className="drawer-section" aria-labelledby="alert-history-title">
              <h3 id="alert-history-title" className="drawer-h">
                Same source{a.srcIp ? ` (${a.srcIp})` : ''} <span className="count-badge">{a.sameSource.length}</span>
              </h3>
              {a.sameSource.length === 0 ? (
                <p className="dim small">No other alert from this source.</p>
              ) : (
                <ul className="history-list" data-testid="alert-history">
                  {a.sameSource.map((h) => (
                    <li key={h.id}>
                      <button type="button" className="history-row" onClick={() => useLive.getState().openDrawer(h.id)}>
                        <SeverityBadge severity={h.severity} compact />
                        <span className="ellipsis">{h.className}</span>
                        <span className="mono small dim">{formatFlowTime(h.lastSeen)}</span>
                        <StatusBadge status={h.status} />
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </>
        )}
      </div>
    </aside>
  );
}
