/**
 * Which committed alerts deserve a desktop notification: new, unsuppressed, high or critical.
 * A burst becomes one notification; at most one every `minGapMs`.
 */
import type { AlertEvent } from '../../contract/live.js';

export interface AlertNotice {
  title: string;
  body: string;
  alertId: number;
}

export class AlertNotifier {
  private last = -Infinity;
  private held = 0;

  constructor(private readonly minGapMs = 10_000) {}

  /** the notification to show for these events now, or null */
  next(events: AlertEvent[], now = Date.now()): AlertNotice | null {
    const hot = events.filter((e) => e.created && e.suppressedBy === null && (e.severity === 'high' || e.severity === 'critical'));
    if (!hot.length) return null;
    if (now - this.last < this.minGapMs) {
      this.held += hot.length;
      return null;
    }
    const n = hot.length + this.held;
    this.held = 0;
    this.last = now;
    const first = hot.find((e) => e.severity === 'critical') ?? hot[0]!;
    const from = first.srcIp ? ` from ${first.srcIp}` : '';
    return {
      title: n === 1 ? `${first.severity === 'critical' ? 'Critical' : 'High'} alert: ${first.className}` : `${n} new high-severity alerts`,
      body: n === 1 ? `${first.className}${from}${first.dstIp ? ` to ${first.dstIp}` : ''}, score ${first.score.toFixed(2)}` : `Latest: ${first.className}${from}`,
      alertId: first.alertId,
    };
  }
}
