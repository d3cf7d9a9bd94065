/**
 * Writes a monitor's alerts: the groups of flagged flows from scored blocks are merged into open
 * alerts of the same (source IP, class) whose window they fall in, or become new alerts; every
 * commit is one transaction that also saves the source's cursor and the monitor's counters, so a
 * crash leaves the alerts and the place to resume from in step.
 */
import type Database from 'better-sqlite3';
import type { AlertEvent, MonitorStats } from '../../contract/live.js';
import type { AlertGroup } from './score-block.js';
import { severityOf, severityRank } from './severity.js';

interface OpenAlert {
  id: number;
  first: number;
  last: number;
  count: number;
  score: number;
  severity: ReturnType<typeof severityOf>;
  suppressedBy: number | null;
}

export interface SuppressionCheck {
  (alert: { srcIp: string | null; dstIp: string | null; className: string; srcPort: number | null; dstPort: number | null }): number | null;
}

export interface WriterOptions {
  monitorId: number;
  modelId: number | null;
  modelName: string;
  classes: string[];
  windowMs: number;
  /** active suppression rules, looked up once per commit (returns the matching rule's id) */
  suppression?: () => SuppressionCheck;
}

/** Alerts kept in memory per key before the oldest are forgotten (they are found again in the table). */
const MAX_OPEN = 50_000;

const iso = (ms: number) => new Date(ms).toISOString();

export class AlertWriter {
  private readonly open = new Map<string, OpenAlert>();
  private readonly st: {
    insert: Database.Statement;
    update: Database.Statement;
    latest: Database.Statement;
    saveMonitor: Database.Statement;
  };

  constructor(private readonly db: Database.Database, private readonly o: WriterOptions) {
    this.st = {
      insert: db.prepare(
        `INSERT INTO alerts (monitor_id, model_id, model_name, class_name, severity, score, count, first_seen, last_seen,
           created_at, updated_at, src_ip, dst_ip, src_port, dst_port, protocol, features, suppressed_by)
         VALUES (@monitor, @model, @modelName, @cls, @severity, @score, @count, @first, @last, @now, @now, @src, @dst, @srcPort, @dstPort, @proto, @features, @suppressed)`,
      ),
      update: db.prepare(
        `UPDATE alerts SET count = count + @add, first_seen = MIN(first_seen, @first), last_seen = MAX(last_seen, @last),
           score = MAX(score, @score), severity = @severity, updated_at = @now
         WHERE id = @id AND status != 'closed'`,
      ),
      latest: db.prepare(
        `SELECT id, first_seen AS first, last_seen AS last, count, score, severity, suppressed_by AS suppressedBy FROM alerts
         WHERE monitor_id = ? AND src_ip IS ? AND class_name = ? AND status != 'closed' ORDER BY last_seen DESC LIMIT 1`,
      ),
      saveMonitor: db.prepare(`UPDATE monitors SET cursor = ?, stats = ?, updated_at = ? WHERE id = ?`),
    };
  }

  private lookup(key: string, src: string | null, cls: string): OpenAlert | undefined {
    let a = this.open.get(key);
    if (a) return a;
    const row = this.st.latest.get(this.o.monitorId, src, cls) as OpenAlert | undefined;
    if (row) {
      a = { ...row };
      this.remember(key, a);
    }
    return a;
  }

  private remember(key: string, a: OpenAlert): void {
    this.open.delete(key);
    this.open.set(key, a);
    if (this.open.size > MAX_OPEN) this.open.delete(this.open.keys().next().value!);
  }

  /**
   * Merges the groups into alerts and saves cursor + stats, in one transaction. Returns one event
   * per alert touched (flows = what this commit added to it).
   */
  commit(groups: AlertGroup[], cursor: unknown, stats: MonitorStats, nowMs = Date.now()): AlertEvent[] {
    const events = new Map<number, AlertEvent>();
    const run = this.db.transaction(() => {
      const check = groups.length && this.o.suppression ? this.o.suppression() : null;
      const w = this.o.windowMs;
      for (const g of groups) {
        const cls = this.o.classes[g.classIdx] ?? String(g.classIdx);
        const key = `${g.srcIp}\u0000${cls}`;
        const a = this.lookup(key, g.srcIp, cls);
        if (a && g.first <= a.last + w && g.last >= a.first - w) {
          const score = Math.max(a.score, g.score);
          const sev = severityOf(cls, score);
          const severity = severityRank(sev) > severityRank(a.severity) ? sev : a.severity;
          const changed = this.st.update.run({ add: g.count, first: g.first, last: g.last, score, severity, now: nowMs, id: a.id }).changes;
          if (changed === 1) {
            a.count += g.count;
            a.first = Math.min(a.first, g.first);
            a.last = Math.max(a.last, g.last);
            a.score = score;
            a.severity = severity;
            if (a.suppressedBy !== null) stats.suppressedFlows += g.count;
            this.addEvent(events, a, g, cls, false);
            continue;
          }
          // closed by an analyst since: a new alert
        }
        const severity = severityOf(cls, g.score);
        const suppressed = check ? check({ srcIp: g.srcIp, dstIp: g.dstIp, className: cls, srcPort: g.srcPort, dstPort: g.dstPort }) : null;
        const id = Number(
          this.st.insert.run({
            monitor: this.o.monitorId,
            model: this.o.modelId,
            modelName: this.o.modelName,
            cls,
            severity,
            score: g.score,
            count: g.count,
            first: g.first,
            last: g.last,
            now: nowMs,
            src: g.srcIp,
            dst: g.dstIp,
            srcPort: g.srcPort,
            dstPort: g.dstPort,
            proto: g.protocol,
            features: JSON.stringify(g.features),
            suppressed,
          }).lastInsertRowid,
        );
        const created: OpenAlert = { id, first: g.first, last: g.last, count: g.count, score: g.score, severity, suppressedBy: suppressed };
        this.remember(key, created);
        stats.alerts++;
        if (suppressed !== null) stats.suppressedFlows += g.count;
        this.addEvent(events, created, g, cls, true);
      }
      this.st.saveMonitor.run(JSON.stringify(cursor), JSON.stringify(stats), iso(nowMs), this.o.monitorId);
    });
    run.immediate();
    return [...events.values()];
  }

  private addEvent(events: Map<number, AlertEvent>, a: OpenAlert, g: AlertGroup, cls: string, created: boolean): void {
    const e = events.get(a.id);
    if (e) {
      e.flows += g.count;
      e.count = a.count;
      e.score = a.score;
      e.severity = a.severity;
      e.firstSeen = iso(a.first);
      e.lastSeen = iso(a.last);
      return;
    }
    events.set(a.id, {
      alertId: a.id,
      monitorId: this.o.monitorId,
      created,
      className: cls,
      severity: a.severity,
      score: a.score,
      srcIp: g.srcIp,
      dstIp: g.dstIp,
      dstPort: g.dstPort,
      protocol: g.protocol,
      firstSeen: iso(a.first),
      lastSeen: iso(a.last),
      count: a.count,
      suppressedBy: a.suppressedBy,
      flows: g.count,
    });
  }
}
