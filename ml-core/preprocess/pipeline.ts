/**
 * The preprocessing pipeline: fit on the training rows of a RawFrame, then turn any frame with the
 * same column names into a column-major Float32 matrix. Columns are matched by name, and
 * categorical codes through the frame's own category strings, so a frame from another file (other
 * column order, other dictionary order) transforms the same way.
 */
import type { ColMatrix } from '../models/types.js';
import type { FittedCategorical, FittedNumeric, FittedPreprocessor, PreprocessOptions, RawColumn, RawFrame } from './types.js';

export const DEFAULT_PREPROCESS: PreprocessOptions = {
  impute: 'median',
  fillValue: 0,
  addIndicators: false,
  scale: 'none',
  encode: 'ordinal',
  maxOneHot: 64,
};

/** A frame lacks columns the fitted pipeline needs, or has them with another kind. */
export class SchemaMismatchError extends Error {
  readonly code = 'SCHEMA_MISMATCH';
  constructor(
    readonly missing: string[],
    readonly wrongKind: Array<{ name: string; expected: 'numeric' | 'categorical' }> = [],
  ) {
    const parts: string[] = [];
    if (missing.length) parts.push(`the model needs columns this data does not have: ${missing.map(quote).join(', ')}`);
    if (wrongKind.length) {
      parts.push(
        `these columns have another type than the model expects: ${wrongKind
          .map((w) => `${quote(w.name)} (expected ${w.expected})`)
          .join(', ')}`,
      );
    }
    super(parts.join('; '));
    this.name = 'SchemaMismatchError';
  }
}

function quote(s: string): string {
  return JSON.stringify(s);
}

export interface SchemaCheck {
  /** columns the pipeline needs that the frame lacks */
  missing: string[];
  /** frame columns the pipeline does not use */
  extra: string[];
  /** columns present by name but numeric where categorical is expected or the reverse */
  wrongKind: Array<{ name: string; expected: 'numeric' | 'categorical' }>;
}

export function checkSchema(pre: FittedPreprocessor, frame: RawFrame): SchemaCheck {
  const byName = columnsByName(frame);
  const needed = new Set<string>();
  const missing: string[] = [];
  const wrongKind: SchemaCheck['wrongKind'] = [];
  for (const input of pre.inputs) {
    needed.add(input.name);
    const col = byName.get(input.name);
    if (!col) missing.push(input.name);
    else if (col.kind !== input.kind) wrongKind.push({ name: input.name, expected: input.kind });
  }
  const extra: string[] = [];
  for (const c of frame.columns) if (!needed.has(c.name) && !extra.includes(c.name)) extra.push(c.name);
  return { missing, extra, wrongKind };
}

/** First column of each name. */
function columnsByName(frame: RawFrame): Map<string, RawColumn> {
  const m = new Map<string, RawColumn>();
  for (const c of frame.columns) if (!m.has(c.name)) m.set(c.name, c);
  return m;
}

function isFiniteNum(v: number): boolean {
  return v - v === 0; // false for NaN and ±Infinity
}

/**
 * Puts the k-th smallest of a[0..n) at a[k] (smaller before, larger after) and returns it:
 * quickselect with Hoare partitioning around a median-of-three pivot, O(n) on average, falling
 * back to a sort of the remaining range if it keeps partitioning badly.
 */
function selectKth(a: Float64Array, k: number, n: number): number {
  let lo = 0;
  let hi = n - 1;
  let rounds = 0;
  while (hi > lo) {
    if (++rounds > 64) {
      a.subarray(lo, hi + 1).sort();
      break;
    }
    const x = a[lo]!;
    const y = a[(lo + hi) >>> 1]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    // a[lo..j] <= pivot, a[i..hi] >= pivot, anything between equals pivot
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k]!;
}

/** Quantile with linear interpolation (numpy's default) of a[0..n); reorders a. */
function quantile(a: Float64Array, n: number, q: number): number {
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const vLo = selectKth(a, lo, n);
  const frac = pos - lo;
  if (frac === 0 || lo + 1 >= n) return vLo;
  // the next order statistic is the smallest value after position lo
  let vHi = Infinity;
  for (let i = lo + 1; i < n; i++) if (a[i]! < vHi) vHi = a[i]!;
  return vLo + (vHi - vLo) * frac;
}

function fitNumeric(
  name: string,
  values: Float32Array | Float64Array,
  rows: Int32Array | null,
  nRows: number,
  opts: PreprocessOptions,
  scratch: Float64Array,
): FittedNumeric {
  // finite training values first, float64 (exact copy of float32 inputs)
  const finite = scratch;
  let nFinite = 0;
  for (let i = 0; i < nRows; i++) {
    const v = values[rows ? rows[i]! : i]!;
    if (isFiniteNum(v)) finite[nFinite++] = v;
  }
  const nMissing = nRows - nFinite;
  let fill = opts.fillValue;
  if (opts.impute === 'median' && nFinite > 0) fill = quantile(finite, nFinite, 0.5);

  let center = 0;
  let scale = 1;
  const log = opts.scale === 'log-standard';
  if (log) {
    // statistics on the log scale; the fill stays a raw value (transform takes its log too)
    for (let i = 0; i < nFinite; i++) finite[i] = slog(finite[i]!);
  }
  if ((opts.scale === 'standard' || log) && nRows > 0) {
    const fillS = log ? slog(fill) : fill;
    // mean and population std of the filled values (missing counted at the fill value)
    let sum = nMissing * fillS;
    for (let i = 0; i < nFinite; i++) sum += finite[i]!;
    const mean = sum / nRows;
    let ss = nMissing * (fillS - mean) * (fillS - mean);
    for (let i = 0; i < nFinite; i++) {
      const d = finite[i]! - mean;
      ss += d * d;
    }
    const std = Math.sqrt(ss / nRows);
    center = mean;
    scale = std > 0 && isFiniteNum(std) ? std : 1;
  } else if (opts.scale === 'robust' && nRows > 0) {
    // median and IQR of the filled values
    // the finite values followed by the fills for missing ones
    finite.fill(fill, nFinite);
    center = quantile(finite, nRows, 0.5);
    const iqr = quantile(finite, nRows, 0.75) - quantile(finite, nRows, 0.25);
    scale = iqr > 0 && isFiniteNum(iqr) ? iqr : 1;
  }
  if (!isFiniteNum(center)) center = 0;
  if (!isFiniteNum(fill)) fill = 0;
  const fitted: FittedNumeric = { name, kind: 'numeric', fill, center, scale, indicator: opts.addIndicators && nMissing > 0 };
  if (log) fitted.log = true;
  return fitted;
}

/** Signed logarithm: sign(x)·ln(1 + |x|). */
export function slog(x: number): number {
  return x < 0 ? -Math.log1p(-x) : Math.log1p(x);
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function fitCategorical(
  name: string,
  codes: Int32Array,
  categories: readonly string[],
  rows: Int32Array | null,
  nRows: number,
  opts: PreprocessOptions,
): FittedCategorical {
  const nCodes = categories.length;
  const counts = new Float64Array(nCodes);
  for (let i = 0; i < nRows; i++) {
    const code = codes[rows ? rows[i]! : i]!;
    if (code >= 0 && code < nCodes) counts[code]!++;
  }
  // by name (a dictionary could hold one string twice)
  const byName = new Map<string, number>();
  for (let code = 0; code < nCodes; code++) {
    if (counts[code]! > 0) byName.set(categories[code]!, (byName.get(categories[code]!) ?? 0) + counts[code]!);
  }
  const seen = [...byName.entries()].sort((a, b) => b[1] - a[1] || compareNames(a[0], b[0])).map((e) => e[0]);
  if (opts.encode === 'onehot' && seen.length > opts.maxOneHot) {
    return { name, kind: 'categorical', categories: seen.slice(0, Math.max(0, opts.maxOneHot)), other: true };
  }
  return { name, kind: 'categorical', categories: seen, other: false };
}

/**
 * Fit the pipeline on `rows` of `frame` (null = all rows). Every column of the frame becomes an
 * input; drop columns from the frame beforehand to leave them out.
 */
export function fitPreprocessor(
  frame: RawFrame,
  rows: Int32Array | null,
  options: Partial<PreprocessOptions> = {},
): FittedPreprocessor {
  const opts: PreprocessOptions = { ...DEFAULT_PREPROCESS, ...options };
  if (!(opts.maxOneHot >= 0)) throw new RangeError('maxOneHot must be >= 0');
  const nRows = rows ? rows.length : frame.nSamples;
  if (rows) {
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (r < 0 || r >= frame.nSamples) throw new RangeError(`row index ${r} is outside the frame (${frame.nSamples} rows)`);
    }
  }
  const inputs: FittedPreprocessor['inputs'] = [];
  const outputNames: string[] = [];
  const outputSource: number[] = [];
  const names = new Set<string>();
  let scratch: Float64Array | undefined;
  for (const col of frame.columns) {
    if (names.has(col.name)) throw new Error(`column ${quote(col.name)} appears twice`);
    names.add(col.name);
    const inputIdx = inputs.length;
    if (col.kind === 'numeric') {
      scratch ??= new Float64Array(nRows);
      const f = fitNumeric(col.name, col.values, rows, nRows, opts, scratch);
      inputs.push(f);
      outputNames.push(col.name);
      outputSource.push(inputIdx);
      if (f.indicator) {
        outputNames.push(`${col.name} missing`);
        outputSource.push(inputIdx);
      }
    } else {
      const f = fitCategorical(col.name, col.codes, col.categories, rows, nRows, opts);
      inputs.push(f);
      if (opts.encode === 'ordinal') {
        outputNames.push(col.name);
        outputSource.push(inputIdx);
      } else {
        for (const c of f.categories) {
          outputNames.push(`${col.name}=${c}`);
          outputSource.push(inputIdx);
        }
        if (f.other) {
          outputNames.push(`${col.name}=other`);
          outputSource.push(inputIdx);
        }
      }
    }
  }
  return { version: 1, options: opts, inputs, outputNames, outputSource };
}

/** Number of output columns an input produces. */
function outputWidth(pre: FittedPreprocessor, input: FittedNumeric | FittedCategorical): number {
  if (input.kind === 'numeric') return input.indicator ? 2 : 1;
  if (pre.options.encode === 'ordinal') return 1;
  return input.categories.length + (input.other ? 1 : 0);
}

/**
 * frame code → fitted category index (-1: unseen); codes outside the frame's dictionary count as
 * missing in the caller.
 */
function codeMap(fitted: FittedCategorical, categories: readonly string[]): Int32Array {
  const index = new Map<string, number>();
  fitted.categories.forEach((c, i) => index.set(c, i));
  const map = new Int32Array(categories.length);
  for (let code = 0; code < categories.length; code++) map[code] = index.get(categories[code]!) ?? -1;
  return map;
}

/** Transform `rows` of `frame` (all rows when absent) into a new column-major matrix. */
export function transform(pre: FittedPreprocessor, frame: RawFrame, rows?: Int32Array | null): ColMatrix {
  const nSamples = rows ? rows.length : frame.nSamples;
  // column-major: data[featureIdx * nSamples + sampleIdx]
  const out: ColMatrix = { data: new Float32Array(nSamples * pre.outputNames.length), nSamples, nFeatures: pre.outputNames.length };
  transformInto(pre, frame, rows ?? null, out);
  return out;
}

/**
 * Transform into an existing matrix (out.nSamples must equal the number of rows, out.nFeatures
 * pre.outputNames.length, out.data at least nSamples * nFeatures long). Every cell is written.
 */
export function transformInto(pre: FittedPreprocessor, frame: RawFrame, rows: Int32Array | null, out: ColMatrix): void {
  const schema = checkSchema(pre, frame);
  if (schema.missing.length || schema.wrongKind.length) throw new SchemaMismatchError(schema.missing, schema.wrongKind);
  const n = rows ? rows.length : frame.nSamples;
  const nOut = pre.outputNames.length;
  if (out.nSamples !== n || out.nFeatures !== nOut || out.data.length < n * nOut) {
    throw new RangeError(`output matrix is ${out.nSamples}×${out.nFeatures}, expected ${n}×${nOut}`);
  }
  if (rows) {
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      if (r < 0 || r >= frame.nSamples) throw new RangeError(`row index ${r} is outside the frame (${frame.nSamples} rows)`);
    }
  }
  const byName = columnsByName(frame);
  const data = out.data;
  let featureIdx = 0;
  for (const input of pre.inputs) {
    const col = byName.get(input.name)!;
    const base = featureIdx * n;
    if (input.kind === 'numeric' && col.kind === 'numeric') {
      const values = col.values;
      const { fill, center, scale } = input;
      const filled = ((input.log ? slog(fill) : fill) - center) / scale;
      if (input.log) {
        const ind = base + n;
        for (let i = 0; i < n; i++) {
          const v = values[rows ? rows[i]! : i]!;
          const ok = v - v === 0;
          data[base + i] = ok ? (slog(v) - center) / scale : filled;
          if (input.indicator) data[ind + i] = ok ? 0 : 1;
        }
      } else if (input.indicator) {
        const ind = base + n;
        for (let i = 0; i < n; i++) {
          const v = values[rows ? rows[i]! : i]!;
          if (v - v === 0) {
            data[base + i] = (v - center) / scale;
            data[ind + i] = 0;
          } else {
            data[base + i] = filled;
            data[ind + i] = 1;
          }
        }
      } else if (center === 0 && scale === 1) {
        for (let i = 0; i < n; i++) {
          const v = values[rows ? rows[i]! : i]!;
          data[base + i] = v - v === 0 ? v : filled;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const v = values[rows ? rows[i]! : i]!;
          data[base + i] = v - v === 0 ? (v - center) / scale : filled;
        }
      }
    } else if (input.kind === 'categorical' && col.kind === 'categorical') {
      const codes = col.codes;
      const nCodes = col.categories.length;
      const map = codeMap(input, col.categories);
      const nKnown = input.categories.length;
      if (pre.options.encode === 'ordinal') {
        for (let i = 0; i < n; i++) {
          const code = codes[rows ? rows[i]! : i]!;
          if (code < 0 || code >= nCodes) data[base + i] = -1;
          else {
            const k = map[code]!;
            data[base + i] = k >= 0 ? k : nKnown;
          }
        }
      } else {
        const width = nKnown + (input.other ? 1 : 0);
        data.fill(0, base, base + width * n);
        for (let i = 0; i < n; i++) {
          const code = codes[rows ? rows[i]! : i]!;
          if (code < 0 || code >= nCodes) continue;
          const k = map[code]!;
          if (k >= 0) data[base + k * n + i] = 1;
          else if (input.other) data[base + nKnown * n + i] = 1;
        }
      }
    }
    featureIdx += outputWidth(pre, input);
  }
}
