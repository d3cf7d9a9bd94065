/**
 * Test helpers for ml-core/data: read fixture bytes and run whole files through FlowImporter the way
 * the backend worker does (head first, then every chunk from offset 0).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlowImporter } from '../../ml-core/data/importer.js';
import { mergeImportParts, type ImportPart, type MergeOptions } from '../../ml-core/data/import-part.js';
import type { ColumnBatch, ImportOptions, ImportSummary } from '../../ml-core/data/types.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = join(REPO_ROOT, 'tests/fixtures');
export const HEAD = 256 * 1024;

/** The real datasets folder (env FLOWSIGHT_DATASETS, else ../shared/datasets), or null when absent. */
export function datasetsDir(): string | null {
  const dir = process.env.FLOWSIGHT_DATASETS ?? resolve(REPO_ROOT, '../shared/datasets');
  return existsSync(dir) ? dir : null;
}

export function readBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

export function fixture(rel: string): Uint8Array {
  return readBytes(join(FIXTURES, rel));
}

/** Sorted paths of the files in a folder. */
export function filesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .sort()
    .map((f) => join(dir, f));
}

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

export function utf8(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'utf8'));
}

export function text(b: Uint8Array): string {
  return Buffer.from(b).toString('utf8');
}

export interface ImportResult {
  summary: ImportSummary;
  batches: ColumnBatch[];
  importer: FlowImporter;
  profiles: string[];
}

/** Imports files in chunks of `chunk` bytes, collecting batches after every push. */
export function importFiles(files: NamedBytes[], options: ImportOptions = {}, chunk = 64 * 1024): ImportResult {
  const importer = new FlowImporter(options);
  const batches: ColumnBatch[] = [];
  const profiles: string[] = [];
  for (const f of files) {
    profiles.push(importer.beginFile(f.name, f.bytes.length, f.bytes.subarray(0, HEAD)).profile);
    for (let i = 0; i < f.bytes.length; i += chunk) {
      importer.push(f.bytes.subarray(i, Math.min(f.bytes.length, i + chunk)));
      batches.push(...importer.takeBatches());
    }
    importer.endFile();
    batches.push(...importer.takeBatches());
  }
  const summary = importer.finish();
  batches.push(...importer.takeBatches());
  return { summary, batches, importer, profiles };
}

/** Imports named paths. */
export function importPaths(paths: string[], options: ImportOptions = {}, chunk?: number): ImportResult {
  return importFiles(
    paths.map((p) => ({ name: p.split(/[\\/]/).pop() as string, bytes: readBytes(p) })),
    options,
    chunk,
  );
}

/** All values of one output column, batches concatenated in row order. */
export function columnValues(r: ImportResult, name: string): number[] {
  const idx = r.summary.columns.findIndex((c) => c.name === name);
  if (idx < 0) throw new Error(`no column ${name}`);
  const out: number[] = [];
  const sorted = [...r.batches].sort((a, b) => a.rowStart - b.rowStart);
  for (const b of sorted) {
    const col = b.columns[idx];
    for (let i = 0; i < b.nRows; i++) out.push(col[i]);
  }
  return out;
}

/** Decoded strings of a dictionary column (null for missing). */
export function columnStrings(r: ImportResult, name: string): Array<string | null> {
  const col = r.summary.columns.find((c) => c.name === name);
  if (!col || !col.dictionary) throw new Error(`no dictionary column ${name}`);
  const dict = col.dictionary;
  return columnValues(r, name).map((code) => (code < 0 ? null : dict[code]));
}

/** Joins byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// synthetic variants built from real files
// ---------------------------------------------------------------------------------------------

/** Splits CSV text (no quoted fields) into header + rows; line ends (LF or CRLF) dropped. */
export function splitCsv(bytes: Uint8Array): { header: string[]; rows: string[][] } {
  const lines = text(bytes).replace(/^\uFEFF/, '').split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l !== '');
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

/**
 * A pandas re-save of an original-format CICIDS2017 CSV: names kept (leading spaces too), the second
 * ' Fwd Header Length' renamed ' Fwd Header Length.1', Infinity written 'inf' and NaN left empty.
 */
export function toPandasResave(bytes: Uint8Array): Uint8Array {
  const { header, rows } = splitCsv(bytes);
  const first = header.indexOf(' Fwd Header Length');
  const second = header.indexOf(' Fwd Header Length', first + 1);
  if (second < 0) throw new Error('no duplicated Fwd Header Length');
  header[second] = ' Fwd Header Length.1';
  const out = rows.map((r) => r.map((v) => (v === 'Infinity' ? 'inf' : v === 'NaN' ? '' : v)).join(','));
  return utf8(`${header.join(',')}\n${out.join('\n')}\n`);
}

/** The CSE-CIC-IDS2018 header (80 columns), in file order. */
export const CSE_CIC_IDS2018_HEADER =
  'Dst Port,Protocol,Timestamp,Flow Duration,Tot Fwd Pkts,Tot Bwd Pkts,TotLen Fwd Pkts,TotLen Bwd Pkts,Fwd Pkt Len Max,Fwd Pkt Len Min,Fwd Pkt Len Mean,Fwd Pkt Len Std,Bwd Pkt Len Max,Bwd Pkt Len Min,Bwd Pkt Len Mean,Bwd Pkt Len Std,Flow Byts/s,Flow Pkts/s,Flow IAT Mean,Flow IAT Std,Flow IAT Max,Flow IAT Min,Fwd IAT Tot,Fwd IAT Mean,Fwd IAT Std,Fwd IAT Max,Fwd IAT Min,Bwd IAT Tot,Bwd IAT Mean,Bwd IAT Std,Bwd IAT Max,Bwd IAT Min,Fwd PSH Flags,Bwd PSH Flags,Fwd URG Flags,Bwd URG Flags,Fwd Header Len,Bwd Header Len,Fwd Pkts/s,Bwd Pkts/s,Pkt Len Min,Pkt Len Max,Pkt Len Mean,Pkt Len Std,Pkt Len Var,FIN Flag Cnt,SYN Flag Cnt,RST Flag Cnt,PSH Flag Cnt,ACK Flag Cnt,URG Flag Cnt,CWE Flag Count,ECE Flag Cnt,Down/Up Ratio,Pkt Size Avg,Fwd Seg Size Avg,Bwd Seg Size Avg,Fwd Byts/b Avg,Fwd Pkts/b Avg,Fwd Blk Rate Avg,Bwd Byts/b Avg,Bwd Pkts/b Avg,Bwd Blk Rate Avg,Subflow Fwd Pkts,Subflow Fwd Byts,Subflow Bwd Pkts,Subflow Bwd Byts,Init Fwd Win Byts,Init Bwd Win Byts,Fwd Act Data Pkts,Fwd Seg Size Min,Active Mean,Active Std,Active Max,Active Min,Idle Mean,Idle Std,Idle Max,Idle Min,Label'.split(
    ',',
  );

/** corrected CICIDS2017 label -> the CSE-CIC-IDS2018 spelling of the same attack */
const LABELS_2018: Record<string, string> = {
  BENIGN: 'Benign',
  'DoS Hulk': 'DoS attacks-Hulk',
  'DoS GoldenEye': 'DoS attacks-GoldenEye',
  'DoS Slowloris': 'DoS attacks-Slowloris',
  'DoS Slowhttptest': 'DoS attacks-SlowHTTPTest',
  DDoS: 'DDoS attacks-LOIC-HTTP',
  'FTP-Patator': 'FTP-BruteForce',
  'SSH-Patator': 'SSH-Bruteforce',
  Botnet: 'Bot',
  'Web Attack - Brute Force': 'Brute Force -Web',
  'Web Attack - XSS': 'Brute Force -XSS',
  'Web Attack - SQL Injection': 'SQL Injection',
  Infiltration: 'Infilteration',
};

/**
 * Rewrites corrected-CICIDS2017 CSVs as CSE-CIC-IDS2018 files: the 2018 header and column order,
 * 2018 timestamps (dd/mm/yyyy hh:mm:ss) and 2018 label spellings. `canonical` maps a name to its
 * canonical CICFlowMeter name (the importer's map, so both sides agree).
 */
export function toCse2018(files: Uint8Array[], canonical: (name: string) => string | null): Uint8Array {
  const out: string[] = [CSE_CIC_IDS2018_HEADER.join(',')];
  for (const bytes of files) {
    const { header, rows } = splitCsv(bytes);
    const pos = new Map(header.map((h, i) => [canonical(h) ?? h, i]));
    const idx = CSE_CIC_IDS2018_HEADER.map((h) => {
      const i = pos.get(canonical(h) ?? h);
      if (i === undefined) throw new Error(`no column for ${h}`);
      return i;
    });
    for (const r of rows) {
      out.push(
        idx
          .map((i, k) => {
            const v = r[i];
            if (CSE_CIC_IDS2018_HEADER[k] === 'Timestamp') {
              const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}:\d{2}:\d{2})/.exec(v);
              return m ? `${m[3]}/${m[2]}/${m[1]} ${m[4]}` : v;
            }
            if (CSE_CIC_IDS2018_HEADER[k] === 'Label') return LABELS_2018[v] ?? v;
            return v;
          })
          .join(','),
      );
    }
  }
  return utf8(`${out.join('\n')}\n`);
}

/** The 49 raw UNSW-NB15 column names (NUSW-NB15_features.csv). */
export const UNSW_RAW_NAMES =
  'srcip,sport,dstip,dsport,proto,state,dur,sbytes,dbytes,sttl,dttl,sloss,dloss,service,Sload,Dload,Spkts,Dpkts,swin,dwin,stcpb,dtcpb,smeansz,dmeansz,trans_depth,res_bdy_len,Sjit,Djit,Stime,Ltime,Sintpkt,Dintpkt,tcprtt,synack,ackdat,is_sm_ips_ports,ct_state_ttl,ct_flw_http_mthd,is_ftp_login,ct_ftp_cmd,ct_srv_src,ct_srv_dst,ct_dst_ltm,ct_src_ltm,ct_src_dport_ltm,ct_dst_sport_ltm,ct_dst_src_ltm,attack_cat,Label'.split(
    ',',
  );

const RAW_FROM_SET: Record<string, string> = {
  Sload: 'sload', Dload: 'dload', Spkts: 'spkts', Dpkts: 'dpkts', smeansz: 'smean', dmeansz: 'dmean',
  res_bdy_len: 'response_body_len', Sjit: 'sjit', Djit: 'djit', Sintpkt: 'sinpkt', Dintpkt: 'dinpkt', Label: 'label',
};

/**
 * Rows of a 45-column UNSW-NB15 set rewritten as 49-column raw rows (UNSW-NB15_1.csv style, no
 * header, LF): invented addresses, ports and epoch times; attack_cat empty for Normal (as in the raw
 * files) and some attack names padded with spaces; `Backdoor` written `Backdoors`.
 */
export function toUnswRaw(bytes: Uint8Array, withHeader = false): Uint8Array {
  const { header, rows } = splitCsv(bytes);
  const col = new Map(header.map((h, i) => [h, i]));
  const out: string[] = withHeader ? [UNSW_RAW_NAMES.join(',')] : [];
  rows.forEach((r, i) => {
    const stime = 1421927414 + i;
    const dur = Number(r[col.get('dur') as number]);
    const fields = UNSW_RAW_NAMES.map((name) => {
      switch (name) {
        case 'srcip':
          return `175.45.176.${i % 4}`;
        case 'sport':
          return String(1024 + (i % 60000));
        case 'dstip':
          return `149.171.126.${i % 20}`;
        case 'dsport':
          return i % 7 === 0 ? '0x000b' : '80';
        case 'Stime':
          return String(stime);
        case 'Ltime':
          return String(stime + Math.ceil(dur));
        case 'attack_cat': {
          const v = r[col.get('attack_cat') as number];
          if (v === 'Normal') return '';
          if (v === 'Backdoor') return 'Backdoors';
          return i % 3 === 0 ? ` ${v} ` : v;
        }
        default: {
          const k = col.get(RAW_FROM_SET[name] ?? name);
          if (k === undefined) throw new Error(`no set column for ${name}`);
          return r[k];
        }
      }
    });
    out.push(fields.join(','));
  });
  return utf8(`${out.join('\n')}\n`);
}

/** UTF-16LE bytes with a BOM. */
export function toUtf16le(bytes: Uint8Array): Uint8Array {
  const s = text(bytes);
  const out = new Uint8Array(2 + s.length * 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 + 2 * i] = c & 0xff;
    out[3 + 2 * i] = c >> 8;
  }
  return out;
}

/** Cuts the last field off every `every`-th data line (1-based count of data lines after a header). */
export function shortenRows(bytes: Uint8Array, every: number, hasHeader: boolean, limit = Infinity): { bytes: Uint8Array; shortened: number; firstLine: number } {
  const lines = text(bytes).split('\n');
  let data = 0;
  let shortened = 0;
  let firstLine = -1;
  for (let i = hasHeader ? 1 : 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    data++;
    if (data % every === 0 && shortened < limit) {
      const cut = lines[i].lastIndexOf(',');
      lines[i] = lines[i].slice(0, cut) + (lines[i].endsWith('\r') ? '\r' : '');
      shortened++;
      if (firstLine < 0) firstLine = i + 1;
    }
  }
  return { bytes: utf8(lines.join('\n')), shortened, firstLine };
}

// ---------------------------------------------------------------------------------------------
// split imports: one file read as byte ranges by separate importers, merged
// ---------------------------------------------------------------------------------------------

/** Offsets where n ranges of bytes start: 0, then just past the first LF at or after len * k / n. */
export function rangeStarts(bytes: Uint8Array, n: number): number[] {
  const starts = [0];
  for (let k = 1; k < n; k++) {
    const nl = bytes.indexOf(10, Math.floor((bytes.length * k) / n));
    starts.push(nl < 0 ? bytes.length : Math.max(nl + 1, starts[k - 1]));
  }
  return starts;
}

export interface RangeImport {
  summary: ImportSummary;
  parts: ImportPart[];
  /** per range: its batches (codes local to its importer) and its dictionaries at the end */
  ranges: Array<{ start: number; end: number; batches: ColumnBatch[]; atBoundary: boolean; dictionaries: Array<readonly string[]> }>;
}

/**
 * Imports one file as n byte ranges (split at line breaks, or starting at the given offsets; each
 * range in chunks of `chunk` bytes, by its own FlowImporter given the file's head), then merges
 * the parts in order.
 */
export function importRanges(
  file: NamedBytes,
  n: number | number[],
  options: ImportOptions = {},
  chunk = 64 * 1024,
  merge: MergeOptions = options,
): RangeImport {
  const bytes = file.bytes;
  const starts = typeof n === 'number' ? rangeStarts(bytes, n) : n;
  const head = bytes.subarray(0, HEAD);
  const ranges: RangeImport['ranges'] = [];
  const parts: ImportPart[] = [];
  starts.forEach((start, k) => {
    const end = k + 1 < starts.length ? starts[k + 1] : bytes.length;
    const importer = new FlowImporter(options);
    importer.beginFile(file.name, bytes.length, head, { rangeStart: start });
    const batches: ColumnBatch[] = [];
    for (let i = start; i < end; i += chunk) {
      importer.push(bytes.subarray(i, Math.min(end, i + chunk)));
      batches.push(...importer.takeBatches());
    }
    const atBoundary = importer.atRecordBoundary();
    importer.endFile();
    batches.push(...importer.takeBatches());
    parts.push(importer.finishPart());
    ranges.push({
      start,
      end,
      batches,
      atBoundary,
      dictionaries: importer.columns.map((_, c) => importer.dictionaryValues(c).slice()),
    });
  });
  return { summary: mergeImportParts(parts, merge), parts, ranges };
}

/** Row values of every column, decoded (strings for dictionary columns, 'NaN' for NaN), in row order. */
export function decodedRows(columns: number, batches: Array<{ batch: ColumnBatch; dictionaries: Array<readonly string[] | null> }>): unknown[][] {
  const out: unknown[][] = Array.from({ length: columns }, () => []);
  for (const { batch, dictionaries } of batches) {
    for (let c = 0; c < columns; c++) {
      const col = batch.columns[c];
      const dict = dictionaries[c];
      for (let i = 0; i < batch.nRows; i++) {
        const v = col[i];
        out[c].push(dict ? (v < 0 ? null : dict[v]) : Number.isNaN(v) ? 'NaN' : v);
      }
    }
  }
  return out;
}
