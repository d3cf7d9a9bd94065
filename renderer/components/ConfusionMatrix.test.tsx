// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { manyClasses } from '../features/models/test-fixtures.js';
import { byTestId, cleanup, click, render } from '../test/helpers.js';
import { ConfusionMatrix, cellText, cellTitle, colSums, rowNormalise, rowSums, shade } from './ConfusionMatrix.js';

afterEach(cleanup);

const labels = ['normal', 'dos', 'probe', 'u2r'];
const matrix = [
  [960, 25, 15, 0],
  [4, 1196, 0, 0],
  [10, 30, 160, 0],
  [2, 0, 1, 0 + 3],
];

describe('confusion matrix maths', () => {
  it('normalises each row by its own total; an empty row stays zero', () => {
    const n = rowNormalise([
      [3, 1],
      [0, 0],
      [1, 4],
    ]);
    expect(n).toEqual([
      [0.75, 0.25],
      [0, 0],
      [0.2, 0.8],
    ]);
    for (const row of rowNormalise(matrix)) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(rowSums(matrix)).toEqual([1000, 1200, 200, 6]);
    expect(colSums(matrix)).toEqual([976, 1251, 176, 3]);
  });

  it('titles a cell with both classes, the count and its share of the true class', () => {
    expect(cellTitle(labels, matrix, 2, 1)).toBe('true probe predicted as dos: 30 (15.0%)');
    expect(cellTitle(labels, matrix, 1, 1)).toBe('true dos predicted as dos: 1,196 (99.7%)');
    expect(cellTitle(labels, matrix, 0, 3)).toBe('true normal predicted as u2r: 0 (0.0%)');
    expect(cellTitle(labels, matrix, 3, 3)).toBe('true u2r predicted as u2r: 3 (50.0%)');
  });

  it('shades by share with small shares still visible; text fits the cell', () => {
    expect(shade(0)).toBe(0);
    expect(shade(0.01)).toBeGreaterThan(0.15);
    expect(shade(1)).toBe(1);
    expect(shade(0.5)).toBeLessThan(shade(0.6));
    expect(cellText('counts', 12345, 0.5, 80)).toBe('12,345');
    expect(cellText('counts', 12345, 0.5, 40)).toBe('12.3K');
    expect(cellText('counts', 12, 0.5, 20)).toBe('');
    expect(cellText('normalised', 30, 0.15, 80)).toBe('15.0%');
    expect(cellText('normalised', 30, 0.15, 40)).toBe('15');
    expect(cellText('normalised', 1, 0.004, 40)).toBe('<1');
    expect(cellText('normalised', 0, 0, 40)).toBe('0');
  });
});

describe('ConfusionMatrix', () => {
  it('shows counts, toggles to row percentages, and titles every cell', async () => {
    await render(<ConfusionMatrix labels={labels} matrix={matrix} />);
    const fig = byTestId('confusion-matrix')!;
    expect(fig.getAttribute('data-mode')).toBe('counts');
    const cell = byTestId('confusion-cell-2-1')!;
    expect(cell.textContent).toBe('30');
    expect(cell.getAttribute('title')).toBe('true probe predicted as dos: 30 (15.0%)');
    expect(cell.getAttribute('data-count')).toBe('30');
    expect(byTestId('confusion-cell-1-1')!.className).toContain('cm-diag');
    expect(byTestId('confusion-cell-1-0')!.className).toContain('cm-off');
    // the cells add up to the test rows
    const cells = fig.querySelectorAll('[data-testid^="confusion-cell-"]');
    expect(cells.length).toBe(16);
    expect(Array.from(cells).reduce((a, c) => a + Number(c.getAttribute('data-count')), 0)).toBe(2406);
    expect(fig.textContent).toContain('2,406 test rows');

    await click(byTestId('confusion-mode-toggle'));
    expect(fig.getAttribute('data-mode')).toBe('normalised');
    expect(byTestId('confusion-cell-2-1')!.textContent).toMatch(/^15(\.0%)?$/);
    // colour strength follows the row share, not the raw count: the rare u2r row's diagonal (3 of 6) outshines probe->dos (30 of 200)
    const strength = (id: string) => parseInt((byTestId(id) as HTMLElement).style.getPropertyValue('--cm-a'), 10);
    expect(strength('confusion-cell-3-3')).toBeGreaterThan(strength('confusion-cell-2-1'));
  });

  it('walks the cells with the arrow keys and reads the focused one out', async () => {
    await render(<ConfusionMatrix labels={labels} matrix={matrix} />);
    const first = byTestId('confusion-cell-0-0')!;
    expect(first.tabIndex).toBe(0);
    expect(byTestId('confusion-cell-0-1')!.tabIndex).toBe(-1);
    await act(async () => first.focus());
    await act(async () => {
      first.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    });
    await act(async () => {
      document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    });
    expect(document.activeElement).toBe(byTestId('confusion-cell-1-1'));
    expect(document.querySelector('.cm-readout')!.textContent).toBe('true dos predicted as dos: 1,196 (99.7%)');
  });

  it('handles 40 classes: every cell present, long names truncated with the full name in a title', async () => {
    const big = manyClasses(40);
    await render(<ConfusionMatrix labels={big.labels} matrix={big.matrix} />);
    const fig = byTestId('confusion-matrix')!;
    expect(fig.getAttribute('data-classes')).toBe('40');
    expect(fig.querySelectorAll('td[data-cell]').length).toBe(1600);
    expect(byTestId('confusion-cell-39-39')).not.toBeNull();
    const head = fig.querySelector('.cm-col-head[title="Attack family number 17 with a long name"]');
    expect(head).not.toBeNull();
    expect(fig.querySelector('.cm-table')!.className).toContain('cm-rotated');
  });
});
