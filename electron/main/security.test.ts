import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SERVER_CSP } from '../server/security.js';
import { APP_CSP, isAppUrl, isExternalLink, openFilesOptions, workspaceFromArgs } from './security.js';
import { menuTemplate } from './menu.js';

const dir = join('/opt', 'flowsight', 'dist', 'renderer');
const index = pathToFileURL(join(dir, 'index.html')).href;

describe('desktop window policy', () => {
  it('allows only files inside the renderer folder', () => {
    expect(isAppUrl(index, dir)).toBe(true);
    expect(isAppUrl(`${index}#/datasets/3`, dir)).toBe(true);
    expect(isAppUrl(`${index}?x=1`, dir)).toBe(true);
    expect(isAppUrl(pathToFileURL(join(dir, 'assets', 'a.js')).href, dir)).toBe(true);
    expect(isAppUrl('file:///etc/passwd', dir)).toBe(false);
    expect(isAppUrl(pathToFileURL(join(dir, '..', 'renderer-evil', 'index.html')).href, dir)).toBe(false);
    expect(isAppUrl(`${pathToFileURL(dir).href}/..%2f..%2fsecret`, dir)).toBe(false);
    expect(isAppUrl('https://example.com/', dir)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:7411/', dir)).toBe(false);
    expect(isAppUrl('file://evil.example/share/index.html', dir)).toBe(false);
    expect(isAppUrl('not a url', dir)).toBe(false);
  });

  it('hands only https links to the system browser', () => {
    expect(isExternalLink('https://www.unb.ca/cic/datasets/ids-2017.html')).toBe(true);
    expect(isExternalLink('http://example.com')).toBe(false);
    expect(isExternalLink('file:///etc/passwd')).toBe(false);
    expect(isExternalLink('javascript:alert(1)')).toBe(false);
  });

  it('uses the server policy with connect-src limited to itself', () => {
    expect(APP_CSP).toBe(SERVER_CSP.replace("connect-src 'self' ws://127.0.0.1:* ws://localhost:*", "connect-src 'self'"));
  });

  it('reads dialog options and the workspace flag defensively', () => {
    expect(openFilesOptions({ folders: true })).toEqual({ folders: true });
    expect(openFilesOptions({ folders: 'true' })).toEqual({ folders: false });
    expect(openFilesOptions(null)).toEqual({ folders: false });
    expect(workspaceFromArgs(['electron', '.', '--workspace', '/w.sqlite'], {})).toBe('/w.sqlite');
    expect(workspaceFromArgs(['electron', '.', '--workspace=/x.sqlite'], { FLOWSIGHT_WORKSPACE: '/env' })).toBe('/x.sqlite');
    expect(workspaceFromArgs(['electron', '.'], { FLOWSIGHT_WORKSPACE: '/env' })).toBe('/env');
    expect(workspaceFromArgs(['electron', '.'], {})).toBeUndefined();
  });

  it('builds a menu whose import items send renderer actions', () => {
    const sent: string[] = [];
    const t = menuTemplate({ isMac: false, isDev: false, appName: 'Flowsight' }, { send: (a) => sent.push(a), about: () => sent.push('about') });
    const file = t.find((m) => m.label === 'File')!;
    const items = file.submenu as Array<{ label?: string; role?: string; click?: () => void }>;
    items.find((i) => i.label === 'Import Files…')!.click!();
    items.find((i) => i.label === 'Import Folder…')!.click!();
    expect(items.some((i) => i.role === 'quit')).toBe(true);
    const view = (t.find((m) => m.label === 'View')!.submenu as Array<{ label?: string; role?: string; click?: () => void }>);
    view.find((i) => i.label === 'Toggle Theme')!.click!();
    expect(view.some((i) => i.role === 'toggleDevTools')).toBe(false);
    const help = t.find((m) => m.role === 'help')!.submenu as Array<{ click?: () => void }>;
    help[0]!.click!();
    expect(sent).toEqual(['import-files', 'import-folder', 'toggle-theme', 'about']);
    const dev = menuTemplate({ isMac: true, isDev: true, appName: 'Flowsight' }, { send: () => undefined, about: () => undefined });
    expect(dev[0]!.role).toBe('appMenu');
    expect((dev.find((m) => m.label === 'View')!.submenu as Array<{ role?: string }>).some((i) => i.role === 'toggleDevTools')).toBe(true);
  });
});
