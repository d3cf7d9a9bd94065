import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { IPC_CALL, IPC_EVENT, IPC_OPEN_FILES, type PreloadBridge } from '../contract/transport.js';

/** Run the preload the way a sandboxed renderer does: CommonJS, `require` knows only 'electron'. */
function loadPreload() {
  const source = readFileSync(new URL('./index.cts', import.meta.url), 'utf8');
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  const exposed: Record<string, unknown> = {};
  const invokes: Array<{ channel: string; args: unknown[] }> = [];
  const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
  const required: string[] = [];
  const electron = {
    contextBridge: {
      exposeInMainWorld(key: string, api: unknown) {
        exposed[key] = api;
      },
    },
    ipcRenderer: {
      invoke(channel: string, ...args: unknown[]) {
        invokes.push({ channel, args });
        return Promise.resolve({ ok: true, result: channel });
      },
      on(channel: string, fn: (...a: unknown[]) => void) {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(fn);
      },
      removeListener(channel: string, fn: (...a: unknown[]) => void) {
        listeners.get(channel)?.delete(fn);
      },
    },
  };
  const module = { exports: {} as Record<string, unknown> };
  runInNewContext(js, {
    module,
    exports: module.exports,
    require(name: string) {
      required.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return electron;
    },
  });
  return { bridge: exposed.flowsight as PreloadBridge, invokes, listeners, required, exposed };
}

describe('preload', () => {
  it('requires nothing but electron and exposes only window.flowsight', () => {
    const { required, exposed } = loadPreload();
    expect(required).toEqual(['electron']);
    expect(Object.keys(exposed)).toEqual(['flowsight']);
  });

  it('uses the contract channel names', async () => {
    const { bridge, invokes, listeners } = loadPreload();
    await bridge.call('datasets.list', {});
    await bridge.openFiles({ folders: true });
    bridge.onEvent(() => undefined);
    expect(invokes[0]).toEqual({ channel: IPC_CALL, args: ['datasets.list', {}] });
    expect(invokes[1]).toEqual({ channel: IPC_OPEN_FILES, args: [{ folders: true }] });
    expect([...listeners.keys()]).toEqual([IPC_EVENT]);
  });

  it('delivers events and unsubscribes', () => {
    const { bridge, listeners } = loadPreload();
    const got: unknown[] = [];
    const off = bridge.onEvent((e) => got.push(e));
    const ev = { name: 'datasets.changed', payload: { id: 1, reason: 'imported' } };
    for (const fn of listeners.get(IPC_EVENT)!) fn({ sender: null }, ev);
    expect(got).toEqual([ev]);
    off();
    expect(listeners.get(IPC_EVENT)!.size).toBe(0);
  });

  it('sends only a boolean folders flag to the dialog', async () => {
    const { bridge, invokes } = loadPreload();
    await bridge.openFiles({ folders: 'yes' as unknown as boolean });
    await bridge.openFiles(undefined as unknown as { folders?: boolean });
    expect(invokes.map((i) => i.args[0])).toEqual([{ folders: false }, { folders: false }]);
  });
});
