import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../contract/dto.js';
import { removeTempDirs, tempDir } from '../../../tests/support/backend-fixtures.js';
import { openWorkspace, type Db } from './connection.js';
import { JobsRepo, pidAlive } from './jobs.repo.js';

afterAll(removeTempDirs);

let db: Db;
let repo: JobsRepo;
beforeEach(() => {
  db = openWorkspace(path.join(tempDir(), 'workspace.sqlite')).db;
  repo = new JobsRepo(db);
  return () => db.close();
});

const job = (id: number): JobInfo => ({
  id,
  kind: 'import',
  title: `Import ${id}`,
  status: 'running',
  progress: { phase: 'starting', current: 0, total: 0 },
  createdAt: new Date().toISOString(),
  finishedAt: null,
  result: null,
  error: null,
});

describe('JobsRepo', () => {
  it('stores a job and its outcome', () => {
    repo.insert(job(1));
    expect(repo.get(1)).toMatchObject({ id: 1, status: 'running', title: 'Import 1' });
    repo.finish({ ...job(1), status: 'failed', error: { code: 'IMPORT_REJECTED', message: 'no' }, finishedAt: 'later' });
    expect(repo.get(1)).toMatchObject({ status: 'failed', error: { code: 'IMPORT_REJECTED', message: 'no' }, finishedAt: 'later' });
    repo.insert(job(2));
    expect(repo.list().map((j) => j.id)).toEqual([2, 1]);
    expect(repo.maxId()).toBe(2);
    expect(repo.get(3)).toBeNull();
  });

  it('marks jobs of dead processes (and stale ones of this process) interrupted, leaving live ones', () => {
    repo.insert(job(1), 999_999_1); // a dead process
    repo.insert(job(2), process.pid); // this process, not running here any more
    repo.insert(job(3), process.pid); // this process, still running here
    repo.insert(job(4), 4242); // another live process
    const marked = repo.markInterrupted(new Set([3]), (pid) => pid === 4242);
    expect(marked).toEqual([1, 2]);
    expect(repo.get(1)).toMatchObject({ status: 'interrupted', error: { code: 'INTERNAL' } });
    expect(repo.get(1)!.finishedAt).not.toBeNull();
    expect(repo.get(3)!.status).toBe('running');
    expect(repo.get(4)!.status).toBe('running');
  });

  it('tells live processes from dead ones', () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(2 ** 22 + 12345)).toBe(false);
  });
});
