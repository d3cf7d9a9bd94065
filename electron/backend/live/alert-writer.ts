/**
 * Writes a monitor's alerts. Groups of flagged flows (score-block.ts: one per source IP, class and
 * tumbling window) are merged into the open alert of the same key, found in memory or in the
 * table, or become new alerts; each alert touched by a commit is written once. Every commit is one
 * transaction that also saves the source's cursor and the monitor's counters, so a crash leaves
 * the alerts and the place to resume from in step.
 */
import type Database from 'better-sqlite3';
import type { AlertEvent, MonitorStats, Severity } from '../../contract/live.js';
import { groupKey, type GroupRep, type GroupTable } from './score-block.js';
import { severityOf, severityRank } from './severity.js';

interface OpenAlert {
  id: number;
  first: number;
  last: number;
  count: number;
  score: number;
  severity: Severity;
  suppressedBy: number | null;
  srcIp: string | null;
  dstIp: string | null;
  dstPort: number | null;
  protocol: string | null;
  className: string;
}

export interface SuppressionCheck {
  (alert: { srcIp: string | null; dstIp: string | null; className: string; srcPort: number | null; dstPort: number | null }): number | null;
}

export interface WriterOptions {
  monitorId: number;
  modelId: number | null;
  modelName: string;
  classes: string[];
  /** aggregation window (ms); 0: no aggregation */
  windowMs: number;
  /** active suppression rules, looked up once per commit (returns the matching rule's id) */
  suppression?: () => SuppressionCheck;
}

/** Alerts kept in memory before the least recently used are forgotten (found again in the table). */
const MAX_OPEN = 100_000;

const iso = (ms: number) => new Date(ms).toISOString();

export class AlertWriter {
  private readonly open = new Map<string, OpenAlert>();
  private readonly st: {
    insert: Database.Statement;
    insertFeatures: Database.Statement;
    update: Database.Statement;
    find: Database.Statement;
    features: Database.Statement;
    saveMonitor: Database.Statement;
  };

  constructor(private readonly db: Database.Database, private readonly o: WriterOptions) {
    this.st = {
      insert: db.prepare(
        `INSERT INTO alerts (monitor_id, model_id, model_name, class_name, severity, score, count, first_seen, last_seen,
           created_at, updated_at, src_ip, dst_ip, src_port, dst_port, protocol, suppressed_by)
         VALUES (@monitor, @model, @modelName, @cls, @severity, @score, @count, @first, @last, @now, @now, @src, @dst, @srcPort, @dstPort, @proto, @suppressed)`,
      ),
      insertFeatures: db.prepare('INSERT INTO alert_features (alert_id, features) VALUES (?, ?)'),
      update: db.prepare(
        `UPDATE alerts SET count = count + @add, first_seen = MIN(first_seen, @first), last_seen = MAX(last_seen, @last),
           score = MAX(score, @score), severity = @severity, updated_at = @now
         WHERE id = @id AND status != 'closed'`,
      ),
      // the alert of a key: same monitor, source and class, first flow inside the window
      find: db.prepare(
        `SELECT id, first_seen AS first, last_seen AS last, count, score, severity, suppressed_by AS suppressedBy,
                src_ip AS srcIp, dst_ip AS dstIp, dst_port AS dstPort, protocol, class_name AS className
         FROM alerts WHERE monitor_id = ? AND src_ip IS ? AND class_name = ? AND last_seen >= ? AND first_seen < ? AND status != 'closed'
         ORDER BY id DESC LIMIT 1`,
      ),
      features: db.prepare('SELECT features FROM alert_features WHERE alert_id = ?'),
      saveMonitor: db.prepare(`UPDATE monitors SET cursor = ?, stats = ?, updated_at = ? WHERE id = ?`),
    };
  }

  private lookup(key: string, src: string | null, cls: string, window: number): OpenAlert | undefined {
    const a = this.open.get(key);
    if (a) return a;
    const w = this.o.windowMs;
    if (w <= 0) return undefined;
    const row = this.st.find.get(this.o.monitorId, src, cls, window * w, (window + 1) * w) as OpenAlert | undefined;
    if (row) this.remember(key, row);
    return row;
  }

  private remember(key: string, a: OpenAlert): void {
    this.open.set(key, a);
    if (this.open.size > MAX_OPEN) this.open.delete(this.open.keys().next().value!);
  }

  /**
   * Merges the groups into alerts and saves cursor + stats, in one transaction. Returns one event
   * per alert touched (flows = what this commit added to it).
   */
  commit(tables: GroupTable[], cursor: unknown, stats: MonitorStats, nowMs = Date.now()): AlertEvent[] {
    const events: AlertEvent[] = [];
    const run = this.db.transaction(() => {
      const check = tables.some((t) => t.n > 0) && this.o.suppression ? this.o.suppression() : null;
      // alert -> flows added by this commit (written once at the end)
      const touched = new Map<OpenAlert, { add: number; first: number; last: number; created: boolean; key: string; inserted: number }>();
      for (const t of tables) {
        for (let g = 0; g < t.n; g++) {
          const cls = this.o.classes[t.classIdx[g]!] ?? String(t.classIdx[g]);
          const src = t.srcIp[g] ?? null;
          const key = groupKey(src, t.classIdx[g]!, t.window[g]!);
          const add = t.count[g]!;
          const first = t.first[g]!;
          const last = t.last[g]!;
          const score = t.score[g]!;
          // a negative window: an alert of its own (no aggregation, or no source address; the numbers are per thread)
          let a = this.o.windowMs > 0 && t.window[g]! >= 0 ? this.lookup(key, src, cls, t.window[g]!) : undefined;
          if (a) {
            const tt = touched.get(a);
            if (tt) {
              tt.add += add;
              tt.first = Math.min(tt.first, first);
              tt.last = Math.max(tt.last, last);
            } else touched.set(a, { add, first, last, created: false, key, inserted: 0 });
            a.count += add;
            a.first = Math.min(a.first, first);
            a.last = Math.max(a.last, last);
            if (score > a.score) a.score = score;
            const sev = severityOf(cls, a.score);
            if (severityRank(sev) > severityRank(a.severity)) a.severity = sev;
            continue;
          }
          const r = t.rep[g]! >= 0 ? t.reps[t.rep[g]!]! : null;
          a = this.insert(src, cls, r, r ? JSON.stringify(r.features) : '{}', { count: add, first, last, score }, check, nowMs);
          this.remember(key, a);
          touched.set(a, { add, first, last, created: true, key, inserted: add });
          stats.alerts++;
        }
      }
      for (const [a, tt] of touched) {
        if (tt.created && tt.add > tt.inserted) {
          // flows of the same key later in this commit
          this.st.update.run({ add: tt.add - tt.inserted, first: tt.first, last: tt.last, score: a.score, severity: a.severity, now: nowMs, id: a.id });
        } else if (!tt.created) {
          const changed = this.st.update.run({ add: tt.add, first: tt.first, last: tt.last, score: a.score, severity: a.severity, now: nowMs, id: a.id }).changes;
          if (changed === 0) {
            // closed by an analyst since it was read: these flows open a new alert with its flow's values
            const features = (this.st.features.get(a.id) as { features: string } | undefined)?.features ?? '{}';
            const rep: GroupRep = { dstIp: a.dstIp, srcPort: null, dstPort: a.dstPort, protocol: a.protocol, features: {} };
            const fresh = this.insert(a.srcIp, a.className, rep, features, { count: tt.add, first: tt.first, last: tt.last, score: a.score }, check, nowMs);
            this.remember(tt.key, fresh);
            stats.alerts++;
            if (fresh.suppressedBy !== null) stats.suppressedFlows += tt.add;
            events.push(this.event(fresh, tt.add, true));
            continue;
          }
        }
        if (a.suppressedBy !== null) stats.suppressedFlows += tt.add;
        events.push(this.event(a, tt.add, tt.created));
      }
      this.st.saveMonitor.run(JSON.stringify(cursor), JSON.stringify(stats), iso(nowMs), this.o.monitorId);
    });
    run.immediate();
    return events;
  }

  private insert(
    src: string | null,
    cls: string,
    r: GroupRep | null,
    features: string,
    v: { count: number; first: number; last: number; score: number },
    check: SuppressionCheck | null,
    nowMs: number,
  ): OpenAlert {
    const severity = severityOf(cls, v.score);
    const ids = { srcIp: src, dstIp: r?.dstIp ?? null, className: cls, srcPort: r?.srcPort ?? null, dstPort: r?.dstPort ?? null };
    const suppressed = check ? check(ids) : null;
    const id = Number(
      this.st.insert.run({
        monitor: this.o.monitorId,
        model: this.o.modelId,
        modelName: this.o.modelName,
        cls,
        severity,
        score: v.score,
        count: v.count,
        first: v.first,
        last: v.last,
        now: nowMs,
        src,
        dst: ids.dstIp,
        srcPort: ids.srcPort,
        dstPort: ids.dstPort,
        proto: r?.protocol ?? null,
        suppressed,
      }).lastInsertRowid,
    );
    this.st.insertFeatures.run(id, features);
    return { id, first: v.first, last: v.last, count: v.count, score: v.score, severity, suppressedBy: suppressed, srcIp: src, dstIp: ids.dstIp, dstPort: ids.dstPort, protocol: r?.protocol ?? null, className: cls };
  }

  private event(a: OpenAlert, flows: number, created: boolean): AlertEvent {
    return {
      alertId: a.id,
      monitorId: this.o.monitorId,
      created,
      className: a.className,
      severity: a.severity,
      score: a.score,
      srcIp: a.srcIp,
      dstIp: a.dstIp,
      dstPort: a.dstPort,
      protocol: a.protocol,
      firstSeen: iso(a.first),
      lastSeen: iso(a.last),
      count: a.count,
      suppressedBy: a.suppressedBy,
      flows,
    };
  }
}
