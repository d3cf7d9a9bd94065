// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../app/App.js';
import { useApp } from '../../app/app.slice.js';
import { parseHash, routeHref } from '../../app/routes.js';
import { detail, summary } from '../../test/fixtures.js';
import { byTestId, cleanup, flush, render, useFakeTransport } from '../../test/helpers.js';
import { useDatasets } from '../datasets/datasets.slice.js';
import { useModels } from '../models/models.slice.js';
import { catalog, modelDetail, summaryOf } from '../models/test-fixtures.js';
import { useTrain } from './train.slice.js';
import { DEFAULT_FORM } from './validation.js';

const initialDs = useDatasets.getState();
beforeEach(() => {
  useDatasets.setState({ ...initialDs, list: [summary], listStatus: 'ready', details: { 7: detail() }, importTask: null });
  useModels.setState({ catalog: null, catalogError: null, list: [], listStatus: 'idle', details: {}, detailStatus: {}, evaluation: null });
  useTrain.setState({ form: DEFAULT_FORM, task: null });
  useApp.setState({ info: null, connection: { status: 'open', attempts: 0, retryAt: null, everOpened: true } });
});
afterEach(() => {
  cleanup();
  window.location.hash = '';
});

describe('routes', () => {
  it('parses and writes the train and models routes', () => {
    expect(parseHash('#/train')).toEqual({ name: 'train', datasetId: null });
    expect(parseHash('#/train/12')).toEqual({ name: 'train', datasetId: 12 });
    expect(parseHash('#/train?dataset=12')).toEqual({ name: 'train', datasetId: 12 });
    expect(parseHash('#/train?dataset=x')).toEqual({ name: 'train', datasetId: null });
    expect(parseHash('#/models')).toEqual({ name: 'models' });
    expect(parseHash('#/models/')).toEqual({ name: 'models' });
    expect(parseHash('#/models/4')).toEqual({ name: 'model', id: 4 });
    expect(routeHref({ name: 'train', datasetId: 12 })).toBe('#/train/12');
    expect(routeHref({ name: 'train', datasetId: null })).toBe('#/train');
    expect(routeHref({ name: 'model', id: 4 })).toBe('#/models/4');
  });
});

describe('navigation', () => {
  const handlers = {
    'models.catalog': () => ({ kinds: catalog }),
    'models.list': () => ({ models: [summaryOf()] }),
    'models.get': () => modelDetail(),
    'datasets.get': () => detail(),
    'datasets.preview': () => ({ columns: [], rows: [], offset: 0, total: 0 }),
  };

  it('the side nav links Train and Models; the Models badge counts models', async () => {
    useFakeTransport(handlers);
    window.location.hash = '#/datasets';
    await render(<App />);
    await flush();
    expect(byTestId('nav-train')!.getAttribute('href')).toBe('#/train');
    expect(byTestId('nav-models')!.getAttribute('href')).toBe('#/models');
    expect(byTestId('nav-models')!.textContent).toBe('Models1');
  });

  it('the dataset view’s "Train a model" opens the Train page with that dataset', async () => {
    useFakeTransport(handlers);
    window.location.hash = '#/datasets/7';
    await render(<App />);
    await flush();
    const btn = byTestId('dataset-train-button')!;
    expect(btn.getAttribute('href')).toBe('#/train/7');
    await act(async () => {
      window.location.hash = '#/train/7';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    await flush();
    expect(byTestId('train-page')).not.toBeNull();
    expect(byTestId('nav-train')!.getAttribute('aria-current')).toBe('page');
    expect((byTestId('train-dataset') as HTMLSelectElement).value).toBe('7');
  });

  it('#/models/ID opens the results; the Models nav item stays current', async () => {
    useFakeTransport(handlers);
    window.location.hash = '#/models/3';
    await render(<App />);
    await flush();
    expect(byTestId('results-title')!.textContent).toBe('GB · NSL-KDD · binary');
    expect(byTestId('nav-models')!.getAttribute('aria-current')).toBe('page');
  });
});
