// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from '../test/helpers.js';
import { type VColumn, VirtualTable, visibleRange } from './VirtualTable.js';

interface Row {
  id: number;
  name: string;
}
const rows: Row[] = Array.from({ length: 10_000 }, (_, i) => ({ id: i, name: `flow-${i}` }));
const columns: VColumn<Row>[] = [
  { key: 'id', header: 'Id', width: 80, align: 'right', sortable: true, render: (r) => r.id },
  { key: 'name', header: 'Name', width: '1fr', sortable: true, render: (r) => r.name },
];

afterEach(cleanup);

describe('visibleRange', () => {
  it('covers the viewport plus overscan, clamped to the data', () => {
    expect(visibleRange(0, 300, 30, 1000, 5)).toEqual({ start: 0, end: 15 });
    expect(visibleRange(3000, 300, 30, 1000, 5)).toEqual({ start: 95, end: 115 });
    expect(visibleRange(29_990, 300, 30, 1000, 5)).toEqual({ start: 994, end: 1000 });
    expect(visibleRange(0, 300, 30, 0, 5)).toEqual({ start: 0, end: 0 });
  });
});

describe('VirtualTable', () => {
  it('puts only the visible rows in the DOM and moves them on scroll', async () => {
    const { container } = await render(
      <VirtualTable rows={rows} columns={columns} rowKey={(r) => r.id} height={334} rowHeight={30} headerHeight={34} overscan={4} ariaLabel="Flows" testId="vt" />,
    );
    const table = container.querySelector('[data-testid="vt"]') as HTMLDivElement;
    expect(table.getAttribute('role')).toBe('table');
    expect(table.getAttribute('aria-rowcount')).toBe('10001');
    const bodyRows = () => Array.from(table.querySelectorAll('.vt-body [role="row"]'));
    // 300 px viewport / 30 px rows = 10 visible, + 4 overscan below
    expect(bodyRows()).toHaveLength(14);
    expect(bodyRows()[0]!.textContent).toContain('flow-0');
    // the spacer keeps the full scroll height
    expect((table.querySelector('.vt-body') as HTMLElement).style.height).toBe('300000px');

    await act(async () => {
      table.scrollTop = 150_000; // row 5000
      table.dispatchEvent(new Event('scroll'));
    });
    const after = bodyRows();
    expect(after.length).toBeLessThanOrEqual(18);
    const idx = after.map((r) => Number(r.getAttribute('aria-rowindex')) - 2);
    expect(Math.min(...idx)).toBe(4996);
    expect(Math.max(...idx)).toBe(5013);
    expect(after[0]!.textContent).toContain('flow-4996');
    expect((after[0] as HTMLElement).style.transform).toBe('translateY(149880px)');
  });

  it('sorts from header buttons and reports aria-sort', async () => {
    const onSort = vi.fn();
    const { container } = await render(
      <VirtualTable rows={rows.slice(0, 5)} columns={columns} rowKey={(r) => r.id} height={200} sort={{ key: 'name', dir: 'desc' }} onSort={onSort} ariaLabel="Flows" />,
    );
    const headers = container.querySelectorAll('[role="columnheader"]');
    expect(headers[0]!.getAttribute('aria-sort')).toBe('none');
    expect(headers[1]!.getAttribute('aria-sort')).toBe('descending');
    await act(async () => (headers[0]!.querySelector('button') as HTMLButtonElement).click());
    expect(onSort).toHaveBeenCalledWith('id');
  });

  it('shows the empty text when there are no rows', async () => {
    const { container } = await render(<VirtualTable rows={[]} columns={columns} rowKey={(r) => r.id} height={200} ariaLabel="Flows" empty="No column matches." />);
    expect(container.textContent).toContain('No column matches.');
  });
});
