/** One dataset: key facts, cleaning report, class distribution, columns, rows. */
import { useEffect, useState } from 'react';
import { navigate, routeHref } from '../../app/routes.js';
import { Icon } from '../../components/Icon.js';
import { Breadcrumbs, DetailPending, useDocumentTitle } from '../../components/PageParts.js';
import { formatBytes, formatDate, formatInt, formatLabel, profileLabel } from '../../components/format.js';
import { ClassDistribution } from './ClassDistribution.js';
import { CleaningReport } from './CleaningReport.js';
import { DeleteDialog, RenameDialog } from './DatasetActions.js';
import { FeatureTable } from './FeatureTable.js';
import { ImportStatus } from './ImportStatus.js';
import { RowPreview } from './RowPreview.js';
import { useDatasets } from './datasets.slice.js';

export function DatasetView({ id }: { id: number }) {
  const detail = useDatasets((s) => s.details[id]);
  const status = useDatasets((s) => s.detailStatus[id]);
  const load = useDatasets((s) => s.loadDetail);
  const [renaming, setRenaming] = useState(false);
  const [deleting, setDeleting] = useState(false);

  useEffect(() => {
    void load(id);
  }, [id, load]);

  useDocumentTitle(detail?.name);

  const crumbs = <Breadcrumbs parentHref={routeHref({ name: 'datasets' })} parentLabel="Datasets" current={detail?.name ?? `Dataset ${id}`} />;

  if (!detail) {
    return (
      <div className="page" data-testid="dataset-view">
        {crumbs}
        <ImportStatus />
        <DetailPending failed={status?.status === 'error'} error={status?.error} onRetry={() => void load(id, true)} loadingLabel="Loading dataset" />
      </div>
    );
  }

  const d = detail;
  const facts: Array<{ label: string; value: string; title?: string; testId?: string }> = [
    { label: 'Rows', value: formatInt(d.rows), testId: 'fact-rows' },
    { label: 'Features', value: formatInt(d.features), title: 'numeric and categorical columns', testId: 'fact-features' },
    { label: 'Classes', value: d.labelled ? formatInt(d.classes) : 'unlabelled', testId: 'fact-classes' },
    { label: 'Format', value: profileLabel(d.profile), title: formatLabel(d.format) },
    { label: d.files === 1 ? 'File' : 'Files', value: `${formatInt(d.files)} · ${formatBytes(d.bytes)}` },
    { label: 'Imported', value: formatDate(d.createdAt) },
  ];

  return (
    <div className="page" data-testid="dataset-view">
      {crumbs}
      <header className="page-header">
        <div className="title-block">
          <h1 data-testid="dataset-title">{d.name}</h1>
        </div>
        <div className="button-row">
          <a
            className="btn btn-primary"
            href={routeHref({ name: 'train', datasetId: d.id })}
            title={d.labelled ? 'Train a classifier on this dataset' : 'Unlabelled: an isolation forest can learn from it'}
            data-testid="dataset-train-button"
          >
            <Icon name="train" /> Train a model
          </a>
          <button type="button" className="btn" onClick={() => setRenaming(true)} data-testid="dataset-rename">
            <Icon name="pencil" /> Rename
          </button>
          <button type="button" className="btn btn-danger-outline" onClick={() => setDeleting(true)} data-testid="dataset-delete">
            <Icon name="trash" /> Delete
          </button>
        </div>
      </header>
      <ImportStatus />
      <dl className="fact-strip" data-testid="dataset-facts">
        {facts.map((f) => (
          <div key={f.label} className="fact" title={f.title}>
            <dt>{f.label}</dt>
            <dd className="num" data-testid={f.testId}>
              {f.value}
            </dd>
          </div>
        ))}
      </dl>
      {d.warnings.length > 0 && (
        <div className="notice notice-warning" role="status" data-testid="dataset-warnings">
          <Icon name="alert" />
          <ul className="notice-body plain-list">
            {d.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="overview-grid">
        <ClassDistribution counts={d.classCounts} />
        <CleaningReport report={d.cleaning} />
      </div>
      <FeatureTable dataset={d} />
      <RowPreview datasetId={d.id} totalRows={d.rows} />
      {renaming && <RenameDialog dataset={d} onClose={() => setRenaming(false)} />}
      {deleting && <DeleteDialog dataset={d} onClose={() => setDeleting(false)} onDeleted={() => navigate({ name: 'datasets' })} />}
    </div>
  );
}
