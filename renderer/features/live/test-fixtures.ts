/** DTO fixtures of the Live view, for unit tests only. */
import type { AlertDetail, AlertStats, AlertSummary, MonitorInfo } from '../../../electron/contract/index.js';

export function monitorOf(over: Partial<MonitorInfo> = {}): MonitorInfo {
  return {
    id: 1,
    name: 'Replay CICIDS · ET',
    modelId: 3,
    modelName: 'ET CICIDS',
    source: { kind: 'replay', datasetId: 5, speed: 100 },
    threshold: { mode: 'model' },
    thresholdValue: 0.5,
    aggregateSeconds: 60,
    state: 'running',
    error: null,
    stats: {
      flows: 12_000,
      flaggedFlows: 800,
      alerts: 40,
      suppressedFlows: 0,
      bytes: 500_000,
      totalBytes: 1_000_000,
      flowsPerSecond: 84_200,
      alertsPerMinute: 12.5,
      latencyMs: 42,
      seconds: 12,
      scoreHistogram: Array.from({ length: 50 }, (_, i) => (i < 5 ? 1000 : i > 45 ? 50 : 3)),
    },
    createdAt: '2025-11-20T10:00:00.000Z',
    updatedAt: '2025-11-20T10:00:12.000Z',
    ...over,
  };
}

export function alertOf(id: number, over: Partial<AlertSummary> = {}): AlertSummary {
  return {
    id,
    monitorId: 1,
    modelId: 3,
    modelName: 'ET CICIDS',
    className: 'DoS Hulk',
    severity: 'high',
    score: 0.97,
    count: 12,
    firstSeen: '2017-07-05T09:10:00.000Z',
    lastSeen: '2017-07-05T09:11:30.000Z',
    createdAt: '2025-11-20T10:00:05.000Z',
    srcIp: `172.16.0.${id}`,
    dstIp: '192.168.10.50',
    srcPort: 51000,
    dstPort: 80,
    protocol: 'tcp',
    status: 'open',
    closeReason: null,
    verdict: null,
    suppressedBy: null,
    noteCount: 0,
    ...over,
  };
}

export function detailOf(id: number, over: Partial<AlertDetail> = {}): AlertDetail {
  return {
    ...alertOf(id),
    features: [
      { name: 'Flow Duration', value: 1200 },
      { name: 'Fwd Packet Length Max', value: 0 },
    ],
    explanation: {
      method: 'tree-shap',
      output: 'P(DoS Hulk)',
      baseValue: 0.1,
      value: 0.97,
      contributions: [
        { feature: 'Flow Duration', value: 1200, contribution: 0.5, benign: { p5: 10, median: 20_000, p95: 900_000 } },
        { feature: 'Fwd Packet Length Max', value: 0, contribution: -0.1, benign: null },
        { feature: 'Destination Port', value: 80, contribution: 0.47, benign: { p5: 53, median: 443, p95: 8080 } },
      ],
    },
    notes: [],
    sameSource: [alertOf(90, { className: 'PortScan', severity: 'medium' })],
    ...over,
  };
}

export function statsOf(over: Partial<AlertStats> = {}): AlertStats {
  return {
    bucketSeconds: 60,
    buckets: [
      { start: '2017-07-05T09:10:00.000Z', counts: { 'DoS Hulk': 10, PortScan: 2 } },
      { start: '2017-07-05T09:11:00.000Z', counts: { 'DoS Hulk': 4 } },
    ],
    classes: ['DoS Hulk', 'PortScan'],
    topSources: [{ ip: '172.16.0.1', alerts: 3, flows: 30 }],
    topDestinations: [{ ip: '192.168.10.50', alerts: 3, flows: 30 }],
    classMix: [
      { className: 'DoS Hulk', alerts: 2, flows: 14 },
      { className: 'PortScan', alerts: 1, flows: 2 },
    ],
    severity: { low: 0, medium: 1, high: 2, critical: 0 },
    total: { alerts: 3, flows: 16 },
    ...over,
  };
}
