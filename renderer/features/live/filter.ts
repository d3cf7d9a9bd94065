/** The alert filter as the form holds it (strings while typing) and as the API takes it. */
import type { AlertFilter, AlertStatus, Severity, Verdict } from '../../../electron/contract/index.js';

export interface FilterForm {
  /** flow time, ISO 8601 (UTC when no zone is given) */
  from: string;
  to: string;
  severity: Severity[];
  /** one class, or '' for any */
  className: string;
  modelId: string;
  monitorId: string;
  src: string;
  dst: string;
  port: string;
  status: AlertStatus[];
  verdict: Array<Verdict | 'none'>;
  includeSuppressed: boolean;
}

export type FilterField = 'from' | 'to' | 'src' | 'dst' | 'port';

export const EMPTY_FORM: FilterForm = {
  from: '',
  to: '',
  severity: [],
  className: '',
  modelId: '',
  monitorId: '',
  src: '',
  dst: '',
  port: '',
  status: [],
  verdict: [],
  includeSuppressed: false,
};

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** An IPv4 / IPv6 address, or a CIDR subnet of one ("10.0.0.0/8", "fe80::/10"). */
export function isIpOrSubnet(text: string): boolean {
  const s = text.trim();
  const slash = s.indexOf('/');
  const addr = slash >= 0 ? s.slice(0, slash) : s;
  const bits = slash >= 0 ? s.slice(slash + 1) : null;
  if (bits !== null && !/^\d{1,3}$/.test(bits)) return false;
  if (IPV4.test(addr)) return bits === null || Number(bits) <= 32;
  if (addr.includes(':') && /^[0-9a-fA-F:.]+$/.test(addr) && addr.length >= 2) {
    const doubles = addr.split('::').length - 1;
    if (doubles > 1) return false;
    const groups = addr.split(':').filter((g) => g !== '');
    if (groups.some((g) => g.length > 4 && !IPV4.test(g))) return false;
    if (doubles === 0 && groups.length !== 8 && !(groups.length === 7 && IPV4.test(groups[6]!))) return false;
    return bits === null || Number(bits) <= 128;
  }
  return false;
}

/** "2017-07-07 15:02" or an ISO string -> ISO 8601 (no zone = UTC, like flow times); null when unreadable */
export function parseFlowTime(text: string): string | null {
  let s = text.trim();
  if (!s) return null;
  s = s.replace(' ', 'T');
  if (/^\d{4}-\d\d-\d\d$/.test(s)) s += 'T00:00:00';
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(s)) s += 'Z';
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** The form as an API filter, or the sentences that say what is wrong with it. */
export function formToFilter(form: FilterForm): { filter: AlertFilter; errors: Partial<Record<FilterField, string>> } {
  const filter: AlertFilter = {};
  const errors: Partial<Record<FilterField, string>> = {};
  for (const key of ['from', 'to'] as const) {
    if (!form[key].trim()) continue;
    const iso = parseFlowTime(form[key]);
    if (iso) filter[key] = iso;
    else errors[key] = 'a time such as 2017-07-07 15:02 (UTC, flow time)';
  }
  if (filter.from && filter.to && filter.from > filter.to) errors.to = 'the end comes before the start';
  if (form.severity.length) filter.severity = [...form.severity];
  if (form.className) filter.classes = [form.className];
  if (form.modelId) filter.modelId = Number(form.modelId);
  if (form.monitorId) filter.monitorId = Number(form.monitorId);
  for (const key of ['src', 'dst'] as const) {
    const v = form[key].trim();
    if (!v) continue;
    if (isIpOrSubnet(v)) filter[key] = v;
    else errors[key] = 'an IP address or a subnet such as 10.0.0.0/8';
  }
  if (form.port.trim()) {
    const p = Number(form.port.trim());
    if (/^\d+$/.test(form.port.trim()) && p <= 65535) filter.port = p;
    else errors.port = 'a port from 0 to 65535';
  }
  if (form.status.length) filter.status = [...form.status];
  if (form.verdict.length) filter.verdict = [...form.verdict];
  if (form.includeSuppressed) filter.includeSuppressed = true;
  return { filter, errors };
}

/** Toggle one value in a multi-choice list. */
export function toggleIn<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}
