import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../../../tests/support/backend-fixtures.js';
import { appDataDir, ensureWorkspaceDir, resolveWorkspacePath, WORKSPACE_FILE } from './workspace.js';

afterAll(removeTempDirs);

describe('resolveWorkspacePath', () => {
  it('prefers the explicit path over FLOWSIGHT_WORKSPACE and the app-data folder', () => {
    const env = { FLOWSIGHT_WORKSPACE: '/env/ws.sqlite' };
    expect(resolveWorkspacePath('/explicit/ws.sqlite', { env })).toBe(path.resolve('/explicit/ws.sqlite'));
    expect(resolveWorkspacePath(undefined, { env })).toBe(path.resolve('/env/ws.sqlite'));
    expect(resolveWorkspacePath('  ', { env })).toBe(path.resolve('/env/ws.sqlite'));
  });

  it('falls back to the per-user app-data folder of each OS', () => {
    const home = '/home/ana';
    expect(resolveWorkspacePath(undefined, { env: {}, platform: 'linux', homedir: home })).toBe(
      path.join('/home/ana/.local/share/flowsight', WORKSPACE_FILE),
    );
    expect(appDataDir({ env: { XDG_DATA_HOME: '/xdg' }, platform: 'linux', homedir: home })).toBe('/xdg/flowsight');
    expect(appDataDir({ env: { XDG_DATA_HOME: 'relative' }, platform: 'linux', homedir: home })).toBe(
      '/home/ana/.local/share/flowsight',
    );
    expect(appDataDir({ env: {}, platform: 'darwin', homedir: '/Users/ana' })).toBe(
      '/Users/ana/Library/Application Support/Flowsight',
    );
    expect(appDataDir({ env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, platform: 'win32', homedir: 'C:\\Users\\ana' })).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\Flowsight',
    );
  });

  it('treats an existing folder as the place for workspace.sqlite', () => {
    const dir = tempDir();
    expect(resolveWorkspacePath(dir, { env: {} })).toBe(path.join(dir, WORKSPACE_FILE));
  });

  it('resolves a relative path against the working folder', () => {
    expect(resolveWorkspacePath('rel/ws.sqlite', { env: {} })).toBe(path.resolve('rel/ws.sqlite'));
  });
});

describe('ensureWorkspaceDir', () => {
  it('creates missing folders', () => {
    const dir = tempDir();
    const file = path.join(dir, 'a', 'b', WORKSPACE_FILE);
    ensureWorkspaceDir(file);
    expect(fs.statSync(path.dirname(file)).isDirectory()).toBe(true);
  });

  it('fails with WORKSPACE_UNAVAILABLE when a file is in the way', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'blocker'), 'x');
    expect(() => ensureWorkspaceDir(path.join(dir, 'blocker', WORKSPACE_FILE))).toThrow(
      expect.objectContaining({ code: 'WORKSPACE_UNAVAILABLE' }),
    );
  });
});
