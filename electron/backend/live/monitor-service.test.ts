import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../contract/live.js';
import { capEvents } from './monitor-service.js';

describe('capEvents', () => {
  it('keeps new and severe events first and counts the rest', () => {
    const ev = (alertId: number, created: boolean, severity: AlertEvent['severity'], flows: number): AlertEvent => ({
      alertId, monitorId: 1, created, className: 'x', severity, score: 1, srcIp: null, dstIp: null, dstPort: null, protocol: null, firstSeen: '', lastSeen: '', count: flows, suppressedBy: null, flows,
    });
    const events = [ev(1, false, 'critical', 5), ev(2, true, 'low', 1), ev(3, true, 'high', 2), ev(4, false, 'low', 7)];
    expect(capEvents(events, 10)).toEqual({ alerts: events });
    const c = capEvents(events, 2);
    expect(c.alerts.map((e) => e.alertId)).toEqual([3, 2]);
    expect(c.omitted).toEqual({ alerts: 2, created: 0, flows: 12 });
  });
});
