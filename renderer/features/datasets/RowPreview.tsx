/** Stored rows, a page at a time: sticky header, horizontal scroll, missing values as a dim dash. */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { DatasetPreview, PreviewCell } from '../../../electron/contract/index.js';
import { api } from '../../api/client.js';
import { errorMessage } from '../../api/errors.js';
import { Icon } from '../../components/Icon.js';
import { formatInt } from '../../components/format.js';

const PAGE_SIZES = [25, 50, 100, 200] as const;

/** Raw values as stored (no grouping: ports and epochs read wrong with commas); float32 noise trimmed. */
export function formatCellNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(7)));
}

export function Cell({ value }: { value: PreviewCell }) {
  if (value === null) return <span className="null" aria-label="missing">—</span>;
  if (typeof value === 'number') return <>{formatCellNumber(value)}</>;
  return <>{value}</>;
}

export function RowPreview({ datasetId, totalRows, version }: { datasetId: number; totalRows: number; version?: unknown }) {
  const [offset, setOffset] = useState(0);
  const [limit, setLimit] = useState<number>(50);
  const [data, setData] = useState<DatasetPreview | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [jump, setJump] = useState('');
  const reqSeq = useRef(0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const sizeId = useId();
  const jumpId = useId();

  const load = useCallback(
    async (nextOffset: number, nextLimit: number) => {
      const seq = ++reqSeq.current;
      setLoading(true);
      setError(null);
      try {
        const page = await api.call('datasets.preview', { id: datasetId, offset: nextOffset, limit: nextLimit });
        if (seq !== reqSeq.current) return;
        setData(page);
        if (scrollRef.current) scrollRef.current.scrollTop = 0;
      } catch (err) {
        if (seq === reqSeq.current) setError(errorMessage(err));
      } finally {
        if (seq === reqSeq.current) setLoading(false);
      }
    },
    [datasetId],
  );

  useEffect(() => {
    void load(offset, limit);
  }, [load, offset, limit, version]);

  const total = data?.total ?? totalRows;
  const lastOffset = Math.max(0, Math.floor((Math.max(1, total) - 1) / limit) * limit);
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(total, offset + (data?.rows.length ?? limit));
  const numericCols = data ? data.columns.map((_, j) => data.rows.some((r) => typeof r[j] === 'number') && !data.rows.some((r) => typeof r[j] === 'string')) : [];

  function go(next: number) {
    setOffset(Math.max(0, Math.min(lastOffset, next)));
  }

  return (
    <section className="card card-table" aria-labelledby="preview-title" data-testid="preview-section">
      <header className="card-head card-head-wrap">
        <div>
          <h2 id="preview-title" className="card-title">
            Rows
          </h2>
          <p className="card-sub dim num" aria-live="polite" data-testid="preview-range">
            {total === 0 ? 'No rows' : `Rows ${formatInt(from)}–${formatInt(to)} of ${formatInt(total)}`}
          </p>
        </div>
        <div className="card-tools pager" role="group" aria-label="Pages">
          <label htmlFor={sizeId} className="dim small">
            Per page
          </label>
          <select
            id={sizeId}
            className="select select-sm"
            value={limit}
            onChange={(e) => {
              const n = Number(e.target.value);
              setLimit(n);
              setOffset((o) => Math.floor(o / n) * n);
            }}
          >
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
          <button type="button" className="btn btn-icon btn-sm" aria-label="First page" disabled={offset === 0 || loading} onClick={() => go(0)}>
            <Icon name="chevronsLeft" size={14} />
          </button>
          <button type="button" className="btn btn-icon btn-sm" aria-label="Previous page" disabled={offset === 0 || loading} onClick={() => go(offset - limit)} data-testid="preview-prev">
            <Icon name="chevronLeft" size={14} />
          </button>
          <form
            className="jump"
            onSubmit={(e) => {
              e.preventDefault();
              const row = Number(jump.replace(/[,\s]/g, ''));
              if (Number.isFinite(row) && row >= 1) go(Math.floor((row - 1) / limit) * limit);
              setJump('');
            }}
          >
            <label htmlFor={jumpId} className="sr-only">
              Go to row
            </label>
            <input id={jumpId} className="input input-sm input-num" inputMode="numeric" placeholder="Row #" value={jump} onChange={(e) => setJump(e.target.value)} />
          </form>
          <button type="button" className="btn btn-icon btn-sm" aria-label="Next page" disabled={offset >= lastOffset || loading} onClick={() => go(offset + limit)} data-testid="preview-next">
            <Icon name="chevronRight" size={14} />
          </button>
          <button type="button" className="btn btn-icon btn-sm" aria-label="Last page" disabled={offset >= lastOffset || loading} onClick={() => go(lastOffset)}>
            <Icon name="chevronsRight" size={14} />
          </button>
        </div>
      </header>
      {error && (
        <div className="notice notice-error" role="alert">
          <Icon name="error" />
          <span className="notice-body">{error}</span>
          <button type="button" className="btn btn-sm" onClick={() => void load(offset, limit)}>
            Retry
          </button>
        </div>
      )}
      <div ref={scrollRef} className={`preview-scroll${loading ? ' is-loading' : ''}`} tabIndex={0} aria-label="Row preview, scrolls horizontally" role="region" aria-busy={loading}>
        {data && (
          <table className="table table-preview" data-testid="preview-table">
            <thead>
              <tr>
                <th scope="col" className="num row-num">
                  #
                </th>
                {data.columns.map((c, j) => (
                  <th key={`${c}-${j}`} scope="col" className={numericCols[j] ? 'num' : undefined} title={c}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r, i) => (
                <tr key={data.offset + i}>
                  <th scope="row" className="num row-num">
                    {formatInt(data.offset + i + 1)}
                  </th>
                  {r.map((v, j) => (
                    <td key={j} className={typeof v === 'number' || numericCols[j] ? 'num' : undefined}>
                      <Cell value={v} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {!data && !error && <div className="skeleton-table" aria-label="Loading rows" />}
      </div>
    </section>
  );
}
