// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Transport } from './transport.js';
import { createWsTransport, type SocketLike } from './ws-transport.js';

class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: any[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor(public url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({});
  }
  reply(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

const last = () => FakeSocket.all[FakeSocket.all.length - 1]!;

describe('WebSocket transport', () => {
  let t: Transport;
  beforeEach(() => {
    FakeSocket.all = [];
    vi.useFakeTimers();
    t = createWsTransport({ url: 'ws://127.0.0.1:7000/ws', createSocket: (u) => new FakeSocket(u), backoff: (n) => 1000 * n });
  });
  afterEach(() => {
    t.close();
    vi.useRealTimers();
  });

  it('connects to the given url and queues calls until the socket opens', async () => {
    expect(last().url).toBe('ws://127.0.0.1:7000/ws');
    expect(t.connection().status).toBe('connecting');
    const p = t.call('datasets.list', {});
    expect(last().sent).toHaveLength(0);
    last().open();
    expect(t.connection().status).toBe('open');
    expect(last().sent).toEqual([{ t: 'call', id: 1, name: 'datasets.list', input: {} }]);
    last().reply({ t: 'result', id: 1, ok: true, result: { datasets: [] } });
    await expect(p).resolves.toEqual({ datasets: [] });
  });

  it('numbers calls and matches results by id, out of order', async () => {
    last().open();
    const a = t.call('app.info', {});
    const b = t.call('jobs.list', {});
    expect(last().sent.map((m) => m.id)).toEqual([1, 2]);
    last().reply({ t: 'result', id: 2, ok: true, result: 'B' });
    last().reply({ t: 'result', id: 1, ok: true, result: 'A' });
    await expect(a).resolves.toBe('A');
    await expect(b).resolves.toBe('B');
  });

  it('rejects with an Error carrying the backend code and message', async () => {
    last().open();
    const p = t.call('datasets.get', { id: 9 });
    last().reply({ t: 'result', id: 1, ok: false, error: { code: 'NOT_FOUND', message: 'There is no dataset 9.' } });
    const err: any = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toBe('There is no dataset 9.');
  });

  it('delivers pushed events to every listener until unsubscribed', () => {
    last().open();
    const seen: string[] = [];
    const off = t.onEvent((e) => seen.push(e.name));
    t.onEvent((e) => seen.push(`2:${e.name}`));
    last().reply({ t: 'event', name: 'datasets.changed', payload: { id: 1, reason: 'imported' } });
    off();
    last().reply({ t: 'event', name: 'jobs.progress', payload: { jobId: 1, kind: 'import', phase: 'reading', current: 1, total: 2 } });
    expect(seen).toEqual(['datasets.changed', '2:datasets.changed', '2:jobs.progress']);
  });

  it('ignores garbage frames', () => {
    last().open();
    expect(() => last().onmessage?.({ data: 'not json' })).not.toThrow();
  });

  it('reconnects with backoff, rejects calls in flight, resends queued ones', async () => {
    const states: string[] = [];
    t.onConnection((s) => states.push(s.status));
    const first = last();
    first.open();
    const inFlight = t.call('datasets.list', {});
    first.drop();
    const err: any = await inFlight.catch((e: unknown) => e);
    expect(err.code).toBe('DISCONNECTED');
    expect(t.connection()).toMatchObject({ status: 'reconnecting', attempts: 1, everOpened: true });

    const queued = t.call('app.info', {});
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(999);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(2);

    // second attempt fails too: the next wait is longer
    last().drop();
    expect(t.connection().attempts).toBe(2);
    vi.advanceTimersByTime(1999);
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(3);

    last().open();
    expect(t.connection()).toMatchObject({ status: 'open', attempts: 0 });
    expect(last().sent).toEqual([{ t: 'call', id: 2, name: 'app.info', input: {} }]);
    last().reply({ t: 'result', id: 2, ok: true, result: { version: '0.1.0' } });
    await expect(queued).resolves.toEqual({ version: '0.1.0' });
    expect(states).toEqual(['open', 'reconnecting', 'reconnecting', 'open']);
  });

  it('retryNow skips the wait', () => {
    last().open();
    last().drop();
    expect(FakeSocket.all).toHaveLength(1);
    t.retryNow();
    expect(FakeSocket.all).toHaveLength(2);
    // the scheduled attempt was cancelled
    vi.advanceTimersByTime(5000);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('close() rejects pending calls and stops reconnecting', async () => {
    const p = t.call('app.info', {});
    t.close();
    await expect(p).rejects.toMatchObject({ code: 'DISCONNECTED' });
    last().drop();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });
});
