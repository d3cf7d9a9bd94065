import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../../../tests/support/backend-fixtures.js';
import { openWorkerConnection, openWorkspace, PAGE_SIZE } from './connection.js';
import { LATEST_SCHEMA_VERSION, migrate } from './migrations/index.js';

afterAll(removeTempDirs);

describe('openWorkspace', () => {
  it('creates a WAL workspace with 64 KiB pages, foreign keys and the latest schema', () => {
    const file = path.join(tempDir(), 'nested', 'workspace.sqlite');
    const { db, created, schemaVersion } = openWorkspace(file);
    try {
      expect(created).toBe(true);
      expect(schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      expect(db.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(db.pragma('auto_vacuum', { simple: true })).toBe(2); // INCREMENTAL
      expect(Number(db.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
    } finally {
      db.close();
    }
    const again = openWorkspace(file);
    expect(again.created).toBe(false);
    expect(again.db.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    again.db.close();
  });

  it('refuses a workspace written by a newer Flowsight, naming both versions', () => {
    const file = path.join(tempDir(), 'workspace.sqlite');
    openWorkspace(file).db.close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();
    let err: unknown;
    try {
      openWorkspace(file);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'WORKSPACE_TOO_NEW' });
    expect((err as Error).message).toBe(
      `This workspace (${file}) was written by a newer version of Flowsight (schema ${LATEST_SCHEMA_VERSION + 5}; this version knows up to ${LATEST_SCHEMA_VERSION}). Update Flowsight or choose another workspace with --workspace.`,
    );
    expect(() => openWorkerConnection(file)).toThrow(expect.objectContaining({ code: 'WORKSPACE_TOO_NEW' }));
  });

  it('refuses a file that is not SQLite, and leaves it untouched', () => {
    const file = path.join(tempDir(), 'notes.sqlite');
    fs.writeFileSync(file, 'these are my notes, not a database\n'.repeat(100));
    const before = fs.readFileSync(file);
    expect(() => openWorkspace(file)).toThrow(
      expect.objectContaining({ code: 'WORKSPACE_UNAVAILABLE', message: expect.stringMatching(/not an SQLite database/) }),
    );
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a folder given as the workspace file', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'ws.sqlite'));
    expect(() => openWorkspace(path.join(dir, 'ws.sqlite'))).toThrow(
      expect.objectContaining({ code: 'WORKSPACE_UNAVAILABLE', message: expect.stringMatching(/folder/) }),
    );
  });

  it('treats an empty file as a new workspace', () => {
    const file = path.join(tempDir(), 'empty.sqlite');
    fs.writeFileSync(file, '');
    const { db, created } = openWorkspace(file);
    expect(created).toBe(true);
    expect(db.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    db.close();
  });

  it('migrates an older workspace forward', () => {
    const file = path.join(tempDir(), 'old.sqlite');
    const raw = new Database(file);
    migrate(raw, file, [], 0);
    raw.close();
    const { db, schemaVersion } = openWorkspace(file);
    expect(schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });
});
