/** Turning whatever a call threw into the `{ code, message }` every face sends. */
import { ERROR_CODES, type ApiError, type Envelope, type ErrorCode } from '../contract/errors.js';

const KNOWN = new Set<string>(ERROR_CODES);

export function toApiError(err: unknown): ApiError {
  if (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as ApiError).code === 'string' &&
    typeof (err as ApiError).message === 'string' &&
    KNOWN.has((err as ApiError).code)
  ) {
    return { code: (err as ApiError).code, message: (err as ApiError).message };
  }
  const detail = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `Flowsight hit an internal error: ${detail}` };
}

export async function envelopeOf(run: () => Promise<unknown>): Promise<Envelope<unknown>> {
  try {
    return { ok: true, result: await run() };
  } catch (err) {
    return { ok: false, error: toApiError(err) };
  }
}

/** HTTP status for an error code; the body is always the Envelope. */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'BAD_INPUT':
      return 400;
    case 'UNKNOWN_COMMAND':
    case 'NOT_FOUND':
      return 404;
    case 'CANCELLED':
    case 'WORKSPACE_TOO_NEW':
      return 409;
    case 'IMPORT_REJECTED':
      return 422;
    case 'BUSY':
    case 'WORKSPACE_UNAVAILABLE':
      return 503;
    default:
      return 500;
  }
}
