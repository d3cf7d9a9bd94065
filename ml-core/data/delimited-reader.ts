/**
 * Streaming byte-level parser for delimited flow files (CSV, Zeek TSV): bytes in, typed column
 * batches out. Memory layout: each batch column is one typed array of nRows values (row i at i).
 *
 * Dialect: see head-records.ts (the naive reference this reader is tested against). Chunks may be
 * cut anywhere; the unfinished tail of a chunk is copied and carried into the next push, so push()
 * keeps no reference to a chunk once it returns (the caller may reuse its buffer).
 *
 * Two paths, one result: single-line records without quotes go through `fastRecord` (one pass
 * that also finds the record's line break: numeric fields are parsed while they are scanned,
 * other fields only delimited; dictionary interning waits until the record is known to be
 * well-formed; float32 rows are gathered in a small block and copied to the columns per block). Everything else (quoted fields,
 * multi-line records, the IoT-23 three-space delimiter, the header record) is split into field
 * bounds first and converted by `commitRow`. Both are tested against csv-parse and head-records.
 */
import { growBytes, utf8BomLength } from './stream-bytes.js';
import { NumericStatsAccumulator } from './column-stats.js';
import { StringDictionary } from './dictionary.js';
import {
  classifyNonNumber,
  NUMBER_EMPTY,
  NUMBER_INVALID,
  NUMBER_NONFINITE,
  parseDecimal,
  parseDecimalF32,
} from './number-parse.js';
import { parseTimeBytes } from './flow-time.js';
import { encodeUtf8 } from './text.js';
import { FlowDataError, type ColumnBatch } from './types.js';

export interface ReaderColumn {
  fieldIndex: number;
  storage: 'f32' | 'f64' | 'dict';
  dictionary?: StringDictionary;
  /** f64 only: the cells are timestamps, stored as ms since the epoch (parseTimeBytes) */
  time?: boolean;
}

export interface DelimitedReaderOptions {
  /** byte: 0x2c ',' or 0x09 TAB */
  delimiter: number;
  /** 0x22 for CSV (RFC 4180: "" inside quotes), null for Zeek TSV */
  quote: number | null;
  /** 0x23 '#' for Zeek: lines starting with it (after optional spaces/tabs) are comments */
  commentByte: number | null;
  /** expected fields per record; other records are malformed: skipped, counted, sampled */
  nFields: number;
  /** which fields to keep, in output order */
  columns: ReaderColumn[];
  /** rows per batch, default 65536 */
  batchRows?: number;
  /** besides the empty field, e.g. ['-', '(empty)'] for Zeek; missing -> NaN or -1 */
  missingTokens?: string[];
  /** IoT-23: a run of exactly three spaces also separates fields */
  tripleSpaceDelimiter?: boolean;
  /** a record whose bytes (without CR/LF) equal this is a repeated header: skipped, counted */
  headerLine?: Uint8Array | null;
  /** the file's header record: skipped (not counted as repeated) */
  skipFirstRecord?: boolean;
  /** rowStart of the first batch (for multi-file imports) */
  rowStart?: number;
  /** longest record held while waiting for its end (default 64 MiB); beyond it push() throws */
  maxRecordBytes?: number;
  /** the bytes start inside the file (a range starting at a record boundary): no byte-order mark to look for */
  midStream?: boolean;
}

export interface ReaderCounters {
  bytes: number;
  /** data records seen (kept + malformed) */
  records: number;
  /** rows kept */
  rows: number;
  malformed: number;
  /** first 10 malformed records: 1-based line where the record starts, fields found */
  malformedSamples: Array<{ line: number; fields: number }>;
  repeatedHeaders: number;
  blankLines: number;
  commentLines: number;
  /** per output column: empty cells, missing tokens, non-finite and invalid numbers */
  missing: Int32Array;
  /** per output column: Infinity / NaN / inf cells (also counted in missing) */
  nonFinite: Int32Array;
  /** per output column: text in a numeric column (also counted in missing) */
  invalid: Int32Array;
}

/** Exact powers of ten 10^0..10^22. */
const EXACT_POW10 = new Float64Array(23);
for (let i = 0, p = 1; i <= 22; i++, p *= 10) EXACT_POW10[i] = p;

/**
 * float32 of m / 10^fractionDigits (m < 10^19, accumulated digit by digit in float64: within
 * 2^-49 relative of the true digits; fractionDigits <= 22) when the float64 approximation cannot
 * straddle a float32 rounding boundary; NaN when it might (rare: the general path decides).
 */
function f32Bracketed(m: number, fractionDigits: number): number {
  const a = fractionDigits === 0 ? m : m / EXACT_POW10[fractionDigits];
  const f0 = Math.fround(a * (1 - 2 ** -46));
  const f1 = Math.fround(a * (1 + 2 ** -46));
  return f0 === f1 ? f0 : NaN; // m < 10^19: no float32 overflow
}

export const MAX_MALFORMED_SAMPLES = 10;
/** fast-path rows gathered per column before they are copied out (see DelimitedReader.blk) */
const BLK_SHIFT = 6;
const BLK_MASK = (1 << BLK_SHIFT) - 1;
const DEFAULT_BATCH_ROWS = 65536;
/** carried tails above this size are re-scanned only after they doubled (keeps huge records linear) */
const LARGE_CARRY = 1 << 20;
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

export type StorageKind = 'f32' | 'f64' | 'dict';

export function newCounters(nColumns: number): ReaderCounters {
  return {
    bytes: 0,
    records: 0,
    rows: 0,
    malformed: 0,
    malformedSamples: [],
    repeatedHeaders: 0,
    blankLines: 0,
    commentLines: 0,
    missing: new Int32Array(nColumns),
    nonFinite: new Int32Array(nColumns),
    invalid: new Int32Array(nColumns),
  };
}

/**
 * Typed batch output shared by the readers: preallocated arrays per batch, grouped by storage so
 * the hot loops touch monomorphic arrays; running stats and per-code counts of emitted rows.
 */
export class BatchSink {
  readonly batchRows: number;
  readonly storage: StorageKind[];
  readonly dictionaries: Array<StringDictionary | null>;
  readonly counters: ReaderCounters;
  /** rows filled in the current batch */
  n = 0;
  rowStart: number;
  /** current batch arrays in output-column order */
  arrays: Array<Float32Array | Float64Array | Int32Array> = [];
  // per storage group: output column index and the current array
  readonly f32Out: number[] = [];
  readonly f64Out: number[] = [];
  readonly dictOut: number[] = [];
  f32: Float32Array[] = [];
  f64: Float64Array[] = [];
  dict: Int32Array[] = [];
  dictOf: StringDictionary[] = [];
  /** per dict group entry: counts per code */
  counts: Int32Array[] = [];
  private readonly acc: Array<NumericStatsAccumulator | null>;
  private pending: ColumnBatch[] = [];

  constructor(storage: StorageKind[], dictionaries: Array<StringDictionary | null>, batchRows: number, rowStart: number) {
    if (!(batchRows >= 1)) throw new RangeError('batchRows must be >= 1');
    this.batchRows = Math.floor(batchRows);
    this.storage = storage;
    this.dictionaries = dictionaries;
    this.rowStart = rowStart;
    this.counters = newCounters(storage.length);
    this.acc = storage.map((s) => (s === 'dict' ? null : new NumericStatsAccumulator()));
    storage.forEach((s, c) => {
      if (s === 'f32') this.f32Out.push(c);
      else if (s === 'f64') this.f64Out.push(c);
      else {
        const d = dictionaries[c];
        if (!d) throw new Error(`column ${c} is 'dict' but has no dictionary`);
        this.dictOut.push(c);
        this.dictOf.push(d);
        this.counts.push(new Int32Array(Math.max(16, d.size)));
      }
    });
    this.allocate();
  }

  private allocate(): void {
    const rows = this.batchRows;
    this.arrays = this.storage.map((s) =>
      s === 'f32' ? new Float32Array(rows) : s === 'f64' ? new Float64Array(rows) : new Int32Array(rows),
    );
    this.f32 = this.f32Out.map((c) => this.arrays[c] as Float32Array);
    this.f64 = this.f64Out.map((c) => this.arrays[c] as Float64Array);
    this.dict = this.dictOut.map((c) => this.arrays[c] as Int32Array);
  }

  /** Counts one kept code of dict-group entry k. */
  countCode(k: number, code: number): void {
    let counts = this.counts[k];
    if (code >= counts.length) {
      const next = new Int32Array(Math.max(code + 1, counts.length * 2));
      next.set(counts);
      this.counts[k] = counts = next;
    }
    counts[code]++;
  }

  /** Hands the current batch over (exact-length arrays) and starts a new one. */
  emit(): void {
    const n = this.n;
    if (n === 0) return;
    const full = n === this.batchRows;
    const columns = full ? this.arrays : this.arrays.map((a) => a.slice(0, n));
    for (let c = 0; c < columns.length; c++) {
      const acc = this.acc[c];
      if (acc !== null) acc.add(columns[c] as Float32Array | Float64Array, n);
    }
    this.pending.push({ rowStart: this.rowStart, nRows: n, columns });
    this.rowStart += n;
    this.n = 0;
    if (full) this.allocate();
  }

  takeBatches(): ColumnBatch[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  stats(columnIdx: number): NumericStatsAccumulator | null {
    return this.acc[columnIdx] ?? null;
  }

  codeCounts(columnIdx: number): Int32Array {
    const k = this.dictOut.indexOf(columnIdx);
    if (k < 0) throw new RangeError(`column ${columnIdx} is not a dictionary column`);
    const size = this.dictOf[k].size;
    const out = new Int32Array(size);
    const counts = this.counts[k];
    out.set(counts.subarray(0, Math.min(size, counts.length)));
    return out;
  }

  noteMalformed(line: number, fields: number): void {
    const c = this.counters;
    c.records++;
    c.malformed++;
    if (c.malformedSamples.length < MAX_MALFORMED_SAMPLES) c.malformedSamples.push({ line, fields });
  }
}

/** Encoded missing tokens, for byte comparison. */
export function encodeTokens(tokens: readonly string[] | undefined): Uint8Array[] {
  return (tokens ?? []).filter((t) => t.length > 0).map((t) => encodeUtf8(t));
}

export function isToken(tokens: Uint8Array[], buf: Uint8Array, s: number, e: number): boolean {
  const len = e - s;
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t];
    if (tok.length !== len) continue;
    let k = 0;
    while (k < len && tok[k] === buf[s + k]) k++;
    if (k === len) return true;
  }
  return false;
}

/**
 * Records a numeric cell that did not parse (value NaN): missing, plus non-finite or invalid.
 * Missing tokens count as plain missing.
 */
export function noteNumericFailure(
  counters: ReaderCounters,
  tokens: Uint8Array[],
  c: number,
  buf: Uint8Array,
  s: number,
  e: number,
): void {
  counters.missing[c]++;
  const why = classifyNonNumber(buf, s, e);
  if (why === NUMBER_EMPTY) return;
  if (why === NUMBER_NONFINITE) {
    counters.nonFinite[c]++;
    return;
  }
  if (why === NUMBER_INVALID && !isToken(tokens, buf, s, e)) counters.invalid[c]++;
}

export class DelimitedReader {
  readonly counters: ReaderCounters;
  private readonly sink: BatchSink;
  private readonly delimiter: number;
  private readonly quote: number; // -1 when none
  private readonly commentByte: number; // -1 when none
  private readonly nFields: number;
  private readonly tripleSpace: boolean;
  private readonly headerLine: Uint8Array | null;
  /** headerLine for the fast path; null when it holds an LF (no single line can equal it) */
  private readonly fastHeader: Uint8Array | null;
  private readonly tokens: Uint8Array[];
  private skipFirst: boolean;
  // fields of the kept columns, per storage group (aligned with sink.f32Out etc.)
  private readonly f32Field: Int32Array;
  private readonly f64Field: Int32Array;
  private readonly dictField: Int32Array;
  /** per field: 0 skip, 1 f32, 2 f64, 3 dict */
  private readonly action: Uint8Array;
  /** per field: 1 when an f64 field holds timestamps (parsed to ms since the epoch) */
  private readonly timeF: Uint8Array;
  /** per field: index in its storage group */
  private readonly slot: Int32Array;
  /** the single-line, quote-free fast path applies (not with the three-space delimiter) */
  private readonly fastOk: boolean;
  // fast path: bounds of the dict fields of the current record, interned only when it is kept
  private readonly dictS: Int32Array;
  private readonly dictE: Int32Array;
  // fast path: numeric cells of the current record that did not parse (applied when kept)
  private readonly failCol: Int32Array;
  private readonly failKind: Uint8Array;
  // field bounds of the current record
  private readonly fs: Int32Array;
  private readonly fe: Int32Array;
  private readonly fq: Uint8Array;
  private scratch = new Uint8Array(256);
  // carried, unfinished tail
  private carry = new Uint8Array(0);
  private carryLen = 0;
  private retryAt = 0;
  private readonly maxRecordBytes: number;
  private bomChecked = false;
  /** 1-based line number where the next record starts */
  private line = 1;
  private ended = false;

  constructor(opts: DelimitedReaderOptions) {
    if (!(opts.nFields >= 1)) throw new RangeError('nFields must be >= 1');
    for (const col of opts.columns) {
      if (!(col.fieldIndex >= 0 && col.fieldIndex < opts.nFields)) {
        throw new RangeError(`fieldIndex ${col.fieldIndex} is outside 0..${opts.nFields - 1}`);
      }
    }
    this.delimiter = opts.delimiter;
    this.quote = opts.quote ?? -1;
    this.commentByte = opts.commentByte ?? -1;
    this.nFields = opts.nFields;
    this.tripleSpace = opts.tripleSpaceDelimiter ?? false;
    this.headerLine = opts.headerLine ?? null;
    this.fastHeader = this.headerLine !== null && this.headerLine.indexOf(10) < 0 ? this.headerLine : null;
    this.tokens = encodeTokens(opts.missingTokens);
    this.skipFirst = opts.skipFirstRecord ?? false;
    this.maxRecordBytes = opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    this.bomChecked = opts.midStream ?? false;
    this.sink = new BatchSink(
      opts.columns.map((c) => c.storage),
      opts.columns.map((c) => c.dictionary ?? null),
      opts.batchRows ?? DEFAULT_BATCH_ROWS,
      opts.rowStart ?? 0,
    );
    this.counters = this.sink.counters;
    this.f32Field = Int32Array.from(this.sink.f32Out.map((c) => opts.columns[c].fieldIndex));
    this.f64Field = Int32Array.from(this.sink.f64Out.map((c) => opts.columns[c].fieldIndex));
    this.dictField = Int32Array.from(this.sink.dictOut.map((c) => opts.columns[c].fieldIndex));
    this.action = new Uint8Array(this.nFields);
    this.timeF = new Uint8Array(this.nFields);
    for (const col of opts.columns) if (col.time && col.storage === 'f64') this.timeF[col.fieldIndex] = 1;
    this.slot = new Int32Array(this.nFields);
    const kindCode = { f32: 1, f64: 2, dict: 3 } as const;
    const seen = new Set<number>();
    let dup = false;
    opts.columns.forEach((col, c) => {
      if (seen.has(col.fieldIndex)) dup = true;
      seen.add(col.fieldIndex);
      this.action[col.fieldIndex] = kindCode[col.storage];
      const group = col.storage === 'f32' ? this.sink.f32Out : col.storage === 'f64' ? this.sink.f64Out : this.sink.dictOut;
      this.slot[col.fieldIndex] = group.indexOf(c);
    });
    // the fast path keeps one column per field; a field kept twice goes the general way
    this.fastOk = !this.tripleSpace && !dup;
    this.dictS = new Int32Array(this.sink.dictOut.length);
    this.dictE = new Int32Array(this.sink.dictOut.length);
    this.failCol = new Int32Array(opts.columns.length);
    this.failKind = new Uint8Array(opts.columns.length);
    this.fs = new Int32Array(this.nFields + 1);
    this.fe = new Int32Array(this.nFields + 1);
    this.fq = new Uint8Array(this.nFields + 1);
    this.blk = new Float32Array(this.nFields << BLK_SHIFT);
  }

  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('push() after end()');
    const len = chunk.length;
    if (len === 0) return;
    this.counters.bytes += len;
    let data: Uint8Array;
    if (this.carryLen === 0) {
      data = chunk;
    } else {
      this.ensureCarry(this.carryLen + len);
      this.carry.set(chunk, this.carryLen);
      this.carryLen += len;
      if (this.carryLen < this.retryAt && this.carryLen <= this.maxRecordBytes) return;
      data = this.carry.subarray(0, this.carryLen);
    }
    const used = this.process(data, false);
    const tail = data.length - used;
    if (tail > 0) {
      if (data === chunk) {
        this.ensureCarry(tail);
        this.carry.set(chunk.subarray(used));
      } else if (used > 0) {
        this.carry.copyWithin(0, used, used + tail);
      }
    }
    this.carryLen = tail;
    this.retryAt = tail > LARGE_CARRY ? tail * 2 : 0;
    if (tail > this.maxRecordBytes) throw this.oversizeError();
  }

  /** The unfinished record in carry is too long to hold: an open quote, or not line-based text. */
  private oversizeError(): FlowDataError {
    const buf = this.carry;
    const n = this.carryLen;
    let atFieldStart = true;
    let line = this.line;
    for (let k = 0; k < n; k++) {
      const b = buf[k];
      if (atFieldStart && b === this.quote) {
        return new FlowDataError(
          'unterminated-quote',
          `unterminated quote: the quoted field that opens on line ${line} is not closed within ${this.maxRecordBytes} bytes`,
        );
      }
      if (b === 10) line++;
      atFieldStart = b === this.delimiter || b === 10;
    }
    return new FlowDataError('binary', `no line break in ${this.maxRecordBytes} bytes from line ${this.line}: not line-based text`);
  }

  /** Flushes the last record (no trailing newline needed) and the last partial batch. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.carryLen > 0) {
      // a final LF lets every record end at a line break (the fast path relies on it)
      if (this.carry[this.carryLen - 1] !== 10) {
        this.ensureCarry(this.carryLen + 1);
        this.carry[this.carryLen++] = 10;
      }
      this.process(this.carry.subarray(0, this.carryLen), true);
      this.carryLen = 0;
    }
    this.carry = new Uint8Array(0);
    this.flushBlock();
    this.sink.emit();
    this.blkStart = this.sink.n;
  }

  /**
   * True when every byte pushed so far belongs to a finished record (or blank/comment line): the
   * last push ended exactly at a record's end, outside quotes, and nothing is buffered. A caller
   * that split a file at a line break checks here that the split was a record boundary (false when
   * it fell inside a quoted field spanning lines). Conservative: a record over 1 MiB that is still
   * being collected reads as false.
   */
  atRecordBoundary(): boolean {
    return this.carryLen === 0;
  }

  /** Lines consumed so far (records, blank and comment lines; after end(), the whole stream's). */
  get linesRead(): number {
    return this.line - 1;
  }

  /** Hands over the rows parsed so far as a (short) batch without ending the stream (live tailing). */
  flush(): void {
    this.flushBlock();
    this.sink.emit();
    this.blkStart = this.sink.n;
  }

  takeBatches(): ColumnBatch[] {
    return this.sink.takeBatches();
  }

  /** Running stats of the rows in batches emitted so far (all rows after end()); null for dict columns. */
  stats(columnIdx: number): NumericStatsAccumulator | null {
    return this.sink.stats(columnIdx);
  }

  /** Per-code counts of kept rows for a dict column, length = dictionary size (codes other files added count 0). */
  codeCounts(columnIdx: number): Int32Array {
    return this.sink.codeCounts(columnIdx);
  }

  private ensureCarry(size: number): void {
    this.carry = growBytes(this.carry, this.carryLen, size);
  }

  /** Parses the complete records of buf; returns how many bytes were consumed. */
  private process(buf: Uint8Array, final: boolean): number {
    const n = buf.length;
    let pos = 0;
    if (!this.bomChecked) {
      const bom = utf8BomLength(buf, final);
      if (bom < 0) return 0;
      pos = bom;
      this.bomChecked = true;
    }
    const delim = this.delimiter;
    const quote = this.quote;
    const commentByte = this.commentByte;
    const triple = this.tripleSpace;
    const cap = this.nFields + 1;
    const fs = this.fs;
    const fe = this.fe;
    const fq = this.fq;
    const counters = this.counters;
    // records that start before the chunk's last LF surely end inside it: the fast path finds
    // their end itself (no separate search for the line break), comment files excepted
    const fastEnd = this.fastOk && commentByte < 0 ? buf.lastIndexOf(10) : -1;

    while (pos < n) {
      let tried = false;
      if (pos < fastEnd && !this.skipFirst) {
        const b0 = buf[pos];
        if (b0 !== 10 && (b0 !== 13 || buf[pos + 1] !== 10)) {
          tried = true;
          const end = this.fastRecord(buf, pos);
          if (end >= 0) {
            this.line++;
            pos = end + 1;
            continue;
          }
        }
      }
      let lineEnd = buf.indexOf(10, pos);
      if (lineEnd < 0) {
        if (!final) break;
        lineEnd = n;
      }
      if (commentByte >= 0) {
        let k = pos;
        while (k < lineEnd && (buf[k] === 32 || buf[k] === 9)) k++;
        if (k < lineEnd && buf[k] === commentByte) {
          counters.commentLines++;
          this.line++;
          pos = lineEnd + 1;
          continue;
        }
      }
      if (lineEnd === pos || (lineEnd === pos + 1 && buf[pos] === 13)) {
        counters.blankLines++;
        this.line++;
        pos = lineEnd + 1;
        continue;
      }
      if (!tried && this.fastOk && lineEnd < n && !this.skipFirst && this.fastRecord(buf, pos) >= 0) {
        this.line++;
        pos = lineEnd + 1;
        continue;
      }
      // general path: split the record into fields (quotes, multi-line records, odd layouts)
      let nf = 0;
      let i = pos;
      let extraLines = 0;
      let openQuote = -1;
      for (;;) {
        let k: number;
        let quoted = 0;
        if (i < lineEnd && buf[i] === quote) {
          quoted = 1;
          let j = i + 1;
          let closed = -1;
          for (;;) {
            const q = buf.indexOf(quote, j);
            if (q < 0) break;
            if (q + 1 < n) {
              if (buf[q + 1] === quote) {
                j = q + 2;
                continue;
              }
            } else if (!final) {
              break; // the next chunk may start with the second quote of a pair
            }
            closed = q;
            break;
          }
          if (closed < 0) {
            openQuote = i;
            break;
          }
          if (closed > lineEnd) {
            // line breaks inside the quotes: the record goes on past this line
            let p = lineEnd;
            while (p >= 0 && p < closed) {
              extraLines++;
              p = buf.indexOf(10, p + 1);
            }
            lineEnd = p;
            if (lineEnd < 0) {
              if (!final) {
                openQuote = i;
                break;
              }
              lineEnd = n;
            }
          }
          k = closed + 1;
          while (k < lineEnd && buf[k] !== delim) k++;
        } else if (!triple) {
          k = i;
          while (k < lineEnd && buf[k] !== delim) k++;
        } else {
          k = i;
          while (k < lineEnd) {
            const b = buf[k];
            if (b === delim) break;
            if (
              b === 32 &&
              buf[k + 1] === 32 &&
              buf[k + 2] === 32 &&
              k + 2 < lineEnd &&
              buf[k + 3] !== 32 &&
              (k === 0 || buf[k - 1] !== 32)
            ) {
              break;
            }
            k++;
          }
        }
        if (nf < cap) {
          fs[nf] = i;
          fe[nf] = k;
          fq[nf] = quoted;
        }
        nf++;
        if (k >= lineEnd) break;
        i = buf[k] === delim ? k + 1 : k + 3;
      }
      if (openQuote >= 0) {
        if (!final) break;
        let line = this.line;
        for (let p = buf.indexOf(10, pos); p >= 0 && p < openQuote; p = buf.indexOf(10, p + 1)) line++;
        throw new FlowDataError(
          'unterminated-quote',
          `unterminated quote: the quoted field that opens on line ${line} is never closed`,
        );
      }
      let recEnd = lineEnd;
      if (buf[recEnd - 1] === 13) {
        recEnd--;
        if (nf <= cap && fe[nf - 1] > recEnd) fe[nf - 1] = recEnd;
      }
      const recLine = this.line;
      this.line += 1 + extraLines;
      const recStart = pos;
      pos = lineEnd + 1;

      if (this.skipFirst) {
        this.skipFirst = false;
        continue;
      }
      const header = this.headerLine;
      if (header !== null && recEnd - recStart === header.length) {
        let k = 0;
        while (k < header.length && header[k] === buf[recStart + k]) k++;
        if (k === header.length) {
          counters.repeatedHeaders++;
          continue;
        }
      }
      if (nf !== this.nFields) {
        this.sink.noteMalformed(recLine, nf);
        continue;
      }
      counters.records++;
      this.commitRow(buf);
    }
    return pos > n ? n : pos;
  }

  /**
   * One pass over a single-line record starting at pos (an LF follows somewhere in buf; the line
   * is not blank): numeric fields are parsed while they are scanned, other fields are only
   * delimited, and the record ends at the first LF. Returns the index of that LF, or -1 (having
   * changed nothing that counts) when the record needs the general path: a field starts with a
   * quote. Unusual numeric cells are re-parsed by the general cell parser here.
   */
  private fastRecord(buf: Uint8Array, pos: number): number {
    const delim = this.delimiter;
    const quote = this.quote;
    const nFields = this.nFields;
    const action = this.action;
    const slot = this.slot;
    const sink = this.sink;
    const row = sink.n;
    const header = this.fastHeader;
    if (header !== null) {
      // the record is the header when its bytes up to CR LF / LF are the header's
      const hl = header.length;
      let k = 0;
      while (k < hl && header[k] === buf[pos + k]) k++;
      if (k === hl) {
        const t = buf[pos + hl];
        if ((t === 10 && (hl === 0 || buf[pos + hl - 1] !== 13)) || (t === 13 && buf[pos + hl + 1] === 10)) {
          this.counters.repeatedHeaders++;
          return t === 10 ? pos + hl : pos + hl + 1;
        }
      }
    }
    const blk = this.blk;
    const rb = row & BLK_MASK;
    const f64 = sink.f64;
    let nFail = 0;
    let i = pos;
    let f = 0;
    let b = 0; // the byte at k
    let k = 0;
    for (;;) {
      b = buf[i];
      if (b === quote) return -1;
      const act = f < nFields ? action[f] : 0;
      k = i;
      if (act === 1) {
        // float32: [-]digits[.digits] parsed here; anything else goes the general cell path
        let neg = false;
        if (b === 45) {
          neg = true;
          b = buf[++k];
        }
        const ds = k;
        // all digits as one number: the first 9 in int32 (short dependency chain), the rest in
        // float64 (exact below 2^53, within 2^-49 below 10^19)
        let mi = 0;
        let d = b - 48;
        const lim = k + 9;
        while (d >= 0 && d <= 9 && k < lim) {
          mi = mi * 10 + d;
          d = buf[++k] - 48;
        }
        let m = mi;
        while (d >= 0 && d <= 9) {
          m = m * 10 + d;
          d = buf[++k] - 48;
        }
        let nd = k - ds;
        let fd = 0;
        if (d === -2) {
          const fs0 = ++k;
          d = buf[k] - 48;
          if (nd < 9) {
            const flim = k + 9 - nd;
            mi = 0;
            let p10 = 1;
            while (d >= 0 && d <= 9 && k < flim) {
              mi = mi * 10 + d;
              p10 *= 10;
              d = buf[++k] - 48;
            }
            m = m * p10 + mi;
          }
          while (d >= 0 && d <= 9) {
            m = m * 10 + d;
            d = buf[++k] - 48;
          }
          fd = k - fs0;
          nd += fd;
        }
        b = d + 48;
        let v = NaN;
        if (nd > 0 && (b === delim || b === 10 || (b === 13 && buf[k + 1] === 10)) && fd <= 22) {
          if (m < 9007199254740992) v = fd === 0 ? m : m / EXACT_POW10[fd]; // Clinger: correctly rounded
          else if (m < 1e19) v = f32Bracketed(m, fd);
        }
        if (v === v) {
          blk[(f << BLK_SHIFT) | rb] = neg ? -v : v;
        } else {
          // general cell path: whatever the cell holds, up to the delimiter
          b = buf[k];
          while (b !== delim && b !== 10) b = buf[++k];
          const e = b === 10 && k > i && buf[k - 1] === 13 ? k - 1 : k;
          const w = parseDecimalF32(buf, i, e);
          blk[(f << BLK_SHIFT) | rb] = w;
          if (w !== w) {
            const c = sink.f32Out[slot[f]];
            const why = this.failureKind(buf, i, e);
            if (why !== 0) (this.failCol[nFail] = c), (this.failKind[nFail++] = why);
          }
        }
      } else {
        while (b !== delim && b !== 10) b = buf[++k];
        if (act !== 0) {
          const e = b === 10 && k > i && buf[k - 1] === 13 ? k - 1 : k;
          if (act === 3) {
            this.dictS[slot[f]] = i;
            this.dictE[slot[f]] = e;
          } else {
            const w = this.timeF[f] ? parseTimeBytes(buf, i, e) : parseDecimal(buf, i, e);
            f64[slot[f]][row] = w;
            if (w !== w) {
              const c = sink.f64Out[slot[f]];
              const why = this.failureKind(buf, i, e);
              if (why !== 0) (this.failCol[nFail] = c), (this.failKind[nFail++] = why);
            }
          }
        }
      }
      f++;
      if (b !== delim) break; // LF, or CR before LF
      i = k + 1;
    }
    const lineEnd = b === 10 ? k : k + 1;
    if (f !== nFields) {
      this.sink.noteMalformed(this.line, f);
      return lineEnd;
    }
    // kept: counters, dictionary codes
    const counters = this.counters;
    counters.records++;
    for (let j = 0; j < nFail; j++) {
      const c = this.failCol[j];
      const why = this.failKind[j];
      counters.missing[c]++;
      if (why === 2) counters.nonFinite[c]++;
      else if (why === 3) counters.invalid[c]++;
    }
    const tokens = this.tokens;
    const dictS = this.dictS;
    const dictE = this.dictE;
    for (let c = 0; c < dictS.length; c++) {
      const s = dictS[c];
      const e = dictE[c];
      let code: number;
      if (e === s || (tokens.length > 0 && isToken(tokens, buf, s, e))) {
        code = -1;
        counters.missing[sink.dictOut[c]]++;
      } else {
        code = sink.dictOf[c].intern(buf, s, e);
        sink.countCode(c, code);
      }
      sink.dict[c][row] = code;
    }
    counters.rows++;
    sink.n = row + 1;
    if (rb === BLK_MASK || row + 1 === sink.batchRows) {
      this.flushBlock();
      if (row + 1 === sink.batchRows) {
        sink.emit();
        this.blkStart = sink.n;
      }
    }
    return lineEnd;
  }

  /**
   * Fast-path float32 values of the last rows, row r of field f at [f * 64 + r % 64] (BLK_SHIFT):
   * writing 86 columns' batch arrays one row at a time makes nearly every store miss L1 (the
   * large arrays start at the same offset within a page, so their rows share cache sets), so
   * rows are gathered here and copied out a block at a time. Only whole fast-path rows are held;
   * the general path, flush() and end() copy them out first.
   */
  private readonly blk: Float32Array;
  /** rows [blkStart, sink.n) of the current batch are in blk, not yet in their columns */
  private blkStart = 0;

  /** Copies the rows held in blk to the batch columns. */
  private flushBlock(): void {
    const end = this.sink.n;
    const start = this.blkStart;
    if (start >= end) return;
    const blk = this.blk;
    const f32 = this.sink.f32;
    const f32Field = this.f32Field;
    for (let c = 0; c < f32Field.length; c++) {
      const out = f32[c];
      const base = f32Field[c] << BLK_SHIFT;
      for (let r = start; r < end; r++) out[r] = blk[base | (r & BLK_MASK)];
    }
    this.blkStart = end;
  }

  /** Why a numeric cell is NaN: 1 missing (empty, missing token), 2 non-finite, 3 invalid. */
  private failureKind(buf: Uint8Array, s: number, e: number): number {
    const why = classifyNonNumber(buf, s, e);
    if (why === NUMBER_EMPTY) return 1;
    if (why === NUMBER_NONFINITE) return 2;
    return isToken(this.tokens, buf, s, e) ? 1 : 3;
  }

  /** Converts the kept fields of the current record into row sink.n. */
  private commitRow(buf: Uint8Array): void {
    this.flushBlock();
    const sink = this.sink;
    const counters = this.counters;
    const row = sink.n;
    const fs = this.fs;
    const fe = this.fe;
    const fq = this.fq;

    const f32Field = this.f32Field;
    const f32 = sink.f32;
    for (let c = 0; c < f32Field.length; c++) {
      const f = f32Field[c];
      let b = buf;
      let s = fs[f];
      let e = fe[f];
      if (fq[f] !== 0) {
        e = this.unquote(buf, s, e);
        s = 0;
        b = this.scratch;
      }
      const v = parseDecimalF32(b, s, e);
      f32[c][row] = v;
      if (v !== v) noteNumericFailure(counters, this.tokens, sink.f32Out[c], b, s, e);
    }

    const f64Field = this.f64Field;
    const f64 = sink.f64;
    for (let c = 0; c < f64Field.length; c++) {
      const f = f64Field[c];
      let b = buf;
      let s = fs[f];
      let e = fe[f];
      if (fq[f] !== 0) {
        e = this.unquote(buf, s, e);
        s = 0;
        b = this.scratch;
      }
      const v = this.timeF[f] ? parseTimeBytes(b, s, e) : parseDecimal(b, s, e);
      f64[c][row] = v;
      if (v !== v) noteNumericFailure(counters, this.tokens, sink.f64Out[c], b, s, e);
    }

    const dictField = this.dictField;
    const dict = sink.dict;
    const tokens = this.tokens;
    for (let c = 0; c < dictField.length; c++) {
      const f = dictField[c];
      let b = buf;
      let s = fs[f];
      let e = fe[f];
      if (fq[f] !== 0) {
        e = this.unquote(buf, s, e);
        s = 0;
        b = this.scratch;
      }
      let code: number;
      if (e === s || (tokens.length > 0 && isToken(tokens, b, s, e))) {
        code = -1;
        counters.missing[sink.dictOut[c]]++;
      } else {
        code = sink.dictOf[c].intern(b, s, e);
        sink.countCode(c, code);
      }
      dict[c][row] = code;
    }

    counters.rows++;
    sink.n = row + 1;
    if (row + 1 === sink.batchRows) sink.emit();
    this.blkStart = sink.n;
  }

  /** Unescapes the quoted field buf[s, e) (which starts with the quote) into scratch; returns its length. */
  private unquote(buf: Uint8Array, s: number, e: number): number {
    if (this.scratch.length < e - s) this.scratch = new Uint8Array(Math.max(e - s, this.scratch.length * 2));
    const out = this.scratch;
    const quote = this.quote;
    let o = 0;
    let i = s + 1;
    while (i < e) {
      const b = buf[i];
      if (b === quote) {
        if (i + 1 < e && buf[i + 1] === quote) {
          out[o++] = quote;
          i += 2;
          continue;
        }
        i++;
        break;
      }
      out[o++] = b;
      i++;
    }
    while (i < e) out[o++] = buf[i++];
    return o;
  }
}
