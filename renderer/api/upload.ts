/** Browser face upload: the raw File as the body of POST <UPLOAD_PATH>?name=<file name>. */
import type { Envelope, UploadResult } from '../../electron/contract/index.js';
import { UPLOAD_PATH } from './contract-values.js';
import { ApiCallError, toApiCallError } from './errors.js';

export interface UploadOptions {
  signal?: AbortSignal;
  /** base URL of the server (default: the page's origin) */
  base?: string;
  createXhr?: () => XMLHttpRequest;
}

export type UploadProgress = (loaded: number, total: number) => void;

export function uploadFile(file: File, onProgress?: UploadProgress, options: UploadOptions = {}): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new ApiCallError('ABORTED', 'The upload was cancelled.'));
      return;
    }
    const xhr = options.createXhr ? options.createXhr() : new XMLHttpRequest();
    const url = `${options.base ?? ''}${UPLOAD_PATH}?name=${encodeURIComponent(file.name)}`;
    xhr.open('POST', url);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.responseType = 'text';
    const onAbort = () => xhr.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => options.signal?.removeEventListener('abort', onAbort);

    xhr.upload.onprogress = (ev) => {
      onProgress?.(ev.loaded, ev.lengthComputable ? ev.total : file.size);
    };
    xhr.onload = () => {
      done();
      let envelope: Envelope<UploadResult> | null = null;
      try {
        envelope = JSON.parse(xhr.responseText) as Envelope<UploadResult>;
      } catch {
        envelope = null;
      }
      if (envelope && typeof envelope === 'object' && 'ok' in envelope) {
        if (envelope.ok) {
          onProgress?.(file.size, file.size);
          resolve(envelope.result);
        } else reject(toApiCallError(envelope.error));
        return;
      }
      reject(
        new ApiCallError(
          'UPLOAD_FAILED',
          `The server did not accept "${file.name}" (HTTP ${xhr.status}${xhr.statusText ? ` ${xhr.statusText}` : ''}).`,
        ),
      );
    };
    xhr.onerror = () => {
      done();
      reject(new ApiCallError('UPLOAD_FAILED', `Uploading "${file.name}" failed: the Flowsight server could not be reached.`));
    };
    xhr.onabort = () => {
      done();
      reject(new ApiCallError('ABORTED', 'The upload was cancelled.'));
    };
    xhr.send(file);
  });
}
