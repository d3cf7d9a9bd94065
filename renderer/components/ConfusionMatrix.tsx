/**
 * Confusion-matrix heatmap (a real <table>: rows are true classes, columns predicted classes).
 * Cells are coloured by their share of the true class's row, so rare classes read as clearly as
 * large ones; the diagonal (correct) uses its own hue. Counts or row percentages on demand;
 * arrow keys walk the cells and a live line reads the focused or hovered cell out.
 * Handles 2..40+ classes: cells shrink with the available width, labels rotate and truncate
 * (full names in title tooltips), numbers give way to colour alone when cells get tiny.
 */
import { type CSSProperties, type KeyboardEvent, useId, useMemo, useRef, useState } from 'react';
import { formatInt, formatPercent } from './format.js';
import { useElementWidth } from './useElementWidth.js';

export type ConfusionMode = 'counts' | 'normalised';

/** Each row divided by its sum (a row with no rows stays all zero). */
export function rowNormalise(matrix: number[][]): number[][] {
  return matrix.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (sum > 0 ? v / sum : 0));
  });
}

export function rowSums(matrix: number[][]): number[] {
  return matrix.map((row) => row.reduce((a, b) => a + b, 0));
}

export function colSums(matrix: number[][]): number[] {
  const n = matrix[0]?.length ?? 0;
  const out = new Array<number>(n).fill(0);
  for (const row of matrix) for (let j = 0; j < n; j++) out[j]! += row[j] ?? 0;
  return out;
}

/** Tooltip of one cell: "true dos predicted as probe: 12 (0.8%)" (share of the true class). */
export function cellTitle(labels: string[], matrix: number[][], i: number, j: number): string {
  const row = matrix[i] ?? [];
  const n = row[j] ?? 0;
  const sum = row.reduce((a, b) => a + b, 0);
  return `true ${labels[i]} predicted as ${labels[j]}: ${formatInt(n)} (${formatPercent(sum > 0 ? n / sum : 0)})`;
}

/** Colour strength 0..1 for a row share; the square root keeps a 1% confusion visible. */
export function shade(share: number): number {
  if (!(share > 0)) return 0;
  return Math.min(1, 0.1 + 0.9 * Math.sqrt(share));
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** What a cell of `size` px shows (empty when the cell is too small for text). */
export function cellText(mode: ConfusionMode, count: number, share: number, size: number): string {
  if (size < 28) return '';
  if (mode === 'counts') {
    if (size >= 56 || count < 1000) return formatInt(count);
    return compact.format(count);
  }
  if (count === 0) return '0';
  if (size >= 56) return formatPercent(share);
  const p = share * 100;
  return p > 0 && p < 1 ? '<1' : String(Math.round(p));
}

export interface ConfusionMatrixProps {
  labels: string[];
  /** matrix[trueIdx][predIdx] = count */
  matrix: number[][];
  mode?: ConfusionMode;
  defaultMode?: ConfusionMode;
  onModeChange?(mode: ConfusionMode): void;
  /** largest cell edge, px */
  maxCell?: number;
  testId?: string;
  /** id prefix of the cells' test ids (default "confusion-cell") */
  cellTestId?: string;
  toggleTestId?: string;
}

export function ConfusionMatrix({
  labels,
  matrix,
  mode: modeProp,
  defaultMode = 'counts',
  onModeChange,
  maxCell,
  testId = 'confusion-matrix',
  cellTestId = 'confusion-cell',
  toggleTestId = 'confusion-mode-toggle',
}: ConfusionMatrixProps) {
  const [modeState, setModeState] = useState<ConfusionMode>(defaultMode);
  const mode = modeProp ?? modeState;
  const setMode = (m: ConfusionMode) => {
    setModeState(m);
    onModeChange?.(m);
  };
  const n = labels.length;
  const shares = useMemo(() => rowNormalise(matrix), [matrix]);
  const rows = useMemo(() => rowSums(matrix), [matrix]);
  const cols = useMemo(() => colSums(matrix), [matrix]);
  const total = rows.reduce((a, b) => a + b, 0);
  const correct = matrix.reduce((a, row, i) => a + (row[i] ?? 0), 0);

  const wrapRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(wrapRef, 720);
  const longest = labels.reduce((m, l) => Math.max(m, l.length), 0);
  const rowHeadW = Math.min(190, Math.max(84, longest * 7 + 18));
  const totalW = 72;
  const upper = maxCell ?? (n <= 3 ? 128 : n <= 8 ? 88 : 64);
  const cell = Math.max(18, Math.min(upper, Math.floor((width - rowHeadW - totalW - 4) / Math.max(1, n))));
  const rotate = labels.some((l) => l.length * 6.8 > cell - 10);
  const headH = rotate ? Math.min(130, Math.max(48, longest * 6.6 + 12)) : 30;
  const fontSize = cell >= 56 ? 13 : cell >= 40 ? 12 : 10;

  const [active, setActive] = useState<[number, number] | null>(null);
  const [focusCell, setFocusCell] = useState<[number, number]>([0, 0]);
  const tableRef = useRef<HTMLTableElement>(null);
  const switchId = useId();
  const readoutId = useId();

  function moveFocus(i: number, j: number) {
    const ci = Math.max(0, Math.min(n - 1, i));
    const cj = Math.max(0, Math.min(n - 1, j));
    setFocusCell([ci, cj]);
    setActive([ci, cj]);
    tableRef.current?.querySelector<HTMLElement>(`[data-cell="${ci}-${cj}"]`)?.focus();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTableElement>) {
    const el = e.target as HTMLElement;
    const at = el.dataset.cell?.split('-').map(Number);
    if (!at || at.length !== 2) return;
    const [i, j] = at as [number, number];
    const moves: Record<string, [number, number]> = {
      ArrowUp: [i - 1, j],
      ArrowDown: [i + 1, j],
      ArrowLeft: [i, j - 1],
      ArrowRight: [i, j + 1],
      Home: [i, 0],
      End: [i, n - 1],
      PageUp: [0, j],
      PageDown: [n - 1, j],
    };
    const to = moves[e.key];
    if (!to) return;
    e.preventDefault();
    moveFocus(to[0], to[1]);
  }

  const readout = active ? cellTitle(labels, matrix, active[0], active[1]) : null;
  const tableStyle = { '--cm-cell': `${cell}px`, '--cm-head-h': `${headH}px`, '--cm-row-head': `${rowHeadW}px`, fontSize } as CSSProperties;

  return (
    <figure className="cm" data-testid={testId} data-mode={mode} data-classes={n}>
      <div className="cm-toolbar">
        <p className="cm-summary dim small num">
          {formatInt(total)} test rows · {formatInt(correct)} on the diagonal ({formatPercent(total > 0 ? correct / total : 0)})
        </p>
        <div className="cm-legend small" aria-hidden="true">
          <span className="cm-swatch cm-swatch-correct" /> correct
          <span className="cm-swatch cm-swatch-error" /> confused
          <span className="cm-ramp" title="colour: share of the true class" />
          <span className="dim">0 → 100% of row</span>
        </div>
        <label className="switch" htmlFor={switchId} title="Show each row as percentages of its true class">
          <input
            id={switchId}
            type="checkbox"
            role="switch"
            checked={mode === 'normalised'}
            onChange={(e) => setMode(e.target.checked ? 'normalised' : 'counts')}
            data-testid={toggleTestId}
          />
          <span className="switch-track" aria-hidden="true">
            <span className="switch-thumb" />
          </span>
          <span>Row %</span>
        </label>
      </div>
      <div ref={wrapRef} className="cm-scroll">
        <div className="cm-axis-x small dim" style={{ paddingLeft: rowHeadW }}>
          Predicted class →
        </div>
        <table
          ref={tableRef}
          className={`cm-table${rotate ? ' cm-rotated' : ''}`}
          style={tableStyle}
          onKeyDown={onKeyDown}
          onMouseLeave={() => setActive(null)}
          aria-describedby={readoutId}
        >
          <caption className="sr-only">
            Confusion matrix: rows are true classes, columns predicted classes; {mode === 'counts' ? 'cells show row counts' : 'cells show the share of each true class'}.
          </caption>
          <thead>
            <tr>
              <th scope="col" className="cm-corner">
                <span className="small dim">True class ↓</span>
              </th>
              {labels.map((l, j) => (
                <th key={j} scope="col" className="cm-col-head" title={l}>
                  <span>{l}</span>
                </th>
              ))}
              <th scope="col" className="cm-total-head" title="rows of each true class (support)">
                <span>Rows</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {labels.map((l, i) => (
              <tr key={i}>
                <th scope="row" className="cm-row-head" title={l}>
                  {l}
                </th>
                {labels.map((_, j) => {
                  const count = matrix[i]?.[j] ?? 0;
                  const share = shares[i]?.[j] ?? 0;
                  const t = shade(share);
                  const isFocus = focusCell[0] === i && focusCell[1] === j;
                  const title = cellTitle(labels, matrix, i, j);
                  const cls = [
                    'cm-cell',
                    i === j ? 'cm-diag' : 'cm-off',
                    count === 0 ? 'cm-zero' : '',
                    t > 0.62 ? 'cm-strong' : '',
                    active && active[0] === i && active[1] === j ? 'cm-active' : '',
                    active && (active[0] === i || active[1] === j) ? 'cm-cross' : '',
                  ]
                    .filter(Boolean)
                    .join(' ');
                  return (
                    <td
                      key={j}
                      className={cls}
                      style={{ '--cm-a': `${Math.round(t * 100)}%` } as CSSProperties}
                      title={title}
                      aria-label={title}
                      tabIndex={isFocus ? 0 : -1}
                      data-cell={`${i}-${j}`}
                      data-count={count}
                      data-share={share.toFixed(6)}
                      data-testid={`${cellTestId}-${i}-${j}`}
                      onMouseEnter={() => setActive([i, j])}
                      onFocus={() => {
                        setFocusCell([i, j]);
                        setActive([i, j]);
                      }}
                    >
                      {cellText(mode, count, share, cell)}
                    </td>
                  );
                })}
                <td className="cm-total num" title={`${formatInt(rows[i] ?? 0)} rows are truly ${l}`}>
                  {formatInt(rows[i] ?? 0)}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" className="cm-row-head cm-foot-head" title="rows predicted as each class">
                Total
              </th>
              {cols.map((c, j) => (
                <td key={j} className="cm-foot num" title={`${formatInt(c)} rows predicted as ${labels[j]}`}>
                  {cell >= 40 ? formatInt(c) : cell >= 28 ? compact.format(c) : ''}
                </td>
              ))}
              <td className="cm-foot cm-total num">{formatInt(total)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      <p id={readoutId} className="cm-readout small" aria-live="polite">
        {readout ?? <span className="dim">Point at a cell, or focus one and use the arrow keys, to read it.</span>}
      </p>
    </figure>
  );
}
