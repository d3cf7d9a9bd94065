/** Where the app's files are, whether running from source (tsx), from dist/, or packaged. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | null = null;

/** The folder holding Flowsight's package.json (repo root, or the app folder when packaged). */
export function appRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'flowsight') {
          cachedRoot = dir;
          return dir;
        }
      } catch {
        // not ours; keep walking
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  // fall back to <root>/electron/server -> <root> (or dist/electron/server -> dist/..)
  cachedRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  return cachedRoot;
}

/** The built renderer (Vite output). */
export function defaultRendererDir(): string {
  return join(appRoot(), 'dist', 'renderer');
}

export function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
