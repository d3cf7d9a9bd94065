/**
 * The server face: the backend's API over HTTP + WebSocket, and the built renderer, on
 * 127.0.0.1 unless told otherwise.
 *
 *   POST /api/<command>          JSON input -> Envelope (HTTP status mirrors the error code)
 *   POST /api/upload?name=<file> raw bytes, streamed to backend.receiveUpload -> Envelope<UploadResult>
 *   GET  /ws                     WebSocket: ClientMessage in, ServerMessage out, every event pushed
 *   GET  /*                      dist/renderer (SPA fallback to index.html)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { Backend } from '../backend/api.js';
import type { Envelope } from '../contract/errors.js';
import type { AnyEvent } from '../contract/events.js';
import { UPLOAD_PATH, WS_PATH, type ClientMessage, type ServerMessage } from '../contract/transport.js';
import { envelopeOf, httpStatusFor, toApiError } from './envelope.js';
import { defaultRendererDir } from './paths.js';
import { SECURITY_HEADERS, checkRequestOrigin, isLoopbackHost } from './security.js';
import { serveStatic } from './static.js';

export const MAX_JSON_BODY = 1024 * 1024; // 1 MiB, for /api/<command> and WebSocket messages
/** a socket this far behind gets no more progress events until it catches up */
const SLOW_SOCKET_BYTES = 8 * 1024 * 1024;
const HEARTBEAT_MS = 30_000;

export interface ServerOptions {
  backend: Backend;
  /** 0 picks a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** the built renderer; default <app>/dist/renderer */
  rendererDir?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

function readJsonBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) {
        done = true;
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', (err) => {
      if (!done) {
        done = true;
        reject(err);
      }
    });
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const buf = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': buf.length,
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(buf);
}

function sendEnvelope(res: ServerResponse, env: Envelope<unknown>, extra: Record<string, string> = {}): void {
  sendJson(res, env.ok ? 200 : httpStatusFor(env.error.code), env, extra);
}

function badInput(message: string): Envelope<never> {
  return { ok: false, error: { code: 'BAD_INPUT', message } };
}

function formatUrl(host: string, port: number): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${h}:${port}`;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const { backend } = opts;
  const host = opts.host ?? '127.0.0.1';
  const rendererDir = opts.rendererDir ?? defaultRendererDir();
  const loopbackOnly = isLoopbackHost(host);

  const guard = (req: IncomingMessage): string | null =>
    checkRequestOrigin({ host: req.headers.host, origin: req.headers.origin, loopbackOnly });

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      sendEnvelope(res, { ok: false, error: toApiError(err) });
    });
  });
  // uploads may take long; the default request timeout (5 min) would cut a slow 2 GB upload
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const pathname = url.pathname;

    if (pathname === '/api' || pathname.startsWith('/api/')) {
      const refused = guard(req);
      if (refused) {
        req.resume();
        sendJson(res, 403, { ok: false, error: { code: 'BAD_INPUT', message: `Forbidden: ${refused}.` } });
        return;
      }
      if (req.method !== 'POST') {
        req.resume();
        sendJson(res, 405, badInput(`${pathname} only answers POST requests.`), { Allow: 'POST' });
        return;
      }
      if (pathname === UPLOAD_PATH) {
        await handleUpload(req, res, url);
        return;
      }
      let name: string;
      try {
        name = decodeURIComponent(pathname.slice('/api/'.length));
      } catch {
        req.resume();
        sendEnvelope(res, badInput('The command name in the path is not valid URL encoding.'));
        return;
      }
      await handleCommand(req, res, name);
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      req.resume();
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Method not allowed.\n');
      return;
    }
    if (loopbackOnly && guard(req)) {
      // a rebound name must not even read the page
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Forbidden: this server only answers requests addressed to this machine.\n');
      return;
    }
    await serveStatic(req, res, rendererDir, pathname);
  }

  async function handleCommand(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    let body: Buffer;
    try {
      body = await readJsonBody(req, MAX_JSON_BODY);
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        sendJson(res, 413, badInput('The request body is larger than 1 MiB.'), { Connection: 'close' });
        // stop reading: drop the rest of a huge body
        res.on('finish', () => req.destroy());
        return;
      }
      throw err;
    }
    let input: unknown = {};
    const text = body.toString('utf8').trim();
    if (text !== '') {
      try {
        input = JSON.parse(text);
      } catch (err) {
        sendEnvelope(res, badInput(`The request body is not valid JSON (${(err as Error).message}).`));
        return;
      }
    }
    sendEnvelope(res, await envelopeOf(() => backend.callUnknown(name, input)));
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const fileName = url.searchParams.get('name');
    if (!fileName || fileName.trim() === '') {
      req.resume();
      sendEnvelope(res, badInput('An upload needs the file name: POST /api/upload?name=<file name>.'));
      return;
    }
    // the request is the byte stream: the backend writes it to disk chunk by chunk
    const env = await envelopeOf(() => backend.receiveUpload(fileName, req));
    if (!env.ok && !req.readableEnded) {
      // the backend gave up early; do not read gigabytes only to discard them
      sendEnvelope(res, env, { Connection: 'close' });
      res.on('finish', () => req.destroy());
      return;
    }
    sendEnvelope(res, env);
  }

  // ---- WebSocket ----
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_JSON_BODY });
  const alive = new WeakMap<WebSocket, boolean>();

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(req.url ?? '/', 'http://placeholder').pathname;
    const reject = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (pathname !== WS_PATH) {
      reject(404, 'Not Found');
      return;
    }
    if (guard(req)) {
      reject(403, 'Forbidden');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    ws.on('error', () => ws.terminate());
    ws.on('message', (data: RawData, isBinary: boolean) => {
      void onMessage(ws, data, isBinary);
    });
  });

  async function onMessage(ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    const reply = (msg: ServerMessage) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
    };
    if (isBinary) {
      reply({ t: 'result', id: 0, ok: false, error: { code: 'BAD_INPUT', message: 'Messages must be JSON text.' } });
      return;
    }
    let msg: Partial<ClientMessage>;
    try {
      msg = JSON.parse(data.toString()) as Partial<ClientMessage>;
    } catch {
      reply({ t: 'result', id: 0, ok: false, error: { code: 'BAD_INPUT', message: 'The message is not valid JSON.' } });
      return;
    }
    const id = typeof msg?.id === 'number' && Number.isFinite(msg.id) ? msg.id : 0;
    if (msg?.t !== 'call' || typeof msg.name !== 'string' || typeof msg.id !== 'number') {
      reply({
        t: 'result',
        id,
        ok: false,
        error: { code: 'BAD_INPUT', message: 'A message must be {"t":"call","id":<number>,"name":<command>,"input":{...}}.' },
      });
      return;
    }
    const env = await envelopeOf(() => backend.callUnknown(msg.name as string, msg.input ?? {}));
    reply(env.ok ? { t: 'result', id, ok: true, result: env.result } : { t: 'result', id, ok: false, error: env.error });
  }

  const unsubscribe = backend.on((event: AnyEvent) => {
    if (wss.clients.size === 0) return;
    const text = JSON.stringify({ t: 'event', ...event } satisfies ServerMessage);
    for (const ws of wss.clients) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      // progress is a stream of snapshots: a client that is far behind can skip some
      if (event.name === 'jobs.progress' && ws.bufferedAmount > SLOW_SOCKET_BYTES) continue;
      ws.send(text);
    }
  });

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  try {
    await listen(server, opts.port ?? 0, host);
  } catch (err) {
    clearInterval(heartbeat);
    unsubscribe();
    wss.close();
    throw err;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);

  let closing: Promise<void> | null = null;
  return {
    url: formatUrl(host, port),
    port,
    host,
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        unsubscribe();
        for (const ws of wss.clients) ws.close(1001, 'server shutting down');
        wss.close();
        server.close(() => resolve());
        server.closeIdleConnections();
        // sockets still open after a moment (a stalled upload, a client ignoring close) are cut
        const force = setTimeout(() => {
          for (const ws of wss.clients) ws.terminate();
          server.closeAllConnections();
        }, 1000);
        force.unref();
      });
      return closing;
    },
  };
}
