/**
 * The backend as every face sees it. Implemented in ./index.ts (createBackend).
 * Faces (electron/main, electron/server, electron/cli) only move envelopes and events.
 */
import type { Readable } from 'node:stream';
import type { CommandInput, CommandName, CommandResult } from '../contract/commands.js';
import type { Face } from '../contract/dto.js';
import type { EventListener } from '../contract/events.js';
import type { UploadResult } from '../contract/transport.js';

export interface BackendOptions {
  /** path of the workspace SQLite file; default: resolveWorkspacePath() */
  workspacePath?: string;
  /** folder holding samples/ (default: <repo or app>/resources) */
  resourcesDir?: string;
  face: Face;
  /** restart file and folder monitors a crash or quit interrupted (long-running faces) */
  resumeMonitors?: boolean;
}

export interface Backend {
  readonly workspacePath: string;
  /**
   * Validate `input` with the command's zod schema, run it, resolve with the result.
   * Rejects with FlowsightError ({code, message}) — never with anything else.
   */
  call<K extends CommandName>(name: K, input: CommandInput<K>): Promise<CommandResult<K>>;
  /** untyped entry for transports: validates the name too (UNKNOWN_COMMAND) */
  callUnknown(name: string, input: unknown): Promise<unknown>;
  /** subscribe to every push event; returns unsubscribe */
  on(listener: EventListener): () => void;
  /** store an uploaded file (browser face) in the workspace's upload area */
  receiveUpload(fileName: string, body: Readable | AsyncIterable<Uint8Array>): Promise<UploadResult>;
  /** finish or cancel running jobs, close the database */
  close(): Promise<void>;
}
