/**
 * The desktop preload: exposes `window.flowsight` (PreloadBridge) to the renderer.
 *
 * It runs sandboxed, where `require` knows only 'electron' and a few Node built-ins, so this file
 * is CommonJS (.cts -> .cjs) and imports nothing at run time but 'electron'. The channel names are
 * copies of electron/contract/transport.ts (a test keeps them equal).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AnyEvent } from '../contract/events.js' with { 'resolution-mode': 'import' };
import type { PreloadBridge } from '../contract/transport.js' with { 'resolution-mode': 'import' };

const IPC_CALL = 'flowsight:call';
const IPC_EVENT = 'flowsight:event';
const IPC_OPEN_FILES = 'flowsight:open-files';

const bridge: PreloadBridge = {
  call(name: string, input: unknown) {
    return ipcRenderer.invoke(IPC_CALL, String(name), input ?? {});
  },
  onEvent(listener: (event: AnyEvent) => void) {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
    const handler = (_event: IpcRendererEvent, payload: AnyEvent) => listener(payload);
    ipcRenderer.on(IPC_EVENT, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, handler);
    };
  },
  openFiles(options: { folders?: boolean }) {
    return ipcRenderer.invoke(IPC_OPEN_FILES, { folders: options?.folders === true });
  },
};

contextBridge.exposeInMainWorld('flowsight', bridge);
