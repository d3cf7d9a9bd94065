/** Human-readable output of the CLI: summaries, tables, sizes, the progress line. */
import type {
  DatasetSummary,
  EvaluateResult,
  Evaluation,
  ImportResult,
  JobProgress,
  ModelMetrics,
  ModelSummary,
  ScoreResult,
  TrainResult,
} from '../contract/dto.js';

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

// ---- models: train, evaluate, score, models ------------------------------------------------------

/** A share as a fixed 4-decimal figure ("0.9876"); '-' when there is none. */
export function ratio(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(4);
}

/** "1.23 s", "12.3 s", "2 min 05 s" */
export function seconds(value: number): string {
  if (!Number.isFinite(value) || value < 0) return '-';
  if (value < 10) return `${value.toFixed(2)} s`;
  if (value < 60) return `${value.toFixed(1)} s`;
  const m = Math.floor(value / 60);
  return `${m} min ${String(Math.round(value - 60 * m)).padStart(2, '0')} s`;
}

/** How a model was tested, short: "30% hold-out", "5-fold CV", "dataset #2 (name)". */
export function evaluationText(e: Evaluation | undefined): string {
  if (!e) return '-';
  if (e.kind === 'split') return `${Math.round(e.testSize * 1000) / 10}% hold-out`;
  if (e.kind === 'folds') return `${e.folds}-fold CV`;
  return `dataset #${e.datasetId} (${e.datasetName})`;
}

/** The headline figures of a ClassificationMetrics, one per line, indented. */
export function metricsLines(m: ModelMetrics): string[] {
  const rows: Array<[string, string]> = [
    ['Accuracy', ratio(m.accuracy)],
    ['Macro-F1', ratio(m.macroF1)],
    ['Weighted-F1', ratio(m.weightedF1)],
    ['Detection rate (DR)', ratio(m.detectionRate)],
    ['False-positive rate (FPR)', ratio(m.falsePositiveRate)],
  ];
  if (typeof m.balancedAccuracy === 'number') rows.push(['Balanced accuracy', ratio(m.balancedAccuracy)]);
  if (typeof m.mcc === 'number') rows.push(['MCC', ratio(m.mcc)]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`);
}

/** The per-class table: class, precision, recall, F1, support (largest support first). */
export function perClassTable(m: ModelMetrics): string[] {
  const entries = Object.entries(m.perClass ?? {}).sort((a, b) => b[1].support - a[1].support || a[0].localeCompare(b[0]));
  if (entries.length === 0) return [];
  const head = ['CLASS', 'PRECISION', 'RECALL', 'F1', 'SUPPORT'];
  const rows = entries.map(([name, c]) => [name, ratio(c.precision), ratio(c.recall), ratio(c.f1), n(c.support)]);
  const right = [false, true, true, true, true];
  const max = [40, 9, 9, 9, 14];
  const widths = head.map((h, i) => Math.min(max[i]!, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) =>
    `  ${r
      .map((v, i) => cell(v, widths[i]!, right[i]))
      .join('  ')
      .trimEnd()}`;
  return [line(head), ...rows.map(line)];
}

/** The `train` summary for people; `model` (from models.get) adds the name and how it was tested. */
export function trainSummary(r: TrainResult, model?: Pick<ModelSummary, 'name' | 'evaluation' | 'trainRows' | 'testRows' | 'datasetName'>): string {
  const lines: string[] = [];
  const name = model ? ` '${model.name}'` : '';
  lines.push(`Trained model #${r.modelId}${name}: ${r.model}, target ${r.target}, fitted in ${seconds(r.fitSeconds)}.`);
  if (model) {
    lines.push(`  Trained on ${model.datasetName}: ${plural(model.trainRows, 'row')}; tested by ${evaluationText(model.evaluation)} (${plural(model.testRows, 'row')}).`);
  }
  lines.push(...metricsLines(r.metrics));
  const table = perClassTable(r.metrics);
  if (table.length) lines.push('', ...table);
  return lines.join('\n') + '\n';
}

/** The `evaluate` summary for people. */
export function evaluateSummary(r: EvaluateResult, names?: { model?: string; dataset?: string }): string {
  const model = names?.model ? ` '${names.model}'` : '';
  const dataset = names?.dataset ? ` '${names.dataset}'` : '';
  const lines = [
    `Evaluated model #${r.modelId}${model} on dataset #${r.datasetId}${dataset}: ${plural(r.rows, 'row')}, ${n(Math.round(r.predictRowsPerSecond))} rows/s.`,
    ...metricsLines(r.metrics),
  ];
  const table = perClassTable(r.metrics);
  if (table.length) lines.push('', ...table);
  return lines.join('\n') + '\n';
}

/** The `score` one-liner. */
export function scoreSummary(r: ScoreResult): string {
  const pct = r.rows > 0 ? ` (${((100 * r.flagged) / r.rows).toFixed(1)}%)` : '';
  return `Scored ${plural(r.rows, 'flow')}: ${n(r.flagged)} flagged${pct}; wrote ${r.out}.\n`;
}

/** The `models` table. */
export function modelsTable(models: ModelSummary[]): string {
  if (models.length === 0) return "No models yet. Train one with 'flowsight train --dataset ID --model extra-trees'.\n";
  const head = ['ID', 'NAME', 'KIND', 'DATASET', 'TARGET', 'EVALUATION', 'ACCURACY', 'MACRO-F1', 'FIT S', 'CREATED'];
  const rows = models.map((m) => [
    String(m.id),
    m.name,
    m.kind,
    m.datasetId === null ? `${m.datasetName} (deleted)` : `#${m.datasetId} ${m.datasetName}`,
    m.target,
    evaluationText(m.evaluation),
    ratio(m.accuracy),
    ratio(m.macroF1),
    Number.isFinite(m.fitSeconds) ? m.fitSeconds.toFixed(m.fitSeconds < 10 ? 2 : 1) : '-',
    localTime(m.createdAt),
  ]);
  const right = [true, false, false, false, false, false, true, true, true, false];
  const max = [8, 36, 18, 28, 8, 28, 8, 8, 8, 16];
  const widths = head.map((h, i) => Math.min(max[i]!, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) =>
    r
      .map((v, i) => cell(v, widths[i]!, right[i]))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

/**
 * One progress line of a train / evaluate / score job (no newline), at most `columns` characters:
 * "Training: trees · 40/100 · 40% · accuracy 0.9812".
 */
export function jobProgressLine(verb: string, p: JobProgress, columns: number): string {
  const parts: string[] = [`${verb}: ${p.phase}`];
  if (p.bytes !== undefined) parts.push(p.totalBytes ? `${bytes(p.bytes)} of ${bytes(p.totalBytes)}` : bytes(p.bytes));
  else if (p.total > 0) parts.push(`${n(p.current)}/${n(p.total)}`);
  if (p.rows !== undefined && (p.bytes !== undefined || !(p.total > 0))) parts.push(`${n(p.rows)} rows`);
  if (p.total > 0) parts.push(`${Math.min(100, Math.floor((100 * p.current) / p.total))}%`);
  if (p.metric && Number.isFinite(p.metric.value)) parts.push(`${p.metric.name} ${p.metric.value.toFixed(4)}`);
  const text = parts.join(' · ');
  return text.length > columns - 1 ? text.slice(0, Math.max(0, columns - 2)) + '…' : text;
}
