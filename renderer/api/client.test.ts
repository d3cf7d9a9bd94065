// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import type { PreloadBridge } from '../../electron/contract/index.js';
import { createApi, pickTransport, webSocketUrl } from './client.js';
import { createBridgeTransport } from './bridge-transport.js';

function bridge(over: Partial<PreloadBridge> = {}): PreloadBridge {
  return {
    call: vi.fn(async (name: string) => ({ ok: true as const, result: { name } })),
    onEvent: vi.fn(() => () => {}),
    openFiles: vi.fn(async () => ['/data/KDDTrain+.txt']),
    ...over,
  };
}

describe('api client', () => {
  it('builds the WebSocket url from the page location', () => {
    expect(webSocketUrl({ protocol: 'http:', host: '127.0.0.1:8123' })).toBe('ws://127.0.0.1:8123/ws');
    expect(webSocketUrl({ protocol: 'https:', host: 'box:443' })).toBe('wss://box:443/ws');
  });

  it('picks the preload bridge when window.flowsight exists', () => {
    const win = { flowsight: bridge(), location: { protocol: 'file:', host: '' } } as unknown as Window;
    const t = pickTransport(win);
    expect(t.kind).toBe('electron');
  });

  it('unwraps bridge envelopes and turns errors into {code, message} Errors', async () => {
    const b = bridge({
      call: vi.fn(async (name: string) =>
        name === 'datasets.get'
          ? { ok: false as const, error: { code: 'NOT_FOUND' as const, message: 'There is no dataset 3.' } }
          : { ok: true as const, result: { datasets: [] } },
      ),
    });
    const api = createApi(() => createBridgeTransport(b));
    await expect(api.call('datasets.list', {})).resolves.toEqual({ datasets: [] });
    const err = await api.call('datasets.get', { id: 3 }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'There is no dataset 3.' });
    expect(b.call).toHaveBeenCalledWith('datasets.get', { id: 3 });
  });

  it('openFiles uses the native dialog in Electron and refuses in the browser', async () => {
    const b = bridge();
    const desktop = createApi(() => createBridgeTransport(b));
    await expect(desktop.openFiles({ folders: true })).resolves.toEqual(['/data/KDDTrain+.txt']);
    expect(b.openFiles).toHaveBeenCalledWith({ folders: true });
    await expect(desktop.upload(new File(['x'], 'a.csv'))).rejects.toMatchObject({ code: 'UNSUPPORTED' });

    const browserTransport = { ...createBridgeTransport(b), kind: 'browser' as const, openFiles: undefined };
    const web = createApi(() => browserTransport);
    await expect(web.openFiles()).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });
});
