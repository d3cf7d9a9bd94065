/** The queue's filters: severity, status, verdict, class, model, monitor, addresses, port, flow-time range. */
import { useEffect, useState } from 'react';
import type { AlertStatus, Severity, Verdict } from '../../../electron/contract/index.js';
import { Icon } from '../../components/Icon.js';
import { useModels } from '../models/models.slice.js';
import { type FilterField, formToFilter, toggleIn } from './filter.js';
import { SEVERITY_LABEL, SEVERITY_ORDER, filterCount } from './live-format.js';
import { NO_CLASSES, useLive } from './live.slice.js';

const STATUSES: Array<{ id: AlertStatus; label: string }> = [
  { id: 'open', label: 'Open' },
  { id: 'acknowledged', label: 'Acknowledged' },
  { id: 'closed', label: 'Closed' },
];
const VERDICTS: Array<{ id: Verdict | 'none'; label: string }> = [
  { id: 'none', label: 'No verdict' },
  { id: 'true-positive', label: 'True positive' },
  { id: 'false-positive', label: 'False positive' },
];

/** A text filter that commits a moment after typing stops (or on Enter / blur). */
function TextFilter({ field, label, placeholder, width, error }: { field: FilterField; label: string; placeholder: string; width: number; error?: string }) {
  const value = useLive((s) => s.form[field]);
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const t = setTimeout(() => useLive.getState().setForm({ [field]: text }), 350);
    return () => clearTimeout(t);
  }, [text, value, field]);
  const commit = () => text !== value && useLive.getState().setForm({ [field]: text });
  return (
    <label className="filter-field" style={{ width }}>
      <span className="filter-label">{label}</span>
      <input
        className="input input-sm mono"
        value={text}
        placeholder={placeholder}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
        aria-invalid={error ? true : undefined}
        title={error}
        data-testid={`filter-${field}`}
        spellCheck={false}
      />
    </label>
  );
}

function Toggles<T extends string>({ label, items, selected, onToggle, testId, cls }: { label: string; items: Array<{ id: T; label: string }>; selected: readonly T[]; onToggle(id: T): void; testId: string; cls?: (id: T) => string }) {
  return (
    <div className="filter-toggles" role="group" aria-label={label}>
      <span className="filter-label">{label}</span>
      <div className="segmented-toggles">
        {items.map((it) => (
          <button key={it.id} type="button" className={`toggle-chip${selected.includes(it.id) ? ' on' : ''}${cls ? ` ${cls(it.id)}` : ''}`} aria-pressed={selected.includes(it.id)} onClick={() => onToggle(it.id)} data-testid={`${testId}-${it.id}`}>
            {it.label}
          </button>
        ))}
      </div>
    </div>
  );
}

export function AlertFilters() {
  const form = useLive((s) => s.form);
  const filter = useLive((s) => s.filter);
  const classes = useLive((s) => s.stats?.classes ?? NO_CLASSES);
  const monitors = useLive((s) => s.monitors);
  const models = useModels((s) => s.list);
  const { errors } = formToFilter(form);
  const set = useLive.getState().setForm;
  const count = filterCount(filter);
  const errorList = Object.entries(errors);
  return (
    <div className="alert-filters" data-testid="alert-filters">
      <Toggles<Severity> label="Severity" items={SEVERITY_ORDER.map((s) => ({ id: s, label: SEVERITY_LABEL[s] }))} selected={form.severity} onToggle={(s) => set({ severity: toggleIn(form.severity, s) })} testId="filter-severity" cls={(s) => `toggle-sev-${s}`} />
      <Toggles<AlertStatus> label="Status" items={STATUSES} selected={form.status} onToggle={(s) => set({ status: toggleIn(form.status, s) })} testId="filter-status" />
      <Toggles<Verdict | 'none'> label="Verdict" items={VERDICTS} selected={form.verdict} onToggle={(s) => set({ verdict: toggleIn(form.verdict, s) })} testId="filter-verdict" />
      <label className="filter-field">
        <span className="filter-label">Class</span>
        <select className="select select-sm" value={form.className} onChange={(e) => set({ className: e.target.value })} data-testid="filter-class">
          <ClassOptions classes={classes} current={form.className} />
        </select>
      </label>
      <label className="filter-field">
        <span className="filter-label">Model</span>
        <select className="select select-sm filter-select-wide" value={form.modelId} onChange={(e) => set({ modelId: e.target.value })} data-testid="filter-model">
          <option value="">any</option>
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <label className="filter-field">
        <span className="filter-label">Monitor</span>
        <select className="select select-sm filter-select-wide" value={form.monitorId} onChange={(e) => set({ monitorId: e.target.value })} data-testid="filter-monitor">
          <option value="">any</option>
          {Object.values(monitors).map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <TextFilter field="src" label="Source" placeholder="IP or subnet" width={150} error={errors.src} />
      <TextFilter field="dst" label="Destination" placeholder="IP or subnet" width={150} error={errors.dst} />
      <TextFilter field="port" label="Port" placeholder="any" width={70} error={errors.port} />
      <TextFilter field="from" label="From (flow time, UTC)" placeholder="YYYY-MM-DD hh:mm" width={170} error={errors.from} />
      <TextFilter field="to" label="To" placeholder="YYYY-MM-DD hh:mm" width={170} error={errors.to} />
      <label className="filter-field filter-check">
        <input type="checkbox" checked={form.includeSuppressed} onChange={(e) => set({ includeSuppressed: e.target.checked })} data-testid="filter-include-suppressed" />
        <span>Show suppressed</span>
      </label>
      {count > 0 && (
        <button type="button" className="btn btn-sm btn-ghost filter-reset" onClick={() => useLive.getState().resetForm()} data-testid="filter-reset">
          <Icon name="close" size={12} /> Clear {count} filter{count === 1 ? '' : 's'}
        </button>
      )}
      {errorList.length > 0 && (
        <p className="field-error filter-errors" role="alert" data-testid="filter-errors">
          <Icon name="error" size={12} /> {errorList.map(([k, v]) => `${k}: ${v}`).join('; ')} — the queue still shows the last valid filter.
        </p>
      )}
    </div>
  );
}

/** "any" and the known classes, plus the current choice when it is not among them (a class no alert has yet). */
export function ClassOptions({ classes, current }: { classes: readonly string[]; current: string }) {
  return (
    <>
      <option value="">any</option>
      {[...new Set([...classes, ...(current ? [current] : [])])].map((c) => (
        <option key={c} value={c}>
          {c}
        </option>
      ))}
    </>
  );
}
