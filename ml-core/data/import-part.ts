/**
 * Mergeable import results. `FlowImporter.finishPart()` hands over everything its summary needs as
 * an ImportPart (plain data: structured-clone-able, so a part can cross threads); `mergeImportParts`
 * turns parts, in file order, into the ImportSummary. One importer's `finish()` is the merge of its
 * one part, so sequential and split imports share this code.
 *
 * A part may cover byte ranges of files (the file split at record boundaries, each range parsed by
 * its own importer): a part's file entry whose `rangeStart` is > 0 continues the previous entry of
 * the same file. Its line numbers are relative to its first byte and are offset here by the lines
 * of the earlier ranges. Dictionaries are unified by string value; per-code counts follow.
 * Memory layout: per-code counts are one Int32Array per column (count of code k at k).
 */
import { NumericStatsAccumulator, dictionaryStats, type NumericStatsState } from './column-stats.js';
import { formatName } from './detect.js';
import { buildTargets, cleanLabel, countTargets } from './labels.js';
import { FlowDataError } from './types.js';
import type { CleaningReport, ColumnSpec, ColumnStats, ImportOptions, ImportSummary, LayoutColumn, LayoutPlan, TargetMaps } from './types.js';

export const DEFAULT_MAX_MALFORMED_SHARE = 0.01;
const MAX_MALFORMED_SAMPLES = 10;
/** classes with fewer rows than this get a warning */
const SMALL_CLASS_ROWS = 20;

/** What one importer read of one file (or of one byte range of it). */
export interface ImportPartFile {
  name: string;
  /** the whole file's size */
  bytes: number;
  /** where this part's bytes start in the file; > 0: a range that continues the file's previous entry */
  rangeStart: number;
  plan: LayoutPlan;
  rows: number;
  /** lines read, counted from the range's first byte (from the file's start, skipped head lines included, when rangeStart is 0) */
  lines: number;
  /** data records seen (kept + malformed) */
  records: number;
  malformed: number;
  /** first malformed records; `line` is 1-based and relative to the range's first byte (the file's line when rangeStart is 0) */
  malformedSamples: Array<{ line: number; fields: number }>;
  repeatedHeaders: number;
  blankLines: number;
  commentLines: number;
}

/** Label data of a part: cleaned names with their rows, and the raw names seen (for the repair report). */
export interface ImportPartLabels {
  /** cleaned label names, by the part's code */
  values: string[];
  /** rows per cleaned code (length = values.length) */
  rows: Int32Array;
  unlabelledRows: number;
  /** IoT-23: cleaned label -> its category (base label), first seen wins */
  categoryOverride: Record<string, string>;
  /** raw label cells as read, by raw code */
  rawValues: string[];
  /** rows per raw value: slot 0 = missing cell, slot k + 1 = rawValues[k] */
  rawRows: Int32Array;
  /** rows whose label disagrees with the 0/1 truth column, and the first such */
  truthMismatch: number;
  truthMismatchExample: string;
}

/** Everything `mergeImportParts` needs from one importer. Plain data. */
export interface ImportPart {
  /** output columns (the first file's plan) */
  columns: LayoutColumn[];
  /** rows kept */
  rows: number;
  /** per output column: dictionary values by the part's codes (null: not a dictionary column, and the label column) */
  dictionaries: Array<string[] | null>;
  /** per output column: rows per code (null: not a dictionary column, and the label column) */
  codeCounts: Array<Int32Array | null>;
  /** per numeric output column: the statistics accumulator's state (null otherwise) */
  numericStats: Array<NumericStatsState | null>;
  /** per output column (the label column's are 0: see labels.unlabelledRows) */
  missing: number[];
  nonFinite: number[];
  invalid: number[];
  labels: ImportPartLabels | null;
  /** cells decoded as cp1252 */
  repairedTextCells: number;
  files: ImportPartFile[];
}

export interface MergeOptions extends Pick<ImportOptions, 'maxMalformedShare'> {
  /**
   * Per output column, the dictionary order to give the result (the codes the stored rows use),
   * e.g. the global dictionaries a writer built while remapping the parts' codes; the values of the
   * parts must all be in it (any that are not are appended). Default: first seen, part by part.
   */
  dictionaries?: ReadonlyArray<readonly string[] | null>;
  /**
   * With `dictionaries`: per part, per output column, the part's code -> the code in
   * `dictionaries` (as a writer that remapped the parts' batches knows them), which spares
   * looking the parts' values up by string. Codes a map does not cover are looked up.
   */
  codeMaps?: ReadonlyArray<ReadonlyArray<Int32Array | null> | undefined>;
}

interface MergedFile {
  name: string;
  bytes: number;
  plan: LayoutPlan;
  rows: number;
  lines: number;
  records: number;
  malformed: number;
  /** 1-based line in the file */
  malformedSamples: Array<{ line: number; fields: number }>;
  repeatedHeaders: number;
  blankLines: number;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** Files in order; a range entry (rangeStart > 0) is folded into the previous entry of its file. */
function mergeFiles(parts: readonly ImportPart[]): MergedFile[] {
  const out: MergedFile[] = [];
  for (const p of parts) {
    for (const f of p.files) {
      const prev = out[out.length - 1];
      if (f.rangeStart > 0) {
        if (!prev || prev.name !== f.name) throw new Error(`a range of ${f.name} does not follow the file's earlier range`);
        for (const s of f.malformedSamples) {
          if (prev.malformedSamples.length >= MAX_MALFORMED_SAMPLES) break;
          prev.malformedSamples.push({ line: s.line + prev.lines, fields: s.fields });
        }
        prev.rows += f.rows;
        prev.lines += f.lines;
        prev.records += f.records;
        prev.malformed += f.malformed;
        prev.repeatedHeaders += f.repeatedHeaders;
        prev.blankLines += f.blankLines;
        continue;
      }
      out.push({
        name: f.name,
        bytes: f.bytes,
        plan: f.plan,
        rows: f.rows,
        lines: f.lines,
        records: f.records,
        malformed: f.malformed,
        malformedSamples: f.malformedSamples.slice(0, MAX_MALFORMED_SAMPLES).map((s) => ({ ...s })),
        repeatedHeaders: f.repeatedHeaders,
        blankLines: f.blankLines,
      });
    }
  }
  return out;
}

/**
 * Unifies per-part dictionaries by value: the merged values (seeded with `order` when given) and
 * the rows per merged code. counts[p] are part p's rows per its codes; slotBase 1 keeps a leading
 * slot (missing cells) that maps to itself.
 */
function unifyCounts(
  values: ReadonlyArray<readonly string[]>,
  counts: ReadonlyArray<ArrayLike<number>>,
  order: readonly string[] | null | undefined,
  slotBase = 0,
  maps?: ReadonlyArray<Int32Array | null | undefined>,
): { values: string[]; counts: Int32Array } {
  if (!order && values.length === 1) {
    const n = values[0].length + slotBase;
    const c = new Int32Array(n);
    const src = counts[0];
    for (let i = 0; i < Math.min(n, src.length); i++) c[i] = src[i];
    return { values: values[0].slice(), counts: c };
  }
  const merged: string[] = order ? order.slice() : [];
  let index: Map<string, number> | null = null;
  const indexOf = (v: string): number | undefined => {
    if (index === null) {
      const m = new Map<string, number>();
      merged.forEach((x, i) => {
        if (!m.has(x)) m.set(x, i);
      });
      index = m;
    }
    return index.get(v);
  };
  const partCodes = values.map((vals, p) => {
    const codes = new Int32Array(vals.length);
    const map = order ? maps?.[p] : null;
    const known = map ? Math.min(map.length, vals.length) : 0;
    if (map) codes.set(map.subarray(0, known));
    for (let i = known; i < vals.length; i++) {
      let g = indexOf(vals[i]);
      if (g === undefined) {
        g = merged.length;
        merged.push(vals[i]);
        (index as Map<string, number>).set(vals[i], g);
      }
      codes[i] = g;
    }
    return codes;
  });
  const out = new Int32Array(merged.length + slotBase);
  counts.forEach((src, p) => {
    const codes = partCodes[p];
    for (let s = 0; s < src.length; s++) {
      const n = src[s];
      if (n === 0) continue;
      if (s < slotBase) out[s] += n;
      else if (s - slotBase < codes.length) out[codes[s - slotBase] + slotBase] += n;
    }
  });
  return { values: merged, counts: out };
}

/**
 * Parts (in file order) -> the import's summary: refuses too many malformed rows and imports
 * without rows; returns the columns with statistics and dictionaries, targets, class counts, the
 * cleaning report and warnings.
 */
export function mergeImportParts(parts: readonly ImportPart[], options: MergeOptions = {}): ImportSummary {
  const maxMalformedShare = options.maxMalformedShare ?? DEFAULT_MAX_MALFORMED_SHARE;
  const usedIdx = parts.flatMap((p, i) => (p.files.length > 0 ? [i] : []));
  const used = usedIdx.map((i) => parts[i]);
  if (used.length === 0) throw new FlowDataError('no-rows', 'No file was given to import.');
  const first = used[0].files[0].plan;
  const outColumns = used[0].columns;
  for (const p of used) {
    if (p.columns.length !== outColumns.length || p.columns.some((c, o) => c.name !== outColumns[o].name || c.storage !== outColumns[o].storage)) {
      throw new Error('mergeImportParts: the parts have different columns');
    }
  }
  const labelOut = outColumns.findIndex((c) => c.role === 'label');
  const truthOut = first.binaryTruthColumn ? outColumns.findIndex((c) => c.name === first.binaryTruthColumn) : -1;
  const done = mergeFiles(used);

  const names = done.map((d) => d.name);
  const fileList = names.length === 1 ? names[0] : `the ${names.length} files`;
  let records = 0;
  let malformed = 0;
  let rows = 0;
  for (const d of done) {
    records += d.records;
    malformed += d.malformed;
    rows += d.rows;
  }
  const samples = malformedSamples(done);
  if (malformed > 0 && malformed > maxMalformedShare * records) {
    const bad = samples[0];
    const share = ((100 * malformed) / Math.max(1, records)).toFixed(1);
    throw new FlowDataError(
      'too-many-malformed',
      `${plural(malformed, 'row')} of ${records.toLocaleString('en-US')} (${share}%) in ${fileList} have the wrong number of fields, more than the ${(maxMalformedShare * 100).toFixed(0)}% allowed; the first is line ${bad.line} of ${bad.file} (${bad.fields} fields, expected ${bad.expected}). Fix or remove those lines and import again.`,
    );
  }
  if (rows === 0) {
    const withHeader = done.filter((d) => d.plan.hasHeader || d.plan.profile === 'zeek-tsv');
    if (withHeader.length === done.length) {
      throw new FlowDataError(
        'header-only',
        `${fileList} ${names.length === 1 ? 'holds' : 'hold'} a header but no data rows; there is nothing to import.`,
      );
    }
    throw new FlowDataError('no-rows', `${fileList} ${names.length === 1 ? 'holds' : 'hold'} no data rows that could be read.`);
  }

  // per-column totals
  const n = outColumns.length;
  const missing = new Array<number>(n).fill(0);
  const nonFinite = new Array<number>(n).fill(0);
  const invalid = new Array<number>(n).fill(0);
  let repairedTextCells = 0;
  for (const p of used) {
    for (let o = 0; o < n; o++) {
      missing[o] += p.missing[o];
      nonFinite[o] += p.nonFinite[o];
      invalid[o] += p.invalid[o];
    }
    repairedTextCells += p.repairedTextCells;
  }

  // labels
  let labelValues: string[] = [];
  let labelRows: Int32Array = new Int32Array(0);
  let unlabelledRows = 0;
  let truthMismatch = 0;
  let truthMismatchExample = '';
  const categoryOverride: Record<string, string> = {};
  let rawValues: string[] = [];
  let rawRows: Int32Array = new Int32Array(1);
  if (labelOut >= 0) {
    const labels = used.map((p) => p.labels as ImportPartLabels);
    const clean = unifyCounts(
      labels.map((l) => l.values),
      labels.map((l) => l.rows),
      options.dictionaries?.[labelOut],
      0,
      usedIdx.map((i) => options.codeMaps?.[i]?.[labelOut]),
    );
    labelValues = clean.values;
    labelRows = clean.counts;
    const raw = unifyCounts(
      labels.map((l) => l.rawValues),
      labels.map((l) => l.rawRows),
      null,
      1,
    );
    rawValues = raw.values;
    rawRows = raw.counts;
    for (const l of labels) {
      unlabelledRows += l.unlabelledRows;
      if (l.truthMismatch > 0 && truthMismatch === 0) truthMismatchExample = l.truthMismatchExample;
      truthMismatch += l.truthMismatch;
      for (const [k, v] of Object.entries(l.categoryOverride)) if (categoryOverride[k] === undefined) categoryOverride[k] = v;
    }
  }

  const warnings: string[] = [];
  const emptyColumns: string[] = [];
  const columns = outColumns.map((col, o) => {
    const spec: ColumnSpec = { name: col.name, sourceName: col.sourceName, role: col.role, storage: col.storage };
    let stats: ColumnStats;
    let dictionary: string[] | null = null;
    if (o === labelOut) {
      dictionary = labelValues.slice();
      stats = dictionaryStats(labelRows.subarray(0, labelValues.length), dictionary, unlabelledRows);
    } else if (col.storage === 'dict') {
      const merged = unifyCounts(
        used.map((p) => p.dictionaries[o] ?? []),
        used.map((p) => p.codeCounts[o] ?? new Int32Array(0)),
        options.dictionaries?.[o],
        0,
        usedIdx.map((i) => options.codeMaps?.[i]?.[o]),
      );
      dictionary = merged.values;
      stats = dictionaryStats(merged.counts, dictionary, missing[o]);
    } else {
      const acc = new NumericStatsAccumulator();
      for (const p of used) {
        const s = p.numericStats[o];
        if (s) acc.merge(s);
      }
      stats = acc.result(missing[o], nonFinite[o], invalid[o]);
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
  if (labelOut >= 0) {
    const built = buildTargets(outColumns[labelOut].name, labelValues, first.labelScheme, categoryOverride);
    targets = built.targets;
    classCounts = countTargets(targets, labelRows);
    if (built.unknown.length > 0 && first.labelScheme !== 'generic') {
      warnings.push(
        `${plural(built.unknown.length, 'label name')} ${built.unknown.length === 1 ? 'is' : 'are'} not in the ${formatName(first.format)} category map (${built.unknown.slice(0, 8).join(', ')}${built.unknown.length > 8 ? ', ...' : ''}); ${built.unknown.length === 1 ? 'its' : 'their'} category is the name itself.`,
      );
    }
    if (unlabelledRows > 0) {
      warnings.push(`${plural(unlabelledRows, 'row')} ${unlabelledRows === 1 ? 'has' : 'have'} no label; ${unlabelledRows === 1 ? 'it is' : 'they are'} kept but cannot be used to train or evaluate.`);
    }
    const small = Object.entries(classCounts.label)
      .filter(([, k]) => k < SMALL_CLASS_ROWS)
      .sort((a, b) => a[1] - b[1]);
    if (small.length > 0) {
      warnings.push(
        `${plural(small.length, 'class', 'classes')} ${small.length === 1 ? 'has' : 'have'} fewer than ${SMALL_CLASS_ROWS} rows (${small
          .slice(0, 8)
          .map(([k, c]) => `${k} ${c}`)
          .join(', ')}${small.length > 8 ? ', ...' : ''}); results for ${small.length === 1 ? 'it' : 'them'} will be unreliable.`,
      );
    }
    if (truthMismatch > 0) {
      warnings.push(
        `${plural(truthMismatch, 'row')} ${truthMismatch === 1 ? 'has' : 'have'} a label that disagrees with the 0/1 '${outColumns[truthOut].name}' column (e.g. ${truthMismatchExample}).`,
      );
    }
  } else {
    warnings.push('No label column: the data can be scored or used for anomaly detection, but not to train a classifier.');
  }
  for (const d of done) {
    if (d.rows === 0) warnings.push(`${d.name} holds no data rows.`);
  }

  const cleaning = cleaningReport({
    done,
    first,
    outColumns,
    labelOut,
    records,
    malformed,
    rows,
    samples,
    missing,
    nonFinite,
    invalid,
    unlabelledRows,
    rawValues,
    rawRows,
    repairedTextCells,
  });
  return { profile: first.profile, format: first.format, rows, columns, targets, classCounts, cleaning, warnings };
}

function malformedSamples(done: readonly MergedFile[]): CleaningReport['malformedSamples'] {
  const out: CleaningReport['malformedSamples'] = [];
  for (const d of done) {
    for (const s of d.malformedSamples) {
      if (out.length >= MAX_MALFORMED_SAMPLES) return out;
      out.push({ file: d.name, line: s.line, fields: s.fields, expected: d.plan.nFields });
    }
  }
  return out;
}

function cleaningReport(m: {
  done: readonly MergedFile[];
  first: LayoutPlan;
  outColumns: readonly LayoutColumn[];
  labelOut: number;
  records: number;
  malformed: number;
  rows: number;
  samples: CleaningReport['malformedSamples'];
  missing: readonly number[];
  nonFinite: readonly number[];
  invalid: readonly number[];
  unlabelledRows: number;
  rawValues: readonly string[];
  rawRows: Int32Array;
  repairedTextCells: number;
}): CleaningReport {
  const notes: string[] = [];
  const addNote = (s: string): void => {
    if (!notes.includes(s)) notes.push(s);
  };
  const renamed = new Map<string, { from: string; to: string }>();
  const duplicates = new Map<string, { name: string; action: string }>();
  const dropped = new Map<string, { name: string; reason: string }>();
  let repeatedHeaderRows = 0;
  let blankLines = 0;
  for (const d of m.done) {
    for (const r of d.plan.renamedHeaders) renamed.set(`${r.from}\u0000${r.to}`, r);
    for (const r of d.plan.duplicateColumns) duplicates.set(`${r.name}\u0000${r.action}`, r);
    for (const r of d.plan.droppedColumns) dropped.set(r.name, r);
    repeatedHeaderRows += d.repeatedHeaders;
    blankLines += d.blankLines;
  }
  // what detection decided, once per distinct sentence
  for (const d of m.done) for (const n of d.plan.notes) addNote(n);
  const boms = m.done.filter((d) => d.plan.bom).map((d) => d.name);
  if (boms.length > 0) addNote(`Skipped the UTF-8 byte-order mark at the start of ${boms.join(', ')}.`);
  const crlf = m.done.filter((d) => d.plan.lineEnding === 'crlf').map((d) => d.name);
  if (crlf.length > 0) addNote(`${crlf.join(', ')} ${crlf.length === 1 ? 'uses' : 'use'} Windows line ends (CRLF); read as ordinary line ends.`);

  const nonFiniteByColumn: Record<string, number> = {};
  const invalidNumberByColumn: Record<string, number> = {};
  let nonFiniteCells = 0;
  let invalidNumberCells = 0;
  let missingCells = 0;
  const emptyColumns: string[] = [];
  m.outColumns.forEach((col, o) => {
    if (o === m.labelOut) {
      missingCells += m.unlabelledRows;
      return;
    }
    const nf = m.nonFinite[o];
    const inv = m.invalid[o];
    const empty = m.missing[o] - nf - inv;
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
      `${plural(missingCells - m.unlabelledRows, 'empty or unset cell')} in ${plural(emptyColumns.length, 'column')} (${emptyColumns.slice(0, 6).join(', ')}${emptyColumns.length > 6 ? ', ...' : ''}) are stored as missing.`,
    );
  }

  if (m.malformed > 0) {
    const s = m.samples[0];
    addNote(
      `Skipped ${plural(m.malformed, 'row')} with the wrong number of fields (e.g. line ${s.line} of ${s.file}: ${s.fields} fields, expected ${s.expected}).`,
    );
  }
  if (repeatedHeaderRows > 0) {
    addNote(`Skipped ${plural(repeatedHeaderRows, 'copy', 'copies')} of the header row inside the data (files joined together).`);
  }

  // labels
  const repairedLabels: CleaningReport['repairedLabels'] = [];
  if (m.labelOut >= 0) {
    const scheme = m.first.labelScheme;
    const values = m.rawValues;
    const perPair = new Map<string, { from: string; to: string; rows: number }>();
    for (let slot = 0; slot < Math.min(m.rawRows.length, values.length + 1); slot++) {
      const rows = m.rawRows[slot];
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
  const repairedTextCells = m.repairedTextCells;
  if (repairedTextCells > 0) {
    addNote(`${plural(repairedTextCells, 'text cell')} ${repairedTextCells === 1 ? 'was' : 'were'} not valid UTF-8 and ${repairedTextCells === 1 ? 'was' : 'were'} read as Windows-1252.`);
  }
  return {
    files: m.done.map((d) => ({ name: d.name, bytes: d.bytes, rows: d.rows, profile: d.plan.profile })),
    rowsRead: m.records,
    rowsKept: m.rows,
    malformedRows: m.malformed,
    malformedSamples: m.samples,
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
