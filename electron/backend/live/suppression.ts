/**
 * Suppression rules: IP / CIDR parsing and matching, and the rules in force as the monitor writer
 * uses them (compiled once per batch, matched per alert without allocating).
 *
 * Every address is handled as 128 bits in eight 16-bit words: an IPv4 address a.b.c.d is the
 * v4-mapped IPv6 address ::ffff:a.b.c.d, so `10.0.0.0/8` (= ::ffff:10.0.0.0/104) also matches
 * `::ffff:10.1.2.3`, and an IPv4 prefix /p is the 128-bit prefix /(96 + p).
 */
import { FlowsightError } from '../../contract/errors.js';
import type { Db } from '../db/connection.js';

export interface ParsedSubnet {
  /** how the text was written: an IPv4 address / subnet or an IPv6 one */
  family: 4 | 6;
  /** the network's 128 bits (host bits cleared), eight 16-bit words, most significant first */
  words: Uint16Array;
  /** prefix length over the 128 bits (IPv4 /p is 96 + p) */
  prefix: number;
  /** canonical text: `10.0.0.0/8`, `2001:db8::/32`, a single address without a prefix */
  text: string;
}

export interface RuleFields {
  src: string | null;
  dst: string | null;
  className: string | null;
  port: number | null;
}

export interface AlertKey {
  srcIp: string | null;
  dstIp: string | null;
  className: string;
  srcPort: number | null;
  dstPort: number | null;
}

export interface CompiledRule {
  id: number;
  src: ParsedSubnet | null;
  dst: ParsedSubnet | null;
  className: string | null;
  /** -1: any port */
  port: number;
}

const EXAMPLE = 'such as 10.0.0.5, 10.0.0.0/8, 2001:db8::1 or 2001:db8::/32';

function bad(text: string, why: string): FlowsightError {
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return new FlowsightError('BAD_INPUT', `"${shown}" is not an IP address or a CIDR subnet (${EXAMPLE}): ${why}.`);
}

// ---- parsing without allocation (the hot path parses every alert's addresses) ------------------

const C_0 = 48;
const C_9 = 57;
const C_DOT = 46;
const C_COLON = 58;
const C_PCT = 37;

function hexValue(c: number): number {
  if (c >= C_0 && c <= C_9) return c - C_0;
  if (c >= 97 && c <= 102) return c - 87; // a-f
  if (c >= 65 && c <= 70) return c - 55; // A-F
  return -1;
}

/** Why the last parse failed (only read when building an error message). */
let parseError = '';

/**
 * Dotted IPv4 in s[start, end) into out[6], out[7] (and the v4-mapped prefix into out[0..5] when
 * `mapped`). Returns false (parseError set) when it is not one.
 */
function parseV4Into(s: string, start: number, end: number, out: Uint16Array, mapped: boolean): boolean {
  let octets = 0;
  let value = 0;
  let digits = 0;
  let leadingZero = false;
  let hi = 0;
  let lo = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? s.charCodeAt(i) : C_DOT;
    if (c >= C_0 && c <= C_9) {
      if (digits === 1 && leadingZero) {
        parseError = 'a part of an IPv4 address has a leading zero';
        return false;
      }
      if (digits === 0 && c === C_0) leadingZero = true;
      value = value * 10 + (c - C_0);
      digits++;
      if (value > 255) {
        parseError = `${s.slice(start, end)} has a part above 255`;
        return false;
      }
    } else if (c === C_DOT) {
      if (digits === 0) {
        parseError = 'an IPv4 address has four numbers from 0 to 255 separated by dots';
        return false;
      }
      if (octets === 4) {
        parseError = 'an IPv4 address has four numbers, not more';
        return false;
      }
      if (octets < 2) hi = (hi << 8) | value;
      else lo = (lo << 8) | value;
      octets++;
      value = 0;
      digits = 0;
      leadingZero = false;
    } else {
      parseError = `unexpected character '${String.fromCharCode(c)}'`;
      return false;
    }
  }
  if (octets !== 4) {
    parseError = 'an IPv4 address has four numbers from 0 to 255 separated by dots';
    return false;
  }
  if (mapped) {
    out[0] = 0;
    out[1] = 0;
    out[2] = 0;
    out[3] = 0;
    out[4] = 0;
    out[5] = 0xffff;
  }
  out[6] = hi;
  out[7] = lo;
  return true;
}

/** IPv6 (`::` forms, a trailing dotted IPv4, an ignored `%zone`) in s[start, end) into out. */
function parseV6Into(s: string, start: number, end: number, out: Uint16Array): boolean {
  // a zone index (fe80::1%eth0) names the interface, not the address
  for (let i = start; i < end; i++) {
    if (s.charCodeAt(i) === C_PCT) {
      end = i;
      break;
    }
  }
  let n = 0; // groups written
  let gap = -1; // group index where '::' stands
  let i = start;
  if (end - start >= 2 && s.charCodeAt(start) === C_COLON && s.charCodeAt(start + 1) === C_COLON) {
    gap = 0;
    i = start + 2;
    if (i === end) {
      out.fill(0);
      return true;
    }
  } else if (start < end && s.charCodeAt(start) === C_COLON) {
    parseError = "an IPv6 address cannot start with a single ':'";
    return false;
  }
  while (i < end) {
    // one group: hex digits up to ':' or the end, or a dotted IPv4 tail
    let value = 0;
    let digits = 0;
    let j = i;
    let dotted = false;
    for (; j < end; j++) {
      const c = s.charCodeAt(j);
      if (c === C_COLON) break;
      if (c === C_DOT) {
        dotted = true;
        break;
      }
      const h = hexValue(c);
      if (h < 0) {
        parseError = `unexpected character '${String.fromCharCode(c)}'`;
        return false;
      }
      value = (value << 4) | h;
      digits++;
      if (digits > 4) {
        parseError = 'a group of an IPv6 address has at most four hex digits';
        return false;
      }
    }
    if (dotted) {
      if (n > 6) {
        parseError = 'an IPv6 address has eight groups at most';
        return false;
      }
      if (!parseV4Into(s, i, end, SCRATCH_V4, false)) return false;
      out[n++] = SCRATCH_V4[6]!;
      out[n++] = SCRATCH_V4[7]!;
      i = end;
      break;
    }
    if (digits === 0) {
      parseError = "an IPv6 address has ':' in the wrong place";
      return false;
    }
    if (n === 8) {
      parseError = 'an IPv6 address has eight groups at most';
      return false;
    }
    out[n++] = value;
    if (j === end) {
      i = end;
      break;
    }
    // j is at ':'
    if (j + 1 < end && s.charCodeAt(j + 1) === C_COLON) {
      if (gap >= 0) {
        parseError = "an IPv6 address can use '::' only once";
        return false;
      }
      gap = n;
      i = j + 2;
    } else {
      if (j + 1 === end) {
        parseError = "an IPv6 address cannot end with a single ':'";
        return false;
      }
      i = j + 1;
    }
  }
  if (gap < 0) {
    if (n !== 8) {
      parseError = 'an IPv6 address has eight groups (or uses :: for zeros)';
      return false;
    }
    return true;
  }
  if (n > 7) {
    parseError = "an IPv6 address with '::' has seven groups at most";
    return false;
  }
  // move the groups after the gap to the end, zeros in between
  const after = n - gap;
  for (let k = 0; k < after; k++) out[7 - k] = out[n - 1 - k]!;
  for (let k = gap; k < 8 - after; k++) out[k] = 0;
  return true;
}

const SCRATCH_V4 = new Uint16Array(8);
const SCRATCH = new Uint16Array(8);
/** the address SCRATCH holds (ipMatches only) */
let lastIp: string | null = null;
let lastOk = false;

function hasColon(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (s.charCodeAt(i) === C_COLON) return true;
  return false;
}

/** Address s[start, end) into out (IPv4 as v4-mapped); 4 or 6 for the family, 0 when invalid. */
function parseAddressInto(s: string, start: number, end: number, out: Uint16Array): 0 | 4 | 6 {
  if (start >= end) {
    parseError = 'the address is empty';
    return 0;
  }
  if (hasColon(s, start, end)) return parseV6Into(s, start, end, out) ? 6 : 0;
  return parseV4Into(s, start, end, out, true) ? 4 : 0;
}

// ---- formatting ----------------------------------------------------------------------------------

function formatV6(w: Uint16Array): string {
  // RFC 5952: the longest run (>= 2) of zero groups becomes '::', lower-case hex
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) => Array.from(w.subarray(from, to), (g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

function formatV4(w: Uint16Array): string {
  return `${w[6]! >> 8}.${w[6]! & 255}.${w[7]! >> 8}.${w[7]! & 255}`;
}

function clearHostBits(w: Uint16Array, prefix: number): void {
  for (let g = 0; g < 8; g++) {
    const keep = Math.max(0, Math.min(16, prefix - g * 16));
    w[g] = keep === 0 ? 0 : keep === 16 ? w[g]! : w[g]! & ((0xffff << (16 - keep)) & 0xffff);
  }
}

/**
 * An IPv4 / IPv6 address or CIDR subnet (`10.0.0.0/8`, `2001:db8::/32`, `::ffff:10.0.0.1`).
 * Host bits of a subnet are cleared (10.1.2.3/8 is 10.0.0.0/8). Throws BAD_INPUT when invalid.
 */
export function parseIpOrSubnet(input: string): ParsedSubnet {
  if (typeof input !== 'string') throw bad(String(input), 'it is not text');
  const s = input.trim();
  if (s === '') throw new FlowsightError('BAD_INPUT', `An IP address or a CIDR subnet is empty (${EXAMPLE}).`);
  const slash = s.indexOf('/');
  const end = slash < 0 ? s.length : slash;
  const words = new Uint16Array(8);
  const family = parseAddressInto(s, 0, end, words);
  if (family === 0) throw bad(s, parseError);
  if (family === 6 && s.slice(0, end).includes('%')) throw bad(s, 'a zone index (%...) does not belong in a rule or filter');
  const max = family === 4 ? 32 : 128;
  let bits = max;
  if (slash >= 0) {
    const p = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) throw bad(s, 'the prefix after / is a number of bits');
    bits = Number(p);
    if (bits > max) throw bad(s, `an IPv${family} prefix is at most /${max}`);
  }
  const prefix = family === 4 ? 96 + bits : bits;
  clearHostBits(words, prefix);
  const isMapped = family === 6 && words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0 && words[4] === 0 && words[5] === 0xffff;
  let text: string;
  if (family === 4) text = formatV4(words) + (bits === 32 ? '' : `/${bits}`);
  else if (isMapped && prefix >= 96) text = `::ffff:${formatV4(words)}` + (bits === 128 ? '' : `/${bits}`);
  else text = formatV6(words) + (bits === 128 ? '' : `/${bits}`);
  return { family, words, prefix, text };
}

/** True when s is an address or subnet parseIpOrSubnet accepts. */
export function isIpOrSubnet(s: string): boolean {
  try {
    parseIpOrSubnet(s);
    return true;
  } catch {
    return false;
  }
}

/** The canonical text of an address or subnet (throws BAD_INPUT when invalid). */
export function canonicalIp(s: string): string {
  return parseIpOrSubnet(s).text;
}

/** True when `ip` (an address as flows write it) lies in `subnet`; false for null or unparsable. */
export function ipMatches(ip: string | null, subnet: ParsedSubnet): boolean {
  if (ip === null || ip === undefined) return false;
  // the same alert's address is tested against every rule: parse it once
  if (ip !== lastIp) {
    lastOk = parseAddressInto(ip, 0, ip.length, SCRATCH) !== 0;
    lastIp = ip;
  }
  if (!lastOk) return false;
  const w = subnet.words;
  let bits = subnet.prefix;
  for (let g = 0; g < 8 && bits > 0; g++, bits -= 16) {
    if (bits >= 16) {
      if (SCRATCH[g] !== w[g]) return false;
    } else {
      const mask = (0xffff << (16 - bits)) & 0xffff;
      if ((SCRATCH[g]! & mask) !== w[g]) return false;
    }
  }
  return true;
}

function compileFields(id: number, rule: RuleFields): CompiledRule {
  return {
    id,
    src: rule.src === null ? null : parseIpOrSubnet(rule.src),
    dst: rule.dst === null ? null : parseIpOrSubnet(rule.dst),
    className: rule.className,
    port: rule.port === null ? -1 : rule.port,
  };
}

/** One rule against one alert: every given field must match (the port: source or destination). */
export function compiledRuleMatches(rule: CompiledRule, alert: AlertKey): boolean {
  if (rule.className !== null && rule.className !== alert.className) return false;
  if (rule.port >= 0 && rule.port !== alert.srcPort && rule.port !== alert.dstPort) return false;
  if (rule.src !== null && !ipMatches(alert.srcIp, rule.src)) return false;
  if (rule.dst !== null && !ipMatches(alert.dstIp, rule.dst)) return false;
  return true;
}

/** The same for an uncompiled rule (parses its addresses; BAD_INPUT when they are invalid). */
export function ruleMatches(rule: RuleFields, alert: AlertKey): boolean {
  return compiledRuleMatches(compileFields(0, rule), alert);
}

/** The id of the first rule (lowest id) that matches, or null. */
export function firstMatchingRule(rules: readonly CompiledRule[], alert: AlertKey): number | null {
  for (let i = 0; i < rules.length; i++) if (compiledRuleMatches(rules[i]!, alert)) return rules[i]!.id;
  return null;
}

/** The matching columns of a suppression_rules row. */
export interface RuleRow {
  id: number;
  src: string | null;
  dst: string | null;
  class_name: string | null;
  port: number | null;
}

/**
 * The rules in force at `nowMs` (not expired), compiled, lowest id first. A rule whose stored
 * address no longer parses is left out (it cannot match anything).
 */
export function activeRules(db: Db, nowMs: number): CompiledRule[] {
  const rows = db
    .prepare('SELECT id, src, dst, class_name, port FROM suppression_rules WHERE expires_at IS NULL OR expires_at > ? ORDER BY id')
    .all(new Date(nowMs).toISOString()) as RuleRow[];
  const out: CompiledRule[] = [];
  for (const r of rows) {
    try {
      out.push(compileFields(r.id, { src: r.src, dst: r.dst, className: r.class_name, port: r.port }));
    } catch {
      /* an unparsable stored address: the rule cannot match */
    }
  }
  return out;
}

const registered = new WeakSet<Db>();

/**
 * Registers the deterministic SQL function `ip_in(ip, subnet)` (1 when ip lies in subnet, else 0;
 * NULL ip: 0) on a connection. Parsed subnets are cached by their text. Safe to call repeatedly.
 */
export function registerIpFunctions(db: Db): void {
  if (registered.has(db)) return;
  const cache = new Map<string, ParsedSubnet | null>();
  db.function('ip_in', { deterministic: true, varargs: false }, (ip: unknown, subnet: unknown) => {
    if (typeof ip !== 'string' || typeof subnet !== 'string') return 0;
    let parsed = cache.get(subnet);
    if (parsed === undefined) {
      try {
        parsed = parseIpOrSubnet(subnet);
      } catch {
        parsed = null;
      }
      if (cache.size > 256) cache.clear();
      cache.set(subnet, parsed);
    }
    return parsed !== null && ipMatches(ip, parsed) ? 1 : 0;
  });
  registered.add(db);
}
