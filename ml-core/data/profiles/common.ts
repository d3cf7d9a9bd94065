/**
 * What every profile needs: the decoded head of a file, value-shape tests, header-name cleaning
 * (trim, canonical rename, duplicates) and a plan builder. Profiles only read the head (<= 256 KiB).
 */
import { FlowDataError } from '../types.js';
import type {
  ColumnRole,
  FormatId,
  LabelScheme,
  LayoutColumn,
  LayoutPlan,
  ProfileId,
  StorageType,
} from '../types.js';

export const COMMA = 0x2c;
export const TAB = 0x09;
export const SEMICOLON = 0x3b;
export const PIPE = 0x7c;
export const DQUOTE = 0x22;
export const HASH = 0x23;

/** The head of one file, prepared once for every profile. */
export interface HeadSample {
  fileName: string;
  /** size of the whole file in bytes */
  fileBytes: number;
  /** head without BOM, cut after the last complete line when the head is not the whole file */
  body: Uint8Array;
  bom: boolean;
  /** the head holds the whole file */
  complete: boolean;
  lineEnding: 'lf' | 'crlf';
  /** delimited layouts: the sniffed delimiter and the head's records (blank lines removed) */
  delimiter: number;
  records: string[][];
  /** bytes of the first non-blank line, without its line end */
  firstLine: Uint8Array;
  /** 0-based line index of the first non-blank line within body */
  firstLineIndex: number;
}

/** Options the profiles read (ImportOptions minus what only the importer uses). */
export interface ProfileOptions {
  /** generic CSV: label column; null = unlabelled; undefined = detect */
  label?: string | null;
  /** true when the user named the format: a mismatch is an error, not a "no" */
  forced: boolean;
}

export function delimiterName(d: number): string {
  if (d === COMMA) return 'comma';
  if (d === TAB) return 'tab';
  if (d === SEMICOLON) return 'semicolon';
  if (d === PIPE) return 'pipe';
  return `byte 0x${d.toString(16)}`;
}

// ---------------------------------------------------------------------------------------------
// value shapes
// ---------------------------------------------------------------------------------------------

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NONFINITE_RE = /^[+-]?(inf|infinity|nan)$/i;
const IPV4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6_RE = /^[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}(%\w+)?$/i;
const MAC_RE = /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i;
const DATETIME_RE = /^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\/\d{1,2}\/\d{2,4})([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?( ?[AP]M)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** A decimal number (what the byte parser accepts). */
export function isNumberText(s: string): boolean {
  return NUMBER_RE.test(s.trim());
}
/** A decimal number or an Infinity / NaN spelling. */
export function isNumericCell(s: string): boolean {
  const t = s.trim();
  return NUMBER_RE.test(t) || NONFINITE_RE.test(t);
}
export function isIntegerText(s: string): boolean {
  return /^[+-]?\d+$/.test(s.trim());
}
export function isIpText(s: string): boolean {
  const t = s.trim();
  const m = IPV4_RE.exec(t);
  if (m) return m.slice(1).every((p) => Number(p) <= 255);
  return t.includes(':') && IPV6_RE.test(t) && !MAC_RE.test(t);
}
export function isMacText(s: string): boolean {
  return MAC_RE.test(s.trim());
}
export function isDateTimeText(s: string): boolean {
  const t = s.trim();
  return t.length >= 8 && DATETIME_RE.test(t);
}

/** Share of the non-empty values that pass a test (0 when there are none). */
export function shareOf(values: readonly string[], test: (s: string) => boolean, missing: ReadonlySet<string>): number {
  let n = 0;
  let ok = 0;
  for (const v of values) {
    const t = v.trim();
    if (t === '' || missing.has(t)) continue;
    n++;
    if (test(t)) ok++;
  }
  return n === 0 ? 0 : ok / n;
}

/** Lower-case letters and digits only ('/' spelled 'per'): the key names are compared on. */
export function squash(name: string): string {
  return name.toLowerCase().replace(/\//g, 'per').replace(/[^a-z0-9]/g, '');
}

// ---------------------------------------------------------------------------------------------
// header cleaning
// ---------------------------------------------------------------------------------------------

/** A header field kept after cleaning. */
export interface CleanField {
  index: number;
  /** as in the file */
  source: string;
  /** cleaned (trimmed, canonical) */
  name: string;
}

export interface HeaderCleaning {
  kept: CleanField[];
  renamedHeaders: Array<{ from: string; to: string }>;
  duplicateColumns: Array<{ name: string; action: string }>;
  notes: string[];
}

/**
 * Cleans header names: strips a BOM and surrounding whitespace, maps each name through
 * `canonical` (null: keep the trimmed name), and drops later copies of a name (exact repeats and
 * pandas-style 'Name.1' copies of a name present earlier). Every change is reported.
 */
export function cleanHeader(header: readonly string[], canonical: (trimmed: string) => string | null): HeaderCleaning {
  const kept: CleanField[] = [];
  const renamedHeaders: Array<{ from: string; to: string }> = [];
  const duplicateColumns: Array<{ name: string; action: string }> = [];
  const notes: string[] = [];
  const seen = new Map<string, number>();
  let trimmed = 0;
  let trimExample = '';
  let canonicalised = 0;
  let canonExample = '';
  const trimmedNames = header.map((h) => h.replace(/^\uFEFF/, '').replace(/\s+/g, ' ').trim());
  const present = new Set(trimmedNames.map((t) => canonical(t) ?? t));

  header.forEach((source, index) => {
    const t = trimmedNames[index];
    let name = canonical(t) ?? t;
    if (name === '') name = `column ${index + 1}`;
    // pandas re-save: 'Fwd Header Length.1' is a copy of 'Fwd Header Length'
    const copy = /^(.*)\.(\d+)$/.exec(t);
    if (copy && !seen.has(name)) {
      const base = canonical(copy[1].trim()) ?? copy[1].trim();
      if (present.has(base) && base !== name) {
        duplicateColumns.push({ name: base, action: `dropped '${source}' (column ${index + 1}), a copy of '${base}' written by pandas` });
        notes.push(`Dropped the column '${source}' (a duplicate of '${base}').`);
        return;
      }
    }
    const first = seen.get(name);
    if (first !== undefined) {
      duplicateColumns.push({ name, action: `dropped the second copy (column ${index + 1}); kept column ${first + 1}` });
      notes.push(`Dropped the second '${source}' column (a duplicate).`);
      return;
    }
    seen.set(name, index);
    if (t !== source) {
      trimmed++;
      if (trimExample === '') trimExample = source;
    }
    if (name !== source) {
      renamedHeaders.push({ from: source, to: name });
      if (name !== t) {
        canonicalised++;
        if (canonExample === '') canonExample = `'${t}' -> '${name}'`;
      }
    }
    kept.push({ index, source, name });
  });
  if (trimmed > 0) {
    notes.unshift(
      `Trimmed the spaces around ${trimmed} column name${trimmed === 1 ? '' : 's'} (e.g. '${trimExample}').`,
    );
  }
  if (canonicalised > 0) {
    notes.unshift(
      `Renamed ${canonicalised} column${canonicalised === 1 ? '' : 's'} to the canonical names (e.g. ${canonExample}).`,
    );
  }
  return { kept, renamedHeaders, duplicateColumns, notes };
}

// ---------------------------------------------------------------------------------------------
// plans
// ---------------------------------------------------------------------------------------------

export function column(
  name: string,
  sourceName: string,
  role: ColumnRole,
  storage: StorageType,
  fieldIndex: number,
  key?: string,
): LayoutColumn {
  const c: LayoutColumn = { name, sourceName, role, storage, fieldIndex };
  if (key !== undefined) c.key = key;
  return c;
}

/** A delimited-file plan with the sample's framing; profiles fill in columns and labels. */
export function delimitedPlan(
  sample: HeadSample,
  profile: ProfileId,
  format: FormatId,
  fields: { nFields: number; hasHeader: boolean; labelScheme: LabelScheme },
): LayoutPlan {
  return {
    profile,
    format,
    reader: 'delimited',
    delimiter: sample.delimiter,
    quote: DQUOTE,
    commentByte: null,
    tripleSpaceDelimiter: false,
    nFields: fields.nFields,
    hasHeader: fields.hasHeader,
    headerLine: fields.hasHeader ? sample.firstLine : null,
    sourceHeader: fields.hasHeader ? sample.records[0].slice() : null,
    skipBytes: sample.bom ? 3 : 0,
    skipLines: 0,
    bom: sample.bom,
    lineEnding: sample.lineEnding,
    missingTokens: [''],
    columns: [],
    labelColumn: null,
    labelScheme: fields.labelScheme,
    detailedLabel: null,
    binaryTruthColumn: null,
    renamedHeaders: [],
    duplicateColumns: [],
    droppedColumns: [],
    notes: [],
  };
}

/** Records of the head after the header (if any). */
export function dataRecords(sample: HeadSample, hasHeader: boolean): string[][] {
  return hasHeader ? sample.records.slice(1) : sample.records;
}

/** Share of records with exactly n fields. */
export function shareWithFields(records: readonly string[][], n: number): number {
  if (records.length === 0) return 0;
  let ok = 0;
  for (const r of records) if (r.length === n) ok++;
  return ok / records.length;
}

/** Values of field i over the records that have it. */
export function fieldValues(records: readonly string[][], i: number): string[] {
  const out: string[] = [];
  for (const r of records) if (i < r.length) out.push(r[i]);
  return out;
}

/** An 'unknown-layout' error for a file that does not fit the format the user asked for. */
export function notThisFormat(sample: HeadSample, formatName: string, why: string): FlowDataError {
  return new FlowDataError(
    'unknown-layout',
    `${sample.fileName} does not look like ${formatName}: ${why}. Pick another format or 'auto'.`,
  );
}

/** Marks the label column of a plan (role 'label', dictionary storage). */
export function setLabel(plan: LayoutPlan, name: string): void {
  for (const c of plan.columns) {
    if (c.name === name) {
      c.role = 'label';
      c.storage = 'dict';
      plan.labelColumn = name;
      return;
    }
  }
  throw new Error(`no column ${name}`);
}
