import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { FlowsightError } from '../../contract/errors.js';
import type { AnyEvent } from '../../contract/events.js';
import { removeTempDirs, tempDir } from '../../../tests/support/backend-fixtures.js';
import { openWorkspace, type Db } from '../db/connection.js';
import { JobsRepo } from '../db/jobs.repo.js';
import { JobRegistry, type JobContext } from './registry.js';

afterAll(removeTempDirs);

let db: Db;
let repo: JobsRepo;
let events: AnyEvent[];
let registry: JobRegistry;
let wsPath: string;
beforeEach(() => {
  wsPath = path.join(tempDir(), 'workspace.sqlite');
  db = openWorkspace(wsPath).db;
  repo = new JobsRepo(db);
  events = [];
  registry = new JobRegistry(repo, (e) => events.push(e), wsPath);
  return () => db.close();
});

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const result = { id: 1, name: 'x', format: 'csv', profile: 'csv', rows: 1, features: 1, labels: {}, cleaning: {} } as never;

describe('JobRegistry', () => {
  it('runs a job: stored as running, progress events throttled, finished event, stored outcome', async () => {
    const gate = deferred<void>();
    let ctx!: JobContext;
    const info = registry.start({
      kind: 'import',
      title: 'Import a',
      writes: true,
      run: async (c) => {
        ctx = c;
        await gate.promise;
        return result;
      },
    });
    expect(repo.get(info.id)!.status).toBe('running');
    for (let i = 0; i < 50; i++) ctx.progress({ phase: 'reading', current: i, total: 50 });
    ctx.progress({ phase: 'finishing', current: 50, total: 50 });
    const progress = events.filter((e) => e.name === 'jobs.progress');
    // the first of 'reading', its last (flushed by the phase change), the phase change; the rest throttled
    expect(progress.map((e) => e.payload)).toMatchObject([{ phase: 'reading', current: 0 }, { phase: 'reading', current: 49 }, { phase: 'finishing', current: 50 }]);
    ctx.progress({ phase: 'finishing', current: 51, total: 50 });
    ctx.progress({ phase: 'finishing', current: 52, total: 50 });
    await new Promise((r) => setTimeout(r, 150));
    const after = events.filter((e) => e.name === 'jobs.progress');
    expect(after.length).toBe(4); // the latest of the throttled updates, sent at the trailing edge
    expect(after[3]!.payload).toMatchObject({ current: 52 });
    expect(registry.get(info.id).progress).toMatchObject({ phase: 'finishing', current: 52 });
    gate.resolve();
    const done = await registry.wait(info.id);
    expect(done.status).toBe('succeeded');
    expect(done.result).toEqual(result);
    expect(events.at(-1)).toMatchObject({ name: 'jobs.finished', payload: { id: info.id, status: 'succeeded' } });
    expect(repo.get(info.id)).toMatchObject({ status: 'succeeded', result });
  });

  it('keeps a neural history on the progress until the phase changes, so batch updates cannot throttle it away', async () => {
    const gate = deferred<void>();
    let ctx!: JobContext;
    const info = registry.start({ kind: 'train', title: 'Train', writes: false, run: async (c) => ((ctx = c), await gate.promise, result) });
    ctx.progress({ phase: 'epochs', current: 0, total: 3, batch: { current: 1, total: 9 } });
    ctx.progress({ phase: 'epochs', current: 1, total: 3, history: [{ round: 1, train: 0.5, valid: 0.6 }] });
    ctx.progress({ phase: 'epochs', current: 1, total: 3, batch: { current: 2, total: 9 } });
    await new Promise((r) => setTimeout(r, 150));
    const last = events.filter((e) => e.name === 'jobs.progress').at(-1)!.payload;
    expect(last).toMatchObject({ phase: 'epochs', batch: { current: 2 }, history: [{ round: 1 }] });
    ctx.progress({ phase: 'evaluating', current: 0, total: 0 });
    expect(registry.get(info.id).progress.history).toBeUndefined();
    gate.resolve();
    await registry.wait(info.id);
  });

  it('records failures as {code, message}', async () => {
    const a = registry.start({ kind: 'import', title: 'a', writes: false, run: async () => { throw new FlowsightError('IMPORT_REJECTED', 'bad file'); } });
    const b = registry.start({ kind: 'import', title: 'b', writes: false, run: async () => { throw new TypeError('x is undefined'); } });
    expect(await registry.wait(a.id)).toMatchObject({ status: 'failed', error: { code: 'IMPORT_REJECTED', message: 'bad file' } });
    const fb = await registry.wait(b.id);
    expect(fb.error!.code).toBe('INTERNAL');
    expect(fb.error!.message).toMatch(/x is undefined/);
    expect(repo.get(b.id)!.status).toBe('failed');
  });

  it('runs writing jobs one at a time, and cancels a queued one without starting it', async () => {
    const gate = deferred<void>();
    const started: string[] = [];
    const spec = (title: string) => ({
      kind: 'import' as const,
      title,
      writes: true,
      run: async () => {
        started.push(title);
        await gate.promise;
        return result;
      },
    });
    const a = registry.start(spec('a'));
    const b = registry.start(spec('b'));
    const c = registry.start(spec('c'));
    expect(started).toEqual(['a']);
    expect(registry.isWriting()).toBe(true);
    expect(repo.get(b.id)).toBeNull(); // not stored while a holds the write lock
    expect(registry.cancel(c.id)).toBe(true);
    expect(registry.get(c.id).status).toBe('cancelled');
    gate.resolve();
    await registry.wait(a.id);
    await registry.wait(b.id);
    expect(started).toEqual(['a', 'b']);
    expect(repo.get(c.id)).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
    expect(registry.list().map((j) => j.id)).toEqual([c.id, b.id, a.id]);
  });

  it('cancels a running job through its flag', async () => {
    const info = registry.start({
      kind: 'import',
      title: 'slow',
      writes: true,
      run: async (ctx) => {
        while (!ctx.cancel.cancelled) await new Promise((r) => setTimeout(r, 5));
        throw new FlowsightError('CANCELLED', 'The import was cancelled; nothing was stored.');
      },
    });
    expect(registry.cancel(info.id)).toBe(true);
    expect(await registry.wait(info.id)).toMatchObject({ status: 'cancelled' });
    expect(registry.cancel(info.id)).toBe(false);
    expect(() => registry.cancel(12345)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => registry.get(12345)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('close() cancels what runs and waits for it', async () => {
    let sawCancel = false;
    const info = registry.start({
      kind: 'import',
      title: 'slow',
      writes: true,
      run: async (ctx) => {
        while (!ctx.cancel.cancelled) await new Promise((r) => setTimeout(r, 5));
        sawCancel = true;
        throw new FlowsightError('CANCELLED', 'cancelled');
      },
    });
    await registry.close();
    expect(sawCancel).toBe(true);
    expect(repo.get(info.id)!.status).toBe('cancelled');
    expect(() => registry.start({ kind: 'import', title: 'late', writes: false, run: async () => result })).toThrow(
      expect.objectContaining({ code: 'BUSY' }),
    );
  });

});
