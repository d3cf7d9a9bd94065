/**
 * `flowsight alerts` end to end (child process, real backend, temp workspace with alerts written
 * straight into it), and its flag parsing and table.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../electron/backend/db/migrations/index.js';
import { UsageError, parseCommandLine } from '../../electron/cli/args.js';
import { alertsFlags, alertsTable } from '../../electron/cli/commands/alerts.js';
import type { AlertSummary } from '../../electron/contract/live.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cliArgs = ['--import', 'tsx', join(root, 'electron', 'cli', 'index.ts')];

function flowsight(args: string[]) {
  const r = spawnSync(process.execPath, [...cliArgs, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, FLOWSIGHT_WORKSPACE: '' },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const T0 = Date.parse('2025-03-01T00:00:00Z');

let tmp: string;
let ws: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'flowsight-cli-alerts-'));
  ws = join(tmp, 'workspace.sqlite');
  const db = new Database(ws);
  migrate(db, ws);
  const st = db.prepare(
    `INSERT INTO alerts (monitor_id, model_id, model_name, class_name, severity, score, count, first_seen, last_seen,
       created_at, updated_at, src_ip, dst_ip, src_port, dst_port, protocol, status, verdict, suppressed_by)
     VALUES (NULL, NULL, 'et', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'tcp', ?, ?, ?)`,
  );
  const rows: Array<[string, string, number, number, number, string, string, number, number, string, string | null, number | null]> = [
    // class, severity, score, count, minute, src, dst, srcPort, dstPort, status, verdict, suppressedBy
    ['DoS Hulk', 'high', 0.91, 40, 1, '10.0.0.5', '192.168.1.10', 50000, 80, 'open', null, null],
    ['PortScan', 'low', 0.61, 3, 2, '10.0.0.6', '192.168.1.11', 50001, 22, 'open', null, null],
    ['DoS Hulk', 'critical', 0.99, 120, 3, '172.16.4.4', '192.168.1.10', 50002, 443, 'acknowledged', 'true-positive', null],
    ['Bot', 'medium', 0.7, 1, 4, '2001:db8::7', '2001:db8::1', 50003, 8080, 'closed', 'false-positive', null],
    ['PortScan', 'low', 0.6, 9, 5, '10.9.9.9', '192.168.1.12', 50004, 80, 'open', null, 1],
  ];
  db.prepare("INSERT INTO suppression_rules (id, src, created_at) VALUES (1, '10.9.9.9', '2025-01-01T00:00:00.000Z')").run();
  for (const [cls, sev, score, count, minute, src, dst, sp, dp, status, verdict, sup] of rows) {
    const t = T0 + minute * 60_000;
    st.run(cls, sev, score, count, t, t, t, t, src, dst, sp, dp, status, verdict, sup);
  }
  db.close();
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('flowsight alerts (real backend)', () => {
  it('prints the alerts as one JSON document, newest first', () => {
    const r = flowsight(['alerts', '--json', '--workspace', ws]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { alerts: AlertSummary[]; total: number; flows: number };
    expect(Object.keys(doc)).toEqual(['alerts', 'total', 'flows']);
    expect(doc.alerts.map((a) => a.id)).toEqual([4, 3, 2, 1]);
    expect(doc.total).toBe(4);
    expect(doc.flows).toBe(164);
    expect(doc.alerts[3]).toMatchObject({ className: 'DoS Hulk', srcIp: '10.0.0.5', dstPort: 80, lastSeen: '2025-03-01T00:01:00.000Z', verdict: null });
  });

  it('counts alerts and flows with filters', () => {
    const r = flowsight(['alerts', '--count-flows', '--json', '--src', '10.0.0.0/8', '--class', 'DoS Hulk,PortScan', '--workspace', ws]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{"alerts":2,"flows":43}\n');
    const all = flowsight(['alerts', '--count-flows', '--json', '--include-suppressed', '--workspace', ws]);
    expect(JSON.parse(all.stdout)).toEqual({ alerts: 5, flows: 173 });
    const plain = flowsight(['alerts', '--count-flows', '--port', '80', '--workspace', ws]);
    expect(plain.stdout).toBe('1 alert, 40 flows\n');
  });

  it('filters by severity, status, verdict, time and destination; sorts and limits', () => {
    const r = flowsight([
      'alerts', '--json', '--workspace', ws, '--severity', 'low', '--severity', 'critical', '--status', 'open,acknowledged',
      '--verdict', 'none,true-positive', '--from', '2025-03-01T00:02:00Z', '--to', String(T0 + 3 * 60_000), '--dst', '192.168.1.0/24',
      '--sort', 'score', '--limit', '1',
    ]);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { alerts: AlertSummary[]; total: number; flows: number };
    expect(doc.alerts.map((a) => a.id)).toEqual([3]);
    expect(doc.total).toBe(2);
    expect(doc.flows).toBe(123);
  });

  it('prints a readable table, and says so when nothing matches', () => {
    const r = flowsight(['alerts', '--sort', 'severity', '--workspace', ws]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+LAST SEEN\s+SEVERITY\s+CLASS\s+SCORE\s+FLOWS\s+SOURCE\s+DESTINATION\s+STATUS\s+VERDICT$/);
    expect(lines[1]).toMatch(/^\s*3 .*critical\s+DoS Hulk\s+0\.990\s+120\s+172\.16\.4\.4:50002\s+192\.168\.1\.10:443\s+acknowledged\s+true-positive$/);
    expect(lines.some((l) => l.includes('[2001:db8::7]:50003'))).toBe(true);
    expect(lines[lines.length - 1]).toBe('4 alerts (164 flows in all that match).');
    const none = flowsight(['alerts', '--class', 'Nothing', '--workspace', ws]);
    expect(none.stdout).toBe('No alerts match.\n');
  });

  it('refuses bad flags with exit code 2 and one sentence', () => {
    const bad = (args: string[], message: RegExp) => {
      const r = flowsight(['alerts', '--workspace', ws, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    };
    bad(['--severity', 'urgent'], /'--severity' takes low, medium, high, critical/);
    bad(['--src', '10.0.0.256'], /'--src'.*above 255/);
  });
});

describe('alerts flags', () => {
  const parse = (argv: string[]) => alertsFlags(parseCommandLine(['alerts', ...argv]).values);

  it('builds the filter the backend takes', () => {
    expect(parse([])).toEqual({ json: false, countFlows: false, filter: {}, limit: 200, sort: 'newest' });
    expect(
      parse([
        '--from', '1740787200000', '--to', '2025-03-02T00:00:00Z', '--severity', 'high,critical', '--class', 'A', '--class', 'B,C',
        '--model', '3', '--monitor', '#4', '--src', '10.1.2.3/8', '--dst', '2001:DB8::1', '--port', '0', '--status', 'open',
        '--verdict', 'none', '--include-suppressed', '--limit', '5000', '--sort', 'count', '--json', '--count-flows',
      ]),
    ).toEqual({
      json: true,
      countFlows: true,
      filter: {
        from: 1740787200000,
        to: '2025-03-02T00:00:00Z',
        severity: ['high', 'critical'],
        classes: ['A', 'B', 'C'],
        modelId: 3,
        monitorId: 4,
        src: '10.0.0.0/8',
        dst: '2001:db8::1',
        port: 0,
        status: ['open'],
        verdict: ['none'],
        includeSuppressed: true,
      },
      limit: 5000,
      sort: 'count',
    });
  });

  it('refuses values it cannot use, naming the option', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--from', 'yesterday'], /'--from' needs a time/],
      [['--limit', '0'], /'--limit' needs how many alerts/],
      [['--limit', '5001'], /'--limit'/],
      [['--port', '65536'], /'--port' needs a port/],
      [['--port', '-1'], /'--port'/],
      [['--sort', 'random'], /'--sort' takes newest, oldest, score, severity, count/],
      [['--status', 'done'], /'--status' takes open, acknowledged, closed/],
      [['--verdict', 'maybe'], /'--verdict' takes true-positive, false-positive, none/],
      [['--model', 'x'], /'--model' needs a model id/],
      [['--class', ','], /'--class' needs a class name/],
      [['--dst', "1.2.3.4' OR 1=1"], /'--dst'/],
    ];
    for (const [argv, message] of cases) {
      expect(() => parse(argv), argv.join(' ')).toThrow(UsageError);
      expect(() => parse(argv), argv.join(' ')).toThrow(message);
    }
  });

  it('formats an empty page and plural counts', () => {
    expect(alertsTable([], 0, 0)).toBe('No alerts match.\n');
    expect(alertsTable([], 12, 40)).toBe('No alerts on this page (12 match).\n');
  });
});
