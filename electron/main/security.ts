/** Pure policy of the desktop window (no Electron import, so it is unit-tested under Node). */
import { relative, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The renderer's CSP in the desktop app: like the server's, but the only connection is to itself. */
export const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** True when `url` is a file inside the built renderer folder (hash and query allowed). */
export function isAppUrl(url: string, rendererDir: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'file:' || (parsed.host !== '' && parsed.host !== 'localhost')) return false;
  let path: string;
  try {
    path = fileURLToPath(parsed); // ignores ?query and #hash; refuses encoded slashes
  } catch {
    return false;
  }
  const rel = relative(rendererDir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** Links the app may hand to the system browser (citations, docs); never loaded in the window. */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/** What the native open dialog offers for import. */
export const FLOW_FILE_FILTERS = [
  { name: 'Flow records', extensions: ['csv', 'txt', 'tsv', 'log', 'labeled', 'json', 'ndjson'] },
  { name: 'All files', extensions: ['*'] },
];

/** Validate what the renderer sent with IPC_OPEN_FILES. */
export function openFilesOptions(input: unknown): { folders: boolean } {
  const folders = typeof input === 'object' && input !== null && (input as { folders?: unknown }).folders === true;
  return { folders };
}

/** `--workspace PATH` / `--workspace=PATH` on Electron's command line, else FLOWSIGHT_WORKSPACE. */
export function workspaceFromArgs(argv: string[], env: Record<string, string | undefined>): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--workspace' && argv[i + 1]) return argv[i + 1];
    if (a.startsWith('--workspace=') && a.length > '--workspace='.length) return a.slice('--workspace='.length);
  }
  return env.FLOWSIGHT_WORKSPACE?.trim() ? env.FLOWSIGHT_WORKSPACE : undefined;
}
