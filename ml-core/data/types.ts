/**
 * Shared shapes of flow import. Pure data: no Node, no DOM.
 * Memory layout: every column chunk is one typed array of nRows values (row i at index i).
 */

/** What the user picks (`--format`); 'auto' detects. */
export type FormatId = 'nsl-kdd' | 'cicflowmeter' | 'unsw-nb15' | 'zeek' | 'csv';

/** The precise layout detected; a format may have several. */
export type ProfileId =
  | 'nsl-kdd'
  | 'cicflowmeter-original' // CICIDS2017 MachineLearningCVE: leading spaces, duplicated Fwd Header Length
  | 'cicflowmeter-corrected' // corrected CICIDS2017 / CSE-CIC-IDS2018 (abbreviated names)
  | 'unsw-nb15' // 45-column partitioned training/testing sets
  | 'unsw-nb15-raw' // 49-column raw UNSW-NB15_1..4.csv
  | 'zeek-tsv'
  | 'zeek-json'
  | 'csv'; // generic

export type ColumnRole = 'numeric' | 'categorical' | 'identifier' | 'label' | 'ignored';
export type TargetName = 'label' | 'category' | 'binary';

/** numeric: f32 features, f64 where precision matters (epoch timestamps); dict: dictionary-coded strings */
export type StorageType = 'f32' | 'f64' | 'dict';

export interface ColumnStats {
  /** non-missing values */
  count: number;
  /** empty / unset cells, non-finite numbers and unparsable numbers */
  missing: number;
  /** Infinity / -Infinity / NaN / inf cells (included in `missing`) */
  nonFinite: number;
  /** text in a numeric column (included in `missing`) */
  invalid: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null; // population standard deviation
  /** dictionary columns only */
  distinct?: number;
  /** dictionary columns only: the most frequent values, at most 10 */
  top?: Array<{ value: string; count: number }>;
}

export interface CleaningReport {
  files: Array<{ name: string; bytes: number; rows: number; profile: ProfileId }>;
  /** data records seen (excluding header and comment lines) */
  rowsRead: number;
  /** rows stored */
  rowsKept: number;
  /** records with the wrong number of fields, skipped */
  malformedRows: number;
  /** first few malformed records: 1-based line number in its file, fields found vs expected */
  malformedSamples: Array<{ file: string; line: number; fields: number; expected: number }>;
  /** header lines repeated inside the data (e.g. concatenated day files), skipped */
  repeatedHeaderRows: number;
  blankLines: number;
  /** Infinity / NaN cells, stored as missing */
  nonFiniteCells: number;
  nonFiniteByColumn: Record<string, number>;
  /** empty / unset cells */
  missingCells: number;
  /** unparsable text in numeric columns, stored as missing */
  invalidNumberCells: number;
  invalidNumberByColumn: Record<string, number>;
  /** header names changed: trimmed, canonicalised, de-duplicated */
  renamedHeaders: Array<{ from: string; to: string }>;
  /** columns present twice; the second copy is dropped when identical in meaning */
  duplicateColumns: Array<{ name: string; action: string }>;
  /** columns not stored, with why (e.g. NSL-KDD difficulty) */
  droppedColumns: Array<{ name: string; reason: string }>;
  /** label values rewritten: bad encodings repaired, whitespace trimmed, empty -> Normal */
  repairedLabels: Array<{ from: string; to: string; rows: number }>;
  /** cells whose bytes were not valid UTF-8 and were decoded as cp1252 */
  repairedTextCells: number;
  /** plain sentences for people, one per fact worth knowing */
  notes: string[];
}

export interface ColumnSpec {
  /** unique, cleaned name */
  name: string;
  /** as in the file, '' when the file has no header */
  sourceName: string;
  role: ColumnRole;
  storage: StorageType;
}

/** One batch of parsed rows, columns aligned with ImportSummary.columns. */
export interface ColumnBatch {
  /** index of the first row of the batch within the whole import */
  rowStart: number;
  nRows: number;
  /** f32 -> Float32Array, f64 -> Float64Array, dict -> Int32Array of codes (-1 = missing) */
  columns: Array<Float32Array | Float64Array | Int32Array>;
}

export interface TargetMaps {
  /** the label column (role 'label') the targets derive from */
  labelColumn: string;
  /** cleaned label name for every code of the label column's dictionary */
  label: string[];
  /** category for every cleaned label name (NSL-KDD: DoS/Probe/R2L/U2R/normal; CICIDS/UNSW families) */
  category: Record<string, string>;
  /** 'benign' | 'attack' for every cleaned label name */
  binary: Record<string, 'benign' | 'attack'>;
}

export interface ImportSummary {
  profile: ProfileId;
  format: FormatId;
  rows: number;
  columns: Array<ColumnSpec & { stats: ColumnStats; dictionary: string[] | null }>;
  targets: TargetMaps | null;
  /** counts per target class; null when unlabelled */
  classCounts: Record<TargetName, Record<string, number>> | null;
  cleaning: CleaningReport;
  warnings: string[];
}

export interface ImportOptions {
  format?: FormatId | 'auto';
  /** generic CSV: label column name; null = unlabelled; undefined = detect */
  label?: string | null;
  /** rows per ColumnBatch (default 65536) */
  batchRows?: number;
  /** refuse when more than this share of records is malformed (default 0.01) */
  maxMalformedShare?: number;
}

export type DataErrorReason =
  | 'empty' // zero bytes
  | 'header-only'
  | 'binary' // garbage / not text
  | 'utf16'
  | 'unterminated-quote'
  | 'too-many-malformed'
  | 'unknown-layout'
  | 'label-not-found'
  | 'mismatched-files' // several files whose columns differ
  | 'no-rows';

/** A flow file that cannot be imported; message names the file and the problem. */
export class FlowDataError extends Error {
  readonly reason: DataErrorReason;
  constructor(reason: DataErrorReason, message: string) {
    super(message);
    this.name = 'FlowDataError';
    this.reason = reason;
  }
}

// ---------------------------------------------------------------------------------------------
// Layout plans (added by the detection/profiles work): what detectLayout() decided for one file.
// ---------------------------------------------------------------------------------------------

/** How the label names of a layout are cleaned and grouped into categories. */
export type LabelScheme = 'nsl-kdd' | 'cicids' | 'unsw-nb15' | 'iot-23' | 'generic';

/** One stored column of a layout plan: the spec plus where its values come from in the file. */
export interface LayoutColumn extends ColumnSpec {
  /** 0-based field position in each delimited record; -1 for JSON lines */
  fieldIndex: number;
  /** JSON lines: the key holding the value */
  key?: string;
  /** delimited layouts, storage f64: the cells are timestamps, stored as ms since the epoch (flow-time.ts) */
  parse?: 'time';
}

/** The detected (or forced) layout of one file, as the importer will read it. */
export interface LayoutPlan {
  profile: ProfileId;
  format: FormatId;
  reader: 'delimited' | 'json-lines';
  /** delimited layouts: field separator byte, quote byte (null: none), comment byte (null: none) */
  delimiter: number;
  quote: number | null;
  commentByte: number | null;
  /** IoT-23: three spaces also separate fields */
  tripleSpaceDelimiter: boolean;
  /** fields per record (delimited layouts; 0 for JSON lines) */
  nFields: number;
  /** the first record is a header */
  hasHeader: boolean;
  /** the header line's bytes (no line end), to skip copies of it inside the data; null when none */
  headerLine: Uint8Array | null;
  /** names as written in the header (trimmed of line ends only); null when the file has none */
  sourceHeader: string[] | null;
  /** bytes at the start of the file that are not data and are never handed to the reader
   *  (UTF-8 BOM, Zeek '#' header block) and the number of whole lines among them */
  skipBytes: number;
  skipLines: number;
  bom: boolean;
  lineEnding: 'lf' | 'crlf';
  /** cell texts meaning "no value" */
  missingTokens: string[];
  /** stored columns in output order (identifiers and ignored columns included) */
  columns: LayoutColumn[];
  /** name of the column with role 'label'; null when unlabelled */
  labelColumn: string | null;
  labelScheme: LabelScheme;
  /** IoT-23: the detailed-label field (delimited) or key (JSON) merged into the label; null if none */
  detailedLabel: { name: string; fieldIndex: number; key?: string } | null;
  /** UNSW-NB15: the 0/1 attack column checked against the label (kept, role 'ignored') */
  binaryTruthColumn: string | null;
  renamedHeaders: Array<{ from: string; to: string }>;
  duplicateColumns: Array<{ name: string; action: string }>;
  droppedColumns: Array<{ name: string; reason: string }>;
  /** plain sentences about what detection decided */
  notes: string[];
}
