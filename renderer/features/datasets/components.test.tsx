// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleaning, detail } from '../../test/fixtures.js';
import { byTestId, change, cleanup, click, flush, render, useFakeTransport } from '../../test/helpers.js';
import { ClassDistribution } from './ClassDistribution.js';
import { CleaningReport } from './CleaningReport.js';
import { FeatureTable, filterAndSort } from './FeatureTable.js';
import { ImportStatus } from './ImportStatus.js';
import { RowPreview } from './RowPreview.js';
import { type ImportTask, useDatasets } from './datasets.slice.js';

const initial = useDatasets.getState();
beforeEach(() => useDatasets.setState({ ...initial, list: [], details: {}, importTask: null }));
afterEach(cleanup);

function task(over: Partial<ImportTask>): ImportTask {
  return { seq: 1, title: 'KDDTrain+', phase: 'running', jobId: 4, upload: null, progress: null, error: null, datasetId: null, cancelRequested: false, ...over };
}

describe('ImportStatus', () => {
  it('shows a labelled progressbar with percent, bytes, rows and phase, and cancels the job', async () => {
    const t = useFakeTransport({ 'jobs.cancel': () => ({ cancelled: true }) });
    useDatasets.setState({
      importTask: task({ progress: { phase: 'reading', current: 42, total: 100, bytes: 127_680_000, totalBytes: 304_000_000, rows: 1_185_412 } }),
    });
    await render(<ImportStatus />);
    const bar = byTestId('import-progress-bar')!;
    expect(bar.getAttribute('role')).toBe('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('42');
    expect(bar.getAttribute('aria-valuetext')).toContain('Reading');
    const panel = byTestId('import-progress')!;
    expect(panel.textContent).toContain('128 MB of 304 MB');
    expect(panel.textContent).toContain('1,185,412 rows');
    expect(panel.textContent).toContain('42.0%');
    expect(byTestId('import-phase')!.textContent).toBe('Reading');
    await click(byTestId('import-cancel'));
    expect(t.callsOf('jobs.cancel')[0]!.input).toEqual({ id: 4 });
    expect(byTestId('import-cancel')!.textContent).toBe('Cancelling…');
  });

  it('shows upload progress in the browser face', async () => {
    useDatasets.setState({ importTask: task({ phase: 'uploading', jobId: null, upload: { loaded: 50_000_000, total: 200_000_000, fileIndex: 0, fileCount: 2 } }) });
    await render(<ImportStatus />);
    expect(byTestId('import-progress-bar')!.getAttribute('aria-valuenow')).toBe('25');
    expect(byTestId('import-progress')!.textContent).toContain('50 MB of 200 MB · file 1 of 2');
  });

  it('puts a failure in an alert region, prominently', async () => {
    useDatasets.setState({ importTask: task({ phase: 'failed', error: { code: 'IMPORT_REJECTED', message: 'conn.log has no #fields line; it is not a Zeek log.' } }) });
    await render(<ImportStatus />);
    const alert = byTestId('import-error')!;
    expect(alert.getAttribute('role')).toBe('alert');
    expect(byTestId('import-error-message')!.textContent).toBe('conn.log has no #fields line; it is not a Zeek log.');
  });

  it('says a cancelled import stored nothing', async () => {
    useDatasets.setState({ importTask: task({ phase: 'cancelled' }) });
    await render(<ImportStatus />);
    expect(byTestId('import-cancelled')!.textContent).toContain('Import cancelled; nothing was stored.');
  });
});

describe('CleaningReport', () => {
  it('shows every non-empty field readably', async () => {
    const report = cleaning({
      rowsRead: 2_830_751,
      rowsKept: 2_830_743,
      malformedRows: 8,
      malformedSamples: [{ file: 'Tuesday.csv', line: 1201, fields: 12, expected: 79 }],
      repeatedHeaderRows: 3,
      nonFiniteCells: 4376,
      nonFiniteByColumn: { 'Flow Bytes/s': 2867, 'Flow Packets/s': 1509 },
      renamedHeaders: [{ from: ' Destination Port', to: 'Destination Port' }],
      duplicateColumns: [{ name: 'Fwd Header Length', action: 'second copy dropped (identical)' }],
      droppedColumns: [{ name: 'difficulty', reason: 'NSL-KDD difficulty score, not a flow feature' }],
      repairedLabels: [{ from: 'Web Attack \uFFFD Brute Force', to: 'Web Attack – Brute Force', rows: 1507 }],
      notes: ['Three files were concatenated; their repeated headers were skipped.'],
    });
    const { container } = await render(<CleaningReport report={report} />);
    const text = byTestId('cleaning-report')!.textContent!;
    for (const s of [
      '2,830,751',
      '2,830,743',
      'Malformed rows skipped',
      'Repeated header rows',
      'Infinity / NaN cells',
      '4,376',
      'Flow Bytes/s',
      '2,867',
      'Tuesday.csv',
      '1,201',
      'Destination Port',
      'Fwd Header Length',
      'second copy dropped',
      'difficulty',
      'Web Attack – Brute Force',
      '1,507',
      'Three files were concatenated',
    ]) {
      expect(text).toContain(s);
    }
    // the leading space of the original header is made visible
    expect(container.querySelector('.ws-mark')!.textContent).toBe('·');
    expect(text).not.toContain('Blank lines');
  });

  it('says a clean file is clean', async () => {
    await render(<CleaningReport report={cleaning()} />);
    expect(byTestId('cleaning-report')!.textContent).toContain('Clean');
  });
});

describe('ClassDistribution', () => {
  it('switches targets, defaults to log scale for skewed classes, lists counts accessibly', async () => {
    await render(<ClassDistribution counts={detail().classCounts} />);
    const chart = byTestId('class-chart')!;
    expect(chart.getAttribute('data-scale')).toBe('log'); // 440,031 vs Heartbleed 11
    const rows = () => Array.from(chart.querySelectorAll('table tbody tr')).map((r) => r.textContent);
    expect(rows()).toContain('Heartbleed11<0.1%');
    await click(byTestId('class-target-binary'));
    expect(rows()).toEqual(['benign440,03163.6%', 'attack251,72336.4%']);
    expect(byTestId('class-chart')!.getAttribute('data-scale')).toBe('linear');
    await click(byTestId('class-log-toggle'));
    expect(byTestId('class-chart')!.getAttribute('data-scale')).toBe('log');
  });

  it('explains unlabelled traffic', async () => {
    await render(<ClassDistribution counts={null} />);
    expect(byTestId('class-chart-section')!.textContent).toContain('Unlabelled traffic');
  });
});

describe('FeatureTable', () => {
  it('filters, sorts and keeps the DOM windowed', async () => {
    const d = detail();
    useDatasets.setState({ details: { 7: d } });
    await render(<FeatureTable dataset={d} />);
    const table = byTestId('feature-table')!;
    expect(table.getAttribute('aria-rowcount')).toBe('80');
    expect(table.querySelectorAll('.vt-body [role="row"]').length).toBeLessThan(30);
    await change(byTestId('feature-filter'), 'Feature 7');
    await flush();
    // Feature 7, Feature 70..77
    expect(byTestId('feature-table')!.getAttribute('data-row-count')).toBe('9');
    expect(byTestId('feature-count')!.textContent).toBe('9 of 79');
  });

  it('sorts with nulls last', () => {
    const cols = detail().columns;
    cols[3]!.stats.max = 999;
    const sorted = filterAndSort(cols, '', { key: 'max', dir: 'desc' });
    expect(sorted[0]!.name).toBe('Feature 3');
    expect(sorted[sorted.length - 1]!.name).toBe('Label');
  });

  it('changing a role calls datasets.setRoles and shows the warnings it returns', async () => {
    const d = detail();
    const t = useFakeTransport({
      'datasets.setRoles': ({ roles }: { roles: Record<string, string> }) => ({
        dataset: { ...d, columns: d.columns.map((c) => (roles[c.name] ? { ...c, role: roles[c.name] } : c)) },
        warnings: ['Feature 0 is an identifier; using it as a feature leaks the label.'],
      }),
    });
    useDatasets.setState({ details: { 7: d } });
    await render(<FeatureTable dataset={d} />);
    await change(byTestId('role-select-0'), 'identifier');
    await flush();
    expect(t.callsOf('datasets.setRoles')[0]!.input).toEqual({ id: 7, roles: { 'Feature 0': 'identifier' } });
    expect(byTestId('roles-warnings')!.textContent).toContain('leaks the label');
    expect(useDatasets.getState().details[7]!.columns[0]!.role).toBe('identifier');
  });
});

describe('RowPreview', () => {
  it('pages through rows and shows missing values as a dim dash', async () => {
    const t = useFakeTransport({
      'datasets.preview': ({ offset, limit }: { offset: number; limit: number }) => ({
        columns: ['Destination Port', 'Flow Bytes/s', 'Label'],
        rows: Array.from({ length: Math.min(limit, 120 - offset) }, (_, i) => [offset + i, i === 0 ? null : 0.10000000149011612, 'BENIGN']),
        offset,
        total: 120,
      }),
    });
    await render(<RowPreview datasetId={7} totalRows={120} />);
    await flush();
    expect(t.callsOf('datasets.preview')[0]!.input).toEqual({ id: 7, offset: 0, limit: 50 });
    expect(byTestId('preview-range')!.textContent).toBe('Rows 1–50 of 120');
    const table = byTestId('preview-table')!;
    expect(table.querySelectorAll('thead th')).toHaveLength(4);
    const firstRow = table.querySelector('tbody tr')!;
    expect(firstRow.querySelector('.null')!.textContent).toBe('—');
    expect(table.querySelectorAll('tbody tr')[1]!.textContent).toContain('0.1');
    await click(byTestId('preview-next'));
    await flush();
    expect(byTestId('preview-range')!.textContent).toBe('Rows 51–100 of 120');
    await act(async () => {});
  });
});
