/**
 * FlowImporter: one import of one or more flow files into typed column batches, with per-column
 * statistics, cleaned label targets and a cleaning report. The backend's worker drives it:
 *
 *   const imp = new FlowImporter(options);
 *   for (const file of files) {
 *     imp.beginFile(file.name, file.size, head);   // head: first <= 256 KiB
 *     for (const chunk of file) { imp.push(chunk); store(imp.takeBatches()); }
 *     imp.endFile(); store(imp.takeBatches());
 *   }
 *   const summary = imp.finish();
 *
 * Memory layout: every batch column is one typed array of nRows values (row i at index i). All files
 * share one row numbering and one dictionary per string column. Label codes are rewritten per batch
 * (a typed-array pass) into a dictionary of cleaned label names.
 */
import { NumericStatsAccumulator, addCodeCounts, dictionaryStats } from './column-stats.js';
import { DelimitedReader, type ReaderColumn, type ReaderCounters } from './delimited-reader.js';
import { detectLayout, formatName } from './detect.js';
import { StringDictionary } from './dictionary.js';
import { JsonLinesReader, type JsonLinesColumn } from './json-lines-reader.js';
import { binaryOf, buildTargets, cleanLabel, countTargets } from './labels.js';
import { FlowDataError } from './types.js';
import type {
  CleaningReport,
  ColumnBatch,
  ColumnSpec,
  ColumnStats,
  ImportOptions,
  ImportSummary,
  LayoutColumn,
  LayoutPlan,
  ProfileId,
  TargetMaps,
} from './types.js';

const DEFAULT_BATCH_ROWS = 65536;
const DEFAULT_MAX_MALFORMED_SHARE = 0.01;
const MAX_MALFORMED_SAMPLES = 10;
/** classes with fewer rows than this get a warning */
const SMALL_CLASS_ROWS = 20;

type Reader = DelimitedReader | JsonLinesReader;

interface FileState {
  name: string;
  bytes: number;
  plan: LayoutPlan;
  reader: Reader;
  /** output column -> reader column */
  readerOfOut: Int32Array;
  /** reader column of the label (raw codes), -1 none */
  labelReader: number;
  /** reader column of the IoT-23 detailed label, -1 none */
  detailReader: number;
  /** bytes of the file's start still to drop before the reader (BOM, Zeek header block) */
  skipLeft: number;
  pushed: number;
  ended: boolean;
}

interface FileDone {
  name: string;
  bytes: number;
  rows: number;
  profile: ProfileId;
  plan: LayoutPlan;
  counters: ReaderCounters;
}

/** Grows an Int32Array to at least n entries, new entries set to fill. */
function grown(a: Int32Array, n: number, fill: number): Int32Array {
  if (a.length >= n) return a;
  const b = new Int32Array(Math.max(n, a.length * 2, 16)).fill(fill);
  b.set(a);
  return b;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export class FlowImporter {
  private readonly options: ImportOptions;
  private readonly batchRows: number;
  private readonly maxMalformedShare: number;

  // fixed by the first file
  private firstPlan: LayoutPlan | null = null;
  private outColumns: LayoutColumn[] = [];
  private dictionaries: Array<StringDictionary | null> = [];
  private labelOut = -1;
  private truthOut = -1;

  // running totals per output column
  private numericStats: Array<NumericStatsAccumulator | null> = [];
  private codeCounts: Array<Int32Array | null> = [];
  private missing: number[] = [];
  private nonFinite: number[] = [];
  private invalid: number[] = [];

  // labels: raw dictionary -> cleaned dictionary
  private rawLabels = new StringDictionary();
  private detailLabels = new StringDictionary();
  private readonly labelValues: string[] = [];
  private readonly labelIndex = new Map<string, number>();
  private labelRows: Int32Array = new Int32Array(16);
  private labelBenign: Uint8Array = new Uint8Array(16);
  /** raw code -> clean code (-2: not computed yet) */
  private remap: Int32Array = new Int32Array(16).fill(-2);
  /** IoT-23: (raw base, raw detail) pair -> clean code */
  private readonly pairRemap = new Map<number, number>();
  /** IoT-23: clean label -> base label (its category) */
  private readonly categoryOverride: Record<string, string> = {};
  /** raw code -> rows (for the repaired-labels report); index 0 holds missing cells */
  private rawRows: Int32Array = new Int32Array(16);
  private unlabelledRows = 0;
  private truthMismatch = 0;
  private truthMismatchExample = '';

  private current: FileState | null = null;
  private readonly done: FileDone[] = [];
  private pending: ColumnBatch[] = [];
  private rowsDone = 0;
  private bytesPushed = 0;

  constructor(options: ImportOptions = {}) {
    this.options = { ...options };
    this.batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
    this.maxMalformedShare = options.maxMalformedShare ?? DEFAULT_MAX_MALFORMED_SHARE;
    if (!(this.batchRows >= 1)) throw new RangeError('batchRows must be at least 1');
  }

  /** The columns (in output order), known after the first beginFile. */
  get columns(): ColumnSpec[] {
    return this.outColumns.map(({ name, sourceName, role, storage }) => ({ name, sourceName, role, storage }));
  }

  get progress(): { bytes: number; rows: number } {
    const cur = this.current;
    return { bytes: this.bytesPushed, rows: this.rowsDone + (cur && !cur.ended ? cur.reader.counters.rows : 0) };
  }

  /** The plan of the first file (null before the first beginFile). */
  get plan(): LayoutPlan | null {
    return this.firstPlan;
  }

  /**
   * Starts the next file from its first bytes (<= 256 KiB): detects its layout (or applies
   * options.format) and checks it has the same columns as the earlier files.
   */
  beginFile(name: string, bytes: number, head: Uint8Array): { profile: ProfileId } {
    if (this.current !== null && !this.current.ended) {
      throw new Error(`beginFile(${name}) before endFile() of ${this.current.name}`);
    }
    const plan = detectLayout(name, head, this.options, bytes);
    if (this.firstPlan === null) this.adoptFirstPlan(plan);
    else this.checkAgrees(name, plan);
    this.current = this.openFile(name, bytes, plan);
    return { profile: plan.profile };
  }

  /** The file's bytes, in order, from offset 0 (the head included again). */
  push(chunk: Uint8Array): void {
    const f = this.current;
    if (f === null || f.ended) throw new Error('push() outside beginFile() / endFile()');
    this.bytesPushed += chunk.length;
    f.pushed += chunk.length;
    let data = chunk;
    if (f.skipLeft > 0) {
      const drop = Math.min(f.skipLeft, data.length);
      f.skipLeft -= drop;
      data = data.subarray(drop);
    }
    if (data.length === 0) return;
    try {
      f.reader.push(data);
    } catch (e) {
      throw this.fileError(f, e);
    }
    this.drain(f);
  }

  /** Ends the current file: flushes its last rows and adds its counts to the import's. */
  endFile(): void {
    const f = this.current;
    if (f === null || f.ended) throw new Error('endFile() without beginFile()');
    try {
      f.reader.end();
    } catch (e) {
      throw this.fileError(f, e);
    }
    this.drain(f);
    f.ended = true;
    const c = f.reader.counters;
    this.outColumns.forEach((col, o) => {
      const r = f.readerOfOut[o];
      if (o !== this.labelOut) {
        this.missing[o] += c.missing[r];
        this.nonFinite[o] += c.nonFinite[r];
        this.invalid[o] += c.invalid[r];
      }
      if (col.storage === 'dict') {
        if (o !== this.labelOut) this.codeCounts[o] = addCodeCounts(this.codeCounts[o] ?? new Int32Array(0), f.reader.codeCounts(r));
      } else {
        const s = f.reader.stats(r);
        if (s !== null) (this.numericStats[o] ??= new NumericStatsAccumulator()).merge(s);
      }
    });
    this.rowsDone += c.rows;
    this.done.push({ name: f.name, bytes: f.bytes, rows: c.rows, profile: f.plan.profile, plan: f.plan, counters: c });
  }

  /** Completed batches so far (output columns; one row numbering across files). */
  takeBatches(): ColumnBatch[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  /**
   * After all files: refuses too many malformed rows and imports without rows; returns the columns
   * with statistics and dictionaries, targets, class counts, the cleaning report and warnings.
   */
  finish(): ImportSummary {
    if (this.current !== null && !this.current.ended) this.endFile();
    const first = this.firstPlan;
    if (first === null || this.done.length === 0) {
      throw new FlowDataError('no-rows', 'No file was given to import.');
    }
    const names = this.done.map((d) => d.name);
    const fileList = names.length === 1 ? names[0] : `the ${names.length} files`;
    let records = 0;
    let malformed = 0;
    for (const d of this.done) {
      records += d.counters.records;
      malformed += d.counters.malformed;
    }
    if (malformed > 0 && malformed > this.maxMalformedShare * records) {
      const bad = this.malformedSamples()[0];
      const share = ((100 * malformed) / Math.max(1, records)).toFixed(1);
      throw new FlowDataError(
        'too-many-malformed',
        `${plural(malformed, 'row')} of ${records.toLocaleString('en-US')} (${share}%) in ${fileList} have the wrong number of fields, more than the ${(this.maxMalformedShare * 100).toFixed(0)}% allowed; the first is line ${bad.line} of ${bad.file} (${bad.fields} fields, expected ${bad.expected}). Fix or remove those lines and import again.`,
      );
    }
    const rows = this.rowsDone;
    if (rows === 0) {
      const withHeader = this.done.filter((d) => d.plan.hasHeader || d.plan.profile === 'zeek-tsv');
      if (withHeader.length === this.done.length) {
        throw new FlowDataError(
          'header-only',
          `${fileList} ${names.length === 1 ? 'holds' : 'hold'} a header but no data rows; there is nothing to import.`,
        );
      }
      throw new FlowDataError('no-rows', `${fileList} ${names.length === 1 ? 'holds' : 'hold'} no data rows that could be read.`);
    }

    const warnings: string[] = [];
    const emptyColumns: string[] = [];
    const columns = this.outColumns.map((col, o) => {
      const spec: ColumnSpec = { name: col.name, sourceName: col.sourceName, role: col.role, storage: col.storage };
      let stats: ColumnStats;
      let dictionary: string[] | null = null;
      if (o === this.labelOut) {
        dictionary = this.labelValues.slice();
        stats = dictionaryStats(this.labelRows.subarray(0, this.labelValues.length), dictionary, this.unlabelledRows);
      } else if (col.storage === 'dict') {
        const dict = this.dictionaries[o] as StringDictionary;
        dictionary = dict.values.slice();
        stats = dictionaryStats(this.codeCounts[o] ?? new Int32Array(0), dictionary, this.missing[o]);
      } else {
        stats = (this.numericStats[o] ?? new NumericStatsAccumulator()).result(this.missing[o], this.nonFinite[o], this.invalid[o]);
      }
      if (stats.count === 0 && col.role !== 'label') emptyColumns.push(col.name);
      return { ...spec, stats, dictionary };
    });
    if (emptyColumns.length > 0) {
      warnings.push(
        `${emptyColumns.length === 1 ? 'Column' : `${emptyColumns.length} columns`} ${emptyColumns.map((c) => `'${c}'`).join(', ')} ${emptyColumns.length === 1 ? 'is' : 'are'} empty in every row.`,
      );
    }

    let targets: TargetMaps | null = null;
    let classCounts: ImportSummary['classCounts'] = null;
    if (this.labelOut >= 0) {
      const built = buildTargets(this.outColumns[this.labelOut].name, this.labelValues, first.labelScheme, this.categoryOverride);
      targets = built.targets;
      classCounts = countTargets(targets, this.labelRows);
      if (built.unknown.length > 0 && first.labelScheme !== 'generic') {
        warnings.push(
          `${plural(built.unknown.length, 'label name')} ${built.unknown.length === 1 ? 'is' : 'are'} not in the ${formatName(first.format)} category map (${built.unknown.slice(0, 8).join(', ')}${built.unknown.length > 8 ? ', ...' : ''}); ${built.unknown.length === 1 ? 'its' : 'their'} category is the name itself.`,
        );
      }
      if (this.unlabelledRows > 0) {
        warnings.push(`${plural(this.unlabelledRows, 'row')} ${this.unlabelledRows === 1 ? 'has' : 'have'} no label; ${this.unlabelledRows === 1 ? 'it is' : 'they are'} kept but cannot be used to train or evaluate.`);
      }
      const small = Object.entries(classCounts.label)
        .filter(([, n]) => n < SMALL_CLASS_ROWS)
        .sort((a, b) => a[1] - b[1]);
      if (small.length > 0) {
        warnings.push(
          `${plural(small.length, 'class', 'classes')} ${small.length === 1 ? 'has' : 'have'} fewer than ${SMALL_CLASS_ROWS} rows (${small
            .slice(0, 8)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')}${small.length > 8 ? ', ...' : ''}); results for ${small.length === 1 ? 'it' : 'them'} will be unreliable.`,
        );
      }
      if (this.truthMismatch > 0) {
        warnings.push(
          `${plural(this.truthMismatch, 'row')} ${this.truthMismatch === 1 ? 'has' : 'have'} a label that disagrees with the 0/1 '${this.outColumns[this.truthOut].name}' column (e.g. ${this.truthMismatchExample}).`,
        );
      }
    } else {
      warnings.push('No label column: the data can be scored or used for anomaly detection, but not to train a classifier.');
    }
    for (const d of this.done) {
      if (d.rows === 0) warnings.push(`${d.name} holds no data rows.`);
    }
    return {
      profile: first.profile,
      format: first.format,
      rows,
      columns,
      targets,
      classCounts,
      cleaning: this.cleaningReport(records, malformed),
      warnings,
    };
  }

  // -------------------------------------------------------------------------------------------

  private adoptFirstPlan(plan: LayoutPlan): void {
    this.firstPlan = plan;
    this.outColumns = plan.columns.map((c) => ({ ...c }));
    this.dictionaries = this.outColumns.map((c) => (c.storage === 'dict' && c.role !== 'label' ? new StringDictionary() : null));
    this.labelOut = this.outColumns.findIndex((c) => c.role === 'label');
    this.truthOut = plan.binaryTruthColumn ? this.outColumns.findIndex((c) => c.name === plan.binaryTruthColumn) : -1;
    const n = this.outColumns.length;
    this.numericStats = new Array(n).fill(null);
    this.codeCounts = new Array(n).fill(null);
    this.missing = new Array(n).fill(0);
    this.nonFinite = new Array(n).fill(0);
    this.invalid = new Array(n).fill(0);
  }

  private checkAgrees(name: string, plan: LayoutPlan): void {
    const first = this.firstPlan as LayoutPlan;
    const have = new Set(this.outColumns.map((c) => c.name));
    const got = new Set(plan.columns.map((c) => c.name));
    const missing = [...have].filter((c) => !got.has(c));
    const extra = [...got].filter((c) => !have.has(c));
    const firstName = this.done[0]?.name ?? 'the first file';
    if (missing.length > 0 || extra.length > 0) {
      const parts: string[] = [];
      const list = (xs: string[]): string => `${xs.slice(0, 8).map((x) => `'${x}'`).join(', ')}${xs.length > 8 ? `, ... (${xs.length} in all)` : ''}`;
      if (missing.length > 0) parts.push(`lacks ${list(missing)}`);
      if (extra.length > 0) parts.push(`has ${list(extra)} that ${firstName} does not`);
      throw new FlowDataError(
        'mismatched-files',
        `${name} (${plan.profile}) does not have the same columns as ${firstName} (${first.profile}): it ${parts.join(' and ')}. Import files of one layout together.`,
      );
    }
    if ((first.detailedLabel === null) !== (plan.detailedLabel === null)) {
      throw new FlowDataError(
        'mismatched-files',
        `${name} ${plan.detailedLabel ? 'has' : 'lacks'} the IoT-23 'detailed-label' field that ${firstName} ${first.detailedLabel ? 'has' : 'lacks'}. Import files of one layout together.`,
      );
    }
  }

  private openFile(name: string, bytes: number, plan: LayoutPlan): FileState {
    const rowStart = this.rowsDone;
    const byName = new Map(plan.columns.map((c) => [c.name, c] as const));
    const readerOfOut = new Int32Array(this.outColumns.length);
    let labelReader = -1;
    let detailReader = -1;
    let reader: Reader;
    if (plan.reader === 'json-lines') {
      const cols: JsonLinesColumn[] = this.outColumns.map((out, o) => {
        const src = byName.get(out.name) as LayoutColumn;
        readerOfOut[o] = o;
        const dictionary = o === this.labelOut ? this.rawLabels : (this.dictionaries[o] ?? undefined);
        const col: JsonLinesColumn = { key: src.key ?? src.name, storage: out.storage };
        if (dictionary) col.dictionary = dictionary;
        return col;
      });
      if (this.labelOut >= 0) labelReader = this.labelOut;
      if (plan.detailedLabel !== null) {
        detailReader = cols.length;
        cols.push({ key: plan.detailedLabel.key ?? plan.detailedLabel.name, storage: 'dict', dictionary: this.detailLabels });
      }
      reader = new JsonLinesReader({ columns: cols, batchRows: this.batchRows, rowStart });
    } else {
      const cols: ReaderColumn[] = this.outColumns.map((out, o) => {
        const src = byName.get(out.name) as LayoutColumn;
        readerOfOut[o] = o;
        const dictionary = o === this.labelOut ? this.rawLabels : (this.dictionaries[o] ?? undefined);
        const col: ReaderColumn = { fieldIndex: src.fieldIndex, storage: out.storage };
        if (dictionary) col.dictionary = dictionary;
        return col;
      });
      if (this.labelOut >= 0) labelReader = this.labelOut;
      if (plan.detailedLabel !== null) {
        detailReader = cols.length;
        cols.push({ fieldIndex: plan.detailedLabel.fieldIndex, storage: 'dict', dictionary: this.detailLabels });
      }
      reader = new DelimitedReader({
        delimiter: plan.delimiter,
        quote: plan.quote,
        commentByte: plan.commentByte,
        nFields: plan.nFields,
        columns: cols,
        batchRows: this.batchRows,
        missingTokens: plan.missingTokens,
        tripleSpaceDelimiter: plan.tripleSpaceDelimiter,
        headerLine: plan.headerLine,
        skipFirstRecord: plan.hasHeader,
        rowStart,
      });
    }
    return { name, bytes, plan, reader, readerOfOut, labelReader, detailReader, skipLeft: plan.skipBytes, pushed: 0, ended: false };
  }

  /** Moves the reader's finished batches into output batches (label codes cleaned). */
  private drain(f: FileState): void {
    for (const b of f.reader.takeBatches()) {
      const columns = new Array<Float32Array | Float64Array | Int32Array>(this.outColumns.length);
      for (let o = 0; o < columns.length; o++) columns[o] = b.columns[f.readerOfOut[o]];
      if (this.labelOut >= 0) {
        const raw = b.columns[f.labelReader] as Int32Array;
        const detail = f.detailReader >= 0 ? (b.columns[f.detailReader] as Int32Array) : null;
        const clean = detail ? this.cleanPairs(raw, detail, b.nRows) : this.cleanCodes(raw, b.nRows, f.plan);
        columns[this.labelOut] = clean;
        if (this.truthOut >= 0) this.checkTruth(clean, columns[this.truthOut] as Float32Array | Float64Array, b.nRows);
      }
      this.pending.push({ rowStart: b.rowStart, nRows: b.nRows, columns });
    }
  }

  private cleanCode(name: string): number {
    let code = this.labelIndex.get(name);
    if (code === undefined) {
      code = this.labelValues.length;
      this.labelValues.push(name);
      this.labelIndex.set(name, code);
      this.labelRows = grown(this.labelRows, code + 1, 0);
      if (this.labelBenign.length <= code) {
        const b = new Uint8Array(Math.max(16, this.labelBenign.length * 2, code + 1));
        b.set(this.labelBenign);
        this.labelBenign = b;
      }
      this.labelBenign[code] = binaryOf(name) === 'benign' ? 1 : 0;
    }
    return code;
  }

  /** raw label codes -> cleaned codes; counts rows per raw and cleaned code. */
  private cleanCodes(raw: Int32Array, n: number, plan: LayoutPlan): Int32Array {
    const out = new Int32Array(n);
    const values = this.rawLabels.values;
    this.remap = grown(this.remap, values.length + 1, -2);
    this.rawRows = grown(this.rawRows, values.length + 1, 0);
    const remap = this.remap;
    const rawRows = this.rawRows;
    // slot 0: missing cell; raw code k -> slot k + 1
    if (remap[0] === -2) {
      const empty = cleanLabel('', plan.labelScheme);
      remap[0] = empty === '' ? -1 : this.cleanCode(empty);
    }
    for (let i = 0; i < n; i++) {
      const slot = raw[i] + 1;
      let c = remap[slot];
      if (c === -2) {
        const name = cleanLabel(values[slot - 1], plan.labelScheme);
        c = name === '' ? -1 : this.cleanCode(name);
        remap[slot] = c;
      }
      rawRows[slot]++;
      out[i] = c;
      if (c >= 0) this.labelRows[c]++;
      else this.unlabelledRows++;
    }
    return out;
  }

  /** IoT-23: detailed label when set, else the base label; category = the base label. */
  private cleanPairs(raw: Int32Array, detail: Int32Array, n: number): Int32Array {
    const out = new Int32Array(n);
    const base = this.rawLabels.values;
    const det = this.detailLabels.values;
    this.rawRows = grown(this.rawRows, base.length + 1, 0);
    for (let i = 0; i < n; i++) {
      const r = raw[i];
      const d = detail[i];
      const key = (r + 1) * 4194304 + (d + 1);
      let c = this.pairRemap.get(key);
      if (c === undefined) {
        const baseName = r >= 0 ? cleanLabel(base[r], 'iot-23') : '';
        const detailName = d >= 0 ? cleanLabel(det[d], 'iot-23') : '';
        const name = detailName !== '' && detailName !== '-' ? detailName : baseName;
        c = name === '' ? -1 : this.cleanCode(name);
        if (c >= 0 && baseName !== '' && this.categoryOverride[name] === undefined) this.categoryOverride[name] = baseName;
        this.pairRemap.set(key, c);
      }
      this.rawRows[r + 1]++;
      out[i] = c;
      if (c >= 0) this.labelRows[c]++;
      else this.unlabelledRows++;
    }
    return out;
  }

  private checkTruth(clean: Int32Array, truth: Float32Array | Float64Array, n: number): void {
    for (let i = 0; i < n; i++) {
      const c = clean[i];
      const t = truth[i];
      if (c < 0 || t !== t) continue;
      const benign = this.labelBenign[c] === 1;
      if ((t === 0) !== benign) {
        if (this.truthMismatch === 0) this.truthMismatchExample = `'${this.labelValues[c]}' with ${t}`;
        this.truthMismatch++;
      }
    }
  }

  private fileError(f: FileState, e: unknown): Error {
    if (e instanceof FlowDataError) {
      if (e.reason === 'unterminated-quote') {
        const m = /line (\d+)/.exec(e.message);
        const line = m ? Number(m[1]) + f.plan.skipLines : null;
        return new FlowDataError(
          'unterminated-quote',
          `${f.name} has a quoted field that is never closed${line !== null ? ` (it opens on line ${line})` : ''}; check that line for a stray '"' and import again.`,
        );
      }
      if (!e.message.includes(f.name)) return new FlowDataError(e.reason, `${f.name}: ${e.message}`);
      return e;
    }
    return e instanceof Error ? e : new Error(String(e));
  }

  private malformedSamples(): CleaningReport['malformedSamples'] {
    const out: CleaningReport['malformedSamples'] = [];
    for (const d of this.done) {
      for (const s of d.counters.malformedSamples) {
        if (out.length >= MAX_MALFORMED_SAMPLES) return out;
        out.push({ file: d.name, line: s.line + d.plan.skipLines, fields: s.fields, expected: d.plan.nFields });
      }
    }
    return out;
  }

  private cleaningReport(records: number, malformed: number): CleaningReport {
    const notes: string[] = [];
    const addNote = (s: string): void => {
      if (!notes.includes(s)) notes.push(s);
    };
    const renamed = new Map<string, { from: string; to: string }>();
    const duplicates = new Map<string, { name: string; action: string }>();
    const dropped = new Map<string, { name: string; reason: string }>();
    let repeatedHeaderRows = 0;
    let blankLines = 0;
    for (const d of this.done) {
      for (const r of d.plan.renamedHeaders) renamed.set(`${r.from}\u0000${r.to}`, r);
      for (const r of d.plan.duplicateColumns) duplicates.set(`${r.name}\u0000${r.action}`, r);
      for (const r of d.plan.droppedColumns) dropped.set(r.name, r);
      repeatedHeaderRows += d.counters.repeatedHeaders;
      blankLines += d.counters.blankLines;
    }
    // what detection decided, once per distinct sentence
    for (const d of this.done) for (const n of d.plan.notes) addNote(n);
    const boms = this.done.filter((d) => d.plan.bom).map((d) => d.name);
    if (boms.length > 0) addNote(`Skipped the UTF-8 byte-order mark at the start of ${boms.join(', ')}.`);
    const crlf = this.done.filter((d) => d.plan.lineEnding === 'crlf').map((d) => d.name);
    if (crlf.length > 0) addNote(`${crlf.join(', ')} ${crlf.length === 1 ? 'uses' : 'use'} Windows line ends (CRLF); read as ordinary line ends.`);

    const nonFiniteByColumn: Record<string, number> = {};
    const invalidNumberByColumn: Record<string, number> = {};
    let nonFiniteCells = 0;
    let invalidNumberCells = 0;
    let missingCells = 0;
    const emptyColumns: string[] = [];
    this.outColumns.forEach((col, o) => {
      if (o === this.labelOut) {
        missingCells += this.unlabelledRows;
        return;
      }
      const nf = this.nonFinite[o];
      const inv = this.invalid[o];
      const empty = this.missing[o] - nf - inv;
      if (nf > 0) {
        nonFiniteByColumn[col.name] = nf;
        nonFiniteCells += nf;
        addNote(`${plural(nf, 'cell')} of ${col.name} held Infinity or NaN; stored as missing.`);
      }
      if (inv > 0) {
        invalidNumberByColumn[col.name] = inv;
        invalidNumberCells += inv;
        addNote(`${plural(inv, 'cell')} of ${col.name} held text where a number belongs; stored as missing.`);
      }
      if (empty > 0) {
        missingCells += empty;
        emptyColumns.push(col.name);
      }
    });
    if (missingCells > 0 && emptyColumns.length > 0) {
      addNote(
        `${plural(missingCells - this.unlabelledRows, 'empty or unset cell')} in ${plural(emptyColumns.length, 'column')} (${emptyColumns.slice(0, 6).join(', ')}${emptyColumns.length > 6 ? ', ...' : ''}) are stored as missing.`,
      );
    }

    const malformedSamples = this.malformedSamples();
    if (malformed > 0) {
      const s = malformedSamples[0];
      addNote(
        `Skipped ${plural(malformed, 'row')} with the wrong number of fields (e.g. line ${s.line} of ${s.file}: ${s.fields} fields, expected ${s.expected}).`,
      );
    }
    if (repeatedHeaderRows > 0) {
      addNote(`Skipped ${plural(repeatedHeaderRows, 'copy', 'copies')} of the header row inside the data (files joined together).`);
    }

    // labels
    const repairedLabels: CleaningReport['repairedLabels'] = [];
    if (this.labelOut >= 0 && this.firstPlan) {
      const scheme = this.firstPlan.labelScheme;
      const values = this.rawLabels.values;
      const perPair = new Map<string, { from: string; to: string; rows: number }>();
      for (let slot = 0; slot < Math.min(this.rawRows.length, values.length + 1); slot++) {
        const rows = this.rawRows[slot];
        if (rows === 0) continue;
        const from = slot === 0 ? '' : values[slot - 1];
        const to = cleanLabel(from, scheme);
        if (to === from || to === '') continue;
        const key = `${from}\u0000${to}`;
        const e = perPair.get(key);
        if (e) e.rows += rows;
        else perPair.set(key, { from, to, rows });
      }
      repairedLabels.push(...perPair.values());
      if (repairedLabels.length > 0) {
        const total = repairedLabels.reduce((a, r) => a + r.rows, 0);
        const examples = repairedLabels
          .slice(0, 3)
          .map((r) => `'${r.from}' -> '${r.to}' (${r.rows})`)
          .join(', ');
        addNote(`Cleaned ${plural(total, 'label cell')}: ${examples}${repairedLabels.length > 3 ? ', ...' : ''}.`);
      }
    }
    let repairedTextCells = this.rawLabels.repaired + this.detailLabels.repaired;
    for (const d of this.dictionaries) if (d) repairedTextCells += d.repaired;
    if (repairedTextCells > 0) {
      addNote(`${plural(repairedTextCells, 'text cell')} ${repairedTextCells === 1 ? 'was' : 'were'} not valid UTF-8 and ${repairedTextCells === 1 ? 'was' : 'were'} read as Windows-1252.`);
    }
    return {
      files: this.done.map((d) => ({ name: d.name, bytes: d.bytes, rows: d.rows, profile: d.profile })),
      rowsRead: records,
      rowsKept: this.rowsDone,
      malformedRows: malformed,
      malformedSamples,
      repeatedHeaderRows,
      blankLines,
      nonFiniteCells,
      nonFiniteByColumn,
      missingCells,
      invalidNumberCells,
      invalidNumberByColumn,
      renamedHeaders: [...renamed.values()],
      duplicateColumns: [...duplicates.values()],
      droppedColumns: [...dropped.values()],
      repairedLabels,
      repairedTextCells,
      notes,
    };
  }
}

export { detectLayout } from './detect.js';
