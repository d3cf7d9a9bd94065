// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import type { ClassMetrics } from '../../electron/contract/index.js';
import { byTestId, cleanup, click, render } from '../test/helpers.js';
import { DEFAULT_PER_CLASS_SORT, PerClassTable, nextPerClassSort, perClassRows, sortPerClass } from './PerClassTable.js';

afterEach(cleanup);

const perClass: Record<string, ClassMetrics> = {
  normal: { precision: 0.99, recall: 0.97, f1: 0.98, support: 9711 },
  dos: { precision: 0.96, recall: 0.82, f1: 0.885, support: 7458 },
  probe: { precision: 0.8, recall: 0.7, f1: 0.747, support: 2421 },
  r2l: { precision: 0.9, recall: 0.1, f1: 0.18, support: 2754 },
  u2r: { precision: 0.5, recall: 0.05, f1: 0.09, support: 200 },
};

const names = (rows: { name: string }[]) => rows.map((r) => r.name);

describe('per-class sorting', () => {
  it('defaults to F1 ascending: the worst classes first', () => {
    expect(DEFAULT_PER_CLASS_SORT).toEqual({ key: 'f1', dir: 'asc' });
    expect(names(sortPerClass(perClassRows(perClass), DEFAULT_PER_CLASS_SORT))).toEqual(['u2r', 'r2l', 'probe', 'dos', 'normal']);
  });

  it('sorts by precision, recall and support both ways; ties by larger support; NaN last', () => {
    const rows = perClassRows({ ...perClass, odd: { precision: NaN, recall: 0.5, f1: NaN, support: 3 }, tie: { precision: 0.9, recall: 0.3, f1: 0.45, support: 9000 } });
    expect(names(sortPerClass(rows, { key: 'precision', dir: 'desc' }))).toEqual(['normal', 'dos', 'tie', 'r2l', 'probe', 'u2r', 'odd']);
    expect(names(sortPerClass(rows, { key: 'precision', dir: 'asc' }))).toEqual(['u2r', 'probe', 'tie', 'r2l', 'dos', 'normal', 'odd']);
    expect(names(sortPerClass(rows, { key: 'recall', dir: 'asc' })).slice(0, 2)).toEqual(['u2r', 'r2l']);
    expect(names(sortPerClass(rows, { key: 'support', dir: 'desc' })).slice(0, 3)).toEqual(['normal', 'tie', 'dos']);
  });

  it('a click on the same column flips it; a new column starts worst-first (support: largest first)', () => {
    expect(nextPerClassSort({ key: 'f1', dir: 'asc' }, 'f1')).toEqual({ key: 'f1', dir: 'desc' });
    expect(nextPerClassSort({ key: 'f1', dir: 'asc' }, 'recall')).toEqual({ key: 'recall', dir: 'asc' });
    expect(nextPerClassSort({ key: 'f1', dir: 'asc' }, 'support')).toEqual({ key: 'support', dir: 'desc' });
  });

  it('keeps the confusion-matrix order for unsorted listing', () => {
    expect(names(perClassRows(perClass, ['u2r', 'normal']))).toEqual(['u2r', 'normal', 'dos', 'probe', 'r2l']);
  });
});

describe('PerClassTable', () => {
  it('renders rows worst first and re-sorts from the header buttons', async () => {
    await render(<PerClassTable perClass={perClass} />);
    const table = byTestId('per-class-table')!;
    const rowNames = () => Array.from(table.querySelectorAll('tbody tr')).map((r) => r.getAttribute('data-testid'));
    expect(rowNames()[0]).toBe('per-class-row-u2r');
    expect(byTestId('per-class-row-r2l')!.textContent).toContain('18.00%');
    expect(byTestId('per-class-row-normal')!.textContent).toContain('9,711');
    const f1Head = table.querySelectorAll('thead th')[3]!;
    expect(f1Head.getAttribute('aria-sort')).toBe('ascending');

    await click(byTestId('per-class-table-sort-precision'));
    expect(rowNames()).toEqual(['per-class-row-u2r', 'per-class-row-probe', 'per-class-row-r2l', 'per-class-row-dos', 'per-class-row-normal']);
    expect(table.querySelectorAll('thead th')[1]!.getAttribute('aria-sort')).toBe('ascending');
    await click(byTestId('per-class-table-sort-precision'));
    expect(rowNames()[0]).toBe('per-class-row-normal');
    expect(table.querySelectorAll('thead th')[1]!.getAttribute('aria-sort')).toBe('descending');
    await click(byTestId('per-class-table-sort-support'));
    expect(rowNames()[0]).toBe('per-class-row-normal');
    expect(rowNames()[4]).toBe('per-class-row-u2r');
  });
});
