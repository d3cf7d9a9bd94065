/** Change a running monitor's threshold without stopping it. */
import { type FormEvent, useState } from 'react';
import type { MonitorInfo, ThresholdSpec } from '../../../electron/contract/index.js';
import { errorMessage } from '../../api/errors.js';
import { Dialog, FormFooter } from '../../components/Dialog.js';
import { Icon } from '../../components/Icon.js';
import { toast } from '../../components/toasts.js';
import { thresholdLabel } from './live-format.js';
import { useLive } from './live.slice.js';
import { ThresholdChooser } from './ThresholdChooser.js';
import { DEFAULT_THRESHOLD_FORM, type ThresholdForm, thresholdFromForm } from './threshold.js';

export function formOfSpec(t: ThresholdSpec): ThresholdForm {
  switch (t.mode) {
    case 'fpr':
      return { ...DEFAULT_THRESHOLD_FORM, mode: 'fpr', fprPercent: String(Number((t.fpr * 100).toPrecision(6))) };
    case 'budget':
      return { ...DEFAULT_THRESHOLD_FORM, mode: 'budget', alertsPerHour: String(t.alertsPerHour) };
    case 'score':
      return { ...DEFAULT_THRESHOLD_FORM, mode: 'score', score: String(t.value) };
    default:
      return DEFAULT_THRESHOLD_FORM;
  }
}

export function ThresholdDialog({ monitor, onClose }: { monitor: MonitorInfo; onClose(): void }) {
  const [form, setForm] = useState<ThresholdForm>(() => formOfSpec(monitor.threshold));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { spec } = thresholdFromForm(form);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!spec || busy) return;
    setBusy(true);
    setError(null);
    try {
      await useLive.getState().setThreshold(monitor.id, spec);
      toast.success(`${monitor.name}: threshold now ${thresholdLabel(spec)}.`);
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={`Threshold of ${monitor.name}`}
      description="Applies to the flows scored from now on; alerts already raised stay."
      onClose={onClose}
      size="lg"
      testId="threshold-dialog"
      locked={busy}
      footer={<FormFooter form="threshold-form" label="Apply" busyLabel="Saving…" busy={busy} disabled={!spec} onCancel={onClose} testId="threshold-save" />}
    >
      <form id="threshold-form" className="form" onSubmit={(e) => void submit(e)}>
        <ThresholdChooser modelId={monitor.modelId} form={form} onChange={setForm} />
        {error && (
          <p className="inline-error" role="alert">
            <Icon name="error" size={14} /> {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}
