/** The application menu, as a template (built into a Menu by index.ts). */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuAction } from '../contract/events.js';

export interface MenuHandlers {
  /** forward an action to the focused window's renderer (event 'app.menu') */
  send(action: MenuAction): void;
  about(): void;
}

export function menuTemplate(opts: { isMac: boolean; isDev: boolean; appName: string }, h: MenuHandlers): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Import Files…', accelerator: 'CmdOrCtrl+O', click: () => h.send('import-files') },
      { label: 'Import Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => h.send('import-folder') },
      { type: 'separator' },
      opts.isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { label: 'Toggle Theme', accelerator: 'CmdOrCtrl+Shift+T', click: () => h.send('toggle-theme') },
      { type: 'separator' },
      ...(opts.isDev
        ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[])
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [{ label: `About ${opts.appName}`, click: () => h.about() }],
  };
  return [
    ...(opts.isMac ? ([{ role: 'appMenu' }] as MenuItemConstructorOptions[]) : []),
    file,
    // copy / paste shortcuts only work when an Edit menu provides them (macOS)
    { role: 'editMenu' },
    view,
    ...(opts.isMac ? ([{ role: 'windowMenu' }] as MenuItemConstructorOptions[]) : []),
    help,
  ];
}
