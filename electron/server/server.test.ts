import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Backend } from '../backend/api.js';
import { FlowsightError } from '../contract/errors.js';
import type { AnyEvent, EventListener } from '../contract/events.js';
import { WS_PATH, type ServerMessage, type UploadResult } from '../contract/transport.js';
import { startServer, type RunningServer } from './index.js';
import { SERVER_CSP, checkRequestOrigin, isLoopbackHost } from './security.js';

/** A backend that answers a few commands and lets the test push events. */
class FakeBackend implements Backend {
  readonly workspacePath = ':fake:';
  listeners = new Set<EventListener>();
  calls: Array<{ name: string; input: unknown }> = [];
  uploads: Array<{ name: string; bytes: number; chunks: number }> = [];
  /** called for every upload chunk; lets a test watch bytes arrive */
  onUploadChunk: ((received: number) => void) | null = null;
  closed = false;

  async call(): Promise<never> {
    throw new Error('not used');
  }
  async callUnknown(name: string, input: unknown): Promise<unknown> {
    this.calls.push({ name, input });
    switch (name) {
      case 'app.info':
        return { version: '0.0.0-test', face: 'browser' };
      case 'datasets.list':
        return { datasets: [] };
      case 'echo':
        return { input };
      case 'boom':
        throw new Error('kaput');
      case 'datasets.get':
        throw new FlowsightError('NOT_FOUND', 'There is no dataset #99.');
      default:
        throw new FlowsightError('UNKNOWN_COMMAND', `There is no command named "${name}".`);
    }
  }
  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(event: AnyEvent): void {
    for (const l of this.listeners) l(event);
  }
  async receiveUpload(fileName: string, body: Readable | AsyncIterable<Uint8Array>): Promise<UploadResult> {
    let bytes = 0;
    let chunks = 0;
    for await (const chunk of body) {
      bytes += chunk.length;
      chunks++;
      this.onUploadChunk?.(bytes);
    }
    if (fileName === 'refuse.csv') throw new FlowsightError('BAD_INPUT', 'That file name is not allowed.');
    this.uploads.push({ name: fileName, bytes, chunks });
    return { uploadId: 'abcdef0123456789', bytes };
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function http(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

function post(server: RunningServer, command: string, body: unknown, headers: Record<string, string> = {}) {
  return http(`${server.url}/api/${command}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function openSocket(server: RunningServer, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${WS_PATH}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function nextMessage(ws: WebSocket, pred: (m: ServerMessage) => boolean = () => true): Promise<ServerMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const m = JSON.parse(data.toString()) as ServerMessage;
      if (pred(m)) {
        ws.off('message', onMessage);
        resolve(m);
      }
    };
    ws.on('message', onMessage);
  });
}

describe('server face', () => {
  let tmp: string;
  let rendererDir: string;
  let backend: FakeBackend;
  let server: RunningServer;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'flowsight-server-'));
    rendererDir = join(tmp, 'renderer');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Flowsight</title><div id="root"></div>');
    writeFileSync(join(rendererDir, 'assets', 'index-abc123.js'), 'console.log("hi")');
    writeFileSync(join(rendererDir, 'assets', 'index-abc123.css'), 'body{}');
    writeFileSync(join(rendererDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(tmp, 'secret.txt'), 'do not serve');
    backend = new FakeBackend();
    server = await startServer({ backend, port: 0, rendererDir });
  });

  afterEach(() => {
    for (const ws of sockets.splice(0)) ws.terminate();
  });

  afterAll(async () => {
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 on a free port', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  describe('HTTP API', () => {
    it('answers POST /api/<command> with an ok envelope', async () => {
      const r = await post(server, 'echo', { a: 1 });
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(r.body)).toEqual({ ok: true, result: { input: { a: 1 } } });
    });

    it('treats an empty body as {}', async () => {
      const r = await http(`${server.url}/api/echo`, { method: 'POST' });
      expect(JSON.parse(r.body)).toEqual({ ok: true, result: { input: {} } });
    });

    it('passes FlowsightError codes through as error envelopes', async () => {
      const r = await post(server, 'datasets.get', { id: 99 });
      expect(r.status).toBe(404);
      expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'There is no dataset #99.' } });
      const u = await post(server, 'nope.nothing', {});
      expect(JSON.parse(u.body).error.code).toBe('UNKNOWN_COMMAND');
    });

    it('wraps anything else as INTERNAL with the message', async () => {
      const r = await post(server, 'boom', {});
      expect(r.status).toBe(500);
      const env = JSON.parse(r.body);
      expect(env.ok).toBe(false);
      expect(env.error.code).toBe('INTERNAL');
      expect(env.error.message).toContain('kaput');
    });

    it('answers bad JSON with a BAD_INPUT envelope and does not call the backend', async () => {
      const before = backend.calls.length;
      const r = await post(server, 'echo', '{"a": ');
      expect(r.status).toBe(400);
      const env = JSON.parse(r.body);
      expect(env).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
      expect(env.error.message).toMatch(/not valid JSON/);
      expect(backend.calls.length).toBe(before);
    });

    it('refuses a JSON body over 1 MiB with BAD_INPUT', async () => {
      const big = JSON.stringify({ blob: 'x'.repeat(1024 * 1024 + 10) });
      const r = await post(server, 'echo', big);
      expect(r.status).toBe(413);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: 'The request body is larger than 1 MiB.' } });
    });

    it('refuses an over-long body sent without Content-Length (chunked)', async () => {
      const r = await new Promise<Reply>((resolve, reject) => {
        const req = request(`${server.url}/api/echo`, { method: 'POST', headers: { 'Transfer-Encoding': 'chunked' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        });
        req.on('error', reject);
        const piece = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < 2 * 1024 * 1024) {
            sent += piece.length;
            if (!req.write(piece)) {
              req.once('drain', pump);
              return;
            }
          }
          req.end();
        };
        pump();
      });
      expect(r.status).toBe(413);
      expect(JSON.parse(r.body).error.code).toBe('BAD_INPUT');
    });

    it('answers GET on the API with 405', async () => {
      const r = await http(`${server.url}/api/app.info`);
      expect(r.status).toBe(405);
      expect(JSON.parse(r.body).error.code).toBe('BAD_INPUT');
    });
  });

  describe('DNS-rebinding and cross-origin guard', () => {
    it('refuses a Host that is not this machine with 403', async () => {
      const r = await post(server, 'app.info', {}, { Host: `evil.example:${server.port}` });
      expect(r.status).toBe(403);
      expect(backend.calls.some((c) => c.name === 'app.info')).toBe(false);
      const page = await http(`${server.url}/`, { headers: { Host: 'evil.example' } });
      expect(page.status).toBe(403);
    });

    it('refuses a foreign Origin with 403', async () => {
      const r = await post(server, 'app.info', {}, { Origin: 'http://evil.example' });
      expect(r.status).toBe(403);
      const other = await post(server, 'app.info', {}, { Origin: 'http://localhost:1' });
      expect(other.status).toBe(403);
    });

    it('accepts loopback names and its own origin', async () => {
      for (const hostHeader of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`]) {
        const r = await post(server, 'app.info', {}, { Host: hostHeader, Origin: `http://${hostHeader}` });
        expect(r.status, hostHeader).toBe(200);
      }
    });

    it('refuses a WebSocket handshake from a foreign origin or host', async () => {
      await expect(openSocket(server, { Origin: 'http://evil.example' })).rejects.toThrow(/403/);
      await expect(openSocket(server, { Host: 'evil.example' })).rejects.toThrow(/403/);
    });

    it('classifies hosts', () => {
      expect(isLoopbackHost('127.0.0.1')).toBe(true);
      expect(isLoopbackHost('127.1.2.3')).toBe(true);
      expect(isLoopbackHost('[::1]')).toBe(true);
      expect(isLoopbackHost('LOCALHOST')).toBe(true);
      expect(isLoopbackHost('0.0.0.0')).toBe(false);
      expect(isLoopbackHost('127.0.0.1.evil.example')).toBe(false);
      expect(isLoopbackHost('192.168.1.5')).toBe(false);
      // bound to all interfaces: any Host, but still same-origin only
      expect(checkRequestOrigin({ host: '10.0.0.5:7411', origin: undefined, loopbackOnly: false })).toBeNull();
      expect(checkRequestOrigin({ host: '10.0.0.5:7411', origin: 'http://10.0.0.5:7411', loopbackOnly: false })).toBeNull();
      expect(checkRequestOrigin({ host: '10.0.0.5:7411', origin: 'http://evil.example', loopbackOnly: false })).not.toBeNull();
      // an SSH port forward keeps Host and Origin in step
      expect(checkRequestOrigin({ host: 'localhost:9000', origin: 'http://localhost:9000', loopbackOnly: true })).toBeNull();
      expect(checkRequestOrigin({ host: undefined, origin: undefined, loopbackOnly: true })).not.toBeNull();
    });
  });

  describe('WebSocket', () => {
    it('answers calls with results matched by id', async () => {
      const ws = await openSocket(server, { Origin: `http://127.0.0.1:${server.port}` });
      sockets.push(ws);
      const a = nextMessage(ws, (m) => m.t === 'result' && m.id === 7);
      const b = nextMessage(ws, (m) => m.t === 'result' && m.id === 8);
      ws.send(JSON.stringify({ t: 'call', id: 7, name: 'echo', input: { x: 'y' } }));
      ws.send(JSON.stringify({ t: 'call', id: 8, name: 'datasets.get', input: { id: 99 } }));
      expect(await a).toEqual({ t: 'result', id: 7, ok: true, result: { input: { x: 'y' } } });
      expect(await b).toEqual({ t: 'result', id: 8, ok: false, error: { code: 'NOT_FOUND', message: 'There is no dataset #99.' } });
    });

    it('answers malformed messages with BAD_INPUT', async () => {
      const ws = await openSocket(server);
      sockets.push(ws);
      const bad = nextMessage(ws);
      ws.send('not json');
      expect(await bad).toMatchObject({ t: 'result', id: 0, ok: false, error: { code: 'BAD_INPUT' } });
      const wrong = nextMessage(ws);
      ws.send(JSON.stringify({ t: 'call', id: 3 }));
      expect(await wrong).toMatchObject({ t: 'result', id: 3, ok: false, error: { code: 'BAD_INPUT' } });
    });

    it('broadcasts every backend event to every socket', async () => {
      const [ws1, ws2] = await Promise.all([openSocket(server), openSocket(server)]);
      sockets.push(ws1!, ws2!);
      const got1 = nextMessage(ws1!, (m) => m.t === 'event');
      const got2 = nextMessage(ws2!, (m) => m.t === 'event');
      const event: AnyEvent = { name: 'datasets.changed', payload: { id: 4, reason: 'imported' } };
      backend.emit(event);
      expect(await got1).toEqual({ t: 'event', ...event });
      expect(await got2).toEqual({ t: 'event', ...event });
    });

    it('refuses other upgrade paths', async () => {
      await expect(
        new Promise((resolve, reject) => {
          const ws = new WebSocket(`ws://127.0.0.1:${server.port}/not-ws`);
          ws.once('open', resolve);
          ws.once('error', reject);
          ws.once('unexpected-response', (_q, res) => reject(new Error(`HTTP ${res.statusCode}`)));
        }),
      ).rejects.toThrow(/404/);
    });
  });

  describe('upload', () => {
    it('streams the body into receiveUpload chunk by chunk, never buffering it whole', async () => {
      const total = 64 * 1024 * 1024;
      const piece = Buffer.alloc(1024 * 1024, 0x61);
      let seenWhileSending = 0;
      backend.onUploadChunk = (received) => {
        seenWhileSending = Math.max(seenWhileSending, received);
      };
      const result = await new Promise<Reply>((resolve, reject) => {
        const req = request(
          `${server.url}/api/upload?name=${encodeURIComponent('big flows.csv')}`,
          { method: 'POST', headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(total) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
          },
        );
        req.on('error', reject);
        let sent = 0;
        let checkedMidway = false;
        const pump = () => {
          while (sent < total) {
            if (!checkedMidway && sent >= total / 2) {
              checkedMidway = true;
              // half sent: the backend must already have seen bytes (streaming, not buffering)
              const wait = () => {
                if (seenWhileSending > 0) pump();
                else setTimeout(wait, 5);
              };
              wait();
              return;
            }
            sent += piece.length;
            if (!req.write(piece)) {
              req.once('drain', pump);
              return;
            }
          }
          req.end();
        };
        pump();
      });
      backend.onUploadChunk = null;
      expect(result.status).toBe(200);
      expect(JSON.parse(result.body)).toEqual({ ok: true, result: { uploadId: 'abcdef0123456789', bytes: total } });
      const up = backend.uploads.at(-1)!;
      expect(up.name).toBe('big flows.csv');
      expect(up.bytes).toBe(total);
      expect(up.chunks).toBeGreaterThan(1);
    });

    it('needs a file name', async () => {
      const r = await http(`${server.url}/api/upload`, { method: 'POST', body: 'a,b\n1,2\n' });
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body).error.code).toBe('BAD_INPUT');
    });

    it('returns the backend error as an envelope', async () => {
      const r = await http(`${server.url}/api/upload?name=refuse.csv`, { method: 'POST', body: 'a,b\n' });
      expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'BAD_INPUT', message: 'That file name is not allowed.' } });
    });

    it('is guarded like the rest of the API', async () => {
      const r = await http(`${server.url}/api/upload?name=x.csv`, {
        method: 'POST',
        headers: { Origin: 'http://evil.example' },
        body: 'a\n',
      });
      expect(r.status).toBe(403);
    });
  });

  describe('static renderer', () => {
    it('serves index.html with the CSP and nosniff headers', async () => {
      const r = await http(`${server.url}/`);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.headers['content-security-policy']).toBe(SERVER_CSP);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.body).toContain('<div id="root">');
      expect(r.headers['cache-control']).toBe('no-cache');
    });

    it('has exactly the agreed policy', () => {
      expect(SERVER_CSP).toBe(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
      );
    });

    it('serves assets with their content types', async () => {
      const js = await http(`${server.url}/assets/index-abc123.js`);
      expect(js.status).toBe(200);
      expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(js.headers['cache-control']).toContain('immutable');
      const css = await http(`${server.url}/assets/index-abc123.css`);
      expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
      const svg = await http(`${server.url}/favicon.svg`);
      expect(svg.headers['content-type']).toBe('image/svg+xml');
    });

    it('falls back to index.html for client routes but 404s missing assets', async () => {
      const route = await http(`${server.url}/datasets/4`);
      expect(route.status).toBe(200);
      expect(route.body).toContain('<div id="root">');
      const missing = await http(`${server.url}/assets/missing.js`);
      expect(missing.status).toBe(404);
      expect(missing.headers['content-security-policy']).toBe(SERVER_CSP);
    });

    it('does not serve files outside the renderer folder', async () => {
      const raw = (path: string) =>
        new Promise<Reply>((resolve, reject) => {
          // the path goes on the wire as written (no client-side normalisation)
          const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET' }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
          });
          req.on('error', reject);
          req.end();
        });
      for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/%2e%2e%2fsecret.txt']) {
        const r = await raw(p);
        expect(r.body, p).not.toContain('do not serve');
      }
    });

    it('answers HEAD without a body', async () => {
      const r = await http(`${server.url}/`, { method: 'HEAD' });
      expect(r.status).toBe(200);
      expect(r.body).toBe('');
    });
  });

  it('says to build when dist/renderer is missing', async () => {
    const other = await startServer({ backend: new FakeBackend(), port: 0, rendererDir: join(tmp, 'nowhere') });
    try {
      const r = await http(`${other.url}/`);
      expect(r.status).toBe(503);
      expect(r.body).toContain('npm run build');
      expect(r.headers['content-security-policy']).toBe(SERVER_CSP);
    } finally {
      await other.close();
    }
  });

  it('closes cleanly with sockets open and stops forwarding events', async () => {
    const b = new FakeBackend();
    const s = await startServer({ backend: b, port: 0, rendererDir });
    const ws = await openSocket(s);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    expect(b.listeners.size).toBe(1);
    await s.close();
    expect(await closed).toBe(1001);
    expect(b.listeners.size).toBe(0);
    await expect(http(`${s.url}/`)).rejects.toThrow();
  });

  it('reports a port in use', async () => {
    await expect(startServer({ backend: new FakeBackend(), port: server.port, rendererDir })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
