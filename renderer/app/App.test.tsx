// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useDatasets } from '../features/datasets/datasets.slice.js';
import { summary } from '../test/fixtures.js';
import { byTestId, cleanup, click, flush, render, useFakeTransport } from '../test/helpers.js';
import { App } from './App.js';
import { useApp } from './app.slice.js';
import { THEME_KEY, useTheme } from './theme.js';
import { useUi } from './ui.slice.js';

const initialDs = useDatasets.getState();
const info = { version: '0.1.0', workspacePath: '/home/ana/flowsight/workspace.sqlite', schemaVersion: 1, node: '20.20.2', sqlite: '3.50', platform: 'linux', face: 'browser' as const };

beforeEach(() => {
  window.location.hash = '';
  useDatasets.setState({ ...initialDs, list: [], details: {}, importTask: null, listStatus: 'ready' });
  useUi.setState({ importDialog: null, samplesDialog: false });
  useApp.setState({ info, connection: { status: 'open', attempts: 0, retryAt: null, everOpened: true } });
});
afterEach(cleanup);

describe('App shell', () => {
  it('shows the empty state with the sample and import actions', async () => {
    useFakeTransport({ 'datasets.samples': () => ({ samples: [] }) });
    await render(<App />);
    expect(byTestId('datasets-empty')).not.toBeNull();
    expect(byTestId('sample-button')!.textContent).toContain('Try with sample data');
    expect(byTestId('import-button')!.textContent).toContain('Import flow files');
    expect(byTestId('status-workspace')!.textContent).toContain('workspace.sqlite');
    expect(byTestId('status-connection')!.textContent).toContain('Connected');
    // only working sections in the navigation
    const nav = document.querySelector('nav[aria-label="Main"]')!;
    expect(Array.from(nav.querySelectorAll('.nav-label')).map((a) => a.textContent)).toEqual(['Datasets', 'Train', 'Models', 'Live', 'Workspace']);
  });

  it('lists samples with citations and imports one', async () => {
    const t = useFakeTransport({
      'datasets.samples': () => ({
        samples: [{ id: 'nsl-kdd', name: 'NSL-KDD excerpt', description: '5,000 rows of KDDTrain+.', citation: 'Tavallaee et al., 2009', rows: 5000 }],
      }),
      'datasets.import': () => ({ jobId: 1 }),
    });
    await render(<App />);
    await click(byTestId('sample-button'));
    await flush();
    expect(byTestId('samples-dialog')!.getAttribute('role')).toBe('dialog');
    expect(byTestId('sample-nsl-kdd')!.textContent).toContain('Tavallaee et al., 2009');
    await click(byTestId('sample-import-nsl-kdd'));
    await flush();
    expect(t.callsOf('datasets.import')[0]!.input).toMatchObject({ sample: 'nsl-kdd' });
    expect(byTestId('samples-dialog')).toBeNull();
    expect(byTestId('import-progress')).not.toBeNull();
  });

  it('Ctrl+O opens the import dialog; Escape closes it', async () => {
    useFakeTransport({});
    await render(<App />);
    await act(async () => {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'o', ctrlKey: true, bubbles: true }));
    });
    const dialog = byTestId('import-dialog')!;
    expect(dialog).not.toBeNull();
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(byTestId('import-file-input')!.getAttribute('accept')).toContain('.labeled');
    expect((byTestId('import-submit') as HTMLButtonElement).disabled).toBe(true);
    await act(async () => {
      dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(byTestId('import-dialog')).toBeNull();
  });

  it('the import dialog offers a label choice for generic CSV and sends it', async () => {
    const t = useFakeTransport({ 'datasets.import': () => ({ jobId: 2 }) });
    await render(<App />);
    await act(async () => useUi.getState().openImport([new File(['a,b\n1,2\n'], 'capture-flows.csv')]));
    expect(byTestId('import-file-list')!.textContent).toContain('capture-flows.csv');
    expect((byTestId('import-name') as HTMLInputElement).value).toBe('capture-flows');
    const { change } = await import('../test/helpers.js');
    await change(byTestId('import-format'), 'csv');
    await click(byTestId('import-label-none'));
    expect(byTestId('import-label-options')).not.toBeNull();
    // uploads go through XHR in the browser face; stub it at the api level
    const { api } = await import('../api/client.js');
    const original = api.upload;
    (api as { upload: typeof api.upload }).upload = async () => 'abcdef0123';
    try {
      await click(byTestId('import-submit'));
      await flush();
    } finally {
      (api as { upload: typeof api.upload }).upload = original;
    }
    expect(t.callsOf('datasets.import')[0]!.input).toEqual({ name: 'capture-flows', format: 'csv', label: null, uploadIds: ['abcdef0123'] });
  });

  it('lists datasets with formatted numbers and confirms deletion', async () => {
    const t = useFakeTransport({ 'datasets.delete': () => ({ deleted: true }) });
    useDatasets.setState({ list: [summary], listStatus: 'ready' });
    await render(<App />);
    const row = byTestId('dataset-row-7')!;
    expect(row.textContent).toContain('692,703');
    expect(row.textContent).toContain('225 MB');
    await click(byTestId('dataset-delete-7'));
    const dialog = byTestId('delete-dialog')!;
    expect(dialog.getAttribute('role')).toBe('alertdialog');
    await click(byTestId('delete-dialog-confirm'));
    await flush();
    expect(t.callsOf('datasets.delete')[0]!.input).toEqual({ id: 7 });
    expect(byTestId('dataset-row-7')).toBeNull();
  });

  it('shows a connection-lost banner while reconnecting', async () => {
    useFakeTransport({});
    useApp.setState({ connection: { status: 'reconnecting', attempts: 2, retryAt: Date.now() + 3000, everOpened: true } });
    await render(<App />);
    expect(byTestId('connection-banner')!.textContent).toContain('Connection to the Flowsight server lost.');
    expect(byTestId('status-connection')!.textContent).toContain('Disconnected');
  });

  it('theme toggle switches and persists', async () => {
    useFakeTransport({});
    useTheme.setState({ theme: 'light', chosen: false });
    await render(<App />);
    await click(byTestId('theme-toggle'));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem(THEME_KEY)).toBe('dark');
    expect(byTestId('theme-toggle')!.getAttribute('aria-label')).toBe('Switch to light theme');
  });
});

describe('desktop face', () => {
  it('imports by path through the native dialog', async () => {
    const t = useFakeTransport({ 'datasets.import': () => ({ jobId: 3 }) });
    t.kind = 'electron';
    t.openFiles = async () => ['/data/cic/Tuesday-WorkingHours.pcap_ISCX.csv', '/data/cic/Wednesday-workingHours.pcap_ISCX.csv'];
    await render(<App />);
    await click(byTestId('import-button'));
    expect(byTestId('import-file-input')).toBeNull(); // no browser picker in Electron
    await click(byTestId('import-choose-files'));
    await flush();
    expect(byTestId('import-file-list')!.textContent).toContain('Wednesday-workingHours.pcap_ISCX.csv');
    expect((byTestId('import-name') as HTMLInputElement).value).toBe('Tuesday-WorkingHours.pcap_ISCX + 1 more');
    await click(byTestId('import-submit'));
    await flush();
    expect(t.callsOf('datasets.import')[0]!.input).toEqual({
      paths: ['/data/cic/Tuesday-WorkingHours.pcap_ISCX.csv', '/data/cic/Wednesday-workingHours.pcap_ISCX.csv'],
      name: 'Tuesday-WorkingHours.pcap_ISCX + 1 more',
      format: 'auto',
    });
  });

  it('acts on app.menu events: import folder, toggle theme', async () => {
    const t = useFakeTransport({ 'app.info': () => info, 'datasets.list': () => ({ datasets: [] }), 'jobs.list': () => ({ jobs: [] }) });
    t.kind = 'electron';
    const asked: Array<{ folders?: boolean }> = [];
    t.openFiles = async (o: { folders?: boolean }) => (asked.push(o), ['/data/zeek']);
    const { wireStores } = await import('./wire.js');
    const { api } = await import('../api/client.js');
    const off = wireStores(api);
    try {
      await render(<App />);
      t.emit({ name: 'app.menu', payload: { action: 'import-folder' } });
      await flush();
      expect(asked).toEqual([{ folders: true }]);
      expect(byTestId('import-file-list')!.textContent).toContain('/data/zeek');
      const before = useTheme.getState().theme;
      t.emit({ name: 'app.menu', payload: { action: 'toggle-theme' } });
      expect(useTheme.getState().theme).not.toBe(before);
    } finally {
      off();
    }
  });
});
