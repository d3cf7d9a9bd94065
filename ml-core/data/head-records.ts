/**
 * Simple, obviously-correct delimited parser on a whole buffer: layout detection on the head of a
 * file, and the naive reference the fast DelimitedReader is tested against.
 *
 * Dialect (shared with DelimitedReader): records end at LF, a CR right before that LF (or at the
 * very end of the data) is dropped; a UTF-8 BOM at the start is dropped; empty lines are skipped;
 * with a quote byte, a field that STARTS with the quote is quoted: inside, a doubled quote is one
 * quote, delimiters and line breaks are data, and the next single quote closes it (bytes after the
 * closing quote are kept as data up to the delimiter). A quote elsewhere is an ordinary byte.
 * Each field is decoded as UTF-8, or as cp1252 when its bytes are not valid UTF-8.
 */
import { decodeUtf8OrCp1252 } from './text.js';

export interface HeadRecordsOptions {
  delimiter: number;
  quote: number | null;
  maxRecords?: number;
  /** the buffer is the whole file: keep a last record that has no line end (default false) */
  complete?: boolean;
}

export function parseHeadRecords(bytes: Uint8Array, opts: HeadRecordsOptions): string[][] {
  const { delimiter, quote } = opts;
  const maxRecords = opts.maxRecords ?? Infinity;
  const complete = opts.complete ?? false;
  const n = bytes.length;
  let i = 0;
  if (n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;

  const records: string[][] = [];
  let fields: number[][] = []; // bytes of the fields of the current record
  let field: number[] = [];
  let lineBytes = 0; // bytes seen on the current record (0 at the start of a line)
  let inQuotes = false;
  let fieldStart = true; // at the first byte of a field

  const finishField = (): void => {
    fields.push(field);
    field = [];
    fieldStart = true;
  };
  const finishRecord = (): void => {
    finishField();
    records.push(fields.map((f) => decodeUtf8OrCp1252(Uint8Array.from(f), 0, f.length).text));
    fields = [];
    lineBytes = 0;
  };

  for (; i < n && records.length < maxRecords; i++) {
    const b = bytes[i];
    if (inQuotes) {
      if (b === quote) {
        if (i + 1 < n && bytes[i + 1] === quote) {
          field.push(b);
          i++;
        } else if (i + 1 >= n && !complete) {
          break; // cannot tell a closing quote from the first of a doubled pair
        } else {
          inQuotes = false;
        }
      } else {
        field.push(b);
      }
      lineBytes++;
      continue;
    }
    if (b === 0x0a) {
      // a CR right before the LF ends the line; it was pushed as data: drop it
      if (i > 0 && bytes[i - 1] === 0x0d && field.length > 0) field.pop();
      if (lineBytes === 0 || (lineBytes === 1 && bytes[i - 1] === 0x0d)) {
        fields = [];
        field = [];
        fieldStart = true;
        lineBytes = 0;
        continue; // blank line
      }
      finishRecord();
      continue;
    }
    lineBytes++;
    if (b === delimiter) {
      finishField();
      continue;
    }
    if (fieldStart && quote !== null && b === quote) {
      inQuotes = true;
      fieldStart = false;
      continue;
    }
    fieldStart = false;
    field.push(b);
  }
  if (complete && records.length < maxRecords && lineBytes > 0 && !inQuotes) {
    if (field.length > 0 && field[field.length - 1] === 0x0d && bytes[n - 1] === 0x0d) field.pop();
    if (!(lineBytes === 1 && bytes[n - 1] === 0x0d)) finishRecord();
  }
  return records;
}
