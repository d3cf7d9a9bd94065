/**
 * A new suppression rule: source, destination, class and/or port (empty = any), a reason and an
 * expiry, with a live count of the stored alerts it would have hidden.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { errorMessage } from '../../api/errors.js';
import { Dialog, FormFooter } from '../../components/Dialog.js';
import { Icon } from '../../components/Icon.js';
import { formatInt, plural } from '../../components/format.js';
import { toast } from '../../components/toasts.js';
import { isIpOrSubnet } from './filter.js';
import { type RuleFields, useLive } from './live.slice.js';
import { ClassOptions } from './AlertFilters.js';

export const EXPIRY_CHOICES = [
  { id: 'never', label: 'Never', hours: null },
  { id: '1h', label: '1 hour', hours: 1 },
  { id: '24h', label: '24 hours', hours: 24 },
  { id: '7d', label: '7 days', hours: 24 * 7 },
  { id: '30d', label: '30 days', hours: 24 * 30 },
] as const;
export type ExpiryId = (typeof EXPIRY_CHOICES)[number]['id'];

export interface RuleForm {
  src: string;
  dst: string;
  className: string;
  port: string;
}

export function ruleFromForm(f: RuleForm): { rule: RuleFields; errors: Partial<Record<keyof RuleForm, string>>; empty: boolean } {
  const rule: RuleFields = {};
  const errors: Partial<Record<keyof RuleForm, string>> = {};
  for (const k of ['src', 'dst'] as const) {
    const v = f[k].trim();
    if (!v) continue;
    if (isIpOrSubnet(v)) rule[k] = v;
    else errors[k] = 'an IP address or a subnet such as 10.0.0.0/8';
  }
  if (f.className.trim()) rule.className = f.className.trim();
  if (f.port.trim()) {
    const p = Number(f.port.trim());
    if (/^\d+$/.test(f.port.trim()) && p <= 65535) rule.port = p;
    else errors.port = 'a port from 0 to 65535';
  }
  return { rule, errors, empty: Object.keys(rule).length === 0 && Object.keys(errors).length === 0 };
}

export function expiryAt(id: ExpiryId, now = Date.now()): string | undefined {
  const c = EXPIRY_CHOICES.find((e) => e.id === id);
  return c && c.hours !== null ? new Date(now + c.hours * 3600_000).toISOString() : undefined;
}

type Preview = { state: 'idle' } | { state: 'loading' } | { state: 'ready'; alerts: number; flows: number } | { state: 'error'; message: string };

export function SuppressionDialog({ prefill, classes, onClose }: { prefill: RuleFields; classes: string[]; onClose(): void }) {
  const [form, setForm] = useState<RuleForm>({
    src: prefill.src ?? '',
    dst: prefill.dst ?? '',
    className: prefill.className ?? '',
    port: prefill.port !== undefined ? String(prefill.port) : '',
  });
  const [reason, setReason] = useState('');
  const [expiry, setExpiry] = useState<ExpiryId>('never');
  const [preview, setPreview] = useState<Preview>({ state: 'idle' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { rule, errors, empty } = ruleFromForm(form);
  const ruleKey = JSON.stringify(rule);
  const valid = !empty && Object.keys(errors).length === 0;

  // the preview follows the fields, a moment after typing stops
  useEffect(() => {
    if (!valid) {
      setPreview({ state: 'idle' });
      return;
    }
    let live = true;
    setPreview((p) => (p.state === 'ready' ? p : { state: 'loading' }));
    const t = setTimeout(() => {
      useLive
        .getState()
        .previewRule(JSON.parse(ruleKey) as RuleFields)
        .then((r) => live && setPreview({ state: 'ready', alerts: r.alerts, flows: r.flows }))
        .catch((err) => live && setPreview({ state: 'error', message: errorMessage(err) }));
    }, 200);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [ruleKey, valid]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!valid || busy) return;
    setBusy(true);
    setError(null);
    try {
      const created = await useLive.getState().createRule({ ...rule, reason: reason.trim(), expiresAt: expiryAt(expiry) });
      toast.success(`Suppression rule saved; it hides ${plural(created.hidden, 'alert')}.`);
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  const field = (key: keyof RuleForm, label: string, placeholder: string, extra?: { inputMode?: 'numeric' }) => (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        className="input"
        value={form[key]}
        onChange={(e) => setForm((f) => ({ ...f, [key]: e.target.value }))}
        placeholder={placeholder}
        aria-invalid={errors[key] ? true : undefined}
        data-testid={`suppression-${key}`}
        {...extra}
      />
      {errors[key] && (
        <span className="field-error" role="alert">
          <Icon name="error" size={12} /> {errors[key]}
        </span>
      )}
    </label>
  );

  return (
    <Dialog
      title="Suppress alerts"
      description="Alerts matching every field you fill are hidden from the queue (and from now on). Leave a field empty to match any."
      onClose={onClose}
      testId="suppression-dialog"
      locked={busy}
      footer={<FormFooter form="suppression-form" label="Save rule" busyLabel="Saving…" busy={busy} disabled={!valid} onCancel={onClose} testId="suppression-save" />}
    >
      <form id="suppression-form" className="form" onSubmit={(e) => void submit(e)}>
        <div className="rule-grid">
          {field('src', 'Source IP or subnet', 'any')}
          {field('dst', 'Destination IP or subnet', 'any')}
          <label className="field">
            <span className="field-label">Class</span>
            <select className="select" value={form.className} onChange={(e) => setForm((f) => ({ ...f, className: e.target.value }))} data-testid="suppression-className">
              <ClassOptions classes={classes} current={form.className} />
            </select>
          </label>
          {field('port', 'Port (source or destination)', 'any', { inputMode: 'numeric' })}
        </div>
        <div className="suppression-preview" role="status" aria-live="polite" data-testid="suppression-preview" data-state={preview.state}>
          {empty ? (
            <span className="dim">Fill at least one field.</span>
          ) : preview.state === 'ready' ? (
            <>
              Would have hidden{' '}
              <strong data-testid="suppression-preview-count" className="num">
                {formatInt(preview.alerts)}
              </strong>{' '}
              past alert{preview.alerts === 1 ? '' : 's'} <span className="dim">({plural(preview.flows, 'flow')})</span>
            </>
          ) : preview.state === 'error' ? (
            <span className="inline-error">{preview.message}</span>
          ) : preview.state === 'loading' ? (
            <span className="dim">Counting the alerts it would hide…</span>
          ) : null}
        </div>
        <div className="field-row">
          <label className="field grow">
            <span className="field-label">Reason</span>
            <input className="input" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. vulnerability scanner" maxLength={500} data-testid="suppression-reason" />
          </label>
          <label className="field">
            <span className="field-label">Expires</span>
            <select className="select" value={expiry} onChange={(e) => setExpiry(e.target.value as ExpiryId)} data-testid="suppression-expiry">
              {EXPIRY_CHOICES.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        {error && (
          <p className="inline-error" role="alert" data-testid="suppression-error">
            <Icon name="error" size={14} /> {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}
