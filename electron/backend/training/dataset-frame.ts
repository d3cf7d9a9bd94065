/**
 * A stored dataset as the learning code takes it: the feature columns (roles numeric and
 * categorical) as a RawFrame, the chosen target as class indices, and the identifier columns
 * (for score output and alerts). Reads column BLOBs straight into typed arrays.
 */
import type { TargetName } from '../../../ml-core/data/types.js';
import type { RawColumn, RawFrame } from '../../../ml-core/preprocess/types.js';
import { FlowsightError } from '../../contract/errors.js';
import type { DatasetsRepo } from '../db/datasets.repo.js';

export interface DatasetFrame {
  datasetId: number;
  name: string;
  rows: number;
  frame: RawFrame;
  /** target class name for every label dictionary code (null when unlabelled) */
  targetNames: string[] | null;
  /** label dictionary code per row (-1 missing); null when unlabelled */
  labelCodes: Int32Array | null;
  /** a fingerprint of the rows and columns (import statistics), for the model manifest */
  fingerprint: string;
}

/** Map a cleaned label to the class name of a target. */
export function targetNameOf(
  targets: { category: Record<string, string>; binary: Record<string, 'benign' | 'attack'> },
  label: string,
  target: TargetName,
): string {
  if (target === 'label') return label;
  if (target === 'category') return targets.category[label] ?? label;
  return targets.binary[label] ?? 'attack';
}

/** Reads the dataset's feature columns and (optionally) its target. */
export function loadDatasetFrame(repo: DatasetsRepo, datasetId: number, target: TargetName | null): DatasetFrame {
  const summary = repo.summary(datasetId);
  const meta = repo.meta(datasetId);
  const columns: RawColumn[] = [];
  const stats: string[] = [];
  for (const c of repo.columns(datasetId)) {
    if (c.role !== 'numeric' && c.role !== 'categorical') continue;
    stats.push(`${c.name}:${c.role}:${c.stats.count}:${c.stats.missing}:${c.stats.min}:${c.stats.max}:${c.stats.mean}`);
    if (c.storage === 'dict') {
      const codes = repo.readColumn(datasetId, c) as Int32Array;
      const categories = repo.dictionary(datasetId, c.index);
      if (c.role === 'categorical') columns.push({ name: c.name, kind: 'categorical', codes, categories });
      else {
        // a text column marked numeric: parse its dictionary once
        const asNum = categories.map((s) => Number(s));
        const values = new Float32Array(codes.length);
        for (let i = 0; i < codes.length; i++) values[i] = codes[i]! < 0 ? NaN : asNum[codes[i]!]!;
        columns.push({ name: c.name, kind: 'numeric', values });
      }
    } else {
      const values = repo.readColumn(datasetId, c) as Float32Array | Float64Array;
      if (c.role === 'numeric') columns.push({ name: c.name, kind: 'numeric', values });
      else {
        // a numeric column marked categorical: its distinct values become categories
        const { codes, categories } = categoriesOfNumbers(values);
        columns.push({ name: c.name, kind: 'categorical', codes, categories });
      }
    }
  }
  if (!columns.length) {
    throw new FlowsightError('BAD_INPUT', `Dataset "${summary.name}" has no feature columns (every column is an identifier, label or ignored).`);
  }
  let targetNames: string[] | null = null;
  let labelCodes: Int32Array | null = null;
  const targets = meta.targets;
  if (target && targets) {
    const labelCol = repo.columns(datasetId).find((c) => c.name === targets.labelColumn);
    if (labelCol && labelCol.storage === 'dict') {
      labelCodes = repo.readColumn(datasetId, labelCol) as Int32Array;
      targetNames = targets.label.map((l) => targetNameOf(targets, l, target));
    }
  }
  return {
    datasetId,
    name: summary.name,
    rows: summary.rows,
    frame: { nSamples: summary.rows, columns },
    targetNames,
    labelCodes,
    fingerprint: fnv1a(`${summary.rows}|${summary.createdAt}|${stats.join('|')}`),
  };
}

export interface Labels {
  /** class index per row; rows with a missing label are -1 */
  y: Int32Array;
  classes: string[];
  /** index of the benign class, -1 when there is none */
  benign: number;
}

const BENIGN = new Set(['benign', 'normal']);

export function isBenignClass(name: string): boolean {
  return BENIGN.has(name.trim().toLowerCase());
}

/**
 * Class indices for a loaded frame. With `classes` given (a trained model's), names it knows keep
 * their index and unknown names are appended after them (so metrics can show classes the model
 * never saw); otherwise the classes are the sorted distinct names present.
 */
export function labelsOf(df: DatasetFrame, classes?: readonly string[]): Labels {
  if (!df.labelCodes || !df.targetNames) {
    throw new FlowsightError('BAD_INPUT', `Dataset "${df.name}" has no label column, so it cannot be used to train or test a classifier.`);
  }
  const codes = df.labelCodes;
  const present = new Uint8Array(df.targetNames.length);
  for (let i = 0; i < codes.length; i++) if (codes[i]! >= 0) present[codes[i]!] = 1;
  const names = new Set<string>();
  df.targetNames.forEach((n, code) => {
    if (present[code]) names.add(n);
  });
  const out = classes ? [...classes] : [...names].sort();
  for (const n of [...names].sort()) if (!out.includes(n)) out.push(n);
  const classOfCode = df.targetNames.map((n) => out.indexOf(n));
  const y = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) y[i] = codes[i]! < 0 ? -1 : classOfCode[codes[i]!]!;
  return { y, classes: out, benign: out.findIndex(isBenignClass) };
}

function fnv1a(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

/** Dictionary-codes a numeric column: each distinct value becomes a category (NaN = missing, -1). */
export function categoriesOfNumbers(values: Float32Array | Float64Array): { codes: Int32Array; categories: string[] } {
  const index = new Map<number, number>();
  const categories: string[] = [];
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) {
      codes[i] = -1;
      continue;
    }
    let k = index.get(v);
    if (k === undefined) {
      k = categories.push(String(v)) - 1;
      index.set(v, k);
    }
    codes[i] = k;
  }
  return { codes, categories };
}

/** Rows whose label is known (y >= 0), ascending. */
export function labelledRows(y: Int32Array): Int32Array {
  let n = 0;
  for (let i = 0; i < y.length; i++) if (y[i]! >= 0) n++;
  const out = new Int32Array(n);
  let j = 0;
  for (let i = 0; i < y.length; i++) if (y[i]! >= 0) out[j++] = i;
  return out;
}

/** The benign-vs-attack view an anomaly model is trained and measured on: classes [benign, attack]. */
export function binaryLabels(l: Labels, dataName: string): Labels {
  if (l.benign < 0) {
    throw new FlowsightError('BAD_INPUT', `${dataName} has no benign (normal) class; an isolation forest learns benign traffic and is measured against it.`);
  }
  const y = new Int32Array(l.y.length);
  for (let i = 0; i < y.length; i++) y[i] = l.y[i]! < 0 ? -1 : l.y[i] === l.benign ? 0 : 1;
  return { y, classes: ['benign', 'attack'], benign: 0 };
}
