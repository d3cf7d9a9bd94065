/** Labelled alerts as a new dataset for retraining: true positives keep their class, false positives become BENIGN. */
import { type FormEvent, useState } from 'react';
import { errorMessage } from '../../api/errors.js';
import { routeHref } from '../../app/routes.js';
import { Dialog, FormFooter } from '../../components/Dialog.js';
import { Icon } from '../../components/Icon.js';
import { formatInt, plural } from '../../components/format.js';
import { useDatasets } from '../datasets/datasets.slice.js';
import { useLive } from './live.slice.js';

export function ToDatasetDialog({ onClose }: { onClose(): void }) {
  const checked = useLive((s) => s.checked.size);
  const [scope, setScope] = useState<'checked' | 'filter'>(checked > 0 ? 'checked' : 'filter');
  const [name, setName] = useState(`Triaged alerts ${new Date().toISOString().slice(0, 10)}`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ datasetId: number; rows: number; classes: Record<string, number> } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await useLive.getState().toDataset(name.trim(), scope);
      setResult(r);
      void useDatasets.getState().loadList();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      title="Add labelled alerts to a dataset"
      description="Alerts with a verdict become rows for retraining: true positives keep their class, false positives become BENIGN. Alerts without a verdict are left out."
      onClose={onClose}
      testId="to-dataset-dialog"
      locked={busy}
      footer={
        result ? (
          <button type="button" className="btn btn-primary" onClick={onClose}>
            Done
          </button>
        ) : (
          <FormFooter form="to-dataset-form" label="Create dataset" busyLabel="Writing…" busy={busy} disabled={!name.trim()} onCancel={onClose} testId="to-dataset-submit" />
        )
      }
    >
      {result ? (
        <div className="notice notice-success" data-testid="to-dataset-result">
          <Icon name="check" />
          <div className="notice-body">
            <p>
              {plural(result.rows, 'row')} written:{' '}
              {Object.entries(result.classes)
                .map(([c, n]) => `${c} ${formatInt(n)}`)
                .join(', ')}
              .
            </p>
            <a href={routeHref({ name: 'dataset', id: result.datasetId })} onClick={onClose}>
              Open the dataset
            </a>
          </div>
        </div>
      ) : (
        <form id="to-dataset-form" className="form" onSubmit={(e) => void submit(e)}>
          <fieldset className="field">
            <legend className="field-label">Which alerts</legend>
            <div className="radio-list">
              <label className="radio">
                <input type="radio" checked={scope === 'checked'} disabled={checked === 0} onChange={() => setScope('checked')} /> the {plural(checked, 'checked alert')}
              </label>
              <label className="radio">
                <input type="radio" checked={scope === 'filter'} onChange={() => setScope('filter')} /> every labelled alert the queue's filter matches
              </label>
            </div>
          </fieldset>
          <label className="field">
            <span className="field-label">Dataset name</span>
            <input className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} data-testid="to-dataset-name" />
          </label>
          {error && (
            <p className="inline-error" role="alert">
              <Icon name="error" size={14} /> {error}
            </p>
          )}
        </form>
      )}
    </Dialog>
  );
}
