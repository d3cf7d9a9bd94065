/** The suppression rules: what each matches, why, until when, and how many alerts it hides now. */
import { useState } from 'react';
import type { SuppressionRule } from '../../../electron/contract/index.js';
import { errorMessage } from '../../api/errors.js';
import { Icon } from '../../components/Icon.js';
import { formatDate, formatInt } from '../../components/format.js';
import { toast } from '../../components/toasts.js';
import { useLive } from './live.slice.js';

export function ruleMatchText(r: Pick<SuppressionRule, 'src' | 'dst' | 'className' | 'port'>): string {
  const parts: string[] = [];
  if (r.src) parts.push(`from ${r.src}`);
  if (r.dst) parts.push(`to ${r.dst}`);
  if (r.className) parts.push(`class ${r.className}`);
  if (r.port !== null && r.port !== undefined) parts.push(`port ${r.port}`);
  return parts.join(', ') || 'everything';
}

export function SuppressionRules({ onNew }: { onNew(): void }) {
  const rules = useLive((s) => s.rules);
  const status = useLive((s) => s.rulesStatus);
  const error = useLive((s) => s.rulesError);
  const [busy, setBusy] = useState<number | null>(null);
  async function remove(r: SuppressionRule) {
    setBusy(r.id);
    try {
      await useLive.getState().deleteRule(r.id);
      toast.success(`Rule removed; ${ruleMatchText(r)} shows again.`);
    } catch (err) {
      toast.error(errorMessage(err));
    } finally {
      setBusy(null);
    }
  }
  return (
    <section className="card card-table" aria-labelledby="rules-title" data-testid="suppression-rules">
      <div className="card-head">
        <h2 id="rules-title" className="card-title">
          Suppression rules <span className="count-badge">{rules.length}</span>
        </h2>
        <button type="button" className="btn btn-sm" onClick={onNew} data-testid="suppression-new">
          New rule…
        </button>
      </div>
      {status === 'error' && (
        <p className="inline-error rules-pad" role="alert">
          <Icon name="error" size={14} /> {error}
        </p>
      )}
      {rules.length === 0 ? (
        <p className="dim small rules-pad">No rule. Suppress a noisy source from an alert's detail, or add one here.</p>
      ) : (
        <table className="table table-compact rules-table">
          <thead>
            <tr>
              <th scope="col">Hides</th>
              <th scope="col">Reason</th>
              <th scope="col">Expires</th>
              <th scope="col" className="num">
                Alerts hidden
              </th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.id} data-testid={`suppression-rule-${r.id}`} className={r.active ? undefined : 'row-muted'}>
                <td className="mono">{ruleMatchText(r)}</td>
                <td>{r.reason || <span className="dim">—</span>}</td>
                <td className="nowrap">{r.expiresAt ? (r.active ? formatDate(r.expiresAt) : `expired ${formatDate(r.expiresAt)}`) : 'never'}</td>
                <td className="num" data-testid={`suppression-hidden-${r.id}`}>
                  {formatInt(r.hidden)}
                </td>
                <td className="cell-actions">
                  <button type="button" className="btn btn-sm btn-ghost btn-danger-ghost" onClick={() => void remove(r)} disabled={busy === r.id} aria-label={`Delete the rule ${ruleMatchText(r)}`} data-testid={`suppression-delete-${r.id}`}>
                    <Icon name="trash" size={14} />
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
