import type { AnyEvent } from '../../electron/contract/index.js';

export type ConnectionStatus =
  /** first connection attempt in progress */
  | 'connecting'
  | 'open'
  /** lost (or never reached); a new attempt is scheduled */
  | 'reconnecting';

export interface ConnectionState {
  status: ConnectionStatus;
  /** consecutive failed attempts since the last successful open */
  attempts: number;
  /** epoch ms of the next attempt while reconnecting */
  retryAt: number | null;
  /** true once a connection has been open at least once */
  everOpened: boolean;
}

/** How the client reaches the backend: the preload bridge or a WebSocket. */
export interface Transport {
  readonly kind: 'electron' | 'browser';
  /** resolves with the command's result; rejects with ApiCallError */
  call(name: string, input: unknown): Promise<unknown>;
  onEvent(listener: (event: AnyEvent) => void): () => void;
  connection(): ConnectionState;
  onConnection(listener: (state: ConnectionState) => void): () => void;
  /** skip the backoff wait and try to connect now (no-op when open) */
  retryNow(): void;
  openFiles?(options: { folders?: boolean }): Promise<string[]>;
  close(): void;
}
