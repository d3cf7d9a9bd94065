// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { byTestId, change, cleanup, click, flush, render, useFakeTransport } from '../../test/helpers.js';
import { ModelsPage } from './ModelsPage.js';
import { useModels } from './models.slice.js';
import { summaryOf } from './test-fixtures.js';

const models = [
  summaryOf({ id: 1, name: 'RF category', kind: 'random-forest', target: 'category', accuracy: 0.95, macroF1: 0.71, falsePositiveRate: 0.02, createdAt: '2025-11-20T10:00:00.000Z' }),
  summaryOf({ id: 2, name: 'GB binary', accuracy: 0.99, macroF1: 0.8, falsePositiveRate: 0.004, createdAt: '2025-11-21T10:00:00.000Z' }),
  summaryOf({ id: 3, name: 'ET on Thursday', kind: 'extra-trees', datasetId: 9, datasetName: 'Thursday', accuracy: 0.9, macroF1: 0.85, falsePositiveRate: null, detectionRate: null, createdAt: '2025-11-22T10:00:00.000Z', evaluation: { kind: 'folds', folds: 5 } }),
];

beforeEach(() => {
  window.location.hash = '#/models';
  useModels.setState({ list: [], listStatus: 'idle', listError: null, details: {}, detailStatus: {}, filterDatasetId: null, evaluation: null });
});
afterEach(cleanup);

const rowIds = () => Array.from(byTestId('models-table')!.querySelectorAll('tbody tr')).map((r) => r.getAttribute('data-testid'));

describe('ModelsPage', () => {
  it('lists models newest first with formatted metrics and evaluation, best values marked', async () => {
    useFakeTransport({ 'models.list': () => ({ models }) });
    await render(<ModelsPage />);
    await flush();
    expect(rowIds()).toEqual(['model-row-3', 'model-row-2', 'model-row-1']);
    const gb = byTestId('model-row-2')!;
    expect(gb.textContent).toContain('Gradient boosting');
    expect(gb.textContent).toContain('NSL-KDD sample');
    expect(gb.textContent).toContain('30% hold-out');
    expect(gb.textContent).toContain('99.00%');
    expect(byTestId('model-row-3')!.textContent).toContain('5-fold CV');
    const best = (id: string) => Array.from(byTestId(id)!.querySelectorAll('td.is-best')).map((td) => td.textContent);
    expect(best('model-row-2')).toEqual(['99.00% (best)', '0.40% (best)']);
    expect(best('model-row-3')).toEqual(['85.00% (best)']);
  });

  it('sorts by clicking headers (buttons, so the keyboard works too), with aria-sort', async () => {
    useFakeTransport({ 'models.list': () => ({ models }) });
    await render(<ModelsPage />);
    await flush();
    await click(byTestId('models-sort-macroF1'));
    expect(rowIds()).toEqual(['model-row-3', 'model-row-2', 'model-row-1']);
    const th = byTestId('models-sort-macroF1')!.closest('th')!;
    expect(th.getAttribute('aria-sort')).toBe('descending');
    await click(byTestId('models-sort-macroF1'));
    expect(rowIds()).toEqual(['model-row-1', 'model-row-2', 'model-row-3']);
    expect(th.getAttribute('aria-sort')).toBe('ascending');
    await click(byTestId('models-sort-falsePositiveRate'));
    expect(rowIds()).toEqual(['model-row-2', 'model-row-1', 'model-row-3']);
    expect(byTestId('models-sort-falsePositiveRate')!.tagName).toBe('BUTTON');
  });

  it('filters by dataset and opens a model from its row (click or Enter)', async () => {
    useFakeTransport({ 'models.list': () => ({ models }) });
    await render(<ModelsPage />);
    await flush();
    await change(byTestId('models-filter-dataset'), '9');
    expect(rowIds()).toEqual(['model-row-3']);
    await change(byTestId('models-filter-dataset'), '');
    expect(rowIds().length).toBe(3);
    await click(byTestId('model-row-1')!.querySelector('td:nth-child(4)'));
    expect(window.location.hash).toBe('#/models/1');
    const row = byTestId('model-row-2')!;
    await act(async () => {
      row.focus();
      row.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    expect(window.location.hash).toBe('#/models/2');
  });

  it('renames and deletes (after confirmation), and refreshes on models.changed', async () => {
    let list = [...models];
    const t = useFakeTransport({
      'models.list': () => ({ models: list }),
      'models.rename': ({ id, name }: { id: number; name: string }) => ({ ...list.find((m) => m.id === id)!, name }),
      'models.delete': () => ({ deleted: true }),
    });
    t.onEvent((e) => useModels.getState().applyEvent(e));
    await render(<ModelsPage />);
    await flush();
    await click(byTestId('model-rename-1'));
    await change(byTestId('rename-input'), 'RF v2');
    await click(byTestId('rename-submit'));
    await flush();
    expect(t.callsOf('models.rename')[0]!.input).toEqual({ id: 1, name: 'RF v2' });
    expect(byTestId('model-row-1')!.textContent).toContain('RF v2');

    await click(byTestId('model-delete-2'));
    expect(byTestId('delete-dialog')!.getAttribute('role')).toBe('alertdialog');
    expect(byTestId('delete-dialog')!.textContent).toContain('GB binary');
    await click(byTestId('delete-dialog-confirm'));
    await flush();
    expect(t.callsOf('models.delete')[0]!.input).toEqual({ id: 2 });
    expect(byTestId('model-row-2')).toBeNull();

    list = [...list, summaryOf({ id: 4, name: 'New one', createdAt: '2025-11-23T10:00:00.000Z' })];
    await act(async () => t.emit({ name: 'models.changed', payload: { id: 4, reason: 'trained' } }));
    await flush();
    expect(rowIds()[0]).toBe('model-row-4');
  });

  it('explains an empty workspace and links to training', async () => {
    useFakeTransport({ 'models.list': () => ({ models: [] }) });
    await render(<ModelsPage />);
    await flush();
    expect(byTestId('models-empty')!.textContent).toContain('No models yet');
    expect(byTestId('models-empty')!.querySelector('a')!.getAttribute('href')).toBe('#/train');
  });
});
