/**
 * Every schema migration, in order. Add a file NNN-name.ts (with NNN-name.test.ts) and list it here;
 * static imports keep this working when bundled.
 */
import Database from 'better-sqlite3';
import { FlowsightError } from '../../../contract/errors.js';
import { migration001 } from './001-initial.js';
import { migration002 } from './002-models.js';
import { migration003 } from './003-live.js';
import type { Migration } from './types.js';

export type { Migration } from './types.js';

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function tooNewError(workspacePath: string, found: number, latest = LATEST_SCHEMA_VERSION): FlowsightError {
  return new FlowsightError(
    'WORKSPACE_TOO_NEW',
    `This workspace (${workspacePath}) was written by a newer version of Flowsight (schema ${found}; this version knows up to ${latest}). Update Flowsight or choose another workspace with --workspace.`,
  );
}

/**
 * Bring the database to `upTo` (default: the latest). Each migration runs in its own IMMEDIATE
 * transaction that re-reads user_version first, so two processes opening the same new workspace
 * do not both apply it. Refuses a database newer than this app.
 */
export function migrate(
  db: Database.Database,
  workspacePath: string,
  migrations: readonly Migration[] = MIGRATIONS,
  upTo?: number,
): { from: number; to: number } {
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
  const target = upTo ?? latest;
  const from = schemaVersion(db);
  if (from > latest) throw tooNewError(workspacePath, from, latest);
  for (const m of migrations) {
    if (m.version > target) break;
    const step = db.transaction(() => {
      const current = schemaVersion(db);
      if (current >= m.version) return;
      if (current !== m.version - 1) {
        throw new FlowsightError(
          'WORKSPACE_UNAVAILABLE',
          `The workspace ${workspacePath} has schema ${current}, which cannot be upgraded by migration ${m.version} (${m.name}).`,
        );
      }
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    });
    step.immediate();
  }
  return { from, to: schemaVersion(db) };
}
