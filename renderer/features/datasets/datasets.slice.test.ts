// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { detail, job, summary } from '../../test/fixtures.js';
import { flush, useFakeTransport } from '../../test/helpers.js';
import { useJobs } from '../jobs/jobs.slice.js';
import { CANCELLED_MESSAGE, useDatasets } from './datasets.slice.js';

const uploads = vi.hoisted(() => ({ impl: null as null | ((file: File, onProgress?: (l: number, t: number) => void, signal?: AbortSignal) => Promise<string>) }));
vi.mock('../../api/upload.js', () => ({
  uploadFile: async (file: File, onProgress?: (l: number, t: number) => void, opts?: { signal?: AbortSignal }) => ({
    uploadId: await uploads.impl!(file, onProgress, opts?.signal),
    bytes: file.size,
  }),
}));

const initial = useDatasets.getState();
beforeEach(() => {
  useDatasets.setState({ ...initial, list: [], details: {}, detailStatus: {}, importTask: null, listStatus: 'idle' });
  useJobs.setState({ jobs: {}, touched: {}, loaded: false });
  uploads.impl = null;
});

/** Route events the way app/wire.ts does. */
function wire(t: ReturnType<typeof useFakeTransport>) {
  t.onEvent((e) => {
    useJobs.getState().applyEvent(e);
    useDatasets.getState().applyEvent(e);
  });
}

describe('datasets slice', () => {
  it('loads the list and reloads it on datasets.changed', async () => {
    let n = 0;
    const t = useFakeTransport({ 'datasets.list': () => ({ datasets: n++ === 0 ? [] : [summary] }) });
    wire(t);
    await useDatasets.getState().loadList();
    expect(useDatasets.getState()).toMatchObject({ listStatus: 'ready', list: [] });
    t.emit({ name: 'datasets.changed', payload: { id: 7, reason: 'imported' } });
    await flush();
    expect(useDatasets.getState().list).toEqual([summary]);
  });

  it('re-reads an open dataset when it is updated, forgets it when deleted', async () => {
    let name = 'Wednesday';
    const t = useFakeTransport({ 'datasets.list': () => ({ datasets: [] }), 'datasets.get': () => detail({ name }) });
    wire(t);
    await useDatasets.getState().loadDetail(7);
    name = 'Wednesday (roles fixed)';
    t.emit({ name: 'datasets.changed', payload: { id: 7, reason: 'updated' } });
    await flush();
    expect(useDatasets.getState().details[7]!.name).toBe('Wednesday (roles fixed)');
    t.emit({ name: 'datasets.changed', payload: { id: 7, reason: 'deleted' } });
    await flush();
    expect(useDatasets.getState().details[7]).toBeUndefined();
    expect(useDatasets.getState().detailStatus[7]).toMatchObject({ status: 'error', error: 'This dataset was deleted.' });
  });

  it('says so readably when a dataset does not exist', async () => {
    useFakeTransport({
      'datasets.get': () => {
        throw Object.assign(new Error('There is no dataset 99.'), { code: 'NOT_FOUND' });
      },
    });
    await useDatasets.getState().loadDetail(99);
    expect(useDatasets.getState().detailStatus[99]).toEqual({ status: 'error', error: 'This dataset no longer exists.' });
  });

  it('setRoles stores the returned dataset and returns its warnings', async () => {
    const changed = detail({ features: 77 });
    const t = useFakeTransport({ 'datasets.setRoles': () => ({ dataset: changed, warnings: ['Destination Port is an identifier.'] }) });
    useDatasets.setState({ list: [summary] });
    const w = await useDatasets.getState().setRoles(7, { 'Feature 1': 'ignored' });
    expect(w).toEqual(['Destination Port is an identifier.']);
    expect(t.callsOf('datasets.setRoles')[0]!.input).toEqual({ id: 7, roles: { 'Feature 1': 'ignored' } });
    expect(useDatasets.getState().details[7]).toBe(changed);
    expect(useDatasets.getState().list[0]!.features).toBe(77);
    expect(useDatasets.getState().list[0]).not.toHaveProperty('columns');
  });

  it('sample import: job progress, then success with the new dataset id', async () => {
    const t = useFakeTransport({ 'datasets.import': () => ({ jobId: 12 }), 'datasets.list': () => ({ datasets: [summary] }) });
    wire(t);
    await useDatasets.getState().startImport({ sample: 'nsl-kdd' });
    expect(t.callsOf('datasets.import')[0]!.input).toEqual({ format: 'auto', sample: 'nsl-kdd' });
    expect(useDatasets.getState().importTask).toMatchObject({ phase: 'running', jobId: 12 });

    t.emit({ name: 'jobs.progress', payload: { jobId: 12, kind: 'import', phase: 'writing', current: 40, total: 100, rows: 10_000 } });
    expect(useDatasets.getState().importTask!.progress).toEqual({ phase: 'writing', current: 40, total: 100, rows: 10_000 });
    // someone else's job does not touch ours
    t.emit({ name: 'jobs.progress', payload: { jobId: 13, kind: 'import', phase: 'reading', current: 1, total: 100 } });
    expect(useDatasets.getState().importTask!.progress!.phase).toBe('writing');

    t.emit({
      name: 'jobs.finished',
      payload: job({ id: 12, status: 'succeeded', result: { id: 7, name: 'NSL-KDD', format: 'nsl-kdd', profile: 'nsl-kdd', rows: 5000, features: 41, labels: {}, cleaning: detail().cleaning } }),
    });
    expect(useDatasets.getState().importTask).toMatchObject({ phase: 'succeeded', datasetId: 7 });
    await flush();
    expect(useDatasets.getState().list).toEqual([summary]);
  });

  it('a failed job keeps its one-sentence message', async () => {
    const t = useFakeTransport({ 'datasets.import': () => ({ jobId: 3 }) });
    wire(t);
    await useDatasets.getState().startImport({ paths: ['/tmp/empty.csv'], name: 'Empty', format: 'csv', label: null });
    expect(t.callsOf('datasets.import')[0]!.input).toEqual({ paths: ['/tmp/empty.csv'], name: 'Empty', format: 'csv', label: null });
    t.emit({ name: 'jobs.finished', payload: job({ id: 3, status: 'failed', error: { code: 'IMPORT_REJECTED', message: 'empty.csv is empty (0 bytes); nothing was stored.' } }) });
    expect(useDatasets.getState().importTask).toMatchObject({
      phase: 'failed',
      error: { code: 'IMPORT_REJECTED', message: 'empty.csv is empty (0 bytes); nothing was stored.' },
    });
  });

  it('a rejected import call fails the task with its message', async () => {
    useFakeTransport({
      'datasets.import': () => {
        throw Object.assign(new Error('give exactly one of: paths, uploadIds, sample'), { code: 'BAD_INPUT' });
      },
    });
    await useDatasets.getState().startImport({ sample: 'cicids2017' });
    expect(useDatasets.getState().importTask).toMatchObject({ phase: 'failed', error: { code: 'BAD_INPUT' } });
  });

  it('cancel while running calls jobs.cancel; the cancelled event ends it', async () => {
    const t = useFakeTransport({ 'datasets.import': () => ({ jobId: 5 }), 'jobs.cancel': () => ({ cancelled: true }) });
    wire(t);
    await useDatasets.getState().startImport({ sample: 'nsl-kdd' });
    await useDatasets.getState().cancelImport();
    expect(t.callsOf('jobs.cancel')[0]!.input).toEqual({ id: 5 });
    expect(useDatasets.getState().importTask!.cancelRequested).toBe(true);
    t.emit({ name: 'jobs.finished', payload: job({ id: 5, status: 'cancelled', error: { code: 'CANCELLED', message: 'cancelled' } }) });
    expect(useDatasets.getState().importTask!.phase).toBe('cancelled');
    expect(CANCELLED_MESSAGE).toBe('Import cancelled; nothing was stored.');
  });

  it('browser import uploads every file with progress, then imports the upload ids', async () => {
    const t = useFakeTransport({ 'datasets.import': () => ({ jobId: 8 }) });
    wire(t);
    const seenProgress: number[] = [];
    uploads.impl = async (file, onProgress) => {
      onProgress?.(Math.floor(file.size / 2), file.size);
      seenProgress.push(useDatasets.getState().importTask!.upload!.loaded);
      return file.name === 'a.csv' ? 'aaaaaaaa01' : 'bbbbbbbb02';
    };
    const a = new File(['x'.repeat(100)], 'a.csv');
    const b = new File(['y'.repeat(50)], 'b.csv');
    await useDatasets.getState().startImport({ files: [a, b], name: 'Two days', format: 'cicflowmeter' });
    expect(seenProgress).toEqual([50, 125]);
    expect(t.callsOf('datasets.import')[0]!.input).toEqual({ name: 'Two days', format: 'cicflowmeter', uploadIds: ['aaaaaaaa01', 'bbbbbbbb02'] });
    expect(useDatasets.getState().importTask).toMatchObject({ phase: 'running', jobId: 8, upload: { loaded: 150, total: 150 } });
  });

  it('cancel during upload aborts it: nothing is imported', async () => {
    const t = useFakeTransport({ 'datasets.import': () => ({ jobId: 1 }) });
    uploads.impl = (_file, _p, signal) =>
      new Promise((_, reject) => signal!.addEventListener('abort', () => reject(Object.assign(new Error('The upload was cancelled.'), { code: 'ABORTED' }))));
    const p = useDatasets.getState().startImport({ files: [new File(['abc'], 'big.csv')] });
    expect(useDatasets.getState().importTask!.phase).toBe('uploading');
    await useDatasets.getState().cancelImport();
    await p;
    expect(useDatasets.getState().importTask!.phase).toBe('cancelled');
    expect(t.callsOf('datasets.import')).toHaveLength(0);
  });

  it('a job that finished before its id came back still settles the task', async () => {
    const t = useFakeTransport({});
    wire(t);
    t.handlers['datasets.import'] = () => {
      t.emit({ name: 'jobs.finished', payload: job({ id: 4, status: 'failed', error: { code: 'IMPORT_REJECTED', message: 'x.csv: unknown layout.' } }) });
      return { jobId: 4 };
    };
    await useDatasets.getState().startImport({ sample: 'nsl-kdd' });
    expect(useDatasets.getState().importTask).toMatchObject({ phase: 'failed', error: { message: 'x.csv: unknown layout.' } });
  });

  it('refuses a second import while one runs', async () => {
    useFakeTransport({ 'datasets.import': () => ({ jobId: 1 }) });
    await useDatasets.getState().startImport({ sample: 'nsl-kdd' });
    await expect(useDatasets.getState().startImport({ sample: 'cicids2017' })).rejects.toThrow(/already running/);
  });
});
