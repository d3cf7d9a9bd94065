/** What a CLI command may touch: streams, environment, the backend factory, signals. */
import type { Backend, BackendOptions } from '../backend/api.js';

export interface OutStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

export interface CliContext {
  stdout: OutStream;
  stderr: OutStream;
  env: Record<string, string | undefined>;
  cwd: string;
  createBackend(opts: BackendOptions): Promise<Backend>;
  /** subscribe to SIGINT / SIGTERM; returns unsubscribe */
  onSignal(signal: 'SIGINT' | 'SIGTERM', handler: () => void): () => void;
}

export interface GlobalFlags {
  workspacePath: string | undefined;
  debug: boolean;
}

/** Exit codes */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;
