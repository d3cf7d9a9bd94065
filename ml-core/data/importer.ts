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
 * Split imports: several importers each read one byte range of a file (`beginFile(..., { rangeStart })`,
 * ranges cut at record boundaries); each hands over `finishPart()` and `mergeImportParts` (import-part.ts)
 * merges them in file order. `finish()` is that merge of this importer's one part.
 *
 * Memory layout: every batch column is one typed array of nRows values (row i at index i). All files
 * share one row numbering and one dictionary per string column. Label codes are rewritten per batch
 * (a typed-array pass) into a dictionary of cleaned label names.
 */
import { NumericStatsAccumulator, addCodeCounts } from './column-stats.js';
import { DelimitedReader, type ReaderColumn } from './delimited-reader.js';
import { detectLayout } from './detect.js';
import { StringDictionary } from './dictionary.js';
import { mergeImportParts, type ImportPart, type ImportPartFile } from './import-part.js';
import { JsonLinesReader, type JsonLinesColumn } from './json-lines-reader.js';
import { binaryOf, cleanLabel } from './labels.js';
import { FlowDataError } from './types.js';
import type { ColumnBatch, ColumnSpec, ImportOptions, ImportSummary, LayoutColumn, LayoutPlan, ProfileId } from './types.js';

const DEFAULT_BATCH_ROWS = 65536;

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
  /** where the pushed bytes start in the file (0, or the start of a range) */
  rangeStart: number;
  pushed: number;
  ended: boolean;
}

/** Options of beginFile for reading one byte range of a file. */
export interface BeginFileOptions {
  /**
   * Offset in the file of the first byte that will be pushed (default 0). > 0: a range that
   * starts at a record boundary inside the file (delimited layouts only): no header record to
   * skip there (a line equal to the header is still a repeated header), no byte-order mark.
   * Line numbers and counts are then relative to the range (mergeImportParts offsets them).
   */
  rangeStart?: number;
  /** The plan detectLayout made of this file's head with these options (skips detecting it again). */
  plan?: LayoutPlan;
}

/** Grows an Int32Array to at least n entries, new entries set to fill. */
function grown(a: Int32Array, n: number, fill: number): Int32Array {
  if (a.length >= n) return a;
  const b = new Int32Array(Math.max(n, a.length * 2, 16)).fill(fill);
  b.set(a);
  return b;
}

export class FlowImporter {
  private readonly options: ImportOptions;
  private readonly batchRows: number;

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
  private readonly done: ImportPartFile[] = [];
  private pending: ColumnBatch[] = [];
  private rowsDone = 0;
  private bytesPushed = 0;

  constructor(options: ImportOptions = {}) {
    this.options = { ...options };
    this.batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
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
   * options.format) and checks it has the same columns as the earlier files. With
   * `range.rangeStart`, the bytes pushed next start there (see BeginFileOptions); head is still
   * the file's first bytes.
   */
  beginFile(name: string, bytes: number, head: Uint8Array, range: BeginFileOptions = {}): { profile: ProfileId } {
    if (this.current !== null && !this.current.ended) {
      throw new Error(`beginFile(${name}) before endFile() of ${this.current.name}`);
    }
    const rangeStart = range.rangeStart ?? 0;
    const plan = range.plan ?? detectLayout(name, head, this.options, bytes);
    if (rangeStart > 0) {
      if (plan.reader !== 'delimited') throw new RangeError(`${name}: byte ranges are read only from delimited files`);
      if (rangeStart < plan.skipBytes) throw new RangeError(`${name}: the range at byte ${rangeStart} starts inside the file's head block`);
    }
    if (this.firstPlan === null) this.adoptFirstPlan(plan);
    else this.checkAgrees(name, plan);
    this.current = this.openFile(name, bytes, plan, rangeStart);
    return { profile: plan.profile };
  }

  /**
   * True when the bytes pushed into the current file so far end at a record boundary (nothing
   * buffered; see DelimitedReader.atRecordBoundary). False for JSON lines and outside a file.
   */
  atRecordBoundary(): boolean {
    const f = this.current;
    if (f === null || f.ended || !(f.reader instanceof DelimitedReader)) return false;
    return f.skipLeft === 0 && f.reader.atRecordBoundary();
  }

  /**
   * The dictionary values of output column `columnIdx` by code, as they stand (they only grow):
   * every code in the batches taken so far is below its length. The label column's are the
   * cleaned names its codes stand for. Empty for numeric columns.
   */
  dictionaryValues(columnIdx: number): readonly string[] {
    if (columnIdx === this.labelOut) return this.labelValues;
    return this.dictionaries[columnIdx]?.values ?? [];
  }

  /** The file's bytes, in order, from offset 0 (the head included again), or from the range's start. */
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
    // line numbers count from the range's first byte; from the file's start they include the skipped head lines
    const lineBase = f.rangeStart === 0 ? f.plan.skipLines : 0;
    this.done.push({
      name: f.name,
      bytes: f.bytes,
      rangeStart: f.rangeStart,
      plan: f.plan,
      rows: c.rows,
      lines: f.reader.linesRead + lineBase,
      records: c.records,
      malformed: c.malformed,
      malformedSamples: c.malformedSamples.map((s) => ({ line: s.line + lineBase, fields: s.fields })),
      repeatedHeaders: c.repeatedHeaders,
      blankLines: c.blankLines,
      commentLines: c.commentLines,
    });
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
    return mergeImportParts([this.finishPart()], this.options);
  }

  /**
   * After all files (or this importer's range of one): what it read, as plain data for
   * mergeImportParts (ends the current file). Copies: the importer may go on being read.
   */
  finishPart(): ImportPart {
    if (this.current !== null && !this.current.ended) this.endFile();
    const n = this.outColumns.length;
    const labelOut = this.labelOut;
    let repairedTextCells = this.rawLabels.repaired + this.detailLabels.repaired;
    for (const d of this.dictionaries) if (d) repairedTextCells += d.repaired;
    const part: ImportPart = {
      columns: this.outColumns.map((c) => ({ ...c })),
      rows: this.rowsDone,
      dictionaries: this.dictionaries.map((d) => (d ? d.values.slice() : null)),
      codeCounts: this.outColumns.map((c, o) =>
        c.storage === 'dict' && o !== labelOut ? (this.codeCounts[o] ?? new Int32Array(0)).slice() : null,
      ),
      numericStats: this.numericStats.map((a) => (a ? a.toState() : null)),
      missing: this.missing.slice(0, n),
      nonFinite: this.nonFinite.slice(0, n),
      invalid: this.invalid.slice(0, n),
      labels: null,
      repairedTextCells,
      files: this.done.map((d) => ({ ...d, malformedSamples: d.malformedSamples.map((s) => ({ ...s })) })),
    };
    if (labelOut >= 0) {
      const nValues = this.labelValues.length;
      const nRaw = this.rawLabels.values.length + 1;
      const rawRows = new Int32Array(nRaw);
      rawRows.set(this.rawRows.subarray(0, Math.min(nRaw, this.rawRows.length)));
      part.labels = {
        values: this.labelValues.slice(),
        rows: this.labelRows.slice(0, nValues),
        unlabelledRows: this.unlabelledRows,
        categoryOverride: { ...this.categoryOverride },
        rawValues: this.rawLabels.values.slice(),
        rawRows,
        truthMismatch: this.truthMismatch,
        truthMismatchExample: this.truthMismatchExample,
      };
    }
    return part;
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

  private openFile(name: string, bytes: number, plan: LayoutPlan, rangeStart: number): FileState {
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
        if (src.parse === 'time' && out.storage === 'f64') col.time = true;
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
        skipFirstRecord: plan.hasHeader && rangeStart === 0,
        rowStart,
        midStream: rangeStart > 0,
      });
    }
    const skipLeft = rangeStart === 0 ? plan.skipBytes : 0;
    return { name, bytes, plan, reader, readerOfOut, labelReader, detailReader, skipLeft, rangeStart, pushed: 0, ended: false };
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
        const line = m ? Number(m[1]) + (f.rangeStart === 0 ? f.plan.skipLines : 0) : null; // relative to a range's start
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
}

export { detectLayout } from './detect.js';
