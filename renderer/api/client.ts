/**
 * The one way the UI talks to the backend. The transport is picked at runtime:
 * `window.flowsight` (Electron preload) when present, else a WebSocket to the page's host.
 */
import type {
  AnyEvent,
  CommandInput,
  CommandName,
  CommandResult,
  EventListener,
  PreloadBridge,
} from '../../electron/contract/index.js';
import { createBridgeTransport } from './bridge-transport.js';
import { WS_PATH } from './contract-values.js';
import { ApiCallError } from './errors.js';
import type { ConnectionState, Transport } from './transport.js';
import { type UploadProgress, uploadFile } from './upload.js';
import { createWsTransport } from './ws-transport.js';

declare global {
  interface Window {
    flowsight?: PreloadBridge;
  }
}

export interface Api {
  readonly face: 'electron' | 'browser';
  call<K extends CommandName>(name: K, input: CommandInput<K>): Promise<CommandResult<K>>;
  onEvent(listener: EventListener): () => void;
  /** native open dialog (Electron only); resolves to absolute paths, empty when cancelled */
  openFiles(options?: { folders?: boolean }): Promise<string[]>;
  /** browser face: uploads one file, resolves to its uploadId */
  upload(file: File, onProgress?: UploadProgress, signal?: AbortSignal): Promise<string>;
  connection(): ConnectionState;
  onConnection(listener: (state: ConnectionState) => void): () => void;
  retryNow(): void;
}

export function webSocketUrl(loc: Pick<Location, 'protocol' | 'host'>): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${WS_PATH}`;
}

export function pickTransport(win: Window = window): Transport {
  if (win.flowsight && typeof win.flowsight.call === 'function') return createBridgeTransport(win.flowsight);
  return createWsTransport({ url: webSocketUrl(win.location) });
}

export function createApi(getTransport: () => Transport): Api {
  return {
    get face() {
      return getTransport().kind;
    },
    call(name, input) {
      return getTransport().call(name, input) as Promise<never>;
    },
    onEvent(listener: (event: AnyEvent) => void) {
      return getTransport().onEvent(listener);
    },
    async openFiles(options = {}) {
      const t = getTransport();
      if (!t.openFiles) {
        throw new ApiCallError('UNSUPPORTED', 'The native file dialog exists only in the desktop app; choose files in the page instead.');
      }
      return t.openFiles(options);
    },
    async upload(file, onProgress, signal) {
      if (getTransport().kind !== 'browser') {
        throw new ApiCallError('UNSUPPORTED', 'Uploads are for the browser face; the desktop app imports files by path.');
      }
      const r = await uploadFile(file, onProgress, { signal });
      return r.uploadId;
    },
    connection: () => getTransport().connection(),
    onConnection: (listener) => getTransport().onConnection(listener),
    retryNow: () => getTransport().retryNow(),
  };
}

let transport: Transport | null = null;

function current(): Transport {
  transport ??= pickTransport();
  return transport;
}

/** Replace the transport (tests) — closes the previous one. */
export function setTransport(next: Transport | null): void {
  transport?.close();
  transport = next;
}

export const api: Api = createApi(current);
