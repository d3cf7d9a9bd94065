/** Test-only helpers (never imported by the app): a fake transport and a tiny render(). */
import { act, type ReactElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { AnyEvent } from '../../electron/contract/index.js';
import { setTransport } from '../api/client.js';
import { ApiCallError } from '../api/errors.js';
import type { ConnectionState, Transport } from '../api/transport.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

type Handler = (input: any) => unknown;

export class FakeTransport implements Transport {
  kind: 'electron' | 'browser' = 'browser';
  calls: Array<{ name: string; input: any }> = [];
  handlers: Record<string, Handler> = {};
  private listeners = new Set<(e: AnyEvent) => void>();
  private connListeners = new Set<(s: ConnectionState) => void>();
  state: ConnectionState = { status: 'open', attempts: 0, retryAt: null, everOpened: true };

  constructor(handlers: Record<string, Handler> = {}) {
    this.handlers = handlers;
  }
  call(name: string, input: unknown): Promise<unknown> {
    this.calls.push({ name, input });
    const h = this.handlers[name];
    if (!h) return Promise.reject(new ApiCallError('UNKNOWN_COMMAND', `no fake handler for ${name}`));
    try {
      return Promise.resolve(h(input));
    } catch (err) {
      return Promise.reject(err);
    }
  }
  callsOf(name: string) {
    return this.calls.filter((c) => c.name === name);
  }
  onEvent(listener: (e: AnyEvent) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(event: AnyEvent) {
    for (const l of [...this.listeners]) l(event);
  }
  connection() {
    return this.state;
  }
  onConnection(listener: (s: ConnectionState) => void) {
    this.connListeners.add(listener);
    return () => this.connListeners.delete(listener);
  }
  setConnection(state: ConnectionState) {
    this.state = state;
    for (const l of [...this.connListeners]) l(state);
  }
  retryNow() {}
  openFiles: (options: { folders?: boolean }) => Promise<string[]> = async () => [];
  close() {}
}

export function useFakeTransport(handlers: Record<string, Handler> = {}): FakeTransport {
  const t = new FakeTransport(handlers);
  setTransport(t);
  return t;
}

export interface Rendered {
  container: HTMLDivElement;
  root: Root;
  rerender(ui: ReactElement): Promise<void>;
  unmount(): void;
}

const mounted: Rendered[] = [];

export async function render(ui: ReactElement): Promise<Rendered> {
  const container = document.createElement('div');
  document.body.appendChild(container);
  const root = createRoot(container);
  await act(async () => root.render(ui));
  const r: Rendered = {
    container,
    root,
    rerender: async (next) => {
      await act(async () => root.render(next));
    },
    unmount: () => {
      act(() => root.unmount());
      container.remove();
    },
  };
  mounted.push(r);
  return r;
}

export function cleanup(): void {
  while (mounted.length) mounted.pop()!.unmount();
  document.body.innerHTML = '';
}

/** Let pending promises and React updates settle. */
export async function flush(times = 3): Promise<void> {
  for (let i = 0; i < times; i++) {
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}

export async function click(el: Element | null): Promise<void> {
  if (!el) throw new Error('click: element not found');
  await act(async () => {
    (el as HTMLElement).click();
  });
}

/** Set an input/select value the way React notices. */
export async function change(el: Element | null, value: string): Promise<void> {
  if (!el) throw new Error('change: element not found');
  const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  const setter = Object.getOwnPropertyDescriptor(proto, 'value')!.set!;
  await act(async () => {
    setter.call(el, value);
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  });
}

export function byTestId(id: string, root: ParentNode = document): HTMLElement | null {
  return root.querySelector(`[data-testid="${id}"]`);
}
