/** Choose flow files (native dialog in Electron, picker or drop in the browser) and import options. */
import { type FormEvent, useId, useRef, useState } from 'react';
import { api } from '../../api/client.js';
import { FORMAT_OPTIONS, type FormatOption } from '../../api/contract-values.js';
import { errorMessage } from '../../api/errors.js';
import { useUi } from '../../app/ui.slice.js';
import { Dialog } from '../../components/Dialog.js';
import { Icon } from '../../components/Icon.js';
import { toast } from '../../components/toasts.js';
import { baseName, formatBytes, formatLabel, suggestDatasetName } from '../../components/format.js';
import { importActive, useDatasets } from './datasets.slice.js';

export const FILE_ACCEPT = '.csv,.txt,.log,.labeled,.json,.tsv,text/csv,text/plain,application/json';

type LabelMode = 'detect' | 'column' | 'none';

export function ImportDialog({ initialFiles = [], initialPaths = [] }: { initialFiles?: File[]; initialPaths?: string[] }) {
  const files = useUi((s) => s.importDialog?.files ?? initialFiles);
  const paths = useUi((s) => s.importDialog?.paths ?? initialPaths);
  const setFiles = useUi((s) => s.setImportFiles);
  const setPaths = useUi((s) => s.setImportPaths);
  const addFiles = useUi((s) => s.addImportFiles);
  const close = useUi((s) => s.closeImport);
  const busy = useDatasets((s) => importActive(s.importTask));
  const startImport = useDatasets((s) => s.startImport);

  const desktop = api.face === 'electron';
  const inputRef = useRef<HTMLInputElement>(null);
  const [name, setName] = useState('');
  const [nameTouched, setNameTouched] = useState(false);
  const [format, setFormat] = useState<FormatOption>('auto');
  const [labelMode, setLabelMode] = useState<LabelMode>('detect');
  const [labelColumn, setLabelColumn] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);
  const ids = { name: useId(), format: useId(), label: useId(), files: useId(), formatHint: useId() };

  const chosenNames = desktop ? paths.map(baseName) : files.map((f) => f.name);
  const suggested = suggestDatasetName(chosenNames);
  const effectiveName = nameTouched ? name : suggested;
  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  const count = desktop ? paths.length : files.length;

  async function pickNative(folders: boolean) {
    setError(null);
    setPicking(true);
    try {
      const picked = await api.openFiles({ folders });
      if (picked.length > 0) setPaths([...new Set([...paths, ...picked])]);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPicking(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (count === 0) {
      setError('Choose at least one flow file to import.');
      return;
    }
    if (format === 'csv' && labelMode === 'column' && !labelColumn.trim()) {
      setError('Type the name of the label column, or pick another label option.');
      return;
    }
    if (effectiveName.trim().length > 200) {
      setError('A dataset name is at most 200 characters.');
      return;
    }
    const label = format !== 'csv' || labelMode === 'detect' ? undefined : labelMode === 'none' ? null : labelColumn.trim();
    const request = {
      ...(desktop ? { paths } : { files }),
      name: effectiveName.trim() || undefined,
      format,
      label,
    };
    startImport(request).catch((err) => toast.error(errorMessage(err)));
    close();
  }

  return (
    <Dialog
      title="Import flow files"
      testId="import-dialog"
      size="lg"
      onClose={close}
      footer={
        <>
          <span className="footer-note dim">{busy ? 'Another import is running; wait for it or cancel it first.' : ''}</span>
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="submit" form="import-form" className="btn btn-primary" disabled={busy || count === 0} data-testid="import-submit">
            <Icon name="import" /> Import{count > 1 ? ` ${count} files` : ''}
          </button>
        </>
      }
    >
      <form id="import-form" className="form" onSubmit={submit} noValidate>
        <fieldset className="field">
          <legend className="field-label">Files</legend>
          <div className={`file-picker${count === 0 ? ' file-picker-empty' : ''}`}>
            {count === 0 ? (
              <div className="file-picker-hint">
                <Icon name="file" size={22} />
                <p>
                  CICFlowMeter CSVs, NSL-KDD (<code>KDDTrain+.txt</code>), UNSW-NB15 CSVs or Zeek <code>conn.log</code> (TSV or JSON).
                  {desktop ? ' Several files of the same layout import as one dataset.' : ' Drop files here, or choose them.'}
                </p>
              </div>
            ) : (
              <ul className="file-list" aria-label="Files to import" data-testid="import-file-list">
                {desktop
                  ? paths.map((p) => (
                      <li key={p}>
                        <Icon name="file" />
                        <span className="file-name" title={p}>
                          {baseName(p)}
                        </span>
                        <span className="file-dir dim" title={p}>
                          {p}
                        </span>
                        <button type="button" className="btn btn-icon btn-ghost" aria-label={`Remove ${baseName(p)}`} onClick={() => setPaths(paths.filter((x) => x !== p))}>
                          <Icon name="close" size={14} />
                        </button>
                      </li>
                    ))
                  : files.map((f, i) => (
                      <li key={`${f.name}-${f.size}-${f.lastModified}-${i}`}>
                        <Icon name="file" />
                        <span className="file-name">{f.name}</span>
                        <span className="num dim">{formatBytes(f.size)}</span>
                        <button type="button" className="btn btn-icon btn-ghost" aria-label={`Remove ${f.name}`} onClick={() => setFiles(files.filter((_, j) => j !== i))}>
                          <Icon name="close" size={14} />
                        </button>
                      </li>
                    ))}
              </ul>
            )}
            <div className="file-picker-actions">
              {desktop ? (
                <>
                  <button type="button" className="btn" onClick={() => pickNative(false)} disabled={picking} data-testid="import-choose-files">
                    <Icon name="file" /> Choose files…
                  </button>
                  <button type="button" className="btn" onClick={() => pickNative(true)} disabled={picking}>
                    <Icon name="folder" /> Choose folder…
                  </button>
                </>
              ) : (
                <>
                  <button type="button" className="btn" onClick={() => inputRef.current?.click()} data-testid="import-choose-files">
                    <Icon name="file" /> Choose files…
                  </button>
                  <input
                    ref={inputRef}
                    id={ids.files}
                    type="file"
                    multiple
                    accept={FILE_ACCEPT}
                    className="visually-hidden-input"
                    tabIndex={-1}
                    aria-label="Flow files"
                    data-testid="import-file-input"
                    onChange={(e) => {
                      const list = e.currentTarget.files;
                      if (list && list.length > 0) addFiles(Array.from(list));
                      e.currentTarget.value = '';
                    }}
                  />
                </>
              )}
              {count > 0 && (
                <span className="dim num">
                  {count} {count === 1 ? 'file' : 'files'}
                  {!desktop ? ` · ${formatBytes(totalBytes)}` : ''}
                </span>
              )}
            </div>
          </div>
        </fieldset>

        <div className="field-row">
          <div className="field grow">
            <label className="field-label" htmlFor={ids.name}>
              Dataset name
            </label>
            <input
              id={ids.name}
              className="input"
              type="text"
              value={effectiveName}
              placeholder="Named after the first file"
              maxLength={200}
              onChange={(e) => {
                setNameTouched(true);
                setName(e.target.value);
              }}
              data-testid="import-name"
            />
          </div>
          <div className="field">
            <label className="field-label" htmlFor={ids.format}>
              Format
            </label>
            <select
              id={ids.format}
              className="select"
              value={format}
              onChange={(e) => setFormat(e.target.value as FormatOption)}
              aria-describedby={ids.formatHint}
              data-testid="import-format"
            >
              {FORMAT_OPTIONS.map((f) => (
                <option key={f} value={f}>
                  {formatLabel(f)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <p id={ids.formatHint} className="field-hint">
          {format === 'auto'
            ? 'Flowsight recognises NSL-KDD, CICFlowMeter (original and corrected CICIDS2017, CSE-CIC-IDS2018), UNSW-NB15 and Zeek conn logs from their columns.'
            : format === 'csv'
              ? 'Any comma-separated file with a header row. Numeric columns become features; say which column holds the class label.'
              : `Read as ${formatLabel(format)}; the import fails with a clear message if the columns do not match.`}
        </p>

        {format === 'csv' && (
          <fieldset className="field" data-testid="import-label-options">
            <legend className="field-label">Label column</legend>
            <div className="radio-list">
              <label className="radio">
                <input type="radio" name="label-mode" value="detect" checked={labelMode === 'detect'} onChange={() => setLabelMode('detect')} />
                <span>
                  Detect <span className="dim">— a column named label, class, attack or similar</span>
                </span>
              </label>
              <label className="radio">
                <input type="radio" name="label-mode" value="column" checked={labelMode === 'column'} onChange={() => setLabelMode('column')} />
                <span>Column named</span>
                <input
                  id={ids.label}
                  className="input input-sm"
                  type="text"
                  value={labelColumn}
                  aria-label="Label column name"
                  placeholder="e.g. Label"
                  onFocus={() => setLabelMode('column')}
                  onChange={(e) => {
                    setLabelMode('column');
                    setLabelColumn(e.target.value);
                  }}
                  data-testid="import-label-column"
                />
              </label>
              <label className="radio">
                <input type="radio" name="label-mode" value="none" checked={labelMode === 'none'} onChange={() => setLabelMode('none')} data-testid="import-label-none" />
                <span>
                  No label <span className="dim">— unlabelled traffic, for anomaly detection and scoring</span>
                </span>
              </label>
            </div>
          </fieldset>
        )}

        {error && (
          <p className="inline-error" role="alert" data-testid="import-dialog-error">
            <Icon name="error" size={14} /> {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}
