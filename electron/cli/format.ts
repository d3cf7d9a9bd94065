/** Human-readable output of the CLI: summaries, tables, sizes, the progress line. */
import type { DatasetSummary, ImportResult, JobProgress } from '../contract/dto.js';

const int = new Intl.NumberFormat('en-US');

export function n(value: number): string {
  return int.format(value);
}

export function bytes(value: number): string {
  if (value < 1024) return `${value} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = value / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${n(count)} ${count === 1 ? one : many}`;
}

/** The `import` summary for people. */
export function importSummary(r: ImportResult): string {
  const lines: string[] = [];
  lines.push(`Imported '${r.name}' as dataset #${r.id}: ${plural(r.rows, 'row')}, ${plural(r.features, 'feature')}.`);
  const profile = r.profile && r.profile !== r.format ? ` (${r.profile})` : '';
  lines.push(`  Format    ${r.format}${profile}`);
  const files = r.cleaning?.files ?? [];
  if (files.length === 1) lines.push(`  File      ${files[0]!.name} (${bytes(files[0]!.bytes)})`);
  else if (files.length > 1) {
    const total = files.reduce((s, f) => s + f.bytes, 0);
    lines.push(`  Files     ${files.length} files (${bytes(total)})`);
  }

  const labels = Object.entries(r.labels ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (labels.length === 0) {
    lines.push('  Classes   none (unlabelled traffic)');
  } else {
    lines.push(`  Classes   ${labels.length}`);
    const shown = labels.slice(0, 25);
    const nameWidth = Math.min(40, Math.max(...shown.map(([k]) => k.length)));
    const countWidth = Math.max(...shown.map(([, c]) => n(c).length));
    const total = labels.reduce((s, [, c]) => s + c, 0) || 1;
    for (const [label, count] of shown) {
      const name = label.length > 40 ? `${label.slice(0, 39)}…` : label;
      const pct = ((100 * count) / total).toFixed(1).padStart(5);
      lines.push(`    ${name.padEnd(nameWidth)}  ${n(count).padStart(countWidth)}  ${pct}%`);
    }
    if (labels.length > shown.length) lines.push(`    … and ${labels.length - shown.length} more`);
  }

  const notes = cleaningNotes(r);
  lines.push('  Cleaning');
  if (notes.length === 0) lines.push('    nothing needed cleaning');
  for (const note of notes) lines.push(`    - ${note}`);
  return lines.join('\n') + '\n';
}

function cleaningNotes(r: ImportResult): string[] {
  const c = r.cleaning;
  if (!c) return [];
  if (Array.isArray(c.notes) && c.notes.length > 0) return c.notes;
  // the importer writes notes; these cover a report that has counts only
  const out: string[] = [];
  if (c.malformedRows) out.push(`${plural(c.malformedRows, 'malformed row')} skipped.`);
  if (c.repeatedHeaderRows) out.push(`${plural(c.repeatedHeaderRows, 'repeated header line')} skipped.`);
  if (c.nonFiniteCells) out.push(`${plural(c.nonFiniteCells, 'Infinity/NaN cell')} stored as missing.`);
  if (c.invalidNumberCells) out.push(`${plural(c.invalidNumberCells, 'unparsable number')} stored as missing.`);
  if (c.missingCells) out.push(`${plural(c.missingCells, 'empty cell')}.`);
  if (c.renamedHeaders?.length) out.push(`${plural(c.renamedHeaders.length, 'column name')} cleaned.`);
  if (c.duplicateColumns?.length) out.push(`${plural(c.duplicateColumns.length, 'duplicated column')} handled.`);
  if (c.droppedColumns?.length) out.push(`Dropped: ${c.droppedColumns.map((d) => `${d.name} (${d.reason})`).join(', ')}.`);
  if (c.repairedLabels?.length) out.push(`${plural(c.repairedLabels.length, 'label value')} repaired.`);
  return out;
}

function cell(value: string, width: number, right = false): string {
  const v = value.length > width ? `${value.slice(0, width - 1)}…` : value;
  return right ? v.padStart(width) : v.padEnd(width);
}

/** "2025-01-02 03:04" in the local time zone */
export function localTime(iso: string | undefined): string {
  const t = iso ? new Date(iso) : null;
  if (!t || Number.isNaN(t.getTime())) return iso ?? '';
  const p = (v: number) => String(v).padStart(2, '0');
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())}`;
}

/** The `datasets` table. */
export function datasetsTable(datasets: DatasetSummary[]): string {
  if (datasets.length === 0) return "No datasets yet. Import one with 'flowsight import PATH'.\n";
  const head = ['ID', 'NAME', 'FORMAT', 'PROFILE', 'ROWS', 'FEATURES', 'CLASSES', 'CREATED'];
  const rows = datasets.map((d) => [
    String(d.id),
    d.name,
    d.format,
    d.profile,
    n(d.rows),
    n(d.features),
    d.labelled ? n(d.classes) : '-',
    localTime(d.createdAt),
  ]);
  const right = [true, false, false, false, true, true, true, false];
  const max = [8, 40, 14, 24, 14, 8, 7, 16];
  const widths = head.map((h, i) => Math.min(max[i]!, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) =>
    r
      .map((v, i) => cell(v, widths[i]!, right[i]))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

/** One progress line (no newline), at most `columns` characters. */
export function progressLine(p: JobProgress, columns: number): string {
  const parts: string[] = [`Importing: ${p.phase}`];
  if (p.bytes !== undefined) parts.push(p.totalBytes ? `${bytes(p.bytes)} of ${bytes(p.totalBytes)}` : bytes(p.bytes));
  if (p.rows !== undefined) parts.push(`${n(p.rows)} rows`);
  if (p.total > 0) parts.push(`${Math.min(100, Math.floor((100 * p.current) / p.total))}%`);
  const text = parts.join(' · ');
  return text.length > columns - 1 ? text.slice(0, Math.max(0, columns - 2)) + '…' : text;
}
