/** Small pieces of the Live view: severity and status badges, a labelled bar list. */
import type { AlertStatus, Severity, Verdict } from '../../../electron/contract/index.js';
import { formatInt } from '../../components/format.js';
import { SEVERITY_LABEL, SEVERITY_SHORT } from './live-format.js';

export function SeverityBadge({ severity, compact }: { severity: Severity; compact?: boolean }) {
  return (
    <span className={`sev sev-${severity}${compact ? ' sev-compact' : ''}`} title={`${SEVERITY_LABEL[severity]} severity`}>
      <span className="sev-mark" aria-hidden="true">
        {SEVERITY_SHORT[severity]}
      </span>
      {compact ? <span className="sr-only">{SEVERITY_LABEL[severity]}</span> : SEVERITY_LABEL[severity]}
    </span>
  );
}

const STATUS_WORDS: Record<AlertStatus, string> = { open: 'Open', acknowledged: 'Acknowledged', closed: 'Closed' };

export function StatusBadge({ status, reason }: { status: AlertStatus; reason?: string | null }) {
  return (
    <span className={`alert-status alert-status-${status}`} title={status === 'closed' && reason ? `Closed: ${reason}` : undefined}>
      {STATUS_WORDS[status]}
    </span>
  );
}

export function VerdictBadge({ verdict }: { verdict: Verdict | null }) {
  if (!verdict) return <span className="dim">—</span>;
  return <span className={`verdict verdict-${verdict}`}>{verdict === 'true-positive' ? 'True pos.' : 'False pos.'}</span>;
}

export interface BarItem {
  key: string;
  label: string;
  value: number;
  /** secondary figure shown dimmed ("1,204 flows") */
  extra?: string;
  color?: string;
}

/** Horizontal bars in plain HTML: cheap to redraw, readable, each row a button when `onPick` is given. */
export function BarList({ items, onPick, empty, testId, ariaLabel, pickLabel }: { items: BarItem[]; onPick?(key: string): void; empty: string; testId?: string; ariaLabel: string; pickLabel?: (label: string) => string }) {
  const max = items.reduce((m, i) => Math.max(m, i.value), 0) || 1;
  if (items.length === 0) return <p className="dim small bar-list-empty">{empty}</p>;
  return (
    <ul className="bar-list" data-testid={testId} aria-label={ariaLabel}>
      {items.map((it) => {
        const body = (
          <>
            <span className="bar-list-label mono" title={it.label}>
              {it.label}
            </span>
            <span className="bar-list-track" aria-hidden="true">
              <span className="bar-list-fill" style={{ width: `${Math.max(2, (it.value / max) * 100)}%`, background: it.color }} />
            </span>
            <span className="bar-list-value num">
              {formatInt(it.value)}
              {it.extra && <span className="dim"> · {it.extra}</span>}
            </span>
          </>
        );
        return (
          <li key={it.key}>
            {onPick ? (
              <button type="button" className="bar-list-row" onClick={() => onPick(it.key)} title={pickLabel?.(it.label)}>
                {body}
              </button>
            ) : (
              <div className="bar-list-row">{body}</div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
