/**
 * Precision / recall / F1 / support per class. Sortable by each column (header buttons, so the
 * keyboard works too); by default F1 ascending, so the classes the model gets most wrong come first.
 */
import { useMemo, useState } from 'react';
import type { ClassMetrics } from '../../electron/contract/index.js';
import { Icon } from './Icon.js';
import { formatInt } from './format.js';
import { formatScore } from './metric-format.js';

export type PerClassKey = 'name' | 'precision' | 'recall' | 'f1' | 'support';
export interface PerClassSort {
  key: PerClassKey;
  dir: 'asc' | 'desc';
}
export interface PerClassRow extends ClassMetrics {
  name: string;
}

export const DEFAULT_PER_CLASS_SORT: PerClassSort = { key: 'f1', dir: 'asc' };

/** Rows of `perClass`, in the order of `order` when given (confusion labels), then the rest. */
export function perClassRows(perClass: Record<string, ClassMetrics>, order?: string[]): PerClassRow[] {
  const names = [...(order ?? []).filter((n) => n in perClass), ...Object.keys(perClass).filter((n) => !order?.includes(n))];
  return names.map((name) => ({ name, ...perClass[name]! }));
}

/** Stable sort; ties fall back to larger support, then the name. NaN sorts last either way. */
export function sortPerClass(rows: PerClassRow[], sort: PerClassSort): PerClassRow[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    if (sort.key === 'name') return sign * a.name.localeCompare(b.name);
    const va = a[sort.key];
    const vb = b[sort.key];
    const na = !Number.isFinite(va);
    const nb = !Number.isFinite(vb);
    if (na !== nb) return na ? 1 : -1;
    if (!na && va !== vb) return sign * (va - vb);
    if (a.support !== b.support) return b.support - a.support;
    return a.name.localeCompare(b.name);
  });
}

/** Next sort after a click on `key`: the same column flips; a new one starts worst-first. */
export function nextPerClassSort(current: PerClassSort, key: PerClassKey): PerClassSort {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: key === 'support' ? 'desc' : 'asc' };
}

const COLUMNS: Array<{ key: PerClassKey; label: string; title: string; num: boolean }> = [
  { key: 'name', label: 'Class', title: 'true class', num: false },
  { key: 'precision', label: 'Precision', title: 'of the rows predicted as this class, the share that truly are', num: true },
  { key: 'recall', label: 'Recall', title: 'of the rows truly of this class, the share found', num: true },
  { key: 'f1', label: 'F1', title: 'harmonic mean of precision and recall', num: true },
  { key: 'support', label: 'Support', title: 'test rows of this class', num: true },
];

function Bar({ value }: { value: number }) {
  const w = Number.isFinite(value) ? Math.max(0, Math.min(1, value)) : 0;
  const tone = w >= 0.9 ? 'good' : w >= 0.6 ? 'mid' : 'bad';
  return (
    <span className="mini-bar" aria-hidden="true">
      <span className={`mini-bar-fill mini-bar-${tone}`} style={{ width: `${w * 100}%` }} />
    </span>
  );
}

export interface PerClassTableProps {
  perClass: Record<string, ClassMetrics>;
  order?: string[];
  testId?: string;
  rowTestId?: string;
  initialSort?: PerClassSort;
}

export function PerClassTable({ perClass, order, testId = 'per-class-table', rowTestId = 'per-class-row', initialSort = DEFAULT_PER_CLASS_SORT }: PerClassTableProps) {
  const [sort, setSort] = useState<PerClassSort>(initialSort);
  const rows = useMemo(() => sortPerClass(perClassRows(perClass, order), sort), [perClass, order, sort]);

  return (
    <div className="table-wrap per-class-wrap">
      <table className="table table-compact per-class" data-testid={testId} aria-label="Metrics per class" data-sort={`${sort.key}-${sort.dir}`}>
        <thead>
          <tr>
            {COLUMNS.map((c) => {
              const activeSort = sort.key === c.key;
              return (
                <th
                  key={c.key}
                  scope="col"
                  className={c.num ? 'num' : undefined}
                  aria-sort={activeSort ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                  title={c.title}
                >
                  <button type="button" className={`th-sort${activeSort ? ' active' : ''}`} onClick={() => setSort((s) => nextPerClassSort(s, c.key))} data-testid={`${testId}-sort-${c.key}`}>
                    <span>{c.label}</span>
                    <Icon name={activeSort ? (sort.dir === 'asc' ? 'arrowUp' : 'arrowDown') : 'sortable'} size={12} />
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} data-testid={`${rowTestId}-${r.name}`} className={r.support === 0 ? 'row-muted' : undefined}>
              <th scope="row" className="per-class-name" title={r.name}>
                {r.name}
              </th>
              <td className="num">{formatScore(r.precision)}</td>
              <td className="num">{formatScore(r.recall)}</td>
              <td className="num per-class-f1">
                <Bar value={r.f1} />
                <span>{formatScore(r.f1)}</span>
              </td>
              <td className="num">{formatInt(r.support)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
