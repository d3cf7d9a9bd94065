/** Bundled sample excerpts (NSL-KDD, CICIDS2017) with their citations; one click imports. */
import { useEffect } from 'react';
import { errorMessage } from '../../api/errors.js';
import { useUi } from '../../app/ui.slice.js';
import { Dialog } from '../../components/Dialog.js';
import { Icon } from '../../components/Icon.js';
import { formatInt } from '../../components/format.js';
import { toast } from '../../components/toasts.js';
import { importActive, useDatasets } from './datasets.slice.js';

export function SamplesDialog() {
  const close = useUi((s) => s.closeSamples);
  const samples = useDatasets((s) => s.samples);
  const error = useDatasets((s) => s.samplesError);
  const load = useDatasets((s) => s.loadSamples);
  const startImport = useDatasets((s) => s.startImport);
  const busy = useDatasets((s) => importActive(s.importTask));

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <Dialog
      title="Try with sample data"
      description="Small excerpts of two public intrusion-detection datasets, bundled with Flowsight. Importing one takes a few seconds and shows every part of the workbench."
      testId="samples-dialog"
      size="lg"
      onClose={close}
      footer={
        <button type="button" className="btn" onClick={close}>
          Close
        </button>
      }
    >
      {error && (
        <div className="notice notice-error" role="alert">
          <Icon name="error" />
          <span>{error}</span>
        </div>
      )}
      {!samples && !error && <div className="skeleton-block" aria-busy="true" aria-label="Loading samples" />}
      {samples && (
        <ul className="sample-list" data-testid="sample-list">
          {samples.map((s) => (
            <li key={s.id} className="sample-item" data-testid={`sample-${s.id}`}>
              <div className="sample-main">
                <div className="sample-title">
                  <strong>{s.name}</strong>
                  <span className="chip num">{formatInt(s.rows)} rows</span>
                </div>
                <p className="sample-desc">{s.description}</p>
                <p className="sample-cite">
                  <span className="dim">Source: </span>
                  <cite>{s.citation}</cite>
                </p>
              </div>
              <button
                type="button"
                className="btn btn-primary"
                disabled={busy}
                aria-label={`Import sample ${s.name}`}
                data-testid={`sample-import-${s.id}`}
                onClick={() => {
                  startImport({ sample: s.id, title: s.name }).catch((err) => toast.error(errorMessage(err)));
                  close();
                }}
              >
                <Icon name="import" /> Import
              </button>
            </li>
          ))}
        </ul>
      )}
      {busy && <p className="field-hint">An import is running; wait for it or cancel it first.</p>}
    </Dialog>
  );
}
