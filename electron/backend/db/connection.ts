/**
 * Opening the workspace: better-sqlite3 in WAL mode, foreign keys on, synchronous NORMAL,
 * 64 KiB pages (set on a new file before WAL: the workspace is mostly column BLOBs).
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { FlowsightError } from '../../contract/errors.js';
import { messageOf, sqliteCode } from '../errors.js';
import { LATEST_SCHEMA_VERSION, migrate, schemaVersion, tooNewError } from './migrations/index.js';
import { ensureWorkspaceDir } from './workspace.js';

export type Db = Database.Database;

export const PAGE_SIZE = 65536;
/** The UI thread must not freeze for long on a lock held by another process. */
export const MAIN_BUSY_TIMEOUT_MS = 5000;
/** Import workers may wait longer for the write lock (they are off the UI thread). */
export const WORKER_BUSY_TIMEOUT_MS = 250;

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

function unavailable(workspacePath: string, why: string): FlowsightError {
  return new FlowsightError(
    'WORKSPACE_UNAVAILABLE',
    `Cannot open the workspace ${workspacePath}: ${why}. Choose another workspace with --workspace.`,
  );
}

/** Inspect the path before SQLite does, for messages a person can act on. Returns true for a new (absent or empty) file. */
function checkFile(workspacePath: string): boolean {
  let st: fs.Stats;
  try {
    st = fs.statSync(workspacePath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw unavailable(workspacePath, messageOf(err));
  }
  if (st.isDirectory()) throw unavailable(workspacePath, 'it is a folder, not a file');
  if (!st.isFile()) throw unavailable(workspacePath, 'it is not a regular file');
  if (st.size === 0) return true;
  const head = Buffer.alloc(16);
  let fd: number | null = null;
  try {
    fd = fs.openSync(workspacePath, 'r');
    fs.readSync(fd, head, 0, 16, 0);
  } catch (err) {
    throw unavailable(workspacePath, messageOf(err));
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
  if (!head.equals(SQLITE_MAGIC)) {
    throw new FlowsightError(
      'WORKSPACE_UNAVAILABLE',
      `The file ${workspacePath} is not a Flowsight workspace (it is not an SQLite database). Choose another workspace with --workspace.`,
    );
  }
  return false;
}

function applyPragmas(db: Db, busyTimeoutMs: number): void {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('temp_store = MEMORY');
  // after a checkpoint, shrink a WAL that a big import grew (it holds the whole import until COMMIT)
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
}

export interface OpenResult {
  db: Db;
  created: boolean;
  schemaVersion: number;
}

/**
 * Open (creating if needed) and migrate the workspace for the main thread.
 * Throws WORKSPACE_TOO_NEW / WORKSPACE_UNAVAILABLE / BUSY as FlowsightErrors.
 */
export function openWorkspace(workspacePath: string, options: { busyTimeoutMs?: number } = {}): OpenResult {
  ensureWorkspaceDir(workspacePath);
  const created = checkFile(workspacePath);
  let db: Db;
  try {
    db = new Database(workspacePath, { timeout: options.busyTimeoutMs ?? MAIN_BUSY_TIMEOUT_MS });
  } catch (err) {
    throw unavailable(workspacePath, messageOf(err));
  }
  try {
    if (created) {
      // must precede the first write (journal_mode=WAL writes the header); fixed once in WAL
      db.pragma(`page_size = ${PAGE_SIZE}`);
      // lets a delete give space back with PRAGMA incremental_vacuum
      db.pragma('auto_vacuum = INCREMENTAL');
    }
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (String(mode).toLowerCase() !== 'wal') {
      throw unavailable(workspacePath, `SQLite could not use write-ahead logging there (journal mode stays ${mode}); a network drive?`);
    }
    applyPragmas(db, options.busyTimeoutMs ?? MAIN_BUSY_TIMEOUT_MS);
    migrate(db, workspacePath);
    return { db, created, schemaVersion: schemaVersion(db) };
  } catch (err) {
    try {
      db.close();
    } catch {
      /* already failing */
    }
    if (err instanceof FlowsightError) throw err;
    const code = sqliteCode(err);
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new FlowsightError(
        'WORKSPACE_UNAVAILABLE',
        `The file ${workspacePath} is not a usable Flowsight workspace (${messageOf(err)}). Choose another workspace with --workspace.`,
      );
    }
    if (code === 'SQLITE_BUSY') {
      throw new FlowsightError(
        'BUSY',
        `The workspace ${workspacePath} is locked by another process for too long. Try again, or choose another workspace with --workspace.`,
      );
    }
    throw unavailable(workspacePath, messageOf(err));
  }
}

/**
 * A worker's own connection to an existing, migrated workspace. Refuses a schema it does not know
 * (the file may have been upgraded by a newer app since the main thread opened it).
 */
export function openWorkerConnection(workspacePath: string, busyTimeoutMs = WORKER_BUSY_TIMEOUT_MS): Db {
  let db: Db;
  try {
    db = new Database(workspacePath, { fileMustExist: true, timeout: busyTimeoutMs });
  } catch (err) {
    throw unavailable(workspacePath, messageOf(err));
  }
  try {
    applyPragmas(db, busyTimeoutMs);
    const v = schemaVersion(db);
    if (v > LATEST_SCHEMA_VERSION) throw tooNewError(workspacePath, v);
    if (v < LATEST_SCHEMA_VERSION) throw unavailable(workspacePath, `its schema (${v}) is older than expected`);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
