// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { job } from '../../test/fixtures.js';
import { useFakeTransport } from '../../test/helpers.js';
import { jobFraction, runningJobs, useJobs } from './jobs.slice.js';

beforeEach(() => {
  useJobs.setState({ jobs: {}, touched: {}, loaded: false });
});

describe('jobs slice', () => {
  it('loads the job list', async () => {
    useFakeTransport({ 'jobs.list': () => ({ jobs: [job({ id: 3 }), job({ id: 4, status: 'succeeded' })] }) });
    await useJobs.getState().load();
    expect(Object.keys(useJobs.getState().jobs)).toEqual(['3', '4']);
    expect(runningJobs(useJobs.getState()).map((j) => j.id)).toEqual([3]);
  });

  it('creates and updates jobs from jobs.progress events', () => {
    const s = useJobs.getState();
    s.applyEvent({ name: 'jobs.progress', payload: { jobId: 9, kind: 'import', phase: 'reading', current: 10, total: 100, bytes: 10, totalBytes: 100 } });
    expect(useJobs.getState().jobs[9]).toMatchObject({ id: 9, status: 'running', progress: { phase: 'reading', current: 10 } });
    s.applyEvent({ name: 'jobs.progress', payload: { jobId: 9, kind: 'import', phase: 'writing', current: 60, total: 100, rows: 5000 } });
    expect(useJobs.getState().jobs[9]!.progress).toEqual({ phase: 'writing', current: 60, total: 100, rows: 5000 });
    expect(jobFraction(useJobs.getState().jobs[9]!.progress)).toBeCloseTo(0.6);
  });

  it('jobs.finished replaces the job; late progress does not revive it', () => {
    const s = useJobs.getState();
    s.applyEvent({ name: 'jobs.progress', payload: { jobId: 2, kind: 'import', phase: 'reading', current: 1, total: 2 } });
    s.applyEvent({ name: 'jobs.finished', payload: job({ id: 2, status: 'failed', error: { code: 'IMPORT_REJECTED', message: 'x.csv is empty.' } }) });
    s.applyEvent({ name: 'jobs.progress', payload: { jobId: 2, kind: 'import', phase: 'reading', current: 2, total: 2 } });
    expect(useJobs.getState().jobs[2]).toMatchObject({ status: 'failed', error: { message: 'x.csv is empty.' } });
    expect(runningJobs(useJobs.getState())).toEqual([]);
  });

  it('a list answer does not overwrite a finish that arrived meanwhile', async () => {
    useJobs.getState().applyEvent({ name: 'jobs.finished', payload: job({ id: 5, status: 'succeeded' }) });
    useFakeTransport({ 'jobs.list': () => ({ jobs: [job({ id: 5, status: 'running' })] }) });
    await useJobs.getState().load();
    expect(useJobs.getState().jobs[5]!.status).toBe('succeeded');
  });

  it('fallback: refreshes only running jobs that went quiet', async () => {
    const t = useFakeTransport({ 'jobs.get': ({ id }: { id: number }) => job({ id, status: 'succeeded' }) });
    useJobs.setState({
      jobs: { 1: job({ id: 1 }), 2: job({ id: 2 }), 3: job({ id: 3, status: 'succeeded' }) },
      touched: { 1: Date.now() - 60_000, 2: Date.now(), 3: 0 },
    });
    await useJobs.getState().refreshStale(8000);
    expect(t.callsOf('jobs.get').map((c) => c.input)).toEqual([{ id: 1 }]);
    expect(useJobs.getState().jobs[1]!.status).toBe('succeeded');
  });

  it('jobFraction handles unknown totals', () => {
    expect(jobFraction({ phase: 'reading', current: 0, total: 0 })).toBeNull();
    expect(jobFraction({ phase: 'reading', current: 0, total: 0, bytes: 50, totalBytes: 200 })).toBe(0.25);
    expect(jobFraction({ phase: 'reading', current: 5, total: 4 })).toBe(1);
    // neural epochs: finished epochs plus the share of the running epoch's batches
    expect(jobFraction({ phase: 'epochs', current: 3, total: 10, batch: { current: 40, total: 80 } })).toBeCloseTo(0.35);
    expect(jobFraction({ phase: 'epochs', current: 4, total: 10, batch: { current: 80, total: 80 } })).toBeCloseTo(0.4);
    expect(jobFraction({ phase: 'epochs', current: 10, total: 10, batch: { current: 3, total: 80 } })).toBe(1);
  });
});
