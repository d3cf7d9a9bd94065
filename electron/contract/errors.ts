/** Error codes that cross the API. Every failure a person can see is `{ code, message }`. */
export const ERROR_CODES = [
  'BAD_INPUT', // the command's input failed validation
  'UNKNOWN_COMMAND',
  'NOT_FOUND', // a dataset, job, upload or file that does not exist
  'IMPORT_REJECTED', // the file(s) could not be imported as flows; nothing was stored
  'CANCELLED', // the user cancelled the job
  'BUSY', // the workspace is locked by another writer for too long
  'WORKSPACE_TOO_NEW', // written by a newer Flowsight
  'WORKSPACE_UNAVAILABLE', // cannot be opened or created
  'INTERNAL', // a bug: the message says what failed
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  code: ErrorCode;
  message: string;
}

/** Thrown by the backend; serialised as ApiError by every face. */
export class FlowsightError extends Error implements ApiError {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'FlowsightError';
    this.code = code;
  }
  toJSON(): ApiError {
    return { code: this.code, message: this.message };
  }
}

export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ApiError };

export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiError).code === 'string' &&
    typeof (value as ApiError).message === 'string'
  );
}
