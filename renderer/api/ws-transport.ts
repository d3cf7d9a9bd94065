/**
 * WebSocket transport (browser face): numbered calls, results matched by id, pushed events,
 * reconnect with exponential backoff, calls queued while (re)connecting.
 */
import type { AnyEvent, ClientMessage, ServerMessage } from '../../electron/contract/index.js';
import { ApiCallError, toApiCallError } from './errors.js';
import type { ConnectionState, Transport } from './transport.js';

/** The subset of the WebSocket API the transport uses (lets tests pass a fake). */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export interface WsTransportOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  /** delay before attempt n (1-based) after a loss; default 0.5 s doubling up to 10 s */
  backoff?: (attempt: number) => number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

const OPEN = 1;

export function defaultBackoff(attempt: number): number {
  const base = Math.min(10_000, 500 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.85 + Math.random() * 0.3));
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: ApiCallError) => void;
  name: string;
  sent: boolean;
  message: ClientMessage;
}

export function createWsTransport(options: WsTransportOptions): Transport {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const backoff = options.backoff ?? defaultBackoff;
  const now = options.now ?? Date.now;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));

  let socket: SocketLike | null = null;
  let nextId = 1;
  let closed = false;
  let timer: unknown = null;
  const pending = new Map<number, Pending>();
  const eventListeners = new Set<(event: AnyEvent) => void>();
  const connListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = { status: 'connecting', attempts: 0, retryAt: null, everOpened: false };

  function setState(patch: Partial<ConnectionState>): void {
    state = { ...state, ...patch };
    for (const l of [...connListeners]) l(state);
  }

  function flush(): void {
    if (!socket || socket.readyState !== OPEN) return;
    for (const p of pending.values()) {
      if (!p.sent) {
        socket.send(JSON.stringify(p.message));
        p.sent = true;
      }
    }
  }

  function handleMessage(raw: unknown): void {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(typeof raw === 'string' ? raw : String(raw)) as ServerMessage;
    } catch {
      return; // not ours
    }
    if (!msg || typeof msg !== 'object') return;
    if (msg.t === 'result') {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(toApiCallError(msg.error));
    } else if (msg.t === 'event') {
      const event = { name: msg.name, payload: msg.payload } as AnyEvent;
      for (const l of [...eventListeners]) {
        try {
          l(event);
        } catch (err) {
          console.error('flowsight: event listener failed', err);
        }
      }
    }
  }

  function scheduleReconnect(): void {
    if (closed) return;
    const attempts = state.attempts + 1;
    const delay = backoff(attempts);
    setState({ status: 'reconnecting', attempts, retryAt: now() + delay });
    timer = setTimer(() => {
      timer = null;
      connect();
    }, delay);
  }

  function connect(): void {
    if (closed) return;
    let s: SocketLike;
    try {
      s = createSocket(options.url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = s;
    s.onopen = () => {
      if (socket !== s) return;
      setState({ status: 'open', attempts: 0, retryAt: null, everOpened: true });
      flush();
    };
    s.onmessage = (ev) => {
      if (socket !== s) return;
      handleMessage(ev.data);
    };
    s.onerror = () => {
      /* onclose follows */
    };
    s.onclose = () => {
      if (socket !== s) return;
      socket = null;
      // calls already sent may or may not have run: say so instead of guessing
      for (const [id, p] of pending) {
        if (p.sent) {
          pending.delete(id);
          p.reject(
            new ApiCallError(
              'DISCONNECTED',
              `The connection to the Flowsight server was lost before it answered "${p.name}". Check the result and try again.`,
            ),
          );
        }
      }
      scheduleReconnect();
    };
  }

  connect();

  return {
    kind: 'browser',
    call(name, input) {
      if (closed) {
        return Promise.reject(new ApiCallError('DISCONNECTED', 'The connection to the Flowsight server is closed.'));
      }
      const id = nextId++;
      const message: ClientMessage = { t: 'call', id, name, input: input ?? {} };
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, name, sent: false, message });
        flush();
      });
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    connection: () => state,
    onConnection(listener) {
      connListeners.add(listener);
      return () => connListeners.delete(listener);
    },
    retryNow() {
      if (closed || state.status === 'open' || socket) return;
      if (timer !== null) clearTimer(timer);
      timer = null;
      connect();
    },
    close() {
      closed = true;
      if (timer !== null) clearTimer(timer);
      const s = socket;
      socket = null;
      s?.close(1000, 'closing');
      for (const p of pending.values()) p.reject(new ApiCallError('DISCONNECTED', 'The connection was closed.'));
      pending.clear();
    },
  };
}
