/**
 * Where the workspace lives: --workspace / options first, then FLOWSIGHT_WORKSPACE,
 * then the per-user app-data folder of the OS.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FlowsightError } from '../../contract/errors.js';

export const WORKSPACE_FILE = 'workspace.sqlite';

export interface WorkspaceEnv {
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
  homedir?: string;
}

/** The OS per-user application-data folder for Flowsight (not created). */
export function appDataDir(envInfo: WorkspaceEnv = {}): string {
  const platform = envInfo.platform ?? process.platform;
  const env = envInfo.env ?? process.env;
  const home = envInfo.homedir ?? os.homedir();
  const p = platform === 'win32' ? path.win32 : path.posix;
  if (platform === 'win32') {
    const appData = env.APPDATA && env.APPDATA.trim() ? env.APPDATA : p.join(home, 'AppData', 'Roaming');
    return p.join(appData, 'Flowsight');
  }
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support', 'Flowsight');
  const xdg = env.XDG_DATA_HOME;
  // XDG says a relative XDG_DATA_HOME is invalid and must be ignored
  const base = xdg && p.isAbsolute(xdg) ? xdg : p.join(home, '.local', 'share');
  return p.join(base, 'flowsight');
}

/**
 * The workspace file path, without touching the disk.
 * `explicit` (from --workspace or BackendOptions) wins, then FLOWSIGHT_WORKSPACE, then appDataDir().
 * An explicit path naming an existing folder means `<folder>/workspace.sqlite`.
 */
export function resolveWorkspacePath(explicit?: string | null, envInfo: WorkspaceEnv = {}): string {
  const env = envInfo.env ?? process.env;
  const chosen = explicit && explicit.trim() ? explicit : env.FLOWSIGHT_WORKSPACE?.trim() ? env.FLOWSIGHT_WORKSPACE : null;
  if (chosen) {
    const abs = path.resolve(chosen);
    try {
      if (fs.statSync(abs).isDirectory()) return path.join(abs, WORKSPACE_FILE);
    } catch {
      /* does not exist yet: a file path */
    }
    return abs;
  }
  return path.join(appDataDir(envInfo), WORKSPACE_FILE);
}

/** Create the folder that will hold the workspace file (and its uploads/). */
export function ensureWorkspaceDir(workspacePath: string): string {
  const dir = path.dirname(workspacePath);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new FlowsightError(
      'WORKSPACE_UNAVAILABLE',
      `Cannot create the workspace folder ${dir}: ${(err as Error).message}. Choose another workspace with --workspace.`,
    );
  }
  return dir;
}
