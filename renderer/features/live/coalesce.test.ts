import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertEvent } from '../../../electron/contract/index.js';
import { type LiveBatch, MAX_HIGH_KEPT, createCoalescer } from './coalesce.js';
import { monitorOf } from './test-fixtures.js';

function alertEvent(id: number, over: Partial<AlertEvent> = {}): AlertEvent {
  return { alertId: id, monitorId: 1, created: true, className: 'DoS Hulk', severity: 'high', score: 0.9, srcIp: '10.0.0.1', dstIp: '10.0.0.2', dstPort: 80, protocol: 'tcp', firstSeen: '2017-07-05T09:10:00Z', lastSeen: '2017-07-05T09:10:00Z', count: 1, suppressedBy: null, flows: 1, ...over };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('live event coalescer', () => {
  it('applies a burst of events once, keeping the latest state per monitor and counting alerts', () => {
    const batches: LiveBatch[] = [];
    const c = createCoalescer((b) => batches.push(b), { intervalMs: 250, frame: (cb) => cb(), now: () => Date.now() });
    for (let i = 0; i < 1000; i++) {
      c.push({ name: 'monitors.changed', payload: monitorOf({ stats: { ...monitorOf().stats, flows: i } }) });
      c.push({ name: 'alerts.created', payload: { monitorId: 1, alerts: [alertEvent(i, { created: i % 2 === 0, severity: i % 4 === 0 ? 'critical' : 'low', suppressedBy: i === 0 ? 7 : null })] } });
    }
    c.push({ name: 'jobs.finished', payload: {} as never });
    expect(batches).toHaveLength(0);
    vi.advanceTimersByTime(0);
    expect(batches).toHaveLength(1);
    const b = batches[0]!;
    expect(b.monitors).toHaveLength(1);
    expect(b.monitors[0]!.stats.flows).toBe(999);
    expect(b.touchedAlerts).toBe(1000);
    expect(b.createdAlerts).toBe(500);
    // critical ones are every 4th, the first suppressed: 249 shown, a few kept by name
    expect(b.highCount).toBe(249);
    expect(b.highAlerts).toHaveLength(MAX_HIGH_KEPT);
    expect(b.flowsByMonitor[1]).toBe(1000);
  });

  it('waits out the interval after a batch before the next one', () => {
    const batches: LiveBatch[] = [];
    const c = createCoalescer((b) => batches.push(b), { intervalMs: 250, frame: (cb) => cb() });
    c.push({ name: 'alerts.changed', payload: { reason: 'updated' } });
    vi.advanceTimersByTime(0);
    expect(batches).toHaveLength(1);
    c.push({ name: 'monitors.deleted', payload: { id: 4 } });
    vi.advanceTimersByTime(100);
    expect(batches).toHaveLength(1);
    vi.advanceTimersByTime(150);
    expect(batches).toHaveLength(2);
    expect(batches[1]!.deletedMonitors).toEqual([4]);
    expect(batches[0]!.alertsChanged).toBe(true);
  });

  it('applies on an animation frame and stops after dispose', () => {
    const frames: Array<() => void> = [];
    const batches: LiveBatch[] = [];
    const c = createCoalescer((b) => batches.push(b), { frame: (cb) => frames.push(cb) });
    c.push({ name: 'alerts.changed', payload: { reason: 'suppression' } });
    vi.advanceTimersByTime(0);
    expect(batches).toHaveLength(0);
    frames.shift()!();
    expect(batches).toHaveLength(1);
    c.dispose();
    c.push({ name: 'alerts.changed', payload: { reason: 'suppression' } });
    vi.advanceTimersByTime(1000);
    expect(frames).toHaveLength(0);
  });
});
