/**
 * A running monitor's counters and threshold: totals, recent rates, commit latencies, the score
 * histogram, and the threshold in force (fixed, or following an alerts-per-hour budget).
 */
import { SCORE_BINS, type MonitorStats, type ThresholdSpec } from '../../contract/live.js';
import { budgetThreshold, FINE_BINS, fixedThreshold } from './threshold.js';

export function emptyStats(): MonitorStats {
  return {
    flows: 0,
    flaggedFlows: 0,
    alerts: 0,
    suppressedFlows: 0,
    bytes: 0,
    totalBytes: 0,
    flowsPerSecond: 0,
    alertsPerMinute: 0,
    latencyMs: null,
    seconds: 0,
    scoreHistogram: new Array<number>(SCORE_BINS).fill(0),
  };
}

const RATE_WINDOW_MS = 5000;

export class RunState {
  readonly stats: MonitorStats;
  readonly fine = new Float64Array(FINE_BINS);
  private spec: ThresholdSpec;
  private calibrated: number | null;
  private readonly samples: Array<{ t: number; flows: number; alerts: number }> = [];
  private readonly latencies: number[] = [];
  private runningSince: number | null = null;
  private secondsBefore: number;

  constructor(stats: MonitorStats | null, spec: ThresholdSpec, calibrated: number | null, private readonly modelThreshold: number | null) {
    const base = emptyStats();
    this.stats = { ...base, ...(stats ?? {}) };
    if (this.stats.scoreHistogram.length !== SCORE_BINS) this.stats.scoreHistogram = base.scoreHistogram;
    // the fine histogram restarts from the coarse one (each coarse bin's count in its first fine bin)
    const per = FINE_BINS / SCORE_BINS;
    this.stats.scoreHistogram.forEach((c, b) => (this.fine[b * per] = c));
    this.spec = spec;
    this.calibrated = calibrated;
    this.secondsBefore = this.stats.seconds;
  }

  setThreshold(spec: ThresholdSpec, calibrated: number | null): void {
    this.spec = spec;
    this.calibrated = calibrated;
  }

  get thresholdSpec(): ThresholdSpec {
    return this.spec;
  }

  /** The threshold blocks are scored with now (null: the model's own decision). */
  threshold(now = Date.now()): number | null {
    if (this.spec.mode === 'budget') {
      const seconds = this.elapsed(now);
      const flowsPerHour = seconds > 0 ? (this.stats.flows / seconds) * 3600 : 0;
      return budgetThreshold(this.fine, this.spec.alertsPerHour, flowsPerHour) ?? this.modelThreshold;
    }
    if (this.spec.mode === 'model') return this.modelThreshold;
    return fixedThreshold(this.spec, this.calibrated);
  }

  running(now = Date.now()): void {
    if (this.runningSince === null) this.runningSince = now;
  }

  paused(now = Date.now()): void {
    if (this.runningSince !== null) {
      this.secondsBefore += (now - this.runningSince) / 1000;
      this.runningSince = null;
    }
  }

  elapsed(now = Date.now()): number {
    return this.secondsBefore + (this.runningSince === null ? 0 : (now - this.runningSince) / 1000);
  }

  /** adds a scored block's counts */
  add(flows: number, flagged: number, histogram: Float64Array, bytes: number): void {
    this.stats.flows += flows;
    this.stats.flaggedFlows += flagged;
    this.stats.bytes += bytes;
    for (let i = 0; i < histogram.length; i++) this.fine[i] += histogram[i]!;
  }

  /** after a commit: rates, latency, the coarse histogram */
  committed(readAt: number | null, now = Date.now()): void {
    if (readAt !== null) {
      this.latencies.push(now - readAt);
      if (this.latencies.length > 64) this.latencies.shift();
    }
    this.samples.push({ t: now, flows: this.stats.flows, alerts: this.stats.alerts });
    while (this.samples.length > 2 && this.samples[0]!.t < now - 60_000) this.samples.shift();
    this.refresh(now);
  }

  refresh(now = Date.now()): void {
    const s = this.stats;
    s.seconds = this.elapsed(now);
    const recent = this.samples.find((x) => x.t >= now - RATE_WINDOW_MS) ?? this.samples[this.samples.length - 1];
    const minute = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (recent && last && last.t > recent.t) s.flowsPerSecond = Math.round(((last.flows - recent.flows) * 1000) / (now - recent.t));
    else if (this.runningSince === null || now - (last?.t ?? 0) > RATE_WINDOW_MS) s.flowsPerSecond = 0;
    if (minute && last && last.t > minute.t) s.alertsPerMinute = Math.round(((last.alerts - minute.alerts) * 60_000) / Math.max(1000, now - minute.t));
    if (this.latencies.length) {
      const sorted = [...this.latencies].sort((a, b) => a - b);
      s.latencyMs = sorted[Math.floor(sorted.length / 2)]!;
    }
    const per = FINE_BINS / SCORE_BINS;
    for (let b = 0; b < SCORE_BINS; b++) {
      let c = 0;
      for (let i = b * per; i < (b + 1) * per; i++) c += this.fine[i]!;
      s.scoreHistogram[b] = c;
    }
  }
}
