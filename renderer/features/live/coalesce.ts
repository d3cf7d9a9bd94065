/**
 * Live events arrive far faster than a page should re-render (a max-speed replay sends many
 * `alerts.created` and `monitors.changed` a second). They are folded into one pending batch as
 * they come (bounded: the latest state per monitor, counts, a few high-severity alerts) and the
 * batch is applied at most every `intervalMs`, on an animation frame.
 */
import type { AlertEvent, AnyEvent, MonitorInfo } from '../../../electron/contract/index.js';
import { isHighSeverity } from './live-format.js';

export interface LiveBatch {
  /** the latest state of each monitor that changed */
  monitors: MonitorInfo[];
  deletedMonitors: number[];
  /** new alert rows, and events that added flows to existing ones */
  createdAlerts: number;
  touchedAlerts: number;
  /** flows these events added, per monitor */
  flowsByMonitor: Record<number, number>;
  /** new, unsuppressed high or critical alerts (the first few) and how many there were */
  highAlerts: AlertEvent[];
  highCount: number;
  /** triage or suppression changed stored alerts */
  alertsChanged: boolean;
}

export const MAX_HIGH_KEPT = 5;

export function emptyBatch(): LiveBatch {
  return { monitors: [], deletedMonitors: [], createdAlerts: 0, touchedAlerts: 0, flowsByMonitor: {}, highAlerts: [], highCount: 0, alertsChanged: false };
}

/** Folds one event into a pending batch; false when the event is not a live one. */
export function foldEvent(pending: { monitors: Map<number, MonitorInfo>; batch: LiveBatch }, event: AnyEvent): boolean {
  const b = pending.batch;
  switch (event.name) {
    case 'monitors.changed':
      pending.monitors.set(event.payload.id, event.payload);
      return true;
    case 'monitors.deleted':
      pending.monitors.delete(event.payload.id);
      if (!b.deletedMonitors.includes(event.payload.id)) b.deletedMonitors.push(event.payload.id);
      return true;
    case 'alerts.created':
      for (const a of event.payload.alerts) {
        b.touchedAlerts++;
        b.flowsByMonitor[a.monitorId] = (b.flowsByMonitor[a.monitorId] ?? 0) + a.flows;
        if (!a.created) continue;
        b.createdAlerts++;
        if (isHighSeverity(a.severity) && a.suppressedBy === null) {
          b.highCount++;
          if (b.highAlerts.length < MAX_HIGH_KEPT) b.highAlerts.push(a);
        }
      }
      if (event.payload.omitted) {
        // a burst larger than the backend sends in one event: counted, not listed
        b.touchedAlerts += event.payload.omitted.alerts;
        b.createdAlerts += event.payload.omitted.created;
        b.flowsByMonitor[event.payload.monitorId] = (b.flowsByMonitor[event.payload.monitorId] ?? 0) + event.payload.omitted.flows;
      }
      return true;
    case 'alerts.changed':
      b.alertsChanged = true;
      return true;
    default:
      return false;
  }
}

export interface Coalescer {
  push(event: AnyEvent): void;
  /** apply what is pending now (tests, unmount) */
  flush(): void;
  dispose(): void;
}

export interface CoalescerOptions {
  intervalMs?: number;
  now?: () => number;
  /** requestAnimationFrame where there is one; a plain call otherwise */
  frame?: (cb: () => void) => void;
}

export function createCoalescer(apply: (batch: LiveBatch) => void, options: CoalescerOptions = {}): Coalescer {
  const intervalMs = options.intervalMs ?? 250;
  const now = options.now ?? (() => Date.now());
  const frame =
    options.frame ?? ((cb: () => void) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => cb()) : cb()));
  let pending = { monitors: new Map<number, MonitorInfo>(), batch: emptyBatch() };
  let dirty = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let waitingFrame = false;
  let lastApplied = -Infinity;
  let disposed = false;

  function run() {
    if (!dirty || disposed) return;
    const { monitors, batch } = pending;
    pending = { monitors: new Map(), batch: emptyBatch() };
    dirty = false;
    batch.monitors = [...monitors.values()];
    lastApplied = now();
    apply(batch);
  }

  function schedule() {
    if (timer !== null || waitingFrame || disposed) return;
    const wait = Math.max(0, lastApplied + intervalMs - now());
    timer = setTimeout(() => {
      timer = null;
      waitingFrame = true;
      frame(() => {
        waitingFrame = false;
        run();
      });
    }, wait);
  }

  return {
    push(event) {
      if (disposed || !foldEvent(pending, event)) return;
      dirty = true;
      schedule();
    },
    flush() {
      if (timer !== null) {
        clearTimeout(timer);
        timer = null;
      }
      run();
    },
    dispose() {
      disposed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
