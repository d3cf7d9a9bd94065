/** The server face over the real backend: HTTP, WebSocket events, upload -> import. */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Backend } from '../../electron/backend/api.js';
import type { ImportResult, JobInfo } from '../../electron/contract/dto.js';
import type { ServerMessage } from '../../electron/contract/transport.js';
import { startServer, type RunningServer } from '../../electron/server/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const backendReady = existsSync(join(root, 'electron', 'backend', 'index.ts'));
const importerReady = backendReady && existsSync(join(root, 'ml-core', 'data', 'index.ts'));

async function post(server: RunningServer, command: string, input: unknown) {
  const res = await fetch(`${server.url}/api/${command}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; result?: any; error?: { code: string; message: string } } };
}

/** a client like the renderer's: numbered calls, events collected */
class Client {
  private nextId = 1;
  private pending = new Map<number, (m: ServerMessage) => void>();
  events: Array<Extract<ServerMessage, { t: 'event' }>> = [];
  private waiters: Array<{ pred: (e: Extract<ServerMessage, { t: 'event' }>) => boolean; resolve: (e: any) => void }> = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const m = JSON.parse(data.toString()) as ServerMessage;
      if (m.t === 'result') this.pending.get(m.id)?.(m);
      else {
        this.events.push(m);
        this.waiters = this.waiters.filter((w) => (w.pred(m) ? (w.resolve(m), false) : true));
      }
    });
  }
  static open(server: RunningServer): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { headers: { Origin: server.url } });
      ws.once('open', () => resolve(new Client(ws)));
      ws.once('error', reject);
    });
  }
  call(name: string, input: unknown): Promise<ServerMessage> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ t: 'call', id, name, input }));
    });
  }
  waitFor(pred: (e: Extract<ServerMessage, { t: 'event' }>) => boolean): Promise<any> {
    const seen = this.events.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }
}

describe.skipIf(!backendReady)('server face over the real backend', () => {
  let tmp: string;
  let backend: Backend;
  let server: RunningServer;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'flowsight-server-backend-'));
    const rendererDir = join(tmp, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Flowsight</title>');
    const { createBackend } = await import('../../electron/backend/index.js');
    backend = await createBackend({ workspacePath: join(tmp, 'ws.sqlite'), face: 'browser' });
    server = await startServer({ backend, port: 0, rendererDir });
  });

  afterAll(async () => {
    await server?.close();
    await backend?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('answers app.info over HTTP', async () => {
    const r = await post(server, 'app.info', {});
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
    expect(r.body.result).toMatchObject({ face: 'browser', workspacePath: join(tmp, 'ws.sqlite') });
  });

  it('turns validation failures and unknown commands into envelopes', async () => {
    const bad = await post(server, 'datasets.get', { id: 'seven' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    const unknown = await post(server, 'datasets.explode', {});
    expect(unknown.body).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    const missing = await post(server, 'datasets.get', { id: 12345 });
    expect(missing.body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('answers calls over the WebSocket', async () => {
    const c = await Client.open(server);
    try {
      expect(await c.call('datasets.list', {})).toEqual({ t: 'result', id: 1, ok: true, result: { datasets: [] } });
    } finally {
      c.ws.close();
    }
  });

  it.skipIf(!importerReady)('uploads a file, imports it by uploadId and pushes the job events to every socket', async () => {
    const [a, b] = await Promise.all([Client.open(server), Client.open(server)]);
    try {
      const csv = 'Flow Duration,Total Fwd Packets,Label\n1,2,BENIGN\n3,4,PortScan\n5,6,BENIGN\n';
      const up = await fetch(`${server.url}/api/upload?name=${encodeURIComponent('browser flows.csv')}`, { method: 'POST', body: csv });
      const upload = (await up.json()) as { ok: true; result: { uploadId: string; bytes: number } };
      expect(upload.ok).toBe(true);
      expect(upload.result.bytes).toBe(Buffer.byteLength(csv));

      const started = await a.call('datasets.import', { uploadIds: [upload.result.uploadId], name: 'From the browser' });
      expect(started).toMatchObject({ t: 'result', ok: true });
      const jobId = (started as { result: { jobId: number } }).result.jobId;
      const isFinish = (e: Extract<ServerMessage, { t: 'event' }>) => e.name === 'jobs.finished' && e.payload.id === jobId;
      const [finA, finB] = await Promise.all([a.waitFor(isFinish), b.waitFor(isFinish)]);
      const job = finA.payload as JobInfo;
      expect(finB.payload).toEqual(job);
      expect(job.status).toBe('succeeded');
      const result = job.result as ImportResult;
      expect(result).toMatchObject({ name: 'From the browser', rows: 3, labels: { BENIGN: 2, PortScan: 1 } });
      await b.waitFor((e) => e.name === 'datasets.changed' && e.payload.id === result.id);

      const list = await post(server, 'datasets.list', {});
      expect(list.body.result.datasets.map((d: { name: string }) => d.name)).toContain('From the browser');
    } finally {
      a.ws.close();
      b.ws.close();
    }
  });

  it('streams a large upload to disk without holding it in memory', async () => {
    const total = 256 * 1024 * 1024;
    const piece = Buffer.alloc(1024 * 1024, 0x31);
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${server.url}/api/upload?name=big.csv`,
        { method: 'POST', headers: { 'Content-Length': String(total) } },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      let sent = 0;
      const pump = () => {
        while (sent < total) {
          sent += piece.length;
          if (!req.write(piece)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    clearInterval(sampler);
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, result: { bytes: total } });
    // buffering the body would cost at least its size
    expect(peak - before).toBeLessThan(128 * 1024 * 1024);
  });
});
