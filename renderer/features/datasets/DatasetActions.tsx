/** Rename and delete dialogs, shared by the list and the dataset view. */
import { type FormEvent, useId, useState } from 'react';
import type { DatasetSummary } from '../../../electron/contract/index.js';
import { errorMessage } from '../../api/errors.js';
import { ConfirmDialog, Dialog } from '../../components/Dialog.js';
import { formatInt, plural } from '../../components/format.js';
import { toast } from '../../components/toasts.js';
import { useDatasets } from './datasets.slice.js';

export function RenameDialog({ dataset, onClose }: { dataset: DatasetSummary; onClose(): void }) {
  const rename = useDatasets((s) => s.rename);
  const [name, setName] = useState(dataset.name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setError('A name cannot be empty.');
      return;
    }
    if (trimmed === dataset.name) {
      onClose();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await rename(dataset.id, trimmed);
      toast.success(`Renamed to “${trimmed}”.`);
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <Dialog
      title="Rename dataset"
      size="sm"
      onClose={onClose}
      locked={busy}
      testId="rename-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form="rename-form" className="btn btn-primary" disabled={busy} data-testid="rename-submit">
            {busy ? 'Renaming…' : 'Rename'}
          </button>
        </>
      }
    >
      <form id="rename-form" className="form" onSubmit={submit} noValidate>
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

export function DeleteDialog({ dataset, onClose, onDeleted }: { dataset: DatasetSummary; onClose(): void; onDeleted?(): void }) {
  const remove = useDatasets((s) => s.remove);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <ConfirmDialog
      title="Delete dataset?"
      testId="delete-dialog"
      danger
      busy={busy}
      error={error}
      confirmLabel="Delete dataset"
      message={
        <>
          <p>
            <strong>{dataset.name}</strong> ({plural(dataset.rows, 'row')}, {formatInt(dataset.features)} features) will be removed
            from this workspace.
          </p>
          <p className="dim">The original flow files are not touched. This cannot be undone.</p>
        </>
      }
      onCancel={onClose}
      onConfirm={async () => {
        setBusy(true);
        setError(null);
        try {
          await remove(dataset.id);
          toast.success(`Deleted “${dataset.name}”.`);
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
