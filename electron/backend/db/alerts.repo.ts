/**
 * Stored alerts as triage sees them: filtered lists, counts, detail, statistics, bulk triage,
 * suppression rules, and labelled alerts as a dataset for retraining.
 *
 * Rows are written by the monitor writer (live/alert-writer.ts); times are INTEGER ms since the
 * epoch and `features` JSON is {model input column: value}. Every query is built from fixed SQL
 * fragments and `?` parameters only. Addresses are matched by the SQL function ip_in (registered
 * on the repo's connection; live/suppression.ts).
 *
 * Suppression: `suppressed_by` is set when an alert is written (by the writer, from the rules in
 * force) or when a rule is created (on the visible alerts it matches). An alert stays hidden by its
 * rule after the rule expires (expiry stops new alerts being hidden); deleting a rule shows its
 * alerts again, unless another rule in force matches them.
 */
import { decodeModelFile } from '../../../ml-core/serialize/model-file.js';
import type { ColumnRole } from '../../../ml-core/data/types.js';
import { FlowImporter } from '../../../ml-core/data/importer.js';
import { FlowDataError } from '../../../ml-core/data/types.js';
import { FlowsightError } from '../../contract/errors.js';
import {
  SEVERITIES,
  type AlertDetail,
  type AlertFilter,
  type AlertNote,
  type AlertStats,
  type AlertStatus,
  type AlertSummary,
  type Severity,
  type SuppressionRule,
  type Verdict,
} from '../../contract/live.js';
import { ImportWriter } from '../import/import-writer.js';
import { CancelFlag } from '../jobs/cancel.js';
import { isBusy } from '../errors.js';
import { activeRules, parseIpOrSubnet, registerIpFunctions, type RuleRow as MatchRuleRow } from '../live/suppression.js';
import type { Db } from './connection.js';

export type AlertSort = 'newest' | 'oldest' | 'score' | 'severity' | 'count';

interface AlertRow {
  id: number;
  monitor_id: number | null;
  model_id: number | null;
  model_name: string;
  class_name: string;
  severity: string;
  score: number;
  count: number;
  first_seen: number;
  last_seen: number;
  created_at: number;
  src_ip: string | null;
  dst_ip: string | null;
  src_port: number | null;
  dst_port: number | null;
  protocol: string | null;
  status: string;
  close_reason: string | null;
  verdict: string | null;
  suppressed_by: number | null;
  note_count: number;
}

interface RuleRow extends MatchRuleRow {
  reason: string;
  created_at: string;
  expires_at: string | null;
  hidden: number;
}

const SUMMARY_COLUMNS = `a.id, a.monitor_id, a.model_id, a.model_name, a.class_name, a.severity, a.score, a.count,
  a.first_seen, a.last_seen, a.created_at, a.src_ip, a.dst_ip, a.src_port, a.dst_port, a.protocol, a.status,
  a.close_reason, a.verdict, a.suppressed_by,
  (SELECT count(*) FROM alert_notes n WHERE n.alert_id = a.id) AS note_count`;

/** ORDER BY of each sort (over `alerts a`). */
export const ORDER: Record<AlertSort, string> = {
  newest: 'a.last_seen DESC, a.id DESC',
  oldest: 'a.last_seen ASC, a.id ASC',
  score: 'a.score DESC, a.last_seen DESC, a.id DESC',
  // the expression of the index alerts_by_severity (migration 003), so the first page reads it in order
  severity: `CASE a.severity WHEN 'critical' THEN 3 WHEN 'high' THEN 2 WHEN 'medium' THEN 1 ELSE 0 END DESC, a.last_seen DESC, a.id DESC`,
  count: 'a.count DESC, a.last_seen DESC, a.id DESC',
};

function iso(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
}

function toSummary(r: AlertRow): AlertSummary {
  return {
    id: r.id,
    monitorId: r.monitor_id,
    modelId: r.model_id,
    modelName: r.model_name,
    className: r.class_name,
    severity: r.severity as Severity,
    score: r.score,
    count: r.count,
    firstSeen: iso(r.first_seen),
    lastSeen: iso(r.last_seen),
    createdAt: iso(r.created_at),
    srcIp: r.src_ip,
    dstIp: r.dst_ip,
    srcPort: r.src_port,
    dstPort: r.dst_port,
    protocol: r.protocol,
    status: r.status as AlertStatus,
    closeReason: r.close_reason,
    verdict: r.verdict as Verdict | null,
    suppressedBy: r.suppressed_by,
    noteCount: r.note_count,
  };
}

function ruleOf(r: RuleRow, nowIso: string): SuppressionRule {
  return {
    id: r.id,
    src: r.src,
    dst: r.dst,
    className: r.class_name,
    port: r.port,
    reason: r.reason,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    active: r.expires_at === null || r.expires_at > nowIso,
    hidden: r.hidden,
  };
}

/** `from` / `to` of a filter: ISO 8601 or ms since the epoch (a number, or digits as text). */
export function timeOf(value: string | number, field: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new FlowsightError('BAD_INPUT', `${field}: ${value} is not a time.`);
    return Math.round(value);
  }
  const t = value.trim();
  const ms = /^\d{1,16}$/.test(t) ? Number(t) : Date.parse(t);
  if (!Number.isFinite(ms)) {
    throw new FlowsightError('BAD_INPUT', `${field}: "${t.slice(0, 40)}" is not a time; give an ISO 8601 time such as 2025-06-01T12:00:00Z or ms since the epoch.`);
  }
  return ms;
}

export interface SqlWhere {
  where: string;
  params: unknown[];
}

function placeholders(n: number): string {
  return new Array<string>(n).fill('?').join(', ');
}

/** An address or subnet on column `col`: an indexable equality for one IPv4 address, ip_in otherwise. */
function ipClause(col: string, text: string, field: string, clauses: string[], params: unknown[]): void {
  let p;
  try {
    p = parseIpOrSubnet(text);
  } catch (err) {
    throw new FlowsightError('BAD_INPUT', `${field}: ${(err as Error).message}`);
  }
  if (p.family === 4 && p.prefix === 128) {
    clauses.push(`${col} IN (?, ?)`);
    params.push(p.text, `::ffff:${p.text}`);
  } else {
    clauses.push(`ip_in(${col}, ?)`);
    params.push(p.text);
  }
}

/**
 * The WHERE clause of a filter over `alerts a`. Empty lists match nothing. Suppressed alerts are
 * left out unless `includeSuppressed`; a selection by `ids` includes them unless it is false.
 */
export function filterSql(f: AlertFilter): SqlWhere {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const list = (col: string, values: readonly unknown[] | undefined) => {
    if (values === undefined) return;
    if (values.length === 0) {
      clauses.push('0');
      return;
    }
    clauses.push(`${col} IN (${placeholders(values.length)})`);
    params.push(...values);
  };
  if (f.from !== undefined) {
    clauses.push('a.last_seen >= ?');
    params.push(timeOf(f.from, 'from'));
  }
  if (f.to !== undefined) {
    clauses.push('a.first_seen <= ?');
    params.push(timeOf(f.to, 'to'));
  }
  list('a.severity', f.severity);
  list('a.class_name', f.classes);
  if (f.modelId !== undefined) {
    clauses.push('a.model_id = ?');
    params.push(f.modelId);
  }
  if (f.monitorId !== undefined) {
    clauses.push('a.monitor_id = ?');
    params.push(f.monitorId);
  }
  if (f.src !== undefined) ipClause('a.src_ip', f.src, 'src', clauses, params);
  if (f.dst !== undefined) ipClause('a.dst_ip', f.dst, 'dst', clauses, params);
  if (f.port !== undefined) {
    clauses.push('(a.src_port = ? OR a.dst_port = ?)');
    params.push(f.port, f.port);
  }
  list('a.status', f.status);
  if (f.verdict !== undefined) {
    const named = f.verdict.filter((v) => v !== 'none');
    const parts: string[] = [];
    if (named.length) {
      parts.push(`a.verdict IN (${placeholders(named.length)})`);
      params.push(...named);
    }
    if (f.verdict.includes('none')) parts.push('a.verdict IS NULL');
    clauses.push(parts.length ? `(${parts.join(' OR ')})` : '0');
  }
  if (f.ids !== undefined) {
    if (f.ids.length === 0) clauses.push('0');
    else {
      clauses.push('a.id IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(f.ids));
    }
  }
  const includeSuppressed = f.includeSuppressed ?? f.ids !== undefined;
  if (!includeSuppressed) clauses.push('a.suppressed_by IS NULL');
  return { where: clauses.length ? clauses.join(' AND ') : '1', params };
}

/**
 * One page of alerts: the page's ids first (sorting only the keys, by an index for the first
 * pages), then their rows; parameters: the filter's, then LIMIT and OFFSET.
 */
export function pageSql(where: string, sort: AlertSort): string {
  return `SELECT ${SUMMARY_COLUMNS} FROM alerts a
     WHERE a.id IN (SELECT a.id FROM alerts a WHERE ${where} ORDER BY ${ORDER[sort]} LIMIT ? OFFSET ?)
     ORDER BY ${ORDER[sort]}`;
}

export interface SuppressionFields {
  src?: string | undefined;
  dst?: string | undefined;
  className?: string | undefined;
  port?: number | undefined;
}

/** The filter a rule's fields make (over visible alerts). */
function ruleFilter(fields: SuppressionFields): AlertFilter {
  return {
    ...(fields.src !== undefined ? { src: fields.src } : {}),
    ...(fields.dst !== undefined ? { dst: fields.dst } : {}),
    ...(fields.className !== undefined ? { classes: [fields.className] } : {}),
    ...(fields.port !== undefined ? { port: fields.port } : {}),
    includeSuppressed: false,
  };
}

function ruleFields(r: { src: string | null; dst: string | null; class_name: string | null; port: number | null }): SuppressionFields {
  return {
    ...(r.src !== null ? { src: r.src } : {}),
    ...(r.dst !== null ? { dst: r.dst } : {}),
    ...(r.class_name !== null ? { className: r.class_name } : {}),
    ...(r.port !== null ? { port: r.port } : {}),
  };
}

/** Bucket widths offered by stats (seconds); beyond a day, whole days. */
const NICE_SECONDS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** The smallest nice width giving at most `buckets` aligned buckets over [start, end] (ms). */
export function bucketLayout(startMs: number, endMs: number, buckets: number): { seconds: number; start: number; count: number } {
  const fits = (seconds: number) => {
    const w = seconds * 1000;
    const start = Math.floor(startMs / w) * w;
    const count = Math.floor((endMs - start) / w) + 1;
    return count <= buckets ? { seconds, start, count } : null;
  };
  for (const s of NICE_SECONDS) {
    const r = fits(s);
    if (r) return r;
  }
  let days = Math.max(2, Math.ceil((endMs - startMs) / 86_400_000 / buckets));
  for (;;) {
    const r = fits(days * 86400);
    if (r) return r;
    days++;
  }
}

export interface AlertUpdate {
  status?: AlertStatus | undefined;
  closeReason?: string | undefined;
  verdict?: Verdict | 'none' | undefined;
  note?: string | undefined;
}

export interface ToDatasetResult {
  datasetId: number;
  name: string;
  rows: number;
  classes: Record<string, number>;
}

/** The label column of a dataset made from alerts (another name when a feature has it). */
const LABEL_COLUMN = 'Label';

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

type FeatureSpec = Array<{ name: string; kind: 'numeric' | 'categorical' }>;

export class AlertsRepo {
  constructor(private readonly db: Db) {
    registerIpFunctions(db);
  }

  // ---- reading ------------------------------------------------------------------------------

  list(filter: AlertFilter, offset: number, limit: number, sort: AlertSort): { alerts: AlertSummary[]; total: number; flows: number } {
    const { where, params } = filterSql(filter);
    // the page's ids first (the sort carries only its keys), then its rows
    const rows = this.db.prepare(pageSql(where, sort)).all(...params, limit, offset) as AlertRow[];
    const { alerts, flows } = this.count(filter);
    return { alerts: rows.map(toSummary), total: alerts, flows };
  }

  count(filter: AlertFilter): { alerts: number; flows: number } {
    const { where, params } = filterSql(filter);
    const r = this.db
      .prepare(`SELECT count(*) AS alerts, coalesce(sum(a.count), 0) AS flows FROM alerts a WHERE ${where}`)
      .get(...params) as { alerts: number; flows: number };
    return { alerts: r.alerts, flows: r.flows };
  }

  private row(id: number): AlertRow {
    const r = this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM alerts a WHERE a.id = ?`).get(id) as AlertRow | undefined;
    if (!r) throw new FlowsightError('NOT_FOUND', `There is no alert with id ${id}; it may have been deleted.`);
    return r;
  }

  summary(id: number): AlertSummary {
    return toSummary(this.row(id));
  }

  /** The alert, its representative flow's features (stored order) and notes (oldest first). */
  get(id: number): Omit<AlertDetail, 'explanation' | 'explanationError' | 'sameSource'> {
    const summary = toSummary(this.row(id));
    const features = (
      this.db
        .prepare('SELECT key, value, type FROM json_each((SELECT features FROM alert_features WHERE alert_id = ?))')
        .all(id) as Array<{ key: string | number; value: unknown; type: string }>
    ).map((f) => ({
      name: String(f.key),
      value:
        f.type === 'null'
          ? null
          : f.type === 'true'
            ? 1
            : f.type === 'false'
              ? 0
              : typeof f.value === 'number' || typeof f.value === 'string'
                ? f.value
                : String(f.value),
    }));
    return { ...summary, features, notes: this.notes(id) };
  }

  /** The representative flow's features as stored ({column: value}). */
  featureValues(id: number): Record<string, number | string | null> {
    const r = this.db.prepare('SELECT features FROM alert_features WHERE alert_id = ?').get(id) as { features: string } | undefined;
    if (!r) throw new FlowsightError('NOT_FOUND', `There is no alert with id ${id}; it may have been deleted.`);
    return JSON.parse(r.features) as Record<string, number | string | null>;
  }

  notes(id: number): AlertNote[] {
    return (
      this.db.prepare('SELECT id, text, created_at FROM alert_notes WHERE alert_id = ? ORDER BY id').all(id) as Array<{
        id: number;
        text: string;
        created_at: string;
      }>
    ).map((n) => ({ id: n.id, text: n.text, createdAt: n.created_at }));
  }

  /** Recent alerts from the same source IP (this one excluded, suppressed ones included), newest first. */
  sameSource(alertId: number, limit = 20): AlertSummary[] {
    const rows = this.db
      .prepare(
        `SELECT ${SUMMARY_COLUMNS} FROM alerts a
          WHERE a.src_ip = (SELECT src_ip FROM alerts WHERE id = ?) AND a.id <> ?
          ORDER BY a.last_seen DESC, a.id DESC LIMIT ?`,
      )
      .all(alertId, alertId, limit) as AlertRow[];
    return rows.map(toSummary);
  }

  /**
   * Flows over time stacked by class (by each alert's last flow), over the filter's from/to or,
   * where absent, the matched alerts' span; top sources and destinations by flows; class mix;
   * alerts per severity; totals.
   */
  stats(filter: AlertFilter, buckets: number): AlertStats {
    const { where, params } = filterSql(filter);
    // pass 1: span and totals
    const span = this.db
      .prepare(
        `SELECT min(a.last_seen) AS lo, max(a.last_seen) AS hi, count(*) AS alerts, coalesce(sum(a.count), 0) AS flows
           FROM alerts a WHERE ${where}`,
      )
      .get(...params) as { lo: number | null; hi: number | null; alerts: number; flows: number };
    const from = filter.from !== undefined ? timeOf(filter.from, 'from') : span.lo;
    const to = filter.to !== undefined ? timeOf(filter.to, 'to') : span.hi !== null && from !== null ? Math.max(span.hi, from) : span.hi;
    const start = from ?? to;
    const end = to ?? from;
    const layout = start !== null && end !== null && end >= start ? bucketLayout(start, end, buckets) : null;

    // pass 2: (bucket, class, severity) cells -> buckets, class mix, severities
    const out: AlertStats['buckets'] = [];
    const mix = new Map<string, { className: string; alerts: number; flows: number }>();
    const severity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    if (span.alerts > 0) {
      const width = layout ? layout.seconds * 1000 : 1;
      if (layout) for (let i = 0; i < layout.count; i++) out.push({ start: iso(layout.start + i * width), counts: {} });
      const cells = this.db
        .prepare(
          `SELECT (a.last_seen - ?) / ? AS b, a.class_name AS c, a.severity AS s, count(*) AS n, sum(a.count) AS flows
             FROM alerts a WHERE ${where} GROUP BY b, c, s`,
        )
        .all(layout?.start ?? 0, width, ...params) as Array<{ b: number; c: string; s: Severity; n: number; flows: number }>;
      for (const cell of cells) {
        if (layout) {
          const counts = out[Math.max(0, Math.min(layout.count - 1, Math.floor(cell.b)))]!.counts;
          counts[cell.c] = (counts[cell.c] ?? 0) + cell.flows;
        }
        const m = mix.get(cell.c) ?? { className: cell.c, alerts: 0, flows: 0 };
        m.alerts += cell.n;
        m.flows += cell.flows;
        mix.set(cell.c, m);
        severity[cell.s] = (severity[cell.s] ?? 0) + cell.n;
      }
    }
    const classMix = [...mix.values()].sort(
      (x, y) => y.flows - x.flows || y.alerts - x.alerts || (x.className < y.className ? -1 : x.className > y.className ? 1 : 0),
    );

    // passes 3 and 4: the busiest addresses
    const top = (col: string) =>
      span.alerts === 0
        ? []
        : (this.db
            .prepare(
              `SELECT ${col} AS ip, count(*) AS alerts, sum(a.count) AS flows FROM alerts a WHERE ${where} AND ${col} IS NOT NULL
                GROUP BY ${col} ORDER BY flows DESC, alerts DESC, ip LIMIT 10`,
            )
            .all(...params) as Array<{ ip: string; alerts: number; flows: number }>);

    return {
      bucketSeconds: layout?.seconds ?? 60,
      buckets: out,
      classes: classMix.map((c) => c.className),
      topSources: top('a.src_ip'),
      topDestinations: top('a.dst_ip'),
      classMix,
      severity,
      total: { alerts: span.alerts, flows: span.flows },
    };
  }

  // ---- triage -------------------------------------------------------------------------------

  /** Status / close reason / verdict / a note on every alert the filter matches, in one transaction. */
  update(filter: AlertFilter, change: AlertUpdate, nowMs = Date.now()): { updated: number } {
    if (change.closeReason !== undefined && change.status !== 'closed') {
      throw new FlowsightError('BAD_INPUT', "A close reason goes with status 'closed'; give status 'closed' with it.");
    }
    const { where, params } = filterSql(filter);
    const sets: string[] = [];
    const values: unknown[] = [];
    if (change.status !== undefined) {
      sets.push('status = ?', 'close_reason = ?');
      values.push(change.status, change.status === 'closed' && change.closeReason ? change.closeReason : null);
    }
    if (change.verdict !== undefined) {
      sets.push('verdict = ?');
      values.push(change.verdict === 'none' ? null : change.verdict);
    }
    const tx = this.db.transaction(() => {
      const ids = this.db.prepare(`SELECT a.id FROM alerts a WHERE ${where}`).pluck().all(...params) as number[];
      if (ids.length === 0) return 0;
      const idList = JSON.stringify(ids);
      this.db
        .prepare(`UPDATE alerts SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE id IN (SELECT value FROM json_each(?))`)
        .run(...values, nowMs, idList);
      if (change.note !== undefined) {
        this.db
          .prepare('INSERT INTO alert_notes (alert_id, text, created_at) SELECT value, ?, ? FROM json_each(?)')
          .run(change.note, iso(nowMs), idList);
      }
      return ids.length;
    });
    return { updated: tx.immediate() };
  }

  // ---- suppression rules ----------------------------------------------------------------------

  private ruleRows(where = '1', ...params: unknown[]): RuleRow[] {
    return this.db
      .prepare(
        `SELECT r.id, r.src, r.dst, r.class_name, r.port, r.reason, r.created_at, r.expires_at, coalesce(h.n, 0) AS hidden
           FROM suppression_rules r
           LEFT JOIN (SELECT suppressed_by, count(*) AS n FROM alerts WHERE suppressed_by IS NOT NULL GROUP BY suppressed_by) h
             ON h.suppressed_by = r.id
          WHERE ${where}
          ORDER BY r.id DESC`,
      )
      .all(...params) as RuleRow[];
  }

  /** Every rule, newest first, with whether it is in force and how many alerts it hides. */
  listRules(nowMs = Date.now()): SuppressionRule[] {
    const now = iso(nowMs);
    return this.ruleRows().map((r) => ruleOf(r, now));
  }

  rule(id: number, nowMs = Date.now()): SuppressionRule {
    const r = this.ruleRows('r.id = ?', id)[0];
    if (!r) throw new FlowsightError('NOT_FOUND', `There is no suppression rule with id ${id}; it may have been deleted.`);
    return ruleOf(r, iso(nowMs));
  }

  /** How many visible stored alerts (and their flows) a rule with these fields would hide. */
  previewRule(fields: SuppressionFields): { alerts: number; flows: number } {
    return this.count(ruleFilter(fields));
  }

  /** Stores a rule and hides the visible alerts it matches, in one transaction. */
  createRule(fields: SuppressionFields, reason: string, expiresAt: string | undefined, nowMs = Date.now()): SuppressionRule {
    if (fields.src === undefined && fields.dst === undefined && fields.className === undefined && fields.port === undefined) {
      throw new FlowsightError('BAD_INPUT', 'A suppression rule needs at least one of: src, dst, className, port.');
    }
    const canonical = (v: string | undefined, field: string) => {
      if (v === undefined) return null;
      try {
        return parseIpOrSubnet(v).text;
      } catch (err) {
        throw new FlowsightError('BAD_INPUT', `${field}: ${(err as Error).message}`);
      }
    };
    const src = canonical(fields.src, 'src');
    const dst = canonical(fields.dst, 'dst');
    let expires: string | null = null;
    if (expiresAt !== undefined) {
      const t = Date.parse(expiresAt.trim());
      if (!Number.isFinite(t)) {
        throw new FlowsightError('BAD_INPUT', `expiresAt: "${expiresAt.slice(0, 40)}" is not a date; give an ISO 8601 time such as 2030-01-01T00:00:00Z.`);
      }
      if (t <= nowMs) {
        throw new FlowsightError('BAD_INPUT', `expiresAt: ${new Date(t).toISOString()} is not in the future; a rule must expire later than now.`);
      }
      expires = new Date(t).toISOString();
    }
    const canonicalFields: SuppressionFields = {
      ...(src !== null ? { src } : {}),
      ...(dst !== null ? { dst } : {}),
      ...(fields.className !== undefined ? { className: fields.className } : {}),
      ...(fields.port !== undefined ? { port: fields.port } : {}),
    };
    const tx = this.db.transaction(() => {
      const id = Number(
        this.db
          .prepare('INSERT INTO suppression_rules (src, dst, class_name, port, reason, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(src, dst, fields.className ?? null, fields.port ?? null, reason, iso(nowMs), expires).lastInsertRowid,
      );
      const { where, params } = filterSql(ruleFilter(canonicalFields));
      this.db
        .prepare(`UPDATE alerts SET suppressed_by = ?, updated_at = ? WHERE id IN (SELECT a.id FROM alerts a WHERE ${where})`)
        .run(id, nowMs, ...params);
      return id;
    });
    return this.rule(tx.immediate(), nowMs);
  }

  /** Deletes a rule; its alerts are visible again unless another rule in force matches them. */
  deleteRule(id: number, nowMs = Date.now()): void {
    const tx = this.db.transaction(() => {
      const exists = this.db.prepare('SELECT 1 FROM suppression_rules WHERE id = ?').get(id);
      if (!exists) throw new FlowsightError('NOT_FOUND', `There is no suppression rule with id ${id}; it may have been deleted.`);
      const ids = this.db.prepare('SELECT id FROM alerts WHERE suppressed_by = ?').pluck().all(id) as number[];
      this.db.prepare('UPDATE alerts SET suppressed_by = NULL, updated_at = ? WHERE suppressed_by = ?').run(nowMs, id);
      this.db.prepare('DELETE FROM suppression_rules WHERE id = ?').run(id);
      if (ids.length === 0) return;
      const idList = JSON.stringify(ids);
      const others = this.db
        .prepare('SELECT id, src, dst, class_name, port FROM suppression_rules WHERE expires_at IS NULL OR expires_at > ? ORDER BY id')
        .all(iso(nowMs)) as Array<{ id: number; src: string | null; dst: string | null; class_name: string | null; port: number | null }>;
      for (const r of others) {
        let w: SqlWhere;
        try {
          w = filterSql(ruleFilter(ruleFields(r)));
        } catch {
          continue; // a stored address that no longer parses matches nothing
        }
        this.db
          .prepare(
            `UPDATE alerts SET suppressed_by = ? WHERE id IN (
               SELECT a.id FROM alerts a WHERE a.id IN (SELECT value FROM json_each(?)) AND ${w.where})`,
          )
          .run(r.id, idList, ...w.params);
      }
    });
    tx.immediate();
  }

  /** The rules in force, compiled (what the monitor writer matches new alerts against). */
  activeRules(nowMs = Date.now()) {
    return activeRules(this.db, nowMs);
  }

  // ---- retraining -----------------------------------------------------------------------------

  /** The input columns of a stored model (null when the model is gone or unreadable). */
  private modelFeatures(modelId: number): FeatureSpec | null {
    const r = this.db.prepare('SELECT file FROM models WHERE id = ?').get(modelId) as { file: Buffer } | undefined;
    if (!r) return null;
    try {
      const m = decodeModelFile(new Uint8Array(r.file.buffer, r.file.byteOffset, r.file.byteLength)).manifest as { features?: FeatureSpec };
      return Array.isArray(m.features) ? m.features.map((f) => ({ name: f.name, kind: f.kind === 'categorical' ? 'categorical' : 'numeric' })) : null;
    } catch {
      return null;
    }
  }

  /**
   * Labelled alerts (a verdict) matching the filter as a new dataset: the model's input columns
   * from each alert's features, plus `Label` (true positive: the alert's class; false positive:
   * BENIGN). Written like an import (FlowImporter over the rows, ImportWriter in one transaction).
   */
  toDataset(filter: AlertFilter, name: string): ToDatasetResult {
    const { where, params } = filterSql(filter);
    const alerts = this.db
      .prepare(
        `SELECT a.id, a.model_id, a.model_name, a.class_name, a.verdict, coalesce(f.features, '{}') AS features
          FROM alerts a LEFT JOIN alert_features f ON f.alert_id = a.id
          WHERE ${where} AND a.verdict IS NOT NULL ORDER BY a.id`,
      )
      .all(...params) as Array<{ id: number; model_id: number | null; model_name: string; class_name: string; verdict: Verdict; features: string }>;
    if (alerts.length === 0) {
      throw new FlowsightError(
        'BAD_INPUT',
        'No labelled alert matches: mark alerts as true or false positives first (only alerts with a verdict become training rows).',
      );
    }

    // the input columns: every model's must be the same
    const byModel = new Map<string, { label: string; features: FeatureSpec }>();
    const parsed = alerts.map((a) => JSON.parse(a.features) as Record<string, unknown>);
    alerts.forEach((a, i) => {
      const key = a.model_id === null ? `deleted:${a.model_name}` : `id:${a.model_id}`;
      if (byModel.has(key)) return;
      const stored = a.model_id === null ? null : this.modelFeatures(a.model_id);
      const features: FeatureSpec =
        stored ??
        Object.entries(parsed[i]!).map(([n, v]) => ({ name: n, kind: typeof v === 'string' ? ('categorical' as const) : ('numeric' as const) }));
      byModel.set(key, { label: `"${a.model_name}"${a.model_id === null ? ' (deleted)' : ` (#${a.model_id})`}`, features });
    });
    const models = [...byModel.values()];
    const first = models[0]!;
    if (first.features.length === 0) {
      throw new FlowsightError('BAD_INPUT', `The alerts of model ${first.label} carry no feature values to train on.`);
    }
    const firstKinds = new Map(first.features.map((f) => [f.name, f.kind]));
    for (const m of models.slice(1)) {
      const names = new Set(m.features.map((f) => f.name));
      const missing = first.features.filter((f) => !names.has(f.name)).map((f) => f.name);
      const extra = m.features.filter((f) => !firstKinds.has(f.name)).map((f) => f.name);
      const kinds = m.features.filter((f) => firstKinds.has(f.name) && firstKinds.get(f.name) !== f.kind).map((f) => f.name);
      if (missing.length || extra.length || kinds.length) {
        const show = (xs: string[]) => xs.slice(0, 5).map((x) => `"${x}"`).join(', ') + (xs.length > 5 ? ` and ${xs.length - 5} more` : '');
        const diffs = [
          missing.length ? `lacks ${show(missing)}` : '',
          extra.length ? `has ${show(extra)} that ${first.label} does not` : '',
          kinds.length ? `reads ${show(kinds)} as another type` : '',
        ].filter(Boolean);
        throw new FlowsightError(
          'BAD_INPUT',
          `The labelled alerts come from models with different input columns: model ${m.label} ${diffs.join(' and ')} compared with model ${first.label}. Filter by one model (modelId) to make a dataset.`,
        );
      }
    }

    // rows as CSV through the importer: the same parsing, statistics, dictionaries and targets as any import
    const featureNames = first.features.map((f) => f.name);
    let labelColumn = LABEL_COLUMN;
    while (firstKinds.has(labelColumn)) labelColumn = `Alert ${labelColumn}`;
    const lines: string[] = [[...featureNames, labelColumn].map(csvCell).join(',')];
    alerts.forEach((a, i) => {
      const label = a.verdict === 'true-positive' ? a.class_name : 'BENIGN';
      const values = parsed[i]!;
      lines.push([...featureNames.map((n) => csvCell(values[n])), csvCell(label)].join(','));
    });
    const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
    const fileName = `${name}.csv`;
    const importer = new FlowImporter({ format: 'csv', label: labelColumn });
    let summary;
    let batches;
    try {
      importer.beginFile(fileName, bytes.length, bytes.subarray(0, 256 * 1024));
      importer.push(bytes);
      importer.endFile();
      batches = importer.takeBatches();
      summary = importer.finish();
    } catch (err) {
      if (err instanceof FlowDataError) throw new FlowsightError('INTERNAL', `Reading the labelled alerts as rows failed: ${err.message}`);
      throw err;
    }

    // roles: the model's input columns as the model reads them, the label, nothing else
    const roleOf = (n: string): ColumnRole | null => (n === labelColumn ? 'label' : (firstKinds.get(n) ?? null));
    const missingCols = featureNames.filter((n) => !summary.columns.some((c) => c.name === n));
    if (missingCols.length) {
      throw new FlowsightError('INTERNAL', `Making a dataset from alerts lost the columns ${missingCols.join(', ')}.`);
    }
    for (const c of summary.columns) c.role = roleOf(c.name) ?? 'ignored';

    const cancel = new CancelFlag();
    const writer = new ImportWriter(this.db, cancel);
    try {
      // another process holding the write lock: give up instead of waiting on this thread
      writer.begin(name, () => cancel.cancel());
      writer.setColumns(importer.columns.map((c) => ({ ...c, role: roleOf(c.name) ?? 'ignored' })));
      for (const b of batches) writer.write(b);
      const result = writer.commit(summary, [{ path: fileName, name: fileName, bytes: bytes.length }], { format: 'csv', label: labelColumn });
      return { datasetId: result.id, name: result.name, rows: result.rows, classes: result.labels };
    } catch (err) {
      writer.rollback();
      if (cancel.cancelled || isBusy(err)) {
        throw new FlowsightError('BUSY', 'The workspace is being written by another process; try again when it has finished.');
      }
      throw err;
    }
  }
}
