/**
 * A windowed table: fixed row height, only the rows in view (plus a little overscan) are in the
 * DOM. ARIA table semantics with aria-rowcount / aria-rowindex so assistive tech knows the size.
 */
import { type KeyboardEvent, type ReactNode, useCallback, useLayoutEffect, useRef, useState } from 'react';
import { Icon } from './Icon.js';

export type SortDir = 'asc' | 'desc';

export interface VColumn<T> {
  key: string;
  header: ReactNode;
  /** CSS grid track: px number or e.g. 'minmax(200px, 2fr)' */
  width: number | string;
  align?: 'left' | 'right' | 'center';
  sortable?: boolean;
  title?: string;
  render(row: T, index: number): ReactNode;
}

export interface VirtualTableProps<T> {
  rows: T[];
  columns: VColumn<T>[];
  rowKey(row: T): string | number;
  /** height of the scrolling viewport (header included), px */
  height: number;
  rowHeight?: number;
  headerHeight?: number;
  overscan?: number;
  /** horizontal scroll kicks in below this width, px */
  minWidth?: number;
  sort?: { key: string; dir: SortDir } | null;
  onSort?(key: string): void;
  ariaLabel: string;
  testId?: string;
  empty?: ReactNode;
  rowClassName?(row: T): string | undefined;
}

/** Which rows to render for a scroll position (exported for tests). */
export function visibleRange(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  count: number,
  overscan: number,
): { start: number; end: number } {
  if (count === 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewport)) / rowHeight);
  const start = Math.max(0, Math.min(count - 1, first) - overscan);
  const end = Math.min(count, last + overscan);
  return { start, end: Math.max(start, end) };
}

function track(w: number | string): string {
  return typeof w === 'number' ? `${w}px` : w;
}

export function VirtualTable<T>({
  rows,
  columns,
  rowKey,
  height,
  rowHeight = 30,
  headerHeight = 34,
  overscan = 8,
  minWidth,
  sort,
  onSort,
  ariaLabel,
  testId,
  empty,
  rowClassName,
}: VirtualTableProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(height - headerHeight);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    const measured = el && el.clientHeight > 0 ? el.clientHeight - headerHeight : 0;
    setViewport(measured > 0 ? measured : height - headerHeight);
  }, [height, headerHeight]);

  // keep the scroll position valid when the row set shrinks (filtering)
  useLayoutEffect(() => {
    const max = Math.max(0, rows.length * rowHeight - viewport);
    if (scrollTop > max) {
      setScrollTop(max);
      if (scrollRef.current) scrollRef.current.scrollTop = max;
    }
  }, [rows.length, rowHeight, viewport, scrollTop]);

  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (el) setScrollTop(el.scrollTop);
  }, []);

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      const el = scrollRef.current;
      if (!el || e.target !== el) return;
      const page = Math.max(rowHeight, viewport - rowHeight);
      const moves: Record<string, number> = {
        ArrowDown: rowHeight,
        ArrowUp: -rowHeight,
        PageDown: page,
        PageUp: -page,
        Home: -Infinity,
        End: Infinity,
      };
      const d = moves[e.key];
      if (d === undefined) return;
      e.preventDefault();
      const next = d === -Infinity ? 0 : d === Infinity ? el.scrollHeight : el.scrollTop + d;
      el.scrollTop = next;
      setScrollTop(el.scrollTop);
    },
    [rowHeight, viewport],
  );

  const { start, end } = visibleRange(scrollTop, viewport, rowHeight, rows.length, overscan);
  const template = columns.map((c) => track(c.width)).join(' ');
  const innerStyle = { minWidth: minWidth ? `${minWidth}px` : undefined };

  const visible: ReactNode[] = [];
  for (let i = start; i < end; i++) {
    const row = rows[i]!;
    const extra = rowClassName?.(row);
    visible.push(
      <div
        key={rowKey(row)}
        role="row"
        aria-rowindex={i + 2}
        className={`vt-row${i % 2 ? ' vt-row-odd' : ''}${extra ? ` ${extra}` : ''}`}
        style={{ gridTemplateColumns: template, height: rowHeight, transform: `translateY(${i * rowHeight}px)` }}
      >
        {columns.map((c) => (
          <div key={c.key} role="cell" className={`vt-cell vt-${c.align ?? 'left'}`}>
            {c.render(row, i)}
          </div>
        ))}
      </div>,
    );
  }

  return (
    <div
      ref={scrollRef}
      className="vt"
      role="table"
      aria-label={ariaLabel}
      aria-rowcount={rows.length + 1}
      data-testid={testId}
      data-row-count={rows.length}
      tabIndex={0}
      style={{ height }}
      onScroll={onScroll}
      onKeyDown={onKeyDown}
    >
      <div className="vt-inner" style={innerStyle}>
        <div role="rowgroup" className="vt-head">
          <div role="row" aria-rowindex={1} className="vt-row vt-header-row" style={{ gridTemplateColumns: template, height: headerHeight }}>
            {columns.map((c) => {
              const active = sort?.key === c.key;
              const ariaSort = active ? (sort!.dir === 'asc' ? 'ascending' : 'descending') : c.sortable ? 'none' : undefined;
              return (
                <div key={c.key} role="columnheader" aria-sort={ariaSort} className={`vt-cell vt-th vt-${c.align ?? 'left'}`} title={c.title}>
                  {c.sortable && onSort ? (
                    <button type="button" className={`vt-sort${active ? ' active' : ''}`} onClick={() => onSort(c.key)}>
                      <span>{c.header}</span>
                      <Icon name={active ? (sort!.dir === 'asc' ? 'arrowUp' : 'arrowDown') : 'sortable'} size={12} />
                    </button>
                  ) : (
                    c.header
                  )}
                </div>
              );
            })}
          </div>
        </div>
        <div role="rowgroup" className="vt-body" style={{ height: Math.max(rows.length * rowHeight, rows.length ? 0 : rowHeight * 2) }}>
          {rows.length === 0 ? <div className="vt-empty">{empty ?? 'Nothing to show.'}</div> : visible}
        </div>
      </div>
    </div>
  );
}
