/**
 * The desktop face: one secure window over the built renderer, the backend in this (main)
 * process, IPC as envelopes, backend events pushed to every window, native dialogs and menus.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  Notification,
  session,
  shell,
  type IpcMainInvokeEvent,
  type OpenDialogOptions,
} from 'electron';
import type { Backend } from '../backend/api.js';
import { ERROR_CODES, type ApiError, type Envelope } from '../contract/errors.js';
import type { AnyEvent, MenuAction } from '../contract/events.js';
import { IPC_CALL, IPC_EVENT, IPC_OPEN_FILES } from '../contract/transport.js';
import { AlertNotifier } from '../backend/live/notify.js';
import { menuTemplate } from './menu.js';
import { APP_CSP, FLOW_FILE_FILTERS, isAppUrl, isExternalLink, openFilesOptions, workspaceFromArgs } from './security.js';

const here = dirname(fileURLToPath(import.meta.url)); // <app>/dist/electron/main
const rendererDir = join(here, '..', '..', 'renderer'); // <app>/dist/renderer
const rendererIndex = join(rendererDir, 'index.html');
const preloadPath = join(here, '..', 'preload', 'index.cjs');
const isDev = !app.isPackaged;

let backend: Backend | null = null;
let backendClosed = false;

function toApiError(err: unknown): ApiError {
  const e = err as Partial<ApiError> | null;
  if (e && typeof e.code === 'string' && typeof e.message === 'string' && (ERROR_CODES as readonly string[]).includes(e.code)) {
    return { code: e.code as ApiError['code'], message: e.message };
  }
  return { code: 'INTERNAL', message: `Flowsight hit an internal error: ${err instanceof Error ? err.message : String(err)}` };
}

/** Only our own page may use the bridge (a navigated or injected frame gets nothing). */
function fromApp(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url;
  return typeof url === 'string' && isAppUrl(url, rendererDir);
}

function broadcast(event: AnyEvent): void {
  for (const win of BrowserWindow.getAllWindows()) {
    if (!win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send(IPC_EVENT, event);
  }
}

const notifier = new AlertNotifier();

/** New high-severity alerts as a desktop notification (one per burst); clicking shows the window. */
function notifyAlerts(event: AnyEvent): void {
  if (event.name !== 'alerts.created' || !Notification.isSupported()) return;
  const notice = notifier.next(event.payload.alerts);
  if (!notice) return;
  const n = new Notification({ title: notice.title, body: notice.body });
  n.on('click', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win && !win.isDestroyed()) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  n.show();
}

function sendMenuAction(action: MenuAction): void {
  const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT, { name: 'app.menu', payload: { action } } satisfies AnyEvent);
}

function registerIpc(b: Backend): void {
  ipcMain.handle(IPC_CALL, async (event, name: unknown, input: unknown): Promise<Envelope<unknown>> => {
    if (!fromApp(event)) return { ok: false, error: { code: 'BAD_INPUT', message: 'This page may not call Flowsight.' } };
    if (typeof name !== 'string') return { ok: false, error: { code: 'BAD_INPUT', message: 'A command name must be a string.' } };
    try {
      return { ok: true, result: await b.callUnknown(name, input ?? {}) };
    } catch (err) {
      return { ok: false, error: toApiError(err) };
    }
  });

  ipcMain.handle(IPC_OPEN_FILES, async (event, options: unknown): Promise<string[]> => {
    if (!fromApp(event)) return [];
    const { folders } = openFilesOptions(options);
    const dialogOptions: OpenDialogOptions = folders
      ? { title: 'Import a folder of flow records', properties: ['openDirectory', 'multiSelections'] }
      : { title: 'Import flow records', properties: ['openFile', 'multiSelections'], filters: FLOW_FILE_FILTERS };
    const owner = BrowserWindow.fromWebContents(event.sender);
    const picked = owner ? await dialog.showOpenDialog(owner, dialogOptions) : await dialog.showOpenDialog(dialogOptions);
    return picked.canceled ? [] : picked.filePaths;
  });
}

function hardenSession(): void {
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } });
  });
  // no remote content, ever: the app works offline and loads only its own files
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (_details, callback) =>
    callback({ cancel: true }),
  );
  // desktop notifications will ask here (a later issue); until then nothing is granted
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'clipboard-sanitized-write'));
  ses.setPermissionCheckHandler((_wc, permission) => permission === 'clipboard-sanitized-write');
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    title: 'Flowsight',
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // never leave an invisible window behind if the page fails to paint
  setTimeout(() => {
    if (!win.isDestroyed() && !win.isVisible()) win.show();
  }, 5000).unref();

  const { webContents } = win;
  webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  const keepInApp = (event: { preventDefault(): void; url: string }) => {
    if (!isAppUrl(event.url, rendererDir)) event.preventDefault();
  };
  webContents.on('will-navigate', keepInApp);
  webContents.on('will-redirect', keepInApp);
  webContents.on('will-frame-navigate', keepInApp);

  void win.loadFile(rendererIndex);
  return win;
}

function showAbout(): void {
  const win = BrowserWindow.getFocusedWindow();
  const options = {
    type: 'info' as const,
    title: 'About Flowsight',
    message: `Flowsight ${app.getVersion()}`,
    detail: [
      'A workbench for network flow records and attack classifiers. Works offline; all data stays in one local file.',
      '',
      `Workspace: ${backend?.workspacePath ?? '(not open)'}`,
      `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
    ].join('\n'),
  };
  void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
}

async function start(): Promise<void> {
  if (!existsSync(rendererIndex)) {
    dialog.showErrorBox('Flowsight is not built yet', 'The interface (dist/renderer) is missing: run npm run build, then start Flowsight again.');
    app.exit(1);
    return;
  }
  let b: Backend;
  try {
    // loaded here, not at the top, so a native-module failure becomes a readable dialog
    const { createBackend } = await import('../backend/index.js');
    b = await createBackend({
      face: 'electron',
      resumeMonitors: true,
      workspacePath: workspaceFromArgs(process.argv, process.env),
      // packaged: electron-builder copies resources/samples to <resources>/samples
      resourcesDir: app.isPackaged ? process.resourcesPath : undefined,
    });
  } catch (err) {
    const message = /NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(String((err as Error)?.message))
      ? 'better-sqlite3 is built for Node rather than Electron. Run "npx electron-builder install-app-deps" (needs network), then start again.'
      : toApiError(err).message;
    dialog.showErrorBox('Flowsight cannot start', message);
    app.exit(1);
    return;
  }
  backend = b;
  b.on(broadcast);
  b.on(notifyAlerts);
  registerIpc(b);
  hardenSession();
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({ isMac: process.platform === 'darwin', isDev, appName: 'Flowsight' }, { send: sendMenuAction, about: showAbout }),
    ),
  );
  createWindow();
}

// ---- lifecycle ----
app.enableSandbox();
app.setName('Flowsight');

if (!app.requestSingleInstanceLock()) {
  // one process per workspace: a second start focuses the first window
  app.quit();
} else {
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (backend && BrowserWindow.getAllWindows().length === 0) createWindow();
  });

  app.on('before-quit', (event) => {
    // finish or cancel running jobs and close SQLite before the process goes
    if (!backend || backendClosed) return;
    event.preventDefault();
    const b = backend;
    backend = null;
    void b
      .close()
      .catch(() => undefined)
      .finally(() => {
        backendClosed = true;
        app.quit();
      });
  });

  app.whenReady().then(start, (err: unknown) => {
    dialog.showErrorBox('Flowsight cannot start', err instanceof Error ? err.message : String(err));
    app.exit(1);
  });
}
