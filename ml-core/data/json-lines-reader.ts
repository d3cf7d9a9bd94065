/**
 * Streaming byte-level reader for Zeek JSON logs: one flat JSON object per line. No JSON.parse in
 * the hot loop: each line is scanned once for "key": value pairs; only the keys of the selected
 * columns are converted. Output (batches, counters, stats, code counts) as DelimitedReader.
 *
 * Values: strings, numbers, true/false (1/0 in numeric columns), null (missing), arrays and nested
 * objects (their raw JSON text, as a string). Bare words such as NaN/Infinity are read as numbers
 * (non-finite). A key absent from a line is missing; a line that is not one object is malformed.
 */
import { growBytes, utf8BomLength } from './stream-bytes.js';
import { StringDictionary } from './dictionary.js';
import { BatchSink, DEFAULT_MAX_RECORD_BYTES, noteNumericFailure, type ReaderCounters } from './delimited-reader.js';
import { parseDecimal, parseDecimalF32 } from './number-parse.js';
import { FlowDataError, type ColumnBatch } from './types.js';
import type { NumericStatsAccumulator } from './column-stats.js';

export interface JsonLinesColumn {
  key: string;
  storage: 'f32' | 'f64' | 'dict';
  dictionary?: StringDictionary;
}

export interface JsonLinesReaderOptions {
  columns: JsonLinesColumn[];
  /** rows per batch, default 65536 */
  batchRows?: number;
  /** rowStart of the first batch */
  rowStart?: number;
  /** longest line held while waiting for its end (default 64 MiB); beyond it push() throws */
  maxRecordBytes?: number;
}

// value kinds
const V_STRING = 1; // "..." without backslashes: raw bytes are the value
const V_STRING_ESC = 2; // "..." with escapes
const V_BARE = 3; // number or other bare word
const V_TRUE = 4;
const V_FALSE = 5;
const V_NULL = 6;
const V_RAW = 7; // array / object: raw text

const NO_TOKENS: Uint8Array[] = [];

function isWs(b: number): boolean {
  return b === 32 || b === 9 || b === 13;
}

export class JsonLinesReader {
  readonly counters: ReaderCounters;
  private readonly sink: BatchSink;
  private readonly nCols: number;
  private readonly keys = new StringDictionary();
  /** key code -> first column with that key, -1 none */
  private readonly colOfKey: Int32Array;
  /** column -> next column with the same key, -1 none */
  private readonly nextSameKey: Int32Array;
  /** column -> position in its storage group */
  private readonly groupIdx: Int32Array;
  // current line: per column, value kind / bounds (valid when stamp === serial)
  private readonly vKind: Uint8Array;
  private readonly vs: Int32Array;
  private readonly ve: Int32Array;
  private readonly stamp: Int32Array;
  private serial = 0;
  private scratch = new Uint8Array(256);
  private carry = new Uint8Array(0);
  private carryLen = 0;
  private bomChecked = false;
  private line = 1;
  private ended = false;
  private readonly maxRecordBytes: number;

  constructor(opts: JsonLinesReaderOptions) {
    const cols = opts.columns;
    this.maxRecordBytes = opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    this.nCols = cols.length;
    this.sink = new BatchSink(
      cols.map((c) => c.storage),
      cols.map((c) => c.dictionary ?? null),
      opts.batchRows ?? 65536,
      opts.rowStart ?? 0,
    );
    this.counters = this.sink.counters;
    this.colOfKey = new Int32Array(cols.length).fill(-1);
    this.nextSameKey = new Int32Array(cols.length).fill(-1);
    for (let c = cols.length - 1; c >= 0; c--) {
      const code = this.keys.internString(cols[c].key);
      this.nextSameKey[c] = this.colOfKey[code];
      this.colOfKey[code] = c;
    }
    this.groupIdx = new Int32Array(cols.length);
    this.sink.f32Out.forEach((c, k) => (this.groupIdx[c] = k));
    this.sink.f64Out.forEach((c, k) => (this.groupIdx[c] = k));
    this.sink.dictOut.forEach((c, k) => (this.groupIdx[c] = k));
    this.vKind = new Uint8Array(cols.length);
    this.vs = new Int32Array(cols.length);
    this.ve = new Int32Array(cols.length);
    this.stamp = new Int32Array(cols.length).fill(-1);
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
    if (tail > this.maxRecordBytes) {
      throw new FlowDataError('binary', `line ${this.line} is longer than ${this.maxRecordBytes} bytes: not a JSON log`);
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.carryLen > 0) this.process(this.carry.subarray(0, this.carryLen), true);
    this.carryLen = 0;
    this.carry = new Uint8Array(0);
    this.sink.emit();
  }

  /** Hands over the rows parsed so far as a (short) batch without ending the stream. */
  flush(): void {
    this.sink.emit();
  }

  /** Lines consumed so far (after end(), the whole stream's). */
  get linesRead(): number {
    return this.line - 1;
  }

  takeBatches(): ColumnBatch[] {
    return this.sink.takeBatches();
  }

  stats(columnIdx: number): NumericStatsAccumulator | null {
    return this.sink.stats(columnIdx);
  }

  codeCounts(columnIdx: number): Int32Array {
    return this.sink.codeCounts(columnIdx);
  }

  private ensureCarry(size: number): void {
    this.carry = growBytes(this.carry, this.carryLen, size);
  }

  private process(buf: Uint8Array, final: boolean): number {
    const n = buf.length;
    let pos = 0;
    if (!this.bomChecked) {
      const bom = utf8BomLength(buf, final);
      if (bom < 0) return 0;
      pos = bom;
      this.bomChecked = true;
    }
    while (pos < n) {
      let lineEnd = buf.indexOf(10, pos);
      if (lineEnd < 0) {
        if (!final) break;
        lineEnd = n;
      }
      const line = this.line++;
      const start = pos;
      pos = lineEnd + 1;
      let s = start;
      let e = lineEnd;
      while (s < e && isWs(buf[s])) s++;
      while (e > s && isWs(buf[e - 1])) e--;
      if (s === e) {
        this.counters.blankLines++;
        continue;
      }
      const keys = this.scanLine(buf, s, e);
      if (keys < 0) {
        this.sink.noteMalformed(line, -keys - 1);
        continue;
      }
      this.counters.records++;
      this.commitRow(buf);
    }
    return pos > n ? n : pos;
  }

  /**
   * Scans one object spanning buf[s, e); records the selected columns' values. Returns the number
   * of keys read, or -(keys read + 1) when the line is not one well-formed flat object.
   */
  private scanLine(buf: Uint8Array, s: number, e: number): number {
    const serial = ++this.serial;
    if (buf[s] !== 123) return -1;
    let i = s + 1;
    let nKeys = 0;
    while (i < e && isWs(buf[i])) i++;
    if (i < e && buf[i] === 125) {
      i++;
      return i === e ? 0 : -1;
    }
    for (;;) {
      // key
      if (i >= e || buf[i] !== 34) return -(nKeys + 1);
      const ks = i + 1;
      let esc = false;
      i = ks;
      while (i < e && buf[i] !== 34) {
        if (buf[i] === 92) {
          esc = true;
          i++;
        }
        i++;
      }
      if (i >= e) return -(nKeys + 1);
      const ke = i;
      i++;
      while (i < e && isWs(buf[i])) i++;
      if (i >= e || buf[i] !== 58) return -(nKeys + 1);
      i++;
      while (i < e && isWs(buf[i])) i++;
      if (i >= e) return -(nKeys + 1);
      // value
      let kind: number;
      let vs = i;
      let ve: number;
      const b = buf[i];
      if (b === 34) {
        vs = i + 1;
        let vesc = false;
        i = vs;
        while (i < e && buf[i] !== 34) {
          if (buf[i] === 92) {
            vesc = true;
            i++;
          }
          i++;
        }
        if (i >= e) return -(nKeys + 1);
        ve = i;
        i++;
        kind = vesc ? V_STRING_ESC : V_STRING;
      } else if (b === 91 || b === 123) {
        let depth = 0;
        for (; i < e; i++) {
          const c = buf[i];
          if (c === 34) {
            i++;
            while (i < e && buf[i] !== 34) {
              if (buf[i] === 92) i++;
              i++;
            }
          } else if (c === 91 || c === 123) {
            depth++;
          } else if (c === 93 || c === 125) {
            depth--;
            if (depth === 0) break;
          }
        }
        if (i >= e) return -(nKeys + 1);
        i++;
        ve = i;
        kind = V_RAW;
      } else {
        while (i < e) {
          const c = buf[i];
          if (c === 44 || c === 125 || c === 93 || isWs(c)) break;
          i++;
        }
        ve = i;
        if (ve === vs) return -(nKeys + 1);
        const len = ve - vs;
        if (len === 4 && b === 116 && buf[vs + 1] === 114 && buf[vs + 2] === 117 && buf[vs + 3] === 101) kind = V_TRUE;
        else if (len === 5 && b === 102 && buf[vs + 1] === 97 && buf[vs + 2] === 108 && buf[vs + 3] === 115 && buf[vs + 4] === 101) kind = V_FALSE;
        else if (len === 4 && b === 110 && buf[vs + 1] === 117 && buf[vs + 2] === 108 && buf[vs + 3] === 108) kind = V_NULL;
        else kind = V_BARE;
      }
      nKeys++;
      // which columns want this key
      let code: number;
      if (!esc) {
        code = this.keys.intern(buf, ks, ke);
      } else {
        const len = this.unescape(buf, ks, ke);
        code = this.keys.intern(this.scratch, 0, len);
      }
      if (code < this.colOfKey.length) {
        for (let c = this.colOfKey[code]; c >= 0; c = this.nextSameKey[c]) {
          this.vKind[c] = kind;
          this.vs[c] = vs;
          this.ve[c] = ve;
          this.stamp[c] = serial;
        }
      }
      while (i < e && isWs(buf[i])) i++;
      if (i >= e) return -(nKeys + 1);
      if (buf[i] === 44) {
        i++;
        while (i < e && isWs(buf[i])) i++;
        continue;
      }
      if (buf[i] === 125) {
        i++;
        return i === e ? nKeys : -(nKeys + 1);
      }
      return -(nKeys + 1);
    }
  }

  private commitRow(buf: Uint8Array): void {
    const sink = this.sink;
    const counters = this.counters;
    const row = sink.n;
    const serial = this.serial;
    for (let c = 0; c < this.nCols; c++) {
      const storage = sink.storage[c];
      const k = this.groupIdx[c];
      let kind = this.stamp[c] === serial ? this.vKind[c] : 0;
      let b = buf;
      let s = this.vs[c];
      let e = this.ve[c];
      if (kind === V_STRING_ESC) {
        e = this.unescape(buf, s, e);
        s = 0;
        b = this.scratch;
        kind = V_STRING;
      }
      if (storage === 'dict') {
        let code = -1;
        if (kind === V_STRING || kind === V_BARE || kind === V_RAW || kind === V_TRUE || kind === V_FALSE) {
          if (e > s) code = sink.dictOf[k].intern(b, s, e);
        }
        if (code < 0) counters.missing[c]++;
        else sink.countCode(k, code);
        sink.dict[k][row] = code;
        continue;
      }
      let v: number;
      if (kind === V_STRING || kind === V_BARE || kind === V_RAW) {
        v = storage === 'f32' ? parseDecimalF32(b, s, e) : parseDecimal(b, s, e);
        if (v !== v) noteNumericFailure(counters, NO_TOKENS, c, b, s, e);
      } else if (kind === V_TRUE) {
        v = 1;
      } else if (kind === V_FALSE) {
        v = 0;
      } else {
        v = NaN;
        counters.missing[c]++;
      }
      if (storage === 'f32') sink.f32[k][row] = v;
      else sink.f64[k][row] = v;
    }
    counters.rows++;
    sink.n = row + 1;
    if (row + 1 === sink.batchRows) sink.emit();
  }

  /** Decodes the JSON string body buf[s, e) (escapes) into scratch as UTF-8; returns its length. */
  private unescape(buf: Uint8Array, s: number, e: number): number {
    if (this.scratch.length < (e - s) * 2) this.scratch = new Uint8Array((e - s) * 2 + 16);
    const out = this.scratch;
    let o = 0;
    let i = s;
    const hex4 = (p: number): number => {
      if (p + 4 > e) return -1;
      let x = 0;
      for (let q = p; q < p + 4; q++) {
        const c = buf[q];
        const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
        if (d < 0) return -1;
        x = x * 16 + d;
      }
      return x;
    };
    while (i < e) {
      const b = buf[i];
      if (b !== 92 || i + 1 >= e) {
        out[o++] = b;
        i++;
        continue;
      }
      const c = buf[i + 1];
      i += 2;
      if (c === 110) out[o++] = 10;
      else if (c === 116) out[o++] = 9;
      else if (c === 114) out[o++] = 13;
      else if (c === 98) out[o++] = 8;
      else if (c === 102) out[o++] = 12;
      else if (c === 117) {
        let cp = hex4(i);
        if (cp < 0) {
          out[o++] = 92;
          out[o++] = c;
          continue;
        }
        i += 4;
        if (cp >= 0xd800 && cp <= 0xdbff && buf[i] === 92 && buf[i + 1] === 117) {
          const lo = hex4(i + 2);
          if (lo >= 0xdc00 && lo <= 0xdfff) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            i += 6;
          }
        }
        if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
        if (cp < 0x80) out[o++] = cp;
        else if (cp < 0x800) {
          out[o++] = 0xc0 | (cp >> 6);
          out[o++] = 0x80 | (cp & 63);
        } else if (cp < 0x10000) {
          out[o++] = 0xe0 | (cp >> 12);
          out[o++] = 0x80 | ((cp >> 6) & 63);
          out[o++] = 0x80 | (cp & 63);
        } else {
          out[o++] = 0xf0 | (cp >> 18);
          out[o++] = 0x80 | ((cp >> 12) & 63);
          out[o++] = 0x80 | ((cp >> 6) & 63);
          out[o++] = 0x80 | (cp & 63);
        }
      } else out[o++] = c; // \" \\ \/ and anything else: the byte itself
    }
    return o;
  }
}
