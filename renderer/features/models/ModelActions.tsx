/** Rename and delete dialogs for a model, shared by the comparison table and the results page. */
import { type FormEvent, useId, useState } from 'react';
import type { ModelSummary } from '../../../electron/contract/index.js';
import { errorMessage } from '../../api/errors.js';
import { ConfirmDialog, Dialog } from '../../components/Dialog.js';
import { evaluationLabel, kindLabel } from '../../components/metric-format.js';
import { toast } from '../../components/toasts.js';
import { useModels } from './models.slice.js';

export function RenameModelDialog({ model, onClose }: { model: ModelSummary; onClose(): void }) {
  const rename = useModels((s) => s.rename);
  const [name, setName] = useState(model.name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const formId = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setError('A name cannot be empty.');
      return;
    }
    if (trimmed === model.name) {
      onClose();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await rename(model.id, trimmed);
      toast.success(`Renamed to “${trimmed}”.`);
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <Dialog
      title="Rename model"
      size="sm"
      onClose={onClose}
      locked={busy}
      testId="rename-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form={formId} className="btn btn-primary" disabled={busy} data-testid="rename-submit">
            {busy ? 'Renaming…' : 'Rename'}
          </button>
        </>
      }
    >
      <form id={formId} className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={inputId} className="field-label">
            Name
          </label>
          <input
            id={inputId}
            className="input"
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
            onFocus={(e) => e.currentTarget.select()}
            data-testid="rename-input"
            aria-invalid={error ? true : undefined}
          />
        </div>
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}

export function DeleteModelDialog({ model, onClose, onDeleted }: { model: ModelSummary; onClose(): void; onDeleted?(): void }) {
  const remove = useModels((s) => s.remove);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <ConfirmDialog
      title="Delete model?"
      testId="delete-dialog"
      danger
      busy={busy}
      error={error}
      confirmLabel="Delete model"
      message={
        <>
          <p>
            <strong>{model.name}</strong> ({kindLabel(model.kind)}, trained on {model.datasetName}, {evaluationLabel(model.evaluation)}) and its
            evaluation will be removed from this workspace.
          </p>
          <p className="dim">The dataset is not touched. This cannot be undone.</p>
        </>
      }
      onCancel={onClose}
      onConfirm={async () => {
        setBusy(true);
        setError(null);
        try {
          await remove(model.id);
          toast.success(`Deleted “${model.name}”.`);
          onDeleted?.();
          onClose();
        } catch (err) {
          setError(errorMessage(err));
          setBusy(false);
        }
      }}
    />
  );
}
