/**
 * Turning anything thrown into a FlowsightError ({code, message}) a person can act on.
 */
import { ERROR_CODES, FlowsightError, type ApiError, type ErrorCode } from '../contract/errors.js';

/** better-sqlite3's SqliteError carries `code` like 'SQLITE_BUSY'. */
export function sqliteCode(err: unknown): string | null {
  if (err && typeof err === 'object' && 'code' in err) {
    const code = (err as { code: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
  }
  return null;
}

export function isBusy(err: unknown): boolean {
  const code = sqliteCode(err);
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || (code?.startsWith('SQLITE_BUSY_') ?? false);
}

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

export const BUSY_MESSAGE =
  'The workspace is busy: another Flowsight process is writing to it. Try again when it has finished.';

/**
 * Any error -> FlowsightError. FlowsightErrors pass through; SQLite lock errors become BUSY;
 * a full disk says so; everything else is INTERNAL with `what` naming what failed.
 */
export function toFlowsightError(err: unknown, what: string): FlowsightError {
  if (err instanceof FlowsightError) return err;
  if (isApiErrorLike(err)) return new FlowsightError(err.code, err.message);
  if (isBusy(err)) return new FlowsightError('BUSY', BUSY_MESSAGE);
  const code = sqliteCode(err);
  if (code === 'SQLITE_FULL') {
    return new FlowsightError('INTERNAL', `${what}: the disk holding the workspace is full (${messageOf(err)}).`);
  }
  if (err && typeof err === 'object' && (err as { code?: unknown }).code === 'ENOSPC') {
    return new FlowsightError('INTERNAL', `${what}: the disk is full (${messageOf(err)}).`);
  }
  return new FlowsightError('INTERNAL', `${what}: ${messageOf(err)}`);
}

/** An {code, message} object whose code is one of ours (e.g. deserialised from a worker). */
export function isApiErrorLike(value: unknown): value is ApiError {
  if (value instanceof FlowsightError) return true;
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { code?: unknown; message?: unknown; name?: unknown };
  return (
    typeof v.code === 'string' &&
    typeof v.message === 'string' &&
    (ERROR_CODES as readonly string[]).includes(v.code) &&
    !(value instanceof Error && v.name !== 'FlowsightError')
  );
}

export function serializeError(err: unknown, what: string): ApiError {
  const e = toFlowsightError(err, what);
  return { code: e.code, message: e.message };
}

export function fromApiError(e: ApiError): FlowsightError {
  const code: ErrorCode = (ERROR_CODES as readonly string[]).includes(e.code) ? e.code : 'INTERNAL';
  return new FlowsightError(code, e.message);
}
