/**
 * Zeek conn.log: TSV with '#separator' / '#fields' / '#types' header lines, or JSON lines.
 * '-' is unset and '(empty)' an empty set: both are stored as missing. IoT-23 '.labeled' files pack
 * `tunnel_parents   label   detailed-label` into the last TAB field with THREE SPACES between them
 * (in the '#fields' line too): those are read as three fields, and the label is the detailed label
 * when there is one, else the base label (Benign / Malicious).
 */
import { decodeUtf8OrCp1252 } from '../text.js';
import type { ColumnRole, LayoutColumn, LayoutPlan, StorageType } from '../types.js';
import { HASH, column, isDateTimeText, isIpText, isMacText, isNumberText, notThisFormat, type HeadSample, type ProfileOptions } from './common.js';

/** Zeek types of the conn.log fields (for JSON logs, which carry no '#types' line). */
export const ZEEK_CONN_TYPES: Readonly<Record<string, string>> = {
  ts: 'time',
  uid: 'string',
  'id.orig_h': 'addr',
  'id.orig_p': 'port',
  'id.resp_h': 'addr',
  'id.resp_p': 'port',
  proto: 'enum',
  service: 'string',
  duration: 'interval',
  orig_bytes: 'count',
  resp_bytes: 'count',
  conn_state: 'string',
  local_orig: 'bool',
  local_resp: 'bool',
  missed_bytes: 'count',
  history: 'string',
  orig_pkts: 'count',
  orig_ip_bytes: 'count',
  resp_pkts: 'count',
  resp_ip_bytes: 'count',
  tunnel_parents: 'set[string]',
  orig_l2_addr: 'string',
  resp_l2_addr: 'string',
  vlan: 'int',
  inner_vlan: 'int',
  community_id: 'string',
};

const IDENTIFIER_FIELDS = new Set(['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h']);
/** the responder port names the service a flow targets: a feature, unlike the ephemeral originator port */
const SERVICE_PORT = 'id.resp_p';
const CATEGORICAL_FIELDS = new Set(['proto', 'service', 'conn_state', 'history']);
const DETAILED_LABEL = new Set(['detailed-label', 'detailed_label', 'detailedlabel']);

/** Role and storage of one Zeek field from its name and Zeek type. */
export function zeekColumnKind(name: string, type: string): { role: ColumnRole; storage: StorageType } {
  const t = type.toLowerCase();
  const numeric = t === 'time' || t === 'interval' || t === 'count' || t === 'int' || t === 'port' || t === 'double';
  const storage: StorageType = t === 'time' ? 'f64' : numeric ? 'f32' : 'dict';
  if (name === 'label') return { role: 'label', storage: 'dict' };
  if (IDENTIFIER_FIELDS.has(name)) return { role: 'identifier', storage };
  if (name === SERVICE_PORT) return { role: 'numeric', storage: 'f32' };
  if (CATEGORICAL_FIELDS.has(name)) return { role: 'categorical', storage: 'dict' };
  if (t === 'time' || t === 'port' || t === 'addr' || t === 'subnet') return { role: 'identifier', storage };
  if (/(^|_)(uid|uids|fuid|id|l2_addr|mac|community_id)$/.test(name)) return { role: 'identifier', storage };
  if (t.startsWith('set') || t.startsWith('vector') || t === 'table') return { role: 'ignored', storage: 'dict' };
  if (numeric) return { role: 'numeric', storage };
  return { role: 'categorical', storage: 'dict' };
}

interface Line {
  start: number;
  /** end without CR/LF */
  end: number;
  /** start of the next line */
  next: number;
}

function splitLines(body: Uint8Array, max: number): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < body.length && lines.length < max) {
    let nl = body.indexOf(0x0a, start);
    const next = nl < 0 ? body.length : nl + 1;
    if (nl < 0) nl = body.length;
    let end = nl;
    if (end > start && body[end - 1] === 0x0d) end--;
    lines.push({ start, end, next });
    start = next;
  }
  return lines;
}

function lineText(body: Uint8Array, l: Line): string {
  return decodeUtf8OrCp1252(body, l.start, l.end).text;
}

/** Unescapes Zeek's '\x09' notation. */
function unescape(s: string): string {
  return s.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** True when the head starts (after blank space) with Zeek '#' header lines naming fields. */
export function looksLikeZeekTsv(body: Uint8Array): boolean {
  const lines = splitLines(body, 16);
  for (const l of lines) {
    const t = lineText(body, l).trim();
    if (t === '') continue;
    if (!t.startsWith('#')) return false;
    if (t.startsWith('#separator') || t.startsWith('#fields')) return true;
  }
  return false;
}

/** Plan for a Zeek TSV log (null when the head has no '#fields' line; throws when forced). */
export function detectZeekTsv(sample: HeadSample, opts: ProfileOptions): LayoutPlan | null {
  const fail = (why: string): null => {
    if (opts.forced) throw notThisFormat(sample, 'a Zeek TSV log', why);
    return null;
  };
  const body = sample.body;
  const lines = splitLines(body, 64);
  let separator = '\t';
  let unset = '-';
  let empty = '(empty)';
  let fieldsRaw: string[] | null = null;
  let typesRaw: string[] | null = null;
  let headerLines = 0;
  let skip = 0;
  let sawTabIndent = false;
  for (const l of lines) {
    const text = lineText(body, l);
    const t = text.replace(/^[\t ]+/, '');
    if (t === '' && fieldsRaw === null) {
      headerLines++;
      skip = l.next;
      continue;
    }
    if (!t.startsWith('#')) break;
    if (t !== text) sawTabIndent = true;
    headerLines++;
    skip = l.next;
    if (t.startsWith('#separator')) {
      const m = /^#separator[ \t]+(.*)$/.exec(t);
      if (m) separator = unescape(m[1].trim()) || '\t';
      continue;
    }
    const parts = t.split(separator);
    const key = parts[0];
    if (key === '#unset_field' && parts.length > 1) unset = parts[1];
    else if (key === '#empty_field' && parts.length > 1) empty = parts[1];
    else if (key === '#fields') fieldsRaw = parts.slice(1);
    else if (key === '#types') typesRaw = parts.slice(1);
  }
  if (fieldsRaw === null) return fail("it has no '#fields' line");
  if (separator.length !== 1) return fail(`its separator '${separator}' is not one character`);

  // IoT-23: 'tunnel_parents   label   detailed-label' in the last field
  const tripleSpace = fieldsRaw.some((f) => f.includes('   '));
  const names = tripleSpace ? fieldsRaw.flatMap((f) => f.split(/ {3}/).map((x) => x.trim())) : fieldsRaw.map((f) => f.trim());
  let types: string[] = [];
  if (typesRaw !== null) {
    types = typesRaw.some((f) => f.includes('   '))
      ? typesRaw.flatMap((f) => f.split(/ {3}/).map((x) => x.trim()))
      : typesRaw.map((f) => f.trim());
  }
  if (types.length !== names.length) {
    types = names.map((n) => ZEEK_CONN_TYPES[n] ?? '');
  }

  const plan: LayoutPlan = {
    profile: 'zeek-tsv',
    format: 'zeek',
    reader: 'delimited',
    delimiter: separator.charCodeAt(0),
    quote: null,
    commentByte: HASH,
    tripleSpaceDelimiter: tripleSpace,
    nFields: names.length,
    hasHeader: false,
    headerLine: null,
    sourceHeader: names.slice(),
    skipBytes: (sample.bom ? 3 : 0) + skip,
    skipLines: headerLines,
    bom: sample.bom,
    lineEnding: sample.lineEnding,
    missingTokens: [unset, empty, ''],
    columns: [],
    labelColumn: null,
    labelScheme: 'generic',
    detailedLabel: null,
    binaryTruthColumn: null,
    renamedHeaders: [],
    duplicateColumns: [],
    droppedColumns: [],
    notes: [],
  };
  const hasLabel = names.includes('label');
  const detailedIdx = names.findIndex((n) => DETAILED_LABEL.has(n));
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (seen.has(name)) {
      plan.duplicateColumns.push({ name, action: `dropped the second copy (field ${i + 1})` });
      plan.notes.push(`Dropped the second '${name}' field (a duplicate).`);
      return;
    }
    seen.add(name);
    if (i === detailedIdx && hasLabel) {
      plan.detailedLabel = { name, fieldIndex: i };
      plan.droppedColumns.push({ name, reason: 'merged into label: the detailed label when set, else the base label' });
      return;
    }
    const kind = zeekColumnKind(name, types[i] ?? '');
    plan.columns.push(column(name, name, kind.role, kind.storage, i));
  });
  if (hasLabel) {
    plan.labelColumn = 'label';
    plan.labelScheme = plan.detailedLabel !== null ? 'iot-23' : 'generic';
    if (plan.detailedLabel !== null) {
      plan.notes.push(
        "Labels are IoT-23 style: the label is 'detailed-label' when set (e.g. PartOfAHorizontalPortScan), else the base label (Benign / Malicious); the category is the base label.",
      );
    }
  } else {
    plan.notes.push(`${sample.fileName} has no label field; imported as unlabelled connections.`);
  }
  if (tripleSpace) {
    plan.notes.push("The last field packs 'tunnel_parents   label   detailed-label' with three spaces; read as three fields.");
  }
  if (sawTabIndent) plan.notes.push(`A header line of ${sample.fileName} starts with a tab; it was read as a header line.`);
  plan.notes.push(
    `Read the Zeek header (${headerLines} lines): '${unset}' (unset) and '${empty}' (empty) cells are stored as missing.`,
  );
  return plan;
}

/** Keys of the JSON objects on the first lines, in first-seen order; null when a line is not JSON. */
function jsonHeadKeys(body: Uint8Array, maxLines: number): { keys: string[]; samples: Map<string, unknown[]>; lines: number } | null {
  const lines = splitLines(body, maxLines);
  const keys: string[] = [];
  const samples = new Map<string, unknown[]>();
  let n = 0;
  for (const l of lines) {
    const text = lineText(body, l).trim();
    if (text === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      return n === 0 ? null : { keys, samples, lines: n };
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return null;
    n++;
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
      let list = samples.get(k);
      if (!list) {
        list = [];
        samples.set(k, list);
        keys.push(k);
      }
      if (list.length < 200) list.push(v);
    }
  }
  return n === 0 ? null : { keys, samples, lines: n };
}

/** True when the first non-blank byte is '{'. */
export function looksLikeJsonLines(body: Uint8Array): boolean {
  for (let i = 0; i < body.length; i++) {
    const b = body[i];
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
    return b === 0x7b;
  }
  return false;
}

/** Columns every Zeek conn.log JSON import carries (Zeek leaves unset fields out of JSON lines). */
const JSON_CORE = [
  'ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes',
  'resp_bytes', 'conn_state', 'local_orig', 'local_resp', 'missed_bytes', 'history', 'orig_pkts', 'orig_ip_bytes',
  'resp_pkts', 'resp_ip_bytes',
];

function jsonType(values: readonly unknown[]): string {
  let nums = 0;
  let strs = 0;
  let other = 0;
  for (const v of values) {
    if (typeof v === 'number') nums++;
    else if (typeof v === 'string') strs++;
    else if (v !== null) other++;
  }
  if (nums > 0 && strs === 0 && other === 0) return 'double';
  if (strs > 0 && nums === 0 && other === 0) {
    const s = values.filter((v): v is string => typeof v === 'string');
    if (s.every((x) => isIpText(x))) return 'addr';
    if (s.every((x) => isDateTimeText(x))) return 'time-text';
    if (s.every((x) => isMacText(x))) return 'mac';
    if (s.every((x) => isNumberText(x))) return 'double';
  }
  if (values.some((v) => Array.isArray(v))) return 'set[string]';
  return 'string';
}

/** Plan for Zeek JSON lines (null when the head is not Zeek JSON; throws when forced). */
export function detectZeekJson(sample: HeadSample, opts: ProfileOptions): LayoutPlan | null {
  const fail = (why: string): null => {
    if (opts.forced) throw notThisFormat(sample, 'a Zeek JSON log', why);
    return null;
  };
  const head = jsonHeadKeys(sample.body, 500);
  if (head === null) return fail('its first line is not a JSON object');
  const keys = head.keys;
  if (!keys.includes('ts') || !(keys.includes('uid') || keys.includes('id.orig_h'))) {
    return fail("its JSON objects have no Zeek 'ts' and 'uid' / 'id.orig_h' keys");
  }
  const plan: LayoutPlan = {
    profile: 'zeek-json',
    format: 'zeek',
    reader: 'json-lines',
    delimiter: 0,
    quote: null,
    commentByte: null,
    tripleSpaceDelimiter: false,
    nFields: 0,
    hasHeader: false,
    headerLine: null,
    sourceHeader: null,
    skipBytes: sample.bom ? 3 : 0,
    skipLines: 0,
    bom: sample.bom,
    lineEnding: sample.lineEnding,
    missingTokens: ['-', '(empty)', ''],
    columns: [],
    labelColumn: null,
    labelScheme: 'generic',
    detailedLabel: null,
    binaryTruthColumn: null,
    renamedHeaders: [],
    duplicateColumns: [],
    droppedColumns: [],
    notes: [],
  };
  const ordered = [...JSON_CORE, ...keys.filter((k) => !JSON_CORE.includes(k))];
  const cols: LayoutColumn[] = [];
  for (const key of ordered) {
    if (DETAILED_LABEL.has(key) && keys.includes('label')) {
      plan.detailedLabel = { name: key, fieldIndex: -1, key };
      plan.droppedColumns.push({ name: key, reason: 'merged into label: the detailed label when set, else the base label' });
      continue;
    }
    // keys outside conn.log: Zeek type from the values (MAC addresses and date texts are identifiers)
    const inferred = ZEEK_CONN_TYPES[key] === undefined ? jsonType(head.samples.get(key) ?? []) : null;
    const type = inferred === null ? ZEEK_CONN_TYPES[key] : inferred === 'mac' || inferred === 'time-text' ? 'string' : inferred;
    const kind = zeekColumnKind(key, type);
    if (inferred === 'mac' || inferred === 'time-text') kind.role = 'identifier';
    cols.push(column(key, key, kind.role, kind.storage, -1, key));
  }
  plan.columns = cols;
  const absent = JSON_CORE.filter((k) => !keys.includes(k));
  if (absent.length > 0) {
    plan.notes.push(
      `Zeek leaves unset fields out of JSON lines: ${absent.join(', ')} did not occur in the first ${head.lines} lines and are missing there.`,
    );
  }
  if (keys.includes('label')) {
    plan.labelColumn = 'label';
    plan.labelScheme = plan.detailedLabel !== null ? 'iot-23' : 'generic';
  } else {
    plan.notes.push(`${sample.fileName} has no label key; imported as unlabelled connections.`);
  }
  if (!sample.complete) {
    plan.notes.push(`Keys first seen after line ${head.lines} of ${sample.fileName} are not read.`);
  }
  return plan;
}

