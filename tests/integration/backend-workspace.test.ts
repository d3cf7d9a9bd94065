/**
 * The workspace across starts: a newer schema is refused, a crash mid-import leaves no dataset
 * and its job is marked interrupted, app.info, input validation at the API.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackend, LATEST_SCHEMA_VERSION } from '../../electron/backend/index.js';
import { removeTempDirs, tempDir, workspaceSnapshot, writeFlowCsv } from '../support/backend-fixtures.js';

afterAll(removeTempDirs);

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('workspace', () => {
  it('creates the workspace where asked and reports it in app.info', async () => {
    const dir = tempDir();
    const ws = path.join(dir, 'deep', 'er', 'my.sqlite');
    const backend = await createBackend({ workspacePath: ws, face: 'browser' });
    try {
      expect(backend.workspacePath).toBe(ws);
      const info = await backend.call('app.info', {});
      expect(info).toMatchObject({ workspacePath: ws, schemaVersion: LATEST_SCHEMA_VERSION, face: 'browser', node: process.versions.node });
      expect(info.sqlite).toMatch(/^3\.\d+/);
      expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    } finally {
      await backend.close();
    }
    expect(fs.existsSync(ws)).toBe(true);
  });

  it('uses FLOWSIGHT_WORKSPACE when no path is given', async () => {
    const ws = path.join(tempDir(), 'env.sqlite');
    const before = process.env.FLOWSIGHT_WORKSPACE;
    process.env.FLOWSIGHT_WORKSPACE = ws;
    try {
      const backend = await createBackend({ face: 'cli' });
      expect(backend.workspacePath).toBe(ws);
      await backend.close();
    } finally {
      if (before === undefined) delete process.env.FLOWSIGHT_WORKSPACE;
      else process.env.FLOWSIGHT_WORKSPACE = before;
    }
  });

  it('refuses a workspace from a newer Flowsight with WORKSPACE_TOO_NEW', async () => {
    const ws = path.join(tempDir(), 'workspace.sqlite');
    await (await createBackend({ workspacePath: ws, face: 'cli' })).close();
    const raw = new Database(ws);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    await expect(createBackend({ workspacePath: ws, face: 'cli' })).rejects.toMatchObject({
      code: 'WORKSPACE_TOO_NEW',
      message: `This workspace (${ws}) was written by a newer version of Flowsight (schema ${LATEST_SCHEMA_VERSION + 1}; this version knows up to ${LATEST_SCHEMA_VERSION}). Update Flowsight or choose another workspace with --workspace.`,
    });
  });

  it('refuses a file that is not a workspace with WORKSPACE_UNAVAILABLE', async () => {
    const ws = path.join(tempDir(), 'flows.csv');
    fs.writeFileSync(ws, 'Src IP,Label\n1.2.3.4,BENIGN\n');
    await expect(createBackend({ workspacePath: ws, face: 'cli' })).rejects.toMatchObject({
      code: 'WORKSPACE_UNAVAILABLE',
      message: expect.stringContaining('is not a Flowsight workspace'),
    });
  });

  it('marks jobs left running by a dead process as interrupted at startup', async () => {
    const ws = path.join(tempDir(), 'workspace.sqlite');
    await (await createBackend({ workspacePath: ws, face: 'cli' })).close();
    const raw = new Database(ws);
    raw
      .prepare("INSERT INTO jobs (id, kind, title, status, created_at, owner_pid) VALUES (7, 'import', 'Import x', 'running', ?, ?)")
      .run(new Date().toISOString(), 2 ** 22 + 4321);
    raw.close();
    const backend = await createBackend({ workspacePath: ws, face: 'cli' });
    try {
      const job = await backend.call('jobs.get', { id: 7 });
      expect(job.status).toBe('interrupted');
      expect(job.error!.message).toMatch(/stopped while this job was running/);
      expect(job.finishedAt).not.toBeNull();
    } finally {
      await backend.close();
    }
  });

  it('a process killed mid-import leaves no dataset, and its job is interrupted', async () => {
    const dir = tempDir();
    const ws = path.join(dir, 'workspace.sqlite');
    const file = path.join(dir, 'big.csv');
    writeFlowCsv(file, 60_000);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tests/support/import-child.ts'), ws, file], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    const jobId = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the child did not get far enough: ${out} ${err}`)), 40_000);
      child.stdout.on('data', (d) => {
        out += d;
        const rows = [...out.matchAll(/PROGRESS (\d+)/g)].map((m) => Number(m[1]));
        const job = /JOB (\d+)/.exec(out);
        if (job && rows.some((r) => r >= 10_000)) {
          clearTimeout(timer);
          resolve(Number(job[1]));
        }
      });
      child.on('exit', () => reject(new Error(`the child exited early: ${out} ${err}`)));
    });
    // rows have been written as chunks inside the open transaction by now
    expect(fs.statSync(`${ws}-wal`).size).toBeGreaterThan(0);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(out).not.toMatch(/FINISHED/);

    const backend = await createBackend({ workspacePath: ws, face: 'cli' });
    try {
      expect((await backend.call('datasets.list', {})).datasets).toEqual([]);
      expect(workspaceSnapshot(ws).counts).toEqual({ datasets: 0, columns: 0, chunks: 0 });
      expect((await backend.call('jobs.get', { id: jobId })).status).toBe('interrupted');
      const check = new Database(ws, { readonly: true });
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      check.close();
      // and the workspace still takes imports
      const small = path.join(dir, 'small.csv');
      writeFlowCsv(small, 100);
      const { jobId: next } = await backend.call('datasets.import', { paths: [small] });
      expect(next).toBeGreaterThan(jobId);
    } finally {
      await backend.close();
    }
  });

  it('a process killed mid-training stores no model, and its job is interrupted', async () => {
    const dir = tempDir();
    const ws = path.join(dir, 'workspace.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tests/support/train-child.ts'), ws], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    const jobId = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the child did not get far enough: ${out} ${err}`)), 50_000);
      child.stdout.on('data', (d) => {
        out += d;
        const job = /JOB (\d+)/.exec(out);
        if (job && /TREES \d+/.test(out)) {
          clearTimeout(timer);
          resolve(Number(job[1]));
        }
      });
      child.on('exit', () => reject(new Error(`the child exited early: ${out} ${err}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(out).not.toMatch(/FINISHED/);

    const backend = await createBackend({ workspacePath: ws, face: 'cli' });
    try {
      expect((await backend.call('models.list', {})).models).toEqual([]);
      expect((await backend.call('jobs.get', { id: jobId })).status).toBe('interrupted');
      expect((await backend.call('datasets.list', {})).datasets).toHaveLength(1);
    } finally {
      await backend.close();
    }
  }, 60_000);
});
