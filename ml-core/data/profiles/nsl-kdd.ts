/**
 * NSL-KDD (and KDD Cup '99): no header, 41 features, the attack name, then (NSL-KDD only) a
 * difficulty score that is not a feature. A variant with a header row added by hand is accepted.
 */
import type { LayoutPlan } from '../types.js';
import {
  column,
  dataRecords,
  delimitedPlan,
  fieldValues,
  isNumericCell,
  notThisFormat,
  setLabel,
  shareOf,
  shareWithFields,
  squash,
  type HeadSample,
  type ProfileOptions,
} from './common.js';

/** The 41 standard NSL-KDD feature names, in file order. */
export const NSL_KDD_FEATURES = [
  'duration',
  'protocol_type',
  'service',
  'flag',
  'src_bytes',
  'dst_bytes',
  'land',
  'wrong_fragment',
  'urgent',
  'hot',
  'num_failed_logins',
  'logged_in',
  'num_compromised',
  'root_shell',
  'su_attempted',
  'num_root',
  'num_file_creations',
  'num_shells',
  'num_access_files',
  'num_outbound_cmds',
  'is_host_login',
  'is_guest_login',
  'count',
  'srv_count',
  'serror_rate',
  'srv_serror_rate',
  'rerror_rate',
  'srv_rerror_rate',
  'same_srv_rate',
  'diff_srv_rate',
  'srv_diff_host_rate',
  'dst_host_count',
  'dst_host_srv_count',
  'dst_host_same_srv_rate',
  'dst_host_diff_srv_rate',
  'dst_host_same_src_port_rate',
  'dst_host_srv_diff_host_rate',
  'dst_host_serror_rate',
  'dst_host_srv_serror_rate',
  'dst_host_rerror_rate',
  'dst_host_srv_rerror_rate',
] as const;

export const NSL_KDD_CATEGORICAL = new Set(['protocol_type', 'service', 'flag']);
const PROTOCOLS = new Set(['tcp', 'udp', 'icmp']);
const FEATURE_KEYS = new Set(NSL_KDD_FEATURES.map(squash));

function isProtocol(s: string): boolean {
  return PROTOCOLS.has(s.trim().toLowerCase());
}

/** True when a record looks like a header of this layout. */
function isHeader(r: readonly string[]): boolean {
  if (r.length < 42 || r.length > 43) return false;
  if (isProtocol(r[1]) || isNumericCell(r[0])) return false;
  let known = 0;
  for (let i = 0; i < 41; i++) if (FEATURE_KEYS.has(squash(r[i]))) known++;
  return known >= 20 || squash(r[1]) === 'protocoltype' || squash(r[1]) === 'protocol';
}

/** Plan for an NSL-KDD file, or null when the head does not look like one (throws when forced). */
export function detectNslKdd(sample: HeadSample, opts: ProfileOptions): LayoutPlan | null {
  const records = sample.records;
  const fail = (why: string): null => {
    if (opts.forced) throw notThisFormat(sample, 'NSL-KDD', why);
    return null;
  };
  if (records.length === 0) return fail('it holds no records');
  const hasHeader = isHeader(records[0]);
  const nFields = records[0].length;
  if (nFields !== 43 && nFields !== 42) {
    return fail(`its records have ${nFields} fields where NSL-KDD has 43 (or 42 without the difficulty)`);
  }
  const rows = dataRecords(sample, hasHeader);
  if (rows.length > 0) {
    if (shareWithFields(rows, nFields) < 0.9) return fail('its records do not all have the same number of fields');
    if (shareOf(fieldValues(rows, 1), isProtocol, new Set()) < 0.9) {
      return fail("its second field is not a protocol (tcp, udp, icmp)");
    }
    if (shareOf(fieldValues(rows, 0), isNumericCell, new Set()) < 0.9) return fail('its first field (duration) is not numeric');
    if (shareOf(fieldValues(rows, 4), isNumericCell, new Set()) < 0.9) return fail('its fifth field (src_bytes) is not numeric');
  } else if (!hasHeader) {
    return fail('it holds no records');
  }

  const plan = delimitedPlan(sample, 'nsl-kdd', 'nsl-kdd', { nFields, hasHeader, labelScheme: 'nsl-kdd' });
  const header = hasHeader ? records[0] : null;
  const source = (i: number): string => (header ? header[i] : '');
  NSL_KDD_FEATURES.forEach((name, i) => {
    const categorical = NSL_KDD_CATEGORICAL.has(name);
    plan.columns.push(column(name, source(i), categorical ? 'categorical' : 'numeric', categorical ? 'dict' : 'f32', i));
    if (header && header[i].trim() !== name) plan.renamedHeaders.push({ from: header[i], to: name });
  });
  plan.columns.push(column('label', source(41), 'label', 'dict', 41));
  if (header && header[41].trim() !== 'label') plan.renamedHeaders.push({ from: header[41], to: 'label' });
  setLabel(plan, 'label');
  if (nFields === 43) {
    const name = header ? header[42].trim() || 'difficulty' : 'difficulty';
    plan.droppedColumns.push({
      name,
      reason: 'NSL-KDD difficulty score (how many of 21 classifiers got the record right), not a property of the traffic',
    });
    plan.notes.push(
      `Dropped the last column ('${name}'): it is NSL-KDD's difficulty score, not a feature of the traffic.`,
    );
  } else {
    plan.notes.push('Read as KDD-style records with 41 features and the attack name (no difficulty column).');
  }
  if (hasHeader) {
    plan.notes.push(`${sample.fileName} has a header row; the standard NSL-KDD column names were used.`);
  }
  return plan;
}
