/** Per-column statistics in a virtualized, sortable, filterable table; roles are editable. */
import { useDeferredValue, useId, useMemo, useState } from 'react';
import type { ColumnInfo, ColumnRole, DatasetDetail } from '../../../electron/contract/index.js';
import { COLUMN_ROLES } from '../../api/contract-values.js';
import { errorMessage } from '../../api/errors.js';
import { Icon } from '../../components/Icon.js';
import { type SortDir, type VColumn, VirtualTable } from '../../components/VirtualTable.js';
import { formatInt, formatPercent, formatStat } from '../../components/format.js';
import { useDatasets } from './datasets.slice.js';

export const ROLE_TEXT: Record<ColumnRole, string> = {
  numeric: 'Numeric',
  categorical: 'Categorical',
  identifier: 'Identifier',
  label: 'Label',
  ignored: 'Ignored',
};

type SortKey = 'index' | 'name' | 'role' | 'type' | 'count' | 'missing' | 'min' | 'max' | 'mean' | 'std' | 'distinct';

function sortValue(c: ColumnInfo, key: SortKey): number | string | null {
  switch (key) {
    case 'index':
      return c.index;
    case 'name':
      return c.name.toLowerCase();
    case 'role':
      return c.role;
    case 'type':
      return c.type;
    case 'count':
      return c.stats.count;
    case 'missing':
      return c.stats.missing;
    case 'distinct':
      return c.stats.distinct ?? null;
    default:
      return c.stats[key];
  }
}

/** Filter by name / role / type, then sort; nulls last in either direction. */
export function filterAndSort(columns: ColumnInfo[], query: string, sort: { key: SortKey; dir: SortDir }): ColumnInfo[] {
  const q = query.trim().toLowerCase();
  const rows = q
    ? columns.filter((c) => c.name.toLowerCase().includes(q) || c.role.includes(q) || c.sourceName.toLowerCase().includes(q))
    : columns.slice();
  const dir = sort.dir === 'asc' ? 1 : -1;
  rows.sort((a, b) => {
    const va = sortValue(a, sort.key);
    const vb = sortValue(b, sort.key);
    if (va === null && vb === null) return a.index - b.index;
    if (va === null) return 1;
    if (vb === null) return -1;
    if (va < vb) return -dir;
    if (va > vb) return dir;
    return a.index - b.index;
  });
  return rows;
}

const ROW_HEIGHT = 30;

export function FeatureTable({ dataset }: { dataset: DatasetDetail }) {
  const setRoles = useDatasets((s) => s.setRoles);
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query);
  const [sort, setSort] = useState<{ key: SortKey; dir: SortDir }>({ key: 'index', dir: 'asc' });
  const [saving, setSaving] = useState<string | null>(null);
  const [warnings, setWarnings] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const filterId = useId();

  const rows = useMemo(() => filterAndSort(dataset.columns, deferred, sort), [dataset.columns, deferred, sort]);
  const nRows = dataset.rows;

  async function changeRole(col: ColumnInfo, role: ColumnRole) {
    setSaving(col.name);
    setError(null);
    try {
      const w = await setRoles(dataset.id, { [col.name]: role });
      setWarnings(w);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(null);
    }
  }

  function onSort(key: string) {
    setSort((s) => (s.key === key ? { key: s.key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key: key as SortKey, dir: key === 'name' || key === 'index' || key === 'role' || key === 'type' ? 'asc' : 'desc' }));
  }

  const columns: VColumn<ColumnInfo>[] = [
    { key: 'index', header: '#', width: 48, align: 'right', sortable: true, render: (c) => <span className="dim">{c.index + 1}</span> },
    {
      key: 'name',
      header: 'Column',
      width: 'minmax(200px, 2fr)',
      sortable: true,
      render: (c) => (
        <span className="col-name" title={c.sourceName && c.sourceName !== c.name ? `In the file: “${c.sourceName}”` : c.name}>
          {c.name}
        </span>
      ),
    },
    {
      key: 'role',
      header: 'Role',
      width: 148,
      sortable: true,
      title: 'Numeric and categorical columns are the features a model trains on; identifiers (addresses, ports, times) and ignored columns are kept for review only; the label is the class to predict.',
      render: (c) => (
        <span className="role-cell">
          <select
            className={`select select-sm role-${c.role}`}
            value={c.role}
            aria-label={`Role of ${c.name}`}
            disabled={saving !== null}
            onChange={(e) => void changeRole(c, e.target.value as ColumnRole)}
            data-testid={`role-select-${c.index}`}
          >
            {COLUMN_ROLES.map((r) => (
              <option key={r} value={r} disabled={r === 'numeric' && c.type === 'string'}>
                {ROLE_TEXT[r]}
              </option>
            ))}
          </select>
          {c.role !== c.defaultRole && (
            <span className="changed-dot" title={`Changed; the importer chose “${ROLE_TEXT[c.defaultRole]}”`} aria-label="changed from default" />
          )}
        </span>
      ),
    },
    { key: 'type', header: 'Type', width: 72, sortable: true, render: (c) => <span className="dim">{c.type === 'number' ? 'number' : 'text'}</span> },
    { key: 'count', header: 'Count', width: 92, align: 'right', sortable: true, render: (c) => formatInt(c.stats.count) },
    {
      key: 'missing',
      header: 'Missing',
      width: 104,
      align: 'right',
      sortable: true,
      title: 'Empty cells, Infinity/NaN and unparsable numbers',
      render: (c) =>
        c.stats.missing > 0 ? (
          <span
            className="warn-text"
            title={[
              `${formatPercent(nRows ? c.stats.missing / nRows : 0)} of rows`,
              c.stats.nonFinite ? `${formatInt(c.stats.nonFinite)} Infinity/NaN` : '',
              c.stats.invalid ? `${formatInt(c.stats.invalid)} unparsable` : '',
            ]
              .filter(Boolean)
              .join(' · ')}
          >
            {formatInt(c.stats.missing)}
          </span>
        ) : (
          <span className="dim">0</span>
        ),
    },
    { key: 'min', header: 'Min', width: 'minmax(104px, 1fr)', align: 'right', sortable: true, render: (c) => formatStat(c.stats.min) },
    { key: 'max', header: 'Max', width: 'minmax(104px, 1fr)', align: 'right', sortable: true, render: (c) => formatStat(c.stats.max) },
    { key: 'mean', header: 'Mean', width: 'minmax(104px, 1fr)', align: 'right', sortable: true, render: (c) => formatStat(c.stats.mean) },
    { key: 'std', header: 'Std', width: 'minmax(104px, 1fr)', align: 'right', sortable: true, title: 'Population standard deviation', render: (c) => formatStat(c.stats.std) },
    {
      key: 'distinct',
      header: 'Distinct',
      width: 84,
      align: 'right',
      sortable: true,
      title: 'Distinct values (text columns)',
      render: (c) =>
        c.stats.distinct === undefined ? (
          <span className="dim">—</span>
        ) : (
          <span title={c.stats.top?.slice(0, 5).map((t) => `${t.value}: ${formatInt(t.count)}`).join('\n')}>{formatInt(c.stats.distinct)}</span>
        ),
    },
  ];

  const height = Math.min(520, Math.max(160, rows.length * ROW_HEIGHT + 36));
  const roleCounts = dataset.columns.reduce<Record<string, number>>((m, c) => ((m[c.role] = (m[c.role] ?? 0) + 1), m), {});

  return (
    <section className="card card-table" aria-labelledby="features-title" data-testid="feature-section">
      <header className="card-head card-head-wrap">
        <div>
          <h2 id="features-title" className="card-title">
            Columns
          </h2>
          <p className="card-sub dim num">
            {formatInt(dataset.columns.length)} columns ·{' '}
            {COLUMN_ROLES.filter((r) => roleCounts[r])
              .map((r) => `${roleCounts[r]} ${r}`)
              .join(' · ')}
          </p>
        </div>
        <div className="card-tools">
          <div className="search-box">
            <Icon name="search" size={14} />
            <label htmlFor={filterId} className="sr-only">
              Filter columns
            </label>
            <input
              id={filterId}
              className="input input-sm"
              type="search"
              placeholder="Filter columns"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              data-testid="feature-filter"
            />
          </div>
          <span className="dim small num" aria-live="polite" data-testid="feature-count">
            {rows.length === dataset.columns.length ? `${formatInt(rows.length)} shown` : `${formatInt(rows.length)} of ${formatInt(dataset.columns.length)}`}
          </span>
        </div>
      </header>
      {(warnings?.length ?? 0) > 0 && (
        <div className="notice notice-warning" role="status" data-testid="roles-warnings">
          <Icon name="alert" />
          <ul className="notice-body plain-list">
            {warnings!.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
          <button type="button" className="btn btn-sm btn-ghost" aria-label="Dismiss warnings" onClick={() => setWarnings(null)}>
            <Icon name="close" size={14} />
          </button>
        </div>
      )}
      {error && (
        <div className="notice notice-error" role="alert">
          <Icon name="error" />
          <span className="notice-body">{error}</span>
        </div>
      )}
      <VirtualTable
        rows={rows}
        columns={columns}
        rowKey={(c) => c.name}
        height={height}
        rowHeight={ROW_HEIGHT}
        minWidth={1152}
        sort={sort}
        onSort={onSort}
        ariaLabel="Columns and statistics"
        testId="feature-table"
        empty={`No column matches “${deferred}”.`}
        rowClassName={(c) => (c.role === 'ignored' ? 'row-muted' : c.role === 'label' ? 'row-label' : undefined)}
      />
    </section>
  );
}
