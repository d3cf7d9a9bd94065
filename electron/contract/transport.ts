/**
 * Wire shapes shared by the faces.
 * WebSocket (server face): client sends {t:'call'}, server answers {t:'result'} and pushes {t:'event'}.
 * HTTP: POST /api/<command> with the JSON input answers an Envelope.
 * Upload (browser face): POST /api/upload?name=<file name> with the raw bytes answers
 *   Envelope<{uploadId, bytes}>; pass the ids to datasets.import as uploadIds.
 * Electron IPC: ipcRenderer.invoke(IPC_CALL, name, input) answers an Envelope; events on IPC_EVENT.
 */
import type { ApiError } from './errors.js';
import type { AnyEvent } from './events.js';

export const IPC_CALL = 'flowsight:call';
export const IPC_EVENT = 'flowsight:event';
export const IPC_OPEN_FILES = 'flowsight:open-files';
export const WS_PATH = '/ws';
export const UPLOAD_PATH = '/api/upload';

export type ClientMessage = { t: 'call'; id: number; name: string; input: unknown };
export type ServerMessage =
  | { t: 'result'; id: number; ok: true; result: unknown }
  | { t: 'result'; id: number; ok: false; error: ApiError }
  | ({ t: 'event' } & AnyEvent);

export interface UploadResult {
  uploadId: string;
  bytes: number;
}

/** What the preload script exposes as `window.flowsight` in the desktop app. */
export interface PreloadBridge {
  call(name: string, input: unknown): Promise<{ ok: true; result: unknown } | { ok: false; error: ApiError }>;
  onEvent(listener: (event: AnyEvent) => void): () => void;
  /** native open-file dialog; resolves to absolute paths (empty when cancelled) */
  openFiles(options: { folders?: boolean }): Promise<string[]>;
}
