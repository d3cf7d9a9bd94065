/**
 * UNSW-NB15 (Moustafa & Slay 2015):
 *  - the 45-column partitioned training/testing sets (header, often a UTF-8 BOM and CRLF): `id`,
 *    features, `attack_cat` (the label; empty means Normal) and `label` (0/1, the binary truth);
 *  - the 49-column raw files UNSW-NB15_1..4.csv (usually no header): srcip, sport, dstip, dsport,
 *    proto, state, dur, ..., stime, ltime, ..., attack_cat, Label.
 * Raw names are mapped onto the set names where both hold the same feature (Sload -> sload, ...).
 */
import type { ColumnRole, LayoutPlan, StorageType } from '../types.js';
import {
  cleanHeader,
  column,
  dataRecords,
  delimitedPlan,
  fieldValues,
  isIntegerText,
  isIpText,
  isNumericCell,
  notThisFormat,
  setLabel,
  shareOf,
  shareWithFields,
  squash,
  type HeadSample,
  type ProfileOptions,
} from './common.js';

/** The 45 columns of UNSW_NB15_training-set.csv / UNSW_NB15_testing-set.csv. */
export const UNSW_NB15_SET_COLUMNS = [
  'id', 'dur', 'proto', 'service', 'state', 'spkts', 'dpkts', 'sbytes', 'dbytes', 'rate', 'sttl', 'dttl',
  'sload', 'dload', 'sloss', 'dloss', 'sinpkt', 'dinpkt', 'sjit', 'djit', 'swin', 'stcpb', 'dtcpb', 'dwin',
  'tcprtt', 'synack', 'ackdat', 'smean', 'dmean', 'trans_depth', 'response_body_len', 'ct_srv_src',
  'ct_state_ttl', 'ct_dst_ltm', 'ct_src_dport_ltm', 'ct_dst_sport_ltm', 'ct_dst_src_ltm', 'is_ftp_login',
  'ct_ftp_cmd', 'ct_flw_http_mthd', 'ct_src_ltm', 'ct_srv_dst', 'is_sm_ips_ports', 'attack_cat', 'label',
] as const;

/** The 49 columns of the raw UNSW-NB15_1..4.csv files, as named in NUSW-NB15_features.csv. */
export const UNSW_NB15_RAW_COLUMNS = [
  'srcip', 'sport', 'dstip', 'dsport', 'proto', 'state', 'dur', 'sbytes', 'dbytes', 'sttl', 'dttl', 'sloss',
  'dloss', 'service', 'Sload', 'Dload', 'Spkts', 'Dpkts', 'swin', 'dwin', 'stcpb', 'dtcpb', 'smeansz',
  'dmeansz', 'trans_depth', 'res_bdy_len', 'Sjit', 'Djit', 'Stime', 'Ltime', 'Sintpkt', 'Dintpkt', 'tcprtt',
  'synack', 'ackdat', 'is_sm_ips_ports', 'ct_state_ttl', 'ct_flw_http_mthd', 'is_ftp_login', 'ct_ftp_cmd',
  'ct_srv_src', 'ct_srv_dst', 'ct_dst_ltm', 'ct_src_ltm', 'ct_src_dport_ltm', 'ct_dst_sport_ltm',
  'ct_dst_src_ltm', 'attack_cat', 'Label',
] as const;

/** raw name -> set name where the two hold the same feature under different spellings */
const RAW_TO_SET: Record<string, string> = {
  Sload: 'sload',
  Dload: 'dload',
  Spkts: 'spkts',
  Dpkts: 'dpkts',
  smeansz: 'smean',
  dmeansz: 'dmean',
  res_bdy_len: 'response_body_len',
  Sjit: 'sjit',
  Djit: 'djit',
  Sintpkt: 'sinpkt',
  Dintpkt: 'dinpkt',
  Stime: 'stime',
  Ltime: 'ltime',
  Label: 'label',
};

const CANONICAL = new Map<string, string>();
for (const n of UNSW_NB15_SET_COLUMNS) CANONICAL.set(squash(n), n);
for (const n of UNSW_NB15_RAW_COLUMNS) CANONICAL.set(squash(n), RAW_TO_SET[n] ?? n);
CANONICAL.set('smeansz', 'smean');
CANONICAL.set('dmeansz', 'dmean');

export function canonicalUnswName(name: string): string | null {
  return CANONICAL.get(squash(name)) ?? null;
}

const CATEGORICAL = new Set(['proto', 'service', 'state']);
const IDENTIFIERS: Record<string, StorageType> = {
  id: 'f64',
  srcip: 'dict',
  sport: 'f32',
  dstip: 'dict',
  dsport: 'f32',
  stime: 'f64',
  ltime: 'f64',
};
const SET_KEYS = new Set(UNSW_NB15_SET_COLUMNS.map(squash));
const RAW_KEYS = new Set(UNSW_NB15_RAW_COLUMNS.map(squash));

function isWord(s: string): boolean {
  return /^[A-Za-z-][\w-]*$/.test(s.trim());
}

/** Plan for a UNSW-NB15 file, or null when the head does not look like one (throws when forced). */
export function detectUnswNb15(sample: HeadSample, opts: ProfileOptions): LayoutPlan | null {
  const fail = (why: string): null => {
    if (opts.forced) throw notThisFormat(sample, 'UNSW-NB15', why);
    return null;
  };
  const records = sample.records;
  if (records.length === 0) return fail('it holds no records');
  const first = records[0];
  const keys = first.map(squash);
  const setHits = keys.filter((k) => SET_KEYS.has(k)).length;
  const rawHits = keys.filter((k) => RAW_KEYS.has(k)).length;
  let raw: boolean;
  let hasHeader: boolean;
  if (keys.includes('attackcat') && setHits >= 30 && setHits >= rawHits) {
    raw = false;
    hasHeader = true;
  } else if (rawHits >= 40) {
    raw = true;
    hasHeader = true;
  } else if (first.length === 49) {
    // raw rows: srcip, sport, dstip, dsport, proto, state, dur, ...
    const rows = records;
    if (shareWithFields(rows, 49) < 0.9) return fail('its records do not all have 49 fields');
    if (shareOf(fieldValues(rows, 0), isIpText, new Set()) < 0.9 || shareOf(fieldValues(rows, 2), isIpText, new Set()) < 0.9) {
      return fail('its first and third fields are not IP addresses (srcip, dstip)');
    }
    if (shareOf(fieldValues(rows, 4), isWord, new Set()) < 0.9) return fail('its fifth field is not a protocol name');
    raw = true;
    hasHeader = false;
  } else if (first.length === 45) {
    // set rows without header: id, dur, proto, service, state, ..., attack_cat, label
    const rows = records;
    if (shareWithFields(rows, 45) < 0.9) return fail('its records do not all have 45 fields');
    const ok =
      shareOf(fieldValues(rows, 0), isIntegerText, new Set()) >= 0.9 &&
      shareOf(fieldValues(rows, 2), isWord, new Set()) >= 0.9 &&
      shareOf(fieldValues(rows, 44), (s) => s.trim() === '0' || s.trim() === '1', new Set()) >= 0.9;
    if (!ok) return fail('its fields do not match the 45 UNSW-NB15 columns (id, dur, proto, ..., attack_cat, label)');
    raw = false;
    hasHeader = false;
  } else {
    return fail(`its records have ${first.length} fields where UNSW-NB15 has 45 (sets) or 49 (raw files)`);
  }

  const names = raw ? UNSW_NB15_RAW_COLUMNS : UNSW_NB15_SET_COLUMNS;
  const nFields = hasHeader ? first.length : names.length;
  const plan = delimitedPlan(sample, raw ? 'unsw-nb15-raw' : 'unsw-nb15', 'unsw-nb15', {
    nFields,
    hasHeader,
    labelScheme: 'unsw-nb15',
  });
  let fields: Array<{ index: number; source: string; name: string }>;
  if (hasHeader) {
    const cleaned = cleanHeader(first, canonicalUnswName);
    fields = cleaned.kept;
    plan.renamedHeaders = cleaned.renamedHeaders;
    plan.duplicateColumns = cleaned.duplicateColumns;
    plan.notes.push(...cleaned.notes);
  } else {
    fields = names.map((n, index) => ({ index, source: '', name: RAW_TO_SET[n] ?? n }));
    plan.notes.push(
      `${sample.fileName} has no header; the ${names.length} official UNSW-NB15 column names were used.`,
    );
  }
  const rows = dataRecords(sample, hasHeader);
  for (const f of fields) {
    let role: ColumnRole = 'numeric';
    let storage: StorageType = 'f32';
    if (f.name in IDENTIFIERS) {
      role = 'identifier';
      storage = IDENTIFIERS[f.name];
    } else if (CATEGORICAL.has(f.name)) {
      role = 'categorical';
      storage = 'dict';
    } else if (f.name === 'attack_cat') {
      role = 'label';
      storage = 'dict';
    } else if (f.name === 'label') {
      role = 'ignored';
    } else if (canonicalUnswName(f.name) === null) {
      const values = fieldValues(rows, f.index);
      if (values.length > 0 && shareOf(values, isNumericCell, new Set()) < 0.95) {
        role = 'categorical';
        storage = 'dict';
      }
    }
    plan.columns.push(column(f.name, f.source, role, storage, f.index));
  }
  if (plan.columns.some((c) => c.name === 'attack_cat')) {
    setLabel(plan, 'attack_cat');
    plan.notes.push("The label is 'attack_cat'; empty or blank cells mean Normal traffic.");
  }
  if (plan.columns.some((c) => c.name === 'label')) {
    plan.binaryTruthColumn = 'label';
    plan.notes.push("Kept 'label' (0 normal / 1 attack) for checking but not as a feature: it is the binary truth.");
  }
  const ids = plan.columns.filter((c) => c.role === 'identifier').map((c) => c.name);
  if (ids.length > 0) plan.notes.push(`Kept ${ids.join(', ')} for review but not as features.`);
  return plan;
}
