/** Number, byte, date and name formatting used across the UI (en-US grouping, tabular-friendly). */
import type { FormatId, ProfileId } from '../../electron/contract/index.js';
import type { FormatOption } from '../api/contract-values.js';

const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const dec3 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
const dec1 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** 25192 -> "25,192" */
export function formatInt(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  if (!Number.isFinite(n)) return n > 0 ? '∞' : '-∞';
  return intFmt.format(Math.round(n));
}

/** A statistic (min, max, mean, std): grouping for large values, a few significant digits for small. */
export function formatStat(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  if (!Number.isFinite(n)) return n > 0 ? '∞' : '-∞';
  if (n === 0) return '0';
  const a = Math.abs(n);
  let s: string;
  if (a >= 1e15) s = n.toExponential(3);
  else if (a >= 1e4) s = intFmt.format(n);
  else if (a >= 1) s = dec3.format(n);
  else if (a >= 1e-4) s = String(Number(n.toPrecision(4)));
  else s = n.toExponential(2);
  return s;
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** 304_000_000 -> "304 MB" (powers of 1000, like file managers). */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n) || n < 0) return '—';
  if (n < 1000) return `${Math.round(n)} B`;
  let u = 0;
  let v = n;
  while (v >= 999.5 && u < BYTE_UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  const text = v < 9.95 ? dec1.format(v) : intFmt.format(v);
  return `${text} ${BYTE_UNITS[u]}`;
}

/** 0.1234 -> "12.3%"; tiny shares stay visible as "<0.1%". */
export function formatPercent(share: number): string {
  if (!Number.isFinite(share)) return '—';
  if (share > 0 && share < 0.001) return '<0.1%';
  if (share < 1 && share > 0.9995) return '>99.9%';
  return `${dec1.format(share * 100)}%`;
}

/** "1 row", "25,192 rows" */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatInt(n)} ${n === 1 ? one : many}`;
}

const dateFmt = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** ISO 8601 -> "24 Nov 2025, 23:49" (local time) */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dateFmt.format(d);
}

const PROFILE_LABELS: Record<ProfileId, string> = {
  'nsl-kdd': 'NSL-KDD',
  'cicflowmeter-original': 'CICFlowMeter · CICIDS2017 original',
  'cicflowmeter-corrected': 'CICFlowMeter · corrected',
  'unsw-nb15': 'UNSW-NB15',
  'unsw-nb15-raw': 'UNSW-NB15 · raw',
  'zeek-tsv': 'Zeek conn · TSV',
  'zeek-json': 'Zeek conn · JSON',
  csv: 'Generic CSV',
};

export function profileLabel(p: ProfileId | string): string {
  return PROFILE_LABELS[p as ProfileId] ?? p;
}

const FORMAT_LABELS: Record<FormatOption, string> = {
  auto: 'Detect automatically',
  'nsl-kdd': 'NSL-KDD',
  cicflowmeter: 'CICFlowMeter (CICIDS2017 / CSE-CIC-IDS2018)',
  'unsw-nb15': 'UNSW-NB15',
  zeek: 'Zeek conn log (TSV or JSON)',
  csv: 'Generic CSV',
};

export function formatLabel(f: FormatOption | FormatId | string): string {
  return FORMAT_LABELS[f as FormatOption] ?? f;
}

/** "/home/ana/flows/ws.sqlite" -> "ws.sqlite" */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** Name suggested for a new dataset from the files being imported. */
export function suggestDatasetName(fileNames: string[]): string {
  if (fileNames.length === 0) return '';
  const strip = (n: string) => baseName(n).replace(/\.(csv|txt|log|labeled|json|tsv|gz)$/gi, '').replace(/\.(csv|txt|log)$/i, '');
  if (fileNames.length === 1) return strip(fileNames[0]!);
  const first = strip(fileNames[0]!);
  return `${first} + ${fileNames.length - 1} more`;
}
