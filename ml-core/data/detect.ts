/**
 * Layout detection: from the first bytes of a file (<= 256 KiB) to a LayoutPlan (profile, framing,
 * columns with names, roles and storage, label handling, what was renamed or dropped and why).
 */
import { parseHeadRecords } from './head-records.js';
import { sniffEncoding } from './text.js';
import { FlowDataError } from './types.js';
import type { FormatId, ImportOptions, LayoutPlan } from './types.js';
import { detectCicFlowMeter } from './profiles/cicflowmeter.js';
import { COMMA, DQUOTE, PIPE, SEMICOLON, TAB, type HeadSample, type ProfileOptions } from './profiles/common.js';
import { detectGenericCsv } from './profiles/csv.js';
import { detectNslKdd } from './profiles/nsl-kdd.js';
import { detectUnswNb15 } from './profiles/unsw-nb15.js';
import { detectZeekJson, detectZeekTsv, looksLikeJsonLines, looksLikeZeekTsv } from './profiles/zeek.js';

/** The most of a file detection looks at. */
export const HEAD_BYTES = 256 * 1024;
/** Records of the head parsed for detection. */
const HEAD_RECORDS = 2000;

const FORMAT_NAMES: Record<FormatId, string> = {
  'nsl-kdd': 'NSL-KDD',
  cicflowmeter: 'CICFlowMeter',
  'unsw-nb15': 'UNSW-NB15',
  zeek: 'Zeek',
  csv: 'generic CSV',
};

/** Refuses heads that are not UTF-8 text, with a message saying what the file seems to be. */
export function checkTextHead(name: string, head: Uint8Array): void {
  const b = head;
  const magic = (...m: number[]): boolean => m.every((x, i) => b[i] === x);
  if (magic(0xd4, 0xc3, 0xb2, 0xa1) || magic(0xa1, 0xb2, 0xc3, 0xd4) || magic(0x4d, 0x3c, 0xb2, 0xa1) || magic(0xa1, 0xb2, 0x3c, 0x4d) || magic(0x0a, 0x0d, 0x0d, 0x0a)) {
    throw new FlowDataError(
      'binary',
      `${name} is a packet capture, not flow records; turn it into flows first (e.g. with CICFlowMeter or Zeek) and import the CSV or conn.log.`,
    );
  }
  if (magic(0x1f, 0x8b) || magic(0x50, 0x4b, 0x03, 0x04) || magic(0x28, 0xb5, 0x2f, 0xfd) || magic(0x42, 0x5a, 0x68)) {
    throw new FlowDataError('binary', `${name} is a compressed archive; extract it and import the CSV or log inside.`);
  }
  const enc = sniffEncoding(head);
  if (enc === 'utf-16le' || enc === 'utf-16be') {
    throw new FlowDataError(
      'utf16',
      `${name} is encoded as UTF-16 (${enc === 'utf-16le' ? 'little' : 'big'}-endian); save it as UTF-8 and import it again.`,
    );
  }
  if (enc === 'binary') {
    throw new FlowDataError(
      'binary',
      `${name} is not a text file (its first bytes look binary); import flow records as CSV, TSV or Zeek logs.`,
    );
  }
}

function sniffDelimiter(body: Uint8Array): number {
  const candidates = [COMMA, TAB, SEMICOLON, PIPE];
  const counts: number[][] = candidates.map(() => []);
  let start = 0;
  let lines = 0;
  while (start < body.length && lines < 50) {
    let nl = body.indexOf(0x0a, start);
    if (nl < 0) nl = body.length;
    let inQuote = false;
    const c = candidates.map(() => 0);
    let blank = true;
    for (let i = start; i < nl; i++) {
      const x = body[i];
      if (x !== 0x20 && x !== 0x0d && x !== 0x09) blank = false;
      if (x === DQUOTE) inQuote = !inQuote;
      else if (!inQuote) {
        const k = candidates.indexOf(x);
        if (k >= 0) c[k]++;
      }
    }
    if (!blank) {
      c.forEach((n, k) => counts[k].push(n));
      lines++;
    }
    start = nl + 1;
  }
  let best = COMMA;
  let bestScore = -1;
  candidates.forEach((d, k) => {
    const list = counts[k];
    if (list.length === 0) return;
    const freq = new Map<number, number>();
    for (const n of list) freq.set(n, (freq.get(n) ?? 0) + 1);
    let mode = 0;
    let modeCount = 0;
    for (const [n, f] of freq) if (f > modeCount || (f === modeCount && n > mode)) (mode = n), (modeCount = f);
    if (mode === 0 || modeCount < list.length * 0.8) return;
    const score = mode * (modeCount / list.length);
    if (score > bestScore) (bestScore = score), (best = d);
  });
  return best;
}

/** Builds the shared view of a head: BOM stripped, cut to whole lines, records parsed. */
export function sampleHead(name: string, fileBytes: number, head: Uint8Array): HeadSample {
  const bom = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  let body = bom ? head.subarray(3) : head;
  const complete = head.length >= fileBytes;
  if (!complete) {
    const lastNl = body.lastIndexOf(0x0a);
    if (lastNl < 0) {
      throw new FlowDataError(
        'unknown-layout',
        `${name} has no line break in its first ${Math.round(head.length / 1024)} KiB, so it is not a line-based flow file.`,
      );
    }
    body = body.subarray(0, lastNl + 1);
  }
  let firstStart = 0;
  let firstLineIndex = 0;
  for (;;) {
    let nl = body.indexOf(0x0a, firstStart);
    if (nl < 0) nl = body.length;
    let blank = true;
    for (let i = firstStart; i < nl; i++) {
      const x = body[i];
      if (x !== 0x20 && x !== 0x0d && x !== 0x09) {
        blank = false;
        break;
      }
    }
    if (!blank || nl >= body.length) break;
    firstStart = nl + 1;
    firstLineIndex++;
  }
  let firstEnd = body.indexOf(0x0a, firstStart);
  const crlf = firstEnd > 0 && body[firstEnd - 1] === 0x0d;
  if (firstEnd < 0) firstEnd = body.length;
  if (firstEnd > firstStart && body[firstEnd - 1] === 0x0d) firstEnd--;
  return {
    fileName: name,
    fileBytes,
    body,
    bom,
    complete,
    lineEnding: crlf ? 'crlf' : 'lf',
    delimiter: COMMA,
    records: [],
    firstLine: body.slice(firstStart, firstEnd),
    firstLineIndex,
  };
}

function withRecords(sample: HeadSample, delimiter: number): HeadSample {
  let parsed: string[][];
  try {
    parsed = parseHeadRecords(sample.body, { delimiter, quote: DQUOTE, maxRecords: HEAD_RECORDS, complete: sample.complete });
  } catch {
    parsed = [];
  }
  const records: string[][] = [];
  for (const r of parsed) {
    if (r.length > 0) {
      const last = r[r.length - 1];
      if (last.endsWith('\r')) r[r.length - 1] = last.slice(0, -1);
    }
    if (r.length === 1 && r[0].trim() === '') continue;
    records.push(r);
  }
  return { ...sample, delimiter, records };
}

function isBlank(body: Uint8Array): boolean {
  for (let i = 0; i < body.length; i++) {
    const x = body[i];
    if (x !== 0x20 && x !== 0x0d && x !== 0x09 && x !== 0x0a) return false;
  }
  return true;
}

/**
 * Detects the layout of a file from its head (or applies options.format) and returns the plan the
 * importer reads it with. Throws FlowDataError for empty, UTF-16, binary or unrecognisable heads.
 * `fileBytes` defaults to the head's length (the head is then the whole file).
 */
export function detectLayout(name: string, head: Uint8Array, options: ImportOptions = {}, fileBytes = head.length): LayoutPlan {
  if (fileBytes === 0 || head.length === 0) {
    throw new FlowDataError('empty', `${name} is empty (0 bytes); there is nothing to import.`);
  }
  checkTextHead(name, head);
  const base = sampleHead(name, fileBytes, head);
  if (isBlank(base.body)) {
    if (base.complete) throw new FlowDataError('empty', `${name} holds only blank lines; there is nothing to import.`);
    throw new FlowDataError('unknown-layout', `${name} starts with ${Math.round(head.length / 1024)} KiB of blank lines.`);
  }
  const format = options.format ?? 'auto';
  const forced = format !== 'auto';
  const opts: ProfileOptions = { forced, label: options.label };

  if (forced) {
    switch (format) {
      case 'zeek':
        if (looksLikeJsonLines(base.body)) return detectZeekJson(base, opts) as LayoutPlan;
        return detectZeekTsv(base, opts) as LayoutPlan;
      case 'nsl-kdd':
        return detectNslKdd(withRecords(base, COMMA), opts) as LayoutPlan;
      case 'cicflowmeter':
        return detectCicFlowMeter(withRecords(base, sniffDelimiter(base.body)), opts) as LayoutPlan;
      case 'unsw-nb15':
        return detectUnswNb15(withRecords(base, sniffDelimiter(base.body)), opts) as LayoutPlan;
      case 'csv':
        return detectGenericCsv(withRecords(base, sniffDelimiter(base.body)), opts);
      default:
        throw new FlowDataError('unknown-layout', `Unknown format '${String(format)}' for ${name}; use one of ${Object.keys(FORMAT_NAMES).join(', ')} or auto.`);
    }
  }

  if (looksLikeZeekTsv(base.body)) {
    const plan = detectZeekTsv(base, opts);
    if (plan) return plan;
  }
  if (looksLikeJsonLines(base.body)) {
    const plan = detectZeekJson(base, opts);
    if (plan) return plan;
    throw new FlowDataError(
      'unknown-layout',
      `${name} holds JSON lines that are not Zeek logs (no 'ts' and 'uid' keys); only Zeek JSON logs can be imported as JSON.`,
    );
  }
  const sample = withRecords(base, sniffDelimiter(base.body));
  return (
    detectNslKdd(sample, opts) ??
    detectUnswNb15(sample, opts) ??
    detectCicFlowMeter(sample, opts) ??
    detectGenericCsv(sample, opts)
  );
}

/** Human name of a format id. */
export function formatName(format: FormatId): string {
  return FORMAT_NAMES[format];
}
