import type { ApiError } from '../../electron/contract/index.js';

/** Codes produced by the client itself (the backend's codes are in electron/contract/errors.ts). */
export type ClientErrorCode = 'DISCONNECTED' | 'UNSUPPORTED' | 'UPLOAD_FAILED' | 'ABORTED';

/** Every rejection of the api client is one of these: `{ code, message }` plus an Error. */
export class ApiCallError extends Error implements Omit<ApiError, 'code'> {
  readonly code: ApiError['code'] | ClientErrorCode;
  constructor(code: ApiError['code'] | ClientErrorCode, message: string) {
    super(message);
    this.name = 'ApiCallError';
    this.code = code;
  }
}

/** One readable sentence for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  if (typeof err === 'object' && err !== null && typeof (err as ApiError).message === 'string') {
    return (err as ApiError).message;
  }
  if (typeof err === 'string' && err) return err;
  return 'Something went wrong.';
}

export function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && typeof (err as ApiError).code === 'string') {
    return (err as ApiError).code;
  }
  return undefined;
}

export function toApiCallError(error: unknown): ApiCallError {
  if (error instanceof ApiCallError) return error;
  if (typeof error === 'object' && error !== null) {
    const e = error as Partial<ApiError>;
    if (typeof e.code === 'string' && typeof e.message === 'string') {
      return new ApiCallError(e.code as ApiError['code'], e.message);
    }
  }
  return new ApiCallError('INTERNAL', errorMessage(error));
}
