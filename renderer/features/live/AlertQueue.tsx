/**
 * The alert queue: a windowed list (fixed row height, only the rows in view in the DOM), one
 * selected row (aria-activedescendant), check boxes for bulk actions. j/k and the arrows move,
 * Enter/o open the detail, x checks; the page's shortcuts handle a/f/t.
 */
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { AlertSummary } from '../../../electron/contract/index.js';
import { formatInt, plural } from '../../components/format.js';
import { visibleRange } from '../../components/VirtualTable.js';
import { formatFlowTime, formatScore3 } from './live-format.js';
import { useLive } from './live.slice.js';
import { SeverityBadge, StatusBadge, VerdictBadge } from './parts.js';

export const ROW_HEIGHT = 32;
const HEADER_HEIGHT = 32;
const TEMPLATE = '34px 92px minmax(130px, 1.3fr) 62px minmax(130px, 1fr) minmax(150px, 1fr) 64px 168px 112px 86px minmax(90px, 0.8fr)';
/** beside the open drawer: source and destination in one cell, status and verdict in one, no model and flows */
const COMPACT = '30px 34px minmax(100px, 1fr) 64px minmax(150px, 1.5fr) 172px 128px';

function endpoint(ip: string | null, port: number | null): string {
  if (!ip) return '—';
  return port !== null ? `${ip}:${port}` : ip;
}

const Row = memo(function Row({ a, index, selected, checked, compact, onPick, onOpen }: { a: AlertSummary; index: number; selected: boolean; checked: boolean; compact: boolean; onPick(id: number): void; onOpen(id: number): void }) {
  return (
    <div
      id={`alert-row-${a.id}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-testid={`alert-row-${a.id}`}
      data-alert-id={a.id}
      className={`vt-row aq-row${index % 2 ? ' vt-row-odd' : ''}${selected ? ' aq-selected' : ''}${checked ? ' aq-checked' : ''}${a.status === 'closed' ? ' aq-closed' : ''}${a.suppressedBy !== null ? ' aq-suppressed' : ''}`}
      style={{ gridTemplateColumns: compact ? COMPACT : TEMPLATE, height: ROW_HEIGHT, transform: `translateY(${index * ROW_HEIGHT}px)` }}
      onMouseDown={(e) => {
        if (!(e.target as HTMLElement).closest('input')) onPick(a.id);
      }}
      onDoubleClick={() => onOpen(a.id)}
    >
      <div role="gridcell" className="vt-cell aq-cell aq-check">
        <input
          type="checkbox"
          tabIndex={-1}
          checked={checked}
          onChange={() => useLive.getState().toggleCheck(a.id)}
          aria-label={`Check alert ${a.id}`}
          data-testid={`alert-check-${a.id}`}
        />
      </div>
      <div role="gridcell" className="vt-cell aq-cell">
        <SeverityBadge severity={a.severity} compact={compact} />
      </div>
      <div role="gridcell" className="vt-cell aq-cell aq-class" title={a.className}>
        <button type="button" className="aq-open" tabIndex={-1} onClick={() => onOpen(a.id)} data-testid={`alert-open-${a.id}`}>
          {a.className}
        </button>
        {a.noteCount > 0 && (
          <span className="aq-notes" title={`${a.noteCount} note${a.noteCount === 1 ? '' : 's'}`}>
            ✎{a.noteCount}
          </span>
        )}
      </div>
      <div role="gridcell" className="vt-cell aq-cell num">
        {formatScore3(a.score)}
      </div>
      {compact ? (
        <div role="gridcell" className="vt-cell aq-cell mono" title={`${endpoint(a.srcIp, a.srcPort)} → ${endpoint(a.dstIp, a.dstPort)}`}>
          {a.srcIp ?? '—'} <span className="dim">→</span> {endpoint(a.dstIp, a.dstPort)}
        </div>
      ) : (
        <>
          <div role="gridcell" className="vt-cell aq-cell mono" title={endpoint(a.srcIp, a.srcPort)}>
            {a.srcIp ?? '—'}
          </div>
          <div role="gridcell" className="vt-cell aq-cell mono" title={`${endpoint(a.dstIp, a.dstPort)}${a.protocol ? ` (${a.protocol})` : ''}`}>
            {endpoint(a.dstIp, a.dstPort)}
          </div>
          <div role="gridcell" className="vt-cell aq-cell num" title={`${formatInt(a.count)} flows`}>
            {formatInt(a.count)}
          </div>
        </>
      )}
      <div role="gridcell" className="vt-cell aq-cell mono aq-time" title={`first ${formatFlowTime(a.firstSeen)}, last ${formatFlowTime(a.lastSeen)} (flow time)`}>
        {formatFlowTime(a.lastSeen)}
      </div>
      <div role="gridcell" className="vt-cell aq-cell">
        <StatusBadge status={a.status} reason={a.closeReason} />
        {compact && a.verdict && (
          <>
            {' '}
            <VerdictBadge verdict={a.verdict} />
          </>
        )}
        {a.suppressedBy !== null && <span className="chip aq-supp" title={`hidden by suppression rule ${a.suppressedBy}`}>supp.</span>}
      </div>
      {!compact && (
        <>
          <div role="gridcell" className="vt-cell aq-cell">
            <VerdictBadge verdict={a.verdict} />
          </div>
          <div role="gridcell" className="vt-cell aq-cell dim" title={a.modelName}>
            {a.modelName}
          </div>
        </>
      )}
    </div>
  );
});

export function AlertQueue({ height, compact = false }: { height: number; compact?: boolean }) {
  const alerts = useLive((s) => s.alerts);
  const total = useLive((s) => s.total);
  const selectedId = useLive((s) => s.selectedId);
  const checked = useLive((s) => s.checked);
  const status = useLive((s) => s.alertsStatus);
  const error = useLive((s) => s.alertsError);
  const loadingMore = useLive((s) => s.loadingMore);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const viewport = height - HEADER_HEIGHT;

  const onPick = useCallback((id: number) => useLive.getState().select(id), []);
  const onOpen = useCallback((id: number) => useLive.getState().openDrawer(id), []);

  // the selected row stays in view
  const selectedIndex = selectedId === null ? -1 : alerts.findIndex((a) => a.id === selectedId);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || selectedIndex < 0) return;
    const top = selectedIndex * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + viewport) el.scrollTop = top + ROW_HEIGHT - viewport;
    if (el.scrollTop !== scrollTop) setScrollTop(el.scrollTop);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedIndex, viewport]);

  useEffect(() => {
    if (alerts.length - Math.ceil((scrollTop + viewport) / ROW_HEIGHT) < 30) void useLive.getState().loadMore();
  }, [scrollTop, viewport, alerts.length]);

  const { start, end } = visibleRange(scrollTop, viewport, ROW_HEIGHT, alerts.length, 6);
  const rows = [];
  for (let i = start; i < end; i++) {
    const a = alerts[i]!;
    rows.push(<Row key={a.id} a={a} index={i} selected={a.id === selectedId} checked={checked.has(a.id)} compact={compact} onPick={onPick} onOpen={onOpen} />);
  }

  function onKeyDown(e: React.KeyboardEvent<HTMLDivElement>) {
    if (e.target !== e.currentTarget) return;
    const live = useLive.getState();
    const page = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -1e9, End: 1e9 };
    const d = moves[e.key];
    if (d !== undefined) {
      e.preventDefault();
      live.move(d);
    } else if (e.key === ' ' && live.selectedId !== null) {
      e.preventDefault();
      live.toggleCheck(live.selectedId);
    }
  }

  const allChecked = alerts.length > 0 && checked.size >= alerts.length && alerts.every((a) => checked.has(a.id));
  return (
    <div
      ref={scrollRef}
      className="vt aq"
      role="grid"
      aria-label={`Alert queue, ${plural(total, 'alert')}`}
      aria-rowcount={total + 1}
      aria-multiselectable="true"
      aria-activedescendant={selectedIndex >= 0 && selectedIndex >= start && selectedIndex < end ? `alert-row-${selectedId}` : undefined}
      data-testid="alert-queue"
      data-row-count={alerts.length}
      data-total={total}
      tabIndex={0}
      style={{ height }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
    >
      <div className="vt-inner aq-inner">
        <div role="rowgroup" className="vt-head">
          <div role="row" aria-rowindex={1} className="vt-row vt-header-row aq-row" style={{ gridTemplateColumns: compact ? COMPACT : TEMPLATE, height: HEADER_HEIGHT }}>
            <div role="columnheader" className="vt-cell aq-cell aq-check">
              <input
                type="checkbox"
                checked={allChecked}
                disabled={alerts.length === 0}
                onChange={() => (allChecked ? useLive.getState().clearChecked() : useLive.getState().setChecked(alerts.map((a) => a.id)))}
                aria-label="Check every loaded alert"
                data-testid="alert-check-all"
              />
            </div>
            <div role="columnheader" className="vt-cell aq-cell vt-th" title="Severity">{compact ? <span className="sr-only">Severity</span> : 'Severity'}</div>
            <div role="columnheader" className="vt-cell aq-cell vt-th">Class</div>
            <div role="columnheader" className="vt-cell aq-cell vt-th num">Score</div>
            {compact ? (
              <div role="columnheader" className="vt-cell aq-cell vt-th">Source → destination</div>
            ) : (
              <>
                <div role="columnheader" className="vt-cell aq-cell vt-th">Source</div>
                <div role="columnheader" className="vt-cell aq-cell vt-th">Destination</div>
                <div role="columnheader" className="vt-cell aq-cell vt-th num">Flows</div>
              </>
            )}
            <div role="columnheader" className="vt-cell aq-cell vt-th" title="flow time of the last flow (UTC, from the file)">Last seen (flow)</div>
            <div role="columnheader" className="vt-cell aq-cell vt-th">Status</div>
            {!compact && (
              <>
                <div role="columnheader" className="vt-cell aq-cell vt-th">Verdict</div>
                <div role="columnheader" className="vt-cell aq-cell vt-th">Model</div>
              </>
            )}
          </div>
        </div>
        <div role="rowgroup" className="vt-body" style={{ height: Math.max(alerts.length * ROW_HEIGHT, ROW_HEIGHT * 2) }}>
          {alerts.length === 0 ? (
            <div className="vt-empty aq-empty" data-testid="alert-queue-empty">
              {status === 'error' ? `The alerts could not be read: ${error}` : status === 'ready' ? 'No alert matches. New alerts appear here as monitors flag flows.' : 'Loading alerts…'}
            </div>
          ) : (
            rows
          )}
        </div>
        {loadingMore && <div className="aq-more small dim">Loading more…</div>}
      </div>
    </div>
  );
}
