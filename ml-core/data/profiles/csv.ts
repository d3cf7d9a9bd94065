/**
 * Generic delimited flow files. The label column is options.label (a name), none when
 * options.label === null, else a column named like label / class / attack. Numeric vs categorical
 * is inferred from the head; columns holding IPs, timestamps, flow ids or ports (by name or by
 * value) are identifiers: stored for review, never features.
 */
import { FlowDataError } from '../types.js';
import type { ColumnRole, LayoutPlan, StorageType } from '../types.js';
import {
  cleanHeader,
  column,
  dataRecords,
  delimitedPlan,
  delimiterName,
  fieldValues,
  isDateTimeText,
  isIntegerText,
  isIpText,
  isMacText,
  isNumericCell,
  notThisFormat,
  setLabel,
  shareOf,
  squash,
  type HeadSample,
  type ProfileOptions,
} from './common.js';

const NO_MISSING = new Set<string>();

/** Names of label columns, best first (squashed). */
const LABEL_EXACT = ['label', 'labels', 'class', 'attack', 'attackcat', 'attacktype', 'attackcategory', 'category', 'target'];
const LABEL_PARTS = ['label', 'class', 'attack'];

/** The column the label is read from when options.label is undefined, or -1. */
export function guessLabelColumn(names: readonly string[]): number {
  const keys = names.map(squash);
  for (const want of LABEL_EXACT) {
    const i = keys.indexOf(want);
    if (i >= 0) return i;
  }
  for (const part of LABEL_PARTS) {
    const i = keys.findIndex((k) => k.includes(part));
    if (i >= 0) return i;
  }
  return -1;
}

type IdKind = 'ip' | 'port' | 'time' | 'id' | 'mac' | null;

/** What kind of identifier a column name announces, if any. */
export function identifierKindOfName(name: string): IdKind {
  const k = squash(name);
  const side = '(src|dst|source|destination|orig|resp|client|server|local|remote|s|d|sa|da)?';
  if (new RegExp(`^${side}(ip|ipv4|ipv6|ipaddr|ipaddress|addr|address|host)$`).test(k) && k !== 'host') return 'ip';
  if (/^ip(v4|v6)?(src|dst|source|destination)(addr)?$/.test(k) || k === 'idorigh' || k === 'idresph') return 'ip';
  if (new RegExp(`^${side}(port|pt)$`).test(k) && k !== 'pt') return 'port';
  if (/^(dsport|idorigp|idrespp|l4srcport|l4dstport|tcpsrcport|tcpdstport|udpsrcport|udpdstport)$/.test(k)) return 'port';
  if (/(^ts$|^time$|timestamp|^date|datetime|^stime$|^ltime$|starttime|endtime|firstseen|lastseen|^epoch)/.test(k)) return 'time';
  if (/^(id|uid|flowid|connid|connectionid|sessionid|rowid|index|unnamed0|recordid)$/.test(k)) return 'id';
  if (/(mac|l2addr)$/.test(k)) return 'mac';
  return null;
}

/** Plan for a generic delimited file with a header (or without one, columns named 'column 1', ...). */
export function detectGenericCsv(sample: HeadSample, opts: ProfileOptions & { label?: string | null }): LayoutPlan {
  const records = sample.records;
  if (records.length === 0) {
    throw new FlowDataError('unknown-layout', `${sample.fileName} holds no records that could be read.`);
  }
  const nFields = records[0].length;
  if (nFields < 2) {
    throw notThisFormat(
      sample,
      'a delimited flow file',
      'its lines hold a single field (no comma, tab, semicolon or pipe separates values)',
    );
  }
  const consistent = records.filter((r) => r.length === nFields).length / records.length;
  if (records.length > 1 && consistent < 0.5) {
    throw notThisFormat(sample, 'a delimited flow file', `its lines do not have a consistent number of ${delimiterName(sample.delimiter)}-separated fields`);
  }
  // header: first record mostly non-numeric where the following records are numeric
  const first = records[0];
  const rest = records.slice(1);
  let hasHeader = true;
  if (rest.length > 0) {
    let numericBelow = 0;
    let numericFirst = 0;
    for (let i = 0; i < nFields; i++) {
      if (shareOf(fieldValues(rest, i), isNumericCell, NO_MISSING) >= 0.9) numericBelow++;
      if (isNumericCell(first[i] ?? '')) numericFirst++;
    }
    // numbers in the first record where the data has numbers too -> data, not names
    if (numericFirst > 0 && numericFirst >= numericBelow * 0.5) hasHeader = false;
    // no numeric columns at all: a header is likely when the first record has no repeats of data values
    if (numericBelow === 0 && numericFirst === 0) {
      const firstSet = first.map((f) => f.trim());
      const repeats = firstSet.filter((f, i) => rest.some((r) => (r[i] ?? '').trim() === f)).length;
      hasHeader = repeats < nFields / 2;
    }
  }
  const plan = delimitedPlan(sample, 'csv', 'csv', { nFields, hasHeader, labelScheme: 'generic' });
  let fields: Array<{ index: number; source: string; name: string }>;
  if (hasHeader) {
    const cleaned = cleanHeader(first, () => null);
    fields = cleaned.kept;
    plan.renamedHeaders = cleaned.renamedHeaders;
    plan.duplicateColumns = cleaned.duplicateColumns;
    plan.notes.push(...cleaned.notes);
  } else {
    fields = first.map((_, index) => ({ index, source: '', name: `column ${index + 1}` }));
    plan.notes.push(`${sample.fileName} has no header row; columns are named 'column 1' to 'column ${nFields}'.`);
  }

  // label
  let labelIdx = -1;
  if (typeof opts.label === 'string') {
    const want = opts.label.trim();
    const hit =
      fields.find((f) => f.name === want) ??
      fields.find((f) => f.name.toLowerCase() === want.toLowerCase()) ??
      fields.find((f) => squash(f.name) === squash(want));
    if (!hit) {
      throw new FlowDataError(
        'label-not-found',
        `${sample.fileName} has no column named '${opts.label}'; its columns are ${fields
          .slice(0, 12)
          .map((f) => `'${f.name}'`)
          .join(', ')}${fields.length > 12 ? ', ...' : ''}.`,
      );
    }
    labelIdx = hit.index;
  } else if (opts.label === undefined && hasHeader) {
    const i = guessLabelColumn(fields.map((f) => f.name));
    if (i >= 0) labelIdx = fields[i].index;
  }

  const rows = dataRecords(sample, hasHeader);
  const idNotes: string[] = [];
  for (const f of fields) {
    const values = fieldValues(rows, f.index);
    let role: ColumnRole;
    let storage: StorageType;
    if (f.index === labelIdx) {
      role = 'label';
      storage = 'dict';
    } else {
      const numeric = values.length > 0 && shareOf(values, isNumericCell, NO_MISSING) >= 0.95;
      const byName = hasHeader ? identifierKindOfName(f.name) : null;
      const ipShare = shareOf(values, isIpText, NO_MISSING);
      const macShare = shareOf(values, isMacText, NO_MISSING);
      const timeShare = shareOf(values, isDateTimeText, NO_MISSING);
      if (byName !== null || ipShare >= 0.8 || macShare >= 0.8 || timeShare >= 0.8) {
        role = 'identifier';
        const kind = byName ?? (ipShare >= 0.8 ? 'ip' : macShare >= 0.8 ? 'mac' : 'time');
        if (!numeric) storage = 'dict';
        else if (kind === 'time' || kind === 'id') storage = 'f64';
        else storage = 'f32';
        idNotes.push(f.name);
      } else if (numeric) {
        role = 'numeric';
        storage = 'f32';
        // integers too large for float32 (e.g. epoch microseconds) keep double precision
        if (values.some((v) => isIntegerText(v) && Math.abs(Number(v)) > 16777216 * 64)) storage = 'f64';
      } else {
        role = 'categorical';
        storage = 'dict';
        const nonEmpty = values.map((v) => v.trim()).filter((v) => v !== '');
        const distinct = new Set(nonEmpty).size;
        if (nonEmpty.length >= 50 && distinct >= nonEmpty.length * 0.95) {
          role = 'identifier';
          idNotes.push(f.name);
        }
      }
    }
    plan.columns.push(column(f.name, f.source, role, storage, f.index));
  }
  const label = plan.columns.find((c) => c.role === 'label');
  if (label) {
    setLabel(plan, label.name);
    if (opts.label === undefined) plan.notes.push(`Using '${label.name}' as the label column.`);
  } else if (opts.label === null) {
    plan.notes.push('Imported as unlabelled traffic (no label column requested).');
  } else {
    plan.notes.push(
      `${sample.fileName} has no column named like label, class or attack; imported as unlabelled traffic (name the label column to train on it).`,
    );
  }
  if (idNotes.length > 0) {
    plan.notes.push(
      `Kept ${idNotes.join(', ')} for review but not as features (addresses, ports, times and ids identify a flow, not its behaviour).`,
    );
  }
  if (sample.delimiter !== 0x2c) plan.notes.push(`Fields are separated by ${delimiterName(sample.delimiter)}s.`);
  return plan;
}
