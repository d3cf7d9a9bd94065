import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FlowsightError } from '../../contract/errors.js';
import { migrate } from '../db/migrations/index.js';
import {
  activeRules,
  compiledRuleMatches,
  firstMatchingRule,
  ipMatches,
  parseIpOrSubnet,
  registerIpFunctions,
  ruleMatches,
  type AlertKey,
} from './suppression.js';

function errorOf(f: () => unknown): FlowsightError {
  try {
    f();
  } catch (e) {
    if (e instanceof FlowsightError) return e;
    throw e;
  }
  throw new Error('expected a FlowsightError');
}

const alert = (over: Partial<AlertKey> = {}): AlertKey => ({
  srcIp: '10.1.2.3',
  dstIp: '192.168.0.10',
  className: 'DoS Hulk',
  srcPort: 51000,
  dstPort: 80,
  ...over,
});

describe('parseIpOrSubnet', () => {
  it('reads IPv4 addresses and subnets, clearing host bits', () => {
    expect(parseIpOrSubnet('10.0.0.5')).toMatchObject({ family: 4, prefix: 128, text: '10.0.0.5' });
    expect(parseIpOrSubnet(' 10.0.0.0/8 ')).toMatchObject({ family: 4, prefix: 104, text: '10.0.0.0/8' });
    expect(parseIpOrSubnet('10.1.2.3/8').text).toBe('10.0.0.0/8');
    expect(parseIpOrSubnet('0.0.0.0/0').text).toBe('0.0.0.0/0');
    expect(parseIpOrSubnet('255.255.255.255/32').text).toBe('255.255.255.255');
    expect(parseIpOrSubnet('172.16.5.4/12').text).toBe('172.16.0.0/12');
  });

  it('reads IPv6, :: forms and v4-mapped addresses', () => {
    expect(parseIpOrSubnet('::').text).toBe('::');
    expect(parseIpOrSubnet('::1').text).toBe('::1');
    expect(parseIpOrSubnet('1::').text).toBe('1::');
    expect(parseIpOrSubnet('2001:DB8:0:0:0:0:0:1').text).toBe('2001:db8::1');
    expect(parseIpOrSubnet('2001:db8::/32')).toMatchObject({ family: 6, prefix: 32, text: '2001:db8::/32' });
    expect(parseIpOrSubnet('2001:db8:ffff::/32').text).toBe('2001:db8::/32');
    expect(parseIpOrSubnet('fe80::1:0:0:1').text).toBe('fe80::1:0:0:1');
    expect(parseIpOrSubnet('1:0:0:2:0:0:0:3').text).toBe('1:0:0:2::3');
    expect(parseIpOrSubnet('::ffff:10.0.0.1')).toMatchObject({ family: 6, prefix: 128, text: '::ffff:10.0.0.1' });
    expect(parseIpOrSubnet('::ffff:a00:1').text).toBe('::ffff:10.0.0.1');
    expect(parseIpOrSubnet('::1.2.3.4').text).toBe('::102:304');
    expect(Array.from(parseIpOrSubnet('1:2:3:4:5:6:7:8').words)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('refuses what is not an address, with BAD_INPUT saying why', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['10.0.0', /four numbers/],
      ['10.0.0.0.1', /four numbers/],
      ['10.0.0.256', /above 255/],
      ['10.0.0.01', /leading zero/],
      ['10.0.0.1/33', /at most \/32/],
      ['2001:db8::/129', /at most \/128/],
      ['10.0.0.0/', /prefix/],
      ['10.0.0.0/abc', /prefix/],
      ['1::2::3', /only once/],
      ['1:2:3:4:5:6:7:8:9', /eight groups/],
      ['1:2:3', /eight groups/],
      ['12345::', /four hex digits/],
      ['g::1', /unexpected character 'g'/],
      [':1::', /single ':'/],
      ['1:2:3:4:5:6:7:', /single ':'/],
      ['hello', /unexpected character/],
      ["1.2.3.4' OR 1=1 --", /unexpected character/],
    ];
    for (const [text, why] of cases) {
      const e = errorOf(() => parseIpOrSubnet(text));
      expect(e.code, text).toBe('BAD_INPUT');
      expect(e.message, text).toMatch(why);
      if (text) expect(e.message).toContain(text.slice(0, 20));
    }
  });
});

describe('ipMatches', () => {
  it('matches addresses inside a subnet and nothing else', () => {
    const net = parseIpOrSubnet('10.0.0.0/8');
    expect(ipMatches('10.255.1.2', net)).toBe(true);
    expect(ipMatches('11.0.0.1', net)).toBe(false);
    expect(ipMatches('::ffff:10.9.9.9', net)).toBe(true);
    expect(ipMatches(null, net)).toBe(false);
    expect(ipMatches('garbage', net)).toBe(false);
    expect(ipMatches('', net)).toBe(false);
    const odd = parseIpOrSubnet('192.168.4.0/22');
    expect(ipMatches('192.168.7.255', odd)).toBe(true);
    expect(ipMatches('192.168.8.0', odd)).toBe(false);
    expect(ipMatches('192.168.3.255', odd)).toBe(false);
  });

  it('matches IPv6 whatever the textual form', () => {
    const net = parseIpOrSubnet('2001:db8::/32');
    expect(ipMatches('2001:0DB8:0000::1', net)).toBe(true);
    expect(ipMatches('2001:db9::1', net)).toBe(false);
    expect(ipMatches('fe80::1%eth0', parseIpOrSubnet('fe80::/10'))).toBe(true);
    const one = parseIpOrSubnet('2001:db8::1');
    expect(ipMatches('2001:db8:0:0:0:0:0:1', one)).toBe(true);
    expect(ipMatches('2001:db8::2', one)).toBe(false);
    // an IPv4 subnet does not match a plain IPv6 address and vice versa
    expect(ipMatches('2001:db8::1', parseIpOrSubnet('0.0.0.0/0'))).toBe(false);
    expect(ipMatches('10.0.0.1', parseIpOrSubnet('2001:db8::/32'))).toBe(false);
  });

  it('a single address matches itself only, and /0 matches every IPv4 address', () => {
    const one = parseIpOrSubnet('10.0.0.5');
    expect(ipMatches('10.0.0.5', one)).toBe(true);
    expect(ipMatches('10.0.0.50', one)).toBe(false);
    const all = parseIpOrSubnet('0.0.0.0/0');
    expect(ipMatches('1.2.3.4', all)).toBe(true);
    expect(ipMatches('255.255.255.255', all)).toBe(true);
  });
});

describe('ruleMatches', () => {
  const rule = { src: null, dst: null, className: null, port: null };
  it('needs every given field to match; the port is the source or destination port', () => {
    expect(ruleMatches({ ...rule, src: '10.0.0.0/8' }, alert())).toBe(true);
    expect(ruleMatches({ ...rule, src: '10.0.0.0/8', className: 'DoS Hulk' }, alert())).toBe(true);
    expect(ruleMatches({ ...rule, src: '10.0.0.0/8', className: 'PortScan' }, alert())).toBe(false);
    expect(ruleMatches({ ...rule, dst: '192.168.0.10' }, alert())).toBe(true);
    expect(ruleMatches({ ...rule, dst: '192.168.0.11' }, alert())).toBe(false);
    expect(ruleMatches({ ...rule, port: 80 }, alert())).toBe(true);
    expect(ruleMatches({ ...rule, port: 51000 }, alert())).toBe(true);
    expect(ruleMatches({ ...rule, port: 443 }, alert())).toBe(false);
    expect(ruleMatches({ ...rule, port: 0 }, alert({ srcPort: null, dstPort: 0 }))).toBe(true);
    expect(ruleMatches({ ...rule, port: 80 }, alert({ srcPort: null, dstPort: null }))).toBe(false);
    expect(ruleMatches({ ...rule, src: '10.0.0.0/8' }, alert({ srcIp: null }))).toBe(false);
    expect(ruleMatches({ ...rule, className: 'dos hulk' }, alert())).toBe(false);
  });

  it('refuses a rule with an invalid address', () => {
    expect(errorOf(() => ruleMatches({ ...rule, src: '10.0.0.999' }, alert())).code).toBe('BAD_INPUT');
  });
});

function workspace() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, ':memory:');
  return db;
}

describe('activeRules', () => {
  it('compiles the rules in force, lowest id first, leaving expired ones out', () => {
    const db = workspace();
    const now = Date.parse('2025-03-01T12:00:00Z');
    const ins = db.prepare('INSERT INTO suppression_rules (src, dst, class_name, port, reason, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    ins.run('10.0.0.0/8', null, null, null, 'lab', '2025-01-01T00:00:00.000Z', null);
    ins.run(null, null, 'PortScan', null, 'old', '2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z');
    ins.run(null, null, null, 443, 'tls', '2025-01-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z');
    const rules = activeRules(db, now);
    expect(rules.map((r) => r.id)).toEqual([1, 3]);
    expect(firstMatchingRule(rules, alert())).toBe(1);
    expect(firstMatchingRule(rules, alert({ srcIp: '8.8.8.8', dstPort: 443 }))).toBe(3);
    expect(firstMatchingRule(rules, alert({ srcIp: '8.8.8.8', className: 'PortScan' }))).toBeNull();
    expect(compiledRuleMatches(rules[0]!, alert({ srcIp: '11.0.0.1' }))).toBe(false);
    // after the third rule expires
    expect(activeRules(db, Date.parse('2025-05-01T00:00:00Z')).map((r) => r.id)).toEqual([1]);
  });

  it('matches a batch of 20,000 alerts against 51 rules', () => {
    const db = workspace();
    const ins = db.prepare('INSERT INTO suppression_rules (src, dst, class_name, port, reason, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < 50; i++) ins.run(`10.${i}.0.0/16`, null, 'DoS Hulk', null, '', '2025-01-01T00:00:00.000Z');
    ins.run('2001:db8::/32', null, null, null, '', '2025-01-01T00:00:00.000Z');
    const rules = activeRules(db, Date.now());
    const alerts: AlertKey[] = [];
    for (let i = 0; i < 20000; i++) alerts.push(alert({ srcIp: i % 2 ? `10.${i % 200}.1.${i % 250}` : `2001:db9::${(i % 65535).toString(16)}` }));
    let hits = 0;
    for (const a of alerts) if (firstMatchingRule(rules, a) !== null) hits++;
    expect(hits).toBe(alerts.filter((a, i) => i % 2 === 1 && Number(a.srcIp!.split('.')[1]) < 50).length);
  });
});

describe('ip_in (SQL)', () => {
  it('is registered once per connection and matches like ipMatches', () => {
    const db = new Database(':memory:');
    registerIpFunctions(db);
    registerIpFunctions(db);
    const q = db.prepare('SELECT ip_in(?, ?) AS v').pluck();
    expect(q.get('10.1.2.3', '10.0.0.0/8')).toBe(1);
    expect(q.get('11.1.2.3', '10.0.0.0/8')).toBe(0);
    expect(q.get(null, '10.0.0.0/8')).toBe(0);
    expect(q.get('10.1.2.3', 'not an address')).toBe(0);
    expect(q.get('2001:db8::5', '2001:db8::/32')).toBe(1);
  });
});
