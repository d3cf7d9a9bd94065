/**
 * `flowsight alerts [--json] [--count-flows] [filters]`: the stored alerts (a table, or one JSON
 * document `{"alerts":[...],"total":N,"flows":M}`), or with --count-flows how many alerts and flows
 * match (`{"alerts":N,"flows":M}` with --json). Scripts rely on these flags and shapes.
 */
import { ALERT_STATUSES, SEVERITIES, VERDICTS, type AlertFilter, type AlertSummary } from '../../contract/live.js';
import { parseIpOrSubnet } from '../../backend/live/suppression.js';
import { UsageError, parseIdOption } from '../args.js';
import { EXIT_OK, type CliContext, type GlobalFlags } from '../context.js';
import { localTime, n } from '../format.js';

export const ALERT_SORTS = ['newest', 'oldest', 'score', 'severity', 'count'] as const;
export type AlertSortName = (typeof ALERT_SORTS)[number];

type Value = string | boolean | string[] | undefined;

export interface AlertsFlags {
  json: boolean;
  countFlows: boolean;
  filter: AlertFilter;
  limit: number;
  sort: AlertSortName;
}

function strings(v: Value): string[] | undefined {
  if (v === undefined || typeof v === 'boolean') return undefined;
  return (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

function one(v: Value): string | undefined {
  if (Array.isArray(v)) return v[v.length - 1];
  return typeof v === 'string' ? v : undefined;
}

function choices<T extends string>(option: string, v: Value, allowed: readonly T[]): T[] | undefined {
  const list = strings(v);
  if (list === undefined) return undefined;
  if (list.length === 0) throw new UsageError(`Option '--${option}' needs one or more of: ${allowed.join(', ')}.`);
  for (const s of list) {
    if (!(allowed as readonly string[]).includes(s)) {
      throw new UsageError(`Option '--${option}' takes ${allowed.join(', ')} (comma-separated), not '${s}'.`);
    }
  }
  return [...new Set(list)] as T[];
}

function timeOption(option: string, v: Value): string | number | undefined {
  const s = one(v)?.trim();
  if (s === undefined) return undefined;
  if (/^\d{1,16}$/.test(s)) return Number(s);
  if (s === '' || !Number.isFinite(Date.parse(s))) {
    throw new UsageError(`Option '--${option}' needs a time: ISO 8601 such as 2025-06-01T12:00:00Z, or ms since the epoch, not '${s}'.`);
  }
  return s;
}

function wholeNumber(option: string, v: Value, min: number, max: number, what: string): number | undefined {
  const s = one(v)?.trim();
  if (s === undefined) return undefined;
  if (!/^\d{1,10}$/.test(s) || Number(s) < min || Number(s) > max) {
    throw new UsageError(`Option '--${option}' needs ${what} (a whole number from ${min} to ${max}), not '${s}'.`);
  }
  return Number(s);
}

function address(option: string, v: Value): string | undefined {
  const s = one(v)?.trim();
  if (s === undefined) return undefined;
  try {
    return parseIpOrSubnet(s).text;
  } catch (err) {
    throw new UsageError(`Option '--${option}': ${(err as Error).message}`);
  }
}

/** The command line's values (args.ts COMMANDS.alerts) as a filter, a limit and a sort. */
export function alertsFlags(values: Record<string, Value>): AlertsFlags {
  const filter: AlertFilter = {};
  const from = timeOption('from', values.from);
  if (from !== undefined) filter.from = from;
  const to = timeOption('to', values.to);
  if (to !== undefined) filter.to = to;
  const severity = choices('severity', values.severity, SEVERITIES);
  if (severity) filter.severity = severity;
  const classes = strings(values.class);
  if (classes !== undefined) {
    if (classes.length === 0) throw new UsageError("Option '--class' needs a class name, such as --class PortScan.");
    filter.classes = [...new Set(classes)];
  }
  const model = one(values.model);
  if (model !== undefined) filter.modelId = parseIdOption('model', model, 'model');
  const monitor = one(values.monitor);
  if (monitor !== undefined) filter.monitorId = parseIdOption('monitor', monitor, 'monitor');
  const src = address('src', values.src);
  if (src !== undefined) filter.src = src;
  const dst = address('dst', values.dst);
  if (dst !== undefined) filter.dst = dst;
  const port = wholeNumber('port', values.port, 0, 65535, 'a port');
  if (port !== undefined) filter.port = port;
  const status = choices('status', values.status, ALERT_STATUSES);
  if (status) filter.status = status;
  const verdict = choices('verdict', values.verdict, [...VERDICTS, 'none'] as const);
  if (verdict) filter.verdict = verdict;
  if (values['include-suppressed'] === true) filter.includeSuppressed = true;
  const sortText = one(values.sort)?.trim();
  if (sortText !== undefined && !(ALERT_SORTS as readonly string[]).includes(sortText)) {
    throw new UsageError(`Option '--sort' takes ${ALERT_SORTS.join(', ')}, not '${sortText}'.`);
  }
  return {
    json: values.json === true,
    countFlows: values['count-flows'] === true,
    filter,
    limit: wholeNumber('limit', values.limit, 1, 5000, 'how many alerts to list') ?? 200,
    sort: (sortText as AlertSortName | undefined) ?? 'newest',
  };
}

function endpoint(ip: string | null, port: number | null): string {
  if (ip === null) return '-';
  const host = ip.includes(':') ? `[${ip}]` : ip;
  return port === null ? ip : `${host}:${port}`;
}

function cell(value: string, width: number, right = false): string {
  const v = value.length > width ? `${value.slice(0, width - 1)}…` : value;
  return right ? v.padStart(width) : v.padEnd(width);
}

/** The alerts table for people. */
export function alertsTable(alerts: AlertSummary[], total: number, flows: number): string {
  if (alerts.length === 0) return total === 0 ? 'No alerts match.\n' : `No alerts on this page (${n(total)} match).\n`;
  const head = ['ID', 'LAST SEEN', 'SEVERITY', 'CLASS', 'SCORE', 'FLOWS', 'SOURCE', 'DESTINATION', 'STATUS', 'VERDICT'];
  const rows = alerts.map((a) => [
    String(a.id),
    localTime(a.lastSeen),
    a.severity,
    a.className,
    a.score.toFixed(3),
    n(a.count),
    endpoint(a.srcIp, a.srcPort),
    endpoint(a.dstIp, a.dstPort),
    a.status + (a.suppressedBy !== null ? ' (suppressed)' : ''),
    a.verdict ?? '-',
  ]);
  const right = [true, false, false, false, true, true, false, false, false, false];
  const max = [8, 16, 8, 24, 5, 9, 46, 46, 25, 14];
  const widths = head.map((h, i) => Math.min(max[i]!, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) =>
    r
      .map((v, i) => cell(v, widths[i]!, right[i]))
      .join('  ')
      .trimEnd();
  const shown = alerts.length < total ? `Showing ${n(alerts.length)} of ${n(total)} alerts` : `${n(total)} alert${total === 1 ? '' : 's'}`;
  return [line(head), ...rows.map(line), '', `${shown} (${n(flows)} flow${flows === 1 ? '' : 's'} in all that match).`].join('\n') + '\n';
}

export async function runAlerts(ctx: CliContext, globals: GlobalFlags, values: Record<string, Value>): Promise<number> {
  const flags = alertsFlags(values);
  const backend = await ctx.createBackend({ workspacePath: globals.workspacePath, face: 'cli' });
  try {
    if (flags.countFlows) {
      const c = await backend.call('alerts.count', { filter: flags.filter });
      ctx.stdout.write(
        flags.json
          ? `${JSON.stringify({ alerts: c.alerts, flows: c.flows })}\n`
          : `${n(c.alerts)} alert${c.alerts === 1 ? '' : 's'}, ${n(c.flows)} flow${c.flows === 1 ? '' : 's'}\n`,
      );
      return EXIT_OK;
    }
    const r = await backend.call('alerts.list', { filter: flags.filter, limit: flags.limit, sort: flags.sort });
    ctx.stdout.write(
      flags.json ? JSON.stringify({ alerts: r.alerts, total: r.total, flows: r.flows }, null, 2) + '\n' : alertsTable(r.alerts, r.total, r.flows),
    );
    return EXIT_OK;
  } finally {
    await backend.close();
  }
}
