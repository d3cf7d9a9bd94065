import { describe, expect, it } from 'vitest';
import type { CurveSet } from '../../contract/dto.js';
import { budgetThreshold, calibrateFpr, FINE_BINS, fineBin } from './threshold.js';
import { classSeverity, severityOf } from './severity.js';
import { AlertNotifier } from './notify.js';
import type { AlertEvent } from '../../contract/live.js';

const roc = (x: number[], y: number[], thresholds: number[]): CurveSet => ({
  name: 'attack',
  roc: { x, y, thresholds, auc: 0.9 },
  pr: { x: [], y: [], thresholds: [], auc: 0 },
  positives: 100,
  negatives: 100,
});

describe('calibrateFpr', () => {
  const curves = [roc([0, 0.001, 0.01, 0.05, 1], [0, 0.6, 0.9, 0.97, 1], [Infinity, 0.95, 0.7, 0.4, 0])];

  it('takes the best detection rate whose false-positive rate is within the target', () => {
    expect(calibrateFpr(1, curves, 0.01)).toMatchObject({ threshold: 0.7, fpr: 0.01, detectionRate: 0.9 });
    expect(calibrateFpr(1, curves, 0.03)).toMatchObject({ threshold: 0.7, fpr: 0.01 });
    expect(calibrateFpr(1, curves, 0.0005)).toMatchObject({ fpr: 0, detectionRate: 0, threshold: 1 });
    expect(calibrateFpr(1, curves, 0.5).curve).toHaveLength(5);
  });

  it('refuses a model without held-out benign rows', () => {
    expect(() => calibrateFpr(1, [{ ...curves[0]!, negatives: 0 }], 0.01)).toThrow(/no held-out benign rows/);
    expect(() => calibrateFpr(1, [], 0.01)).toThrow(/no held-out benign rows/);
  });
});

describe('budgetThreshold', () => {
  it('lets through about the budget share of the flows seen, once enough are seen', () => {
    const hist = new Float64Array(FINE_BINS);
    // 10,000 flows spread evenly over [0, 1)
    for (let i = 0; i < 10_000; i++) hist[fineBin(i / 10_000)]++;
    // 36,000 flows an hour and a budget of 360 alerts an hour: the top 1%
    expect(budgetThreshold(hist, 360, 36_000)).toBeCloseTo(0.99, 6);
    expect(budgetThreshold(hist, 36_000, 36_000)).toBe(0);
    expect(budgetThreshold(new Float64Array(FINE_BINS).fill(0.5), 1, 100)).toBeNull();
    expect(budgetThreshold(hist, 1, 0)).toBeNull();
  });
});

describe('severity', () => {
  it('ranks families and lowers unsure scores', () => {
    expect(classSeverity('Heartbleed')).toBe('critical');
    expect(classSeverity('Infiltration - Portscan')).toBe('critical');
    expect(classSeverity('DoS Hulk')).toBe('high');
    expect(classSeverity('PortScan')).toBe('medium');
    expect(classSeverity('anomaly')).toBe('medium');
    expect(severityOf('DDoS', 0.99)).toBe('high');
    expect(severityOf('DDoS', 0.55)).toBe('medium');
    expect(severityOf('PortScan', 0.3)).toBe('low');
  });
});

describe('AlertNotifier', () => {
  const ev = (over: Partial<AlertEvent>): AlertEvent => ({
    alertId: 1, monitorId: 1, created: true, className: 'DDoS', severity: 'high', score: 0.98, srcIp: '10.0.0.5', dstIp: '10.0.0.1', dstPort: 80,
    protocol: 'tcp', firstSeen: '', lastSeen: '', count: 1, suppressedBy: null, flows: 1, ...over,
  });

  it('notifies new unsuppressed high alerts, one notice per burst, at most one per gap', () => {
    const n = new AlertNotifier(10_000);
    expect(n.next([ev({ severity: 'medium' }), ev({ created: false }), ev({ suppressedBy: 3 })], 0)).toBeNull();
    expect(n.next([ev({})], 1000)).toMatchObject({ title: 'High alert: DDoS', alertId: 1 });
    expect(n.next([ev({ alertId: 2 }), ev({ alertId: 3, severity: 'critical', className: 'Heartbleed' })], 2000)).toBeNull();
    expect(n.next([ev({ alertId: 4 })], 12_000)).toMatchObject({ title: '3 new high-severity alerts' });
  });
});
