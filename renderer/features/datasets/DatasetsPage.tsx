/** The dataset list, or the empty state that explains what Flowsight imports. */
import type { DatasetSummary } from '../../../electron/contract/index.js';
import { IMPORT_SHORTCUT } from '../../app/shortcut.js';
import { navigate, routeHref } from '../../app/routes.js';
import { useUi } from '../../app/ui.slice.js';
import { Icon } from '../../components/Icon.js';
import { RetryNotice } from '../../components/PageParts.js';
import { formatBytes, formatDate, formatInt, profileLabel } from '../../components/format.js';
import { RowActionButtons, useRowActions } from '../../components/RenameDeleteActions.js';
import { DeleteDialog, RenameDialog } from './DatasetActions.js';
import { ImportStatus } from './ImportStatus.js';
import { useDatasets } from './datasets.slice.js';

export function ImportButtons({ primary = 'import' }: { primary?: 'import' | 'sample' }) {
  const openImport = useUi((s) => s.openImport);
  const openSamples = useUi((s) => s.openSamples);
  return (
    <div className="button-row">
      <button
        type="button"
        className={primary === 'sample' ? 'btn btn-primary btn-lg' : 'btn'}
        onClick={openSamples}
        data-testid="sample-button"
      >
        <Icon name="flask" /> Try with sample data
      </button>
      <button
        type="button"
        className={primary === 'import' ? 'btn btn-primary' : 'btn btn-lg'}
        onClick={() => openImport()}
        data-testid="import-button"
        title={`Import flow files (${IMPORT_SHORTCUT})`}
        aria-keyshortcuts="Control+O Meta+O"
      >
        <Icon name="import" /> Import flow files…
      </button>
    </div>
  );
}

function EmptyState() {
  return (
    <section className="empty-state" data-testid="datasets-empty" aria-labelledby="empty-title">
      <div className="empty-illustration" aria-hidden="true">
        <Icon name="database" size={36} />
      </div>
      <h2 id="empty-title">Bring in network flows</h2>
      <p className="empty-lead">
        Flowsight imports flow records derived from packet captures, cleans them, and shows what is inside before you train a
        classifier.
      </p>
      <ul className="format-grid" aria-label="Supported formats">
        <li>
          <strong>CICFlowMeter CSV</strong>
          <span>CICIDS2017 (original or corrected), CSE-CIC-IDS2018</span>
        </li>
        <li>
          <strong>NSL-KDD</strong>
          <span>KDDTrain+ / KDDTest+ text files</span>
        </li>
        <li>
          <strong>UNSW-NB15</strong>
          <span>training/testing sets or the raw 49-column CSVs</span>
        </li>
        <li>
          <strong>Zeek conn.log</strong>
          <span>TSV or JSON, labelled or not</span>
        </li>
        <li>
          <strong>Any flow CSV</strong>
          <span>with a header row; label column optional</span>
        </li>
      </ul>
      <ImportButtons primary="sample" />
      <p className="empty-foot dim">
        You can also drop files anywhere on this window, or press <kbd>{IMPORT_SHORTCUT}</kbd>. Files stay on this workstation.
      </p>
    </section>
  );
}

function DatasetTable({ datasets }: { datasets: DatasetSummary[] }) {
  const { renaming, setRenaming, deleting, setDeleting, rowProps } = useRowActions<DatasetSummary>((d) => navigate({ name: 'dataset', id: d.id }));
  return (
    <>
      <div className="table-wrap card card-flush">
        <table className="table table-hover" data-testid="dataset-list" aria-label="Datasets">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Format</th>
              <th scope="col" className="num">
                Rows
              </th>
              <th scope="col" className="num">
                Features
              </th>
              <th scope="col" className="num">
                Classes
              </th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {datasets.map((d) => (
              <tr
                key={d.id}
                {...rowProps(d)}
                data-testid={`dataset-row-${d.id}`}
                aria-label={`${d.name}: ${formatInt(d.rows)} rows`}
              >
                <td className="cell-name">
                  <a href={routeHref({ name: 'dataset', id: d.id })} className="link-strong" tabIndex={-1}>
                    {d.name}
                  </a>
                  {d.files > 1 && <span className="dim small"> · {d.files} files</span>}
                </td>
                <td>
                  <span className="chip">{profileLabel(d.profile)}</span>
                </td>
                <td className="num">{formatInt(d.rows)}</td>
                <td className="num">{formatInt(d.features)}</td>
                <td className="num">{d.labelled ? formatInt(d.classes) : <span className="dim">unlabelled</span>}</td>
                <td className="num dim">{formatBytes(d.bytes)}</td>
                <td className="dim nowrap">{formatDate(d.createdAt)}</td>
                <RowActionButtons name={d.name} id={d.id} testIdPrefix="dataset" onRename={() => setRenaming(d)} onDelete={() => setDeleting(d)} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="table-foot dim">
        <kbd>Enter</kbd> opens · <kbd>F2</kbd> renames · <kbd>Del</kbd> deletes the focused dataset
      </p>
      {renaming && <RenameDialog dataset={renaming} onClose={() => setRenaming(null)} />}
      {deleting && <DeleteDialog dataset={deleting} onClose={() => setDeleting(null)} />}
    </>
  );
}

export function DatasetsPage() {
  const list = useDatasets((s) => s.list);
  const status = useDatasets((s) => s.listStatus);
  const error = useDatasets((s) => s.listError);
  const reload = useDatasets((s) => s.loadList);
  const totalRows = list.reduce((n, d) => n + d.rows, 0);

  return (
    <div className="page" data-testid="datasets-page">
      <header className="page-header">
        <div>
          <h1>Datasets</h1>
          {status === 'ready' && list.length > 0 && (
            <p className="page-subtitle num">
              {list.length} {list.length === 1 ? 'dataset' : 'datasets'} · {formatInt(totalRows)} flows
            </p>
          )}
        </div>
        {status === 'ready' && list.length > 0 && <ImportButtons />}
      </header>
      <ImportStatus />
      {status === 'error' && (
        <RetryNotice refreshIcon onRetry={() => void reload()}>
          <strong>The dataset list could not be loaded.</strong> {error}
        </RetryNotice>
      )}
      {(status === 'loading' || status === 'idle') && <div className="skeleton-table" aria-busy="true" aria-label="Loading datasets" />}
      {status === 'ready' && (list.length === 0 ? <EmptyState /> : <DatasetTable datasets={list} />)}
    </div>
  );
}
