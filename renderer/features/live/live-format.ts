/** Words and numbers of the Live view: severities, flow times, thresholds, sources, rates. */
import type { AlertFilter, MonitorInfo, MonitorSource, MonitorState, Severity, ThresholdSpec } from '../../../electron/contract/index.js';
import { baseName, formatInt, formatPercent } from '../../components/format.js';

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

export const SEVERITY_LABEL: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };
/** one letter, so the severity reads without its colour too */
export const SEVERITY_SHORT: Record<Severity, string> = { critical: 'C', high: 'H', medium: 'M', low: 'L' };

export function isHighSeverity(s: Severity): boolean {
  return s === 'high' || s === 'critical';
}

/**
 * A flow time as ISO 8601 without milliseconds: "2017-07-07T15:02:11Z". Flow times come from the
 * file, so they are shown as written (UTC), never converted to this machine's clock.
 */
export function formatFlowTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** "15:02:11" (UTC) for chart ticks; the date too when the span crosses days */
export function formatFlowClock(iso: string, withDate = false): string {
  const s = formatFlowTime(iso);
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)Z$/.exec(s);
  if (!m) return s;
  return withDate ? `${m[1]!.slice(5)} ${m[2]}` : m[2]!;
}

/** A score in [0, 1] with three decimals. */
export function formatScore3(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toFixed(3);
}

export function thresholdLabel(t: ThresholdSpec): string {
  switch (t.mode) {
    case 'model':
      return 'model default';
    case 'fpr':
      return `target FPR ${formatPercent(t.fpr)}`;
    case 'budget':
      return `${formatInt(t.alertsPerHour)} alerts/h budget`;
    case 'score':
      return `fixed score ${formatScore3(t.value)}`;
  }
}

export function speedLabel(speed: 'max' | number): string {
  return speed === 'max' ? 'max speed' : `${formatInt(speed)}×`;
}

export function sourceLabel(s: MonitorSource, datasetName?: (id: number) => string | undefined): string {
  switch (s.kind) {
    case 'file':
      return `tail ${baseName(s.path)}`;
    case 'folder':
      return `watch ${s.path}`;
    case 'replay': {
      const what = s.datasetId !== undefined ? (datasetName?.(s.datasetId) ?? `dataset ${s.datasetId}`) : baseName(s.path ?? '');
      return `replay ${what} · ${speedLabel(s.speed)}`;
    }
  }
}

export const STATE_LABEL: Record<MonitorState, string> = {
  running: 'Running',
  paused: 'Paused',
  stopped: 'Stopped',
  finished: 'Finished',
  failed: 'Failed',
  interrupted: 'Interrupted',
};

export function isActiveState(s: MonitorState): boolean {
  return s === 'running' || s === 'paused';
}

const rate1 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** flows per second: "84.2k", "950", "3.4" */
export function formatRate(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v >= 10_000) return compact.format(v);
  if (v >= 100) return formatInt(v);
  return rate1.format(v);
}

export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 10) return `${rate1.format(ms)} ms`;
  if (ms < 1000) return `${formatInt(ms)} ms`;
  return `${rate1.format(ms / 1000)} s`;
}

/** The monitors that matter first: running, paused, then the newest. */
export function sortMonitors(list: MonitorInfo[]): MonitorInfo[] {
  const rank = (m: MonitorInfo) => (m.state === 'running' ? 0 : m.state === 'paused' ? 1 : 2);
  return [...list].sort((a, b) => rank(a) - rank(b) || b.id - a.id);
}

/** The share of a file source read, or null when the size is unknown. */
export function sourceProgress(m: MonitorInfo): number | null {
  const { bytes, totalBytes } = m.stats;
  if (!totalBytes || totalBytes <= 0) return null;
  return Math.min(1, Math.max(0, bytes / totalBytes));
}

/** How many filter fields are set (the "Filters (3)" count). */
export function filterCount(f: AlertFilter): number {
  let n = 0;
  if (f.from !== undefined || f.to !== undefined) n++;
  for (const k of ['severity', 'classes', 'status', 'verdict'] as const) if (f[k]?.length) n++;
  for (const k of ['modelId', 'monitorId', 'src', 'dst', 'port'] as const) if (f[k] !== undefined) n++;
  if (f.includeSuppressed) n++;
  return n;
}
