import { FlowsightError } from '../../contract/errors.js';
import { FlowDataError } from '../../../ml-core/data/types.js';

export function cancelledError(): FlowsightError {
  return new FlowsightError('CANCELLED', 'The import was cancelled; nothing was stored.');
}

/** FlowDataError (a file that cannot be imported) -> IMPORT_REJECTED with its message; others pass. */
export function mapParseError(err: unknown): unknown {
  if (err instanceof FlowDataError) return new FlowsightError('IMPORT_REJECTED', err.message);
  if (err && typeof err === 'object' && (err as { name?: unknown }).name === 'FlowDataError') {
    return new FlowsightError('IMPORT_REJECTED', (err as Error).message);
  }
  return err;
}
