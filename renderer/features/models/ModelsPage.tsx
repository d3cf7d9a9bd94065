/** All trained models side by side: sortable, filterable by dataset, best value per metric marked. */
import { type ReactNode, useEffect, useId, useMemo, useState } from 'react';
import type { ModelSummary } from '../../../electron/contract/index.js';
import { navigate, routeHref } from '../../app/routes.js';
import { Icon } from '../../components/Icon.js';
import { RetryNotice } from '../../components/PageParts.js';
import { formatDate } from '../../components/format.js';
import { evaluationLabel, formatScore, formatSeconds, kindLabel, targetLabel } from '../../components/metric-format.js';
import { RowActionButtons, useRowActions } from '../../components/RenameDeleteActions.js';
import { DEFAULT_MODEL_SORT, type MetricKey, type ModelSort, type ModelSortKey, bestValues, isBest, nextModelSort, sortModels } from './compare.js';
import { DeleteModelDialog, RenameModelDialog } from './ModelActions.js';
import { useModels } from './models.slice.js';

interface Column {
  key: ModelSortKey;
  label: string;
  title?: string;
  num?: boolean;
  metric?: MetricKey;
  cls?: string;
  render(m: ModelSummary): ReactNode;
}

const SHORT_TARGET: Record<string, string> = { binary: 'binary', category: 'category', label: 'label' };
const dayFmt = new Intl.DateTimeFormat('en-GB', { month: 'short', day: 'numeric' });
const dayYearFmt = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'short', day: 'numeric' });
/** "21 Nov" this year, "21 Nov 2024" before */
function day(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.getFullYear() === new Date().getFullYear() ? dayFmt.format(d) : dayYearFmt.format(d);
}

/** the evaluation in few words: "30% hold-out", "5-fold CV", "on KDDTest+" */
function shortEvaluation(e: ModelSummary['evaluation']): string {
  if (e.kind === 'folds') return `${e.folds}-fold CV`;
  if (e.kind === 'dataset') return `on ${e.datasetName}`;
  return evaluationLabel(e);
}

const COLUMNS: Column[] = [
  {
    key: 'name',
    label: 'Name',
    cls: 'cell-name ellipsis col-name-cell',
    render: (m) => (
      <a href={routeHref({ name: 'model', id: m.id })} className="link-strong" tabIndex={-1} title={m.name}>
        {m.name}
      </a>
    ),
  },
  { key: 'kind', label: 'Kind', cls: 'nowrap', render: (m) => kindLabel(m.kind) },
  {
    key: 'dataset',
    label: 'Dataset',
    cls: 'ellipsis col-dataset',
    render: (m) => (
      <span className={m.datasetId === null ? 'dim' : undefined} title={m.datasetId === null ? `${m.datasetName} (deleted)` : m.datasetName}>
        {m.datasetName}
      </span>
    ),
  },
  { key: 'target', label: 'Target', cls: 'nowrap', title: 'target and number of classes', render: (m) => <span title={targetLabel(m.target)}>{`${SHORT_TARGET[m.target] ?? m.target} · ${m.classes.length}`}</span> },
  { key: 'evaluation', label: 'Evaluation', cls: 'ellipsis col-eval', render: (m) => <span title={evaluationLabel(m.evaluation)}>{shortEvaluation(m.evaluation)}</span> },
  { key: 'accuracy', label: 'Accuracy', num: true, metric: 'accuracy', render: (m) => formatScore(m.accuracy) },
  { key: 'macroF1', label: 'Macro-F1', num: true, metric: 'macroF1', title: 'F1 averaged over classes, each class counting the same', render: (m) => formatScore(m.macroF1) },
  { key: 'weightedF1', label: 'Weighted-F1', num: true, metric: 'weightedF1', title: 'F1 averaged over classes, weighted by their rows', render: (m) => formatScore(m.weightedF1) },
  { key: 'detectionRate', label: 'Detection', num: true, metric: 'detectionRate', title: 'detection rate: share of attack rows flagged as some attack', render: (m) => formatScore(m.detectionRate) },
  { key: 'falsePositiveRate', label: 'FPR', num: true, metric: 'falsePositiveRate', title: 'false-positive rate: share of benign rows flagged as attack (lower is better)', render: (m) => formatScore(m.falsePositiveRate) },
  { key: 'fitSeconds', label: 'Fit', num: true, title: 'training time', render: (m) => formatSeconds(m.fitSeconds) },
  { key: 'createdAt', label: 'Created', cls: 'nowrap dim', render: (m) => <span title={formatDate(m.createdAt)}>{day(m.createdAt)}</span> },
];

function ModelsTable({ models }: { models: ModelSummary[] }) {
  const [sort, setSort] = useState<ModelSort>(DEFAULT_MODEL_SORT);
  const { renaming, setRenaming, deleting, setDeleting, rowProps } = useRowActions<ModelSummary>((m) => navigate({ name: 'model', id: m.id }));
  const rows = useMemo(() => sortModels(models, sort), [models, sort]);
  const best = useMemo(() => bestValues(models), [models]);

  return (
    <>
      <div className="table-wrap card card-flush">
        <table className="table table-hover models-table" data-testid="models-table" aria-label="Models" data-sort={`${sort.key}-${sort.dir}`}>
          <thead>
            <tr>
              {COLUMNS.map((c) => {
                const active = sort.key === c.key;
                return (
                  <th key={c.key} scope="col" className={c.num ? 'num' : undefined} aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'} title={c.title}>
                    <button type="button" className={`th-sort${active ? ' active' : ''}`} onClick={() => setSort((s) => nextModelSort(s, c.key))} data-testid={`models-sort-${c.key}`}>
                      <span>{c.label}</span>
                      <Icon name={active ? (sort.dir === 'asc' ? 'arrowUp' : 'arrowDown') : 'sortable'} size={10} />
                    </button>
                  </th>
                );
              })}
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <tr
                key={m.id}
                {...rowProps(m)}
                data-testid={`model-row-${m.id}`}
                aria-label={`${m.name}: ${kindLabel(m.kind)}, accuracy ${formatScore(m.accuracy)}, macro-F1 ${formatScore(m.macroF1)}`}
              >
                {COLUMNS.map((c) => {
                  const top = c.metric ? isBest(m[c.metric], best[c.metric]) : false;
                  return (
                    <td key={c.key} className={[c.num ? 'num nowrap' : '', c.cls ?? '', top ? 'is-best' : ''].filter(Boolean).join(' ') || undefined} data-best={top || undefined}>
                      {c.render(m)}
                      {top && <span className="sr-only"> (best)</span>}
                    </td>
                  );
                })}
                <RowActionButtons name={m.name} id={m.id} testIdPrefix="model" small onRename={() => setRenaming(m)} onDelete={() => setDeleting(m)} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="table-foot dim">
        <span className="best-key" aria-hidden="true" /> best value per metric · <kbd>Enter</kbd> opens · <kbd>F2</kbd> renames · <kbd>Del</kbd> deletes the focused model
      </p>
      {renaming && <RenameModelDialog model={renaming} onClose={() => setRenaming(null)} />}
      {deleting && <DeleteModelDialog model={deleting} onClose={() => setDeleting(null)} />}
    </>
  );
}

function EmptyModels() {
  return (
    <section className="empty-state" data-testid="models-empty" aria-labelledby="models-empty-title">
      <div className="empty-illustration" aria-hidden="true">
        <Icon name="models" size={36} />
      </div>
      <h2 id="models-empty-title">No models yet</h2>
      <p className="empty-lead">Train a classifier on an imported dataset; its evaluation appears here, next to every other model, so you can compare them.</p>
      <a className="btn btn-primary btn-lg" href={routeHref({ name: 'train', datasetId: null })}>
        <Icon name="train" /> Train a model
      </a>
    </section>
  );
}

export function ModelsPage() {
  const list = useModels((s) => s.list);
  const status = useModels((s) => s.listStatus);
  const error = useModels((s) => s.listError);
  const load = useModels((s) => s.loadList);
  const filter = useModels((s) => s.filterDatasetId);
  const setFilter = useModels((s) => s.setFilter);
  const filterId = useId();

  useEffect(() => {
    void load();
  }, [load]);

  /** datasets that have models: id (0 = deleted dataset) -> name, most models first */
  const datasets = useMemo(() => {
    const byId = new Map<number, { name: string; n: number }>();
    for (const m of list) {
      const id = m.datasetId ?? 0;
      const e = byId.get(id) ?? { name: m.datasetId === null ? 'Deleted datasets' : m.datasetName, n: 0 };
      e.n++;
      byId.set(id, e);
    }
    return [...byId.entries()].sort((a, b) => b[1].n - a[1].n || a[1].name.localeCompare(b[1].name));
  }, [list]);
  const activeFilter = filter !== null && datasets.some(([id]) => id === filter) ? filter : null;
  const shown = activeFilter === null ? list : list.filter((m) => (m.datasetId ?? 0) === activeFilter);

  return (
    <div className="page" data-testid="models-page">
      <header className="page-header">
        <div>
          <h1>Models</h1>
          {status === 'ready' && list.length > 0 && (
            <p className="page-subtitle num">
              {list.length} {list.length === 1 ? 'model' : 'models'} on {datasets.length} {datasets.length === 1 ? 'dataset' : 'datasets'}
            </p>
          )}
        </div>
        {status === 'ready' && list.length > 0 && (
          <div className="button-row">
            <label htmlFor={filterId} className="dim small">
              Dataset
            </label>
            <select
              id={filterId}
              className="select"
              value={activeFilter === null ? '' : String(activeFilter)}
              onChange={(e) => setFilter(e.target.value === '' ? null : Number(e.target.value))}
              data-testid="models-filter-dataset"
            >
              <option value="">All datasets</option>
              {datasets.map(([id, d]) => (
                <option key={id} value={id}>
                  {d.name} ({d.n})
                </option>
              ))}
            </select>
            <a className="btn btn-primary" href={routeHref({ name: 'train', datasetId: activeFilter || null })} data-testid="models-train-button">
              <Icon name="train" /> Train a model
            </a>
          </div>
        )}
      </header>
      {status === 'error' && (
        <RetryNotice refreshIcon onRetry={() => void load()}>
          <strong>The model list could not be loaded.</strong> {error}
        </RetryNotice>
      )}
      {(status === 'loading' || status === 'idle') && <div className="skeleton-table" aria-busy="true" aria-label="Loading models" />}
      {status === 'ready' && (list.length === 0 ? <EmptyModels /> : <ModelsTable models={shown} />)}
    </div>
  );
}
