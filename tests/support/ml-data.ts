/**
 * Test and bench helper: import real or fixture flow files in memory (the same ml-core importer the
 * backend uses) and hand back what the learning code takes: a RawFrame of feature columns and
 * class indices for one target.
 */
import { join } from 'node:path';
import type { RawColumn, RawFrame } from '../../ml-core/preprocess/types.js';
import type { TargetName } from '../../ml-core/data/types.js';
import { datasetsDir, filesIn, importPaths, type ImportResult } from './flow-import.js';

export interface LabelledFrame {
  frame: RawFrame;
  /** class index per row */
  y: Int32Array;
  /** class names, sorted; index = value in y */
  classes: string[];
  /** index of the benign class in `classes`, or -1 */
  benign: number;
  import: ImportResult;
}

function concat<T extends Float32Array | Float64Array | Int32Array>(r: ImportResult, idx: number, make: (n: number) => T): T {
  const out = make(r.summary.rows);
  for (const b of r.batches) out.set(b.columns[idx] as T, b.rowStart);
  return out;
}

/** Feature columns (roles numeric and categorical) of an in-memory import, plus the chosen target. */
export function toLabelledFrame(r: ImportResult, target: TargetName): LabelledFrame {
  const columns: RawColumn[] = [];
  r.summary.columns.forEach((c, idx) => {
    if (c.role === 'numeric') {
      const values = c.storage === 'f64' ? concat(r, idx, (n) => new Float64Array(n)) : c.storage === 'f32' ? concat(r, idx, (n) => new Float32Array(n)) : null;
      if (values) columns.push({ name: c.name, kind: 'numeric', values });
    } else if (c.role === 'categorical' && c.dictionary) {
      columns.push({ name: c.name, kind: 'categorical', codes: concat(r, idx, (n) => new Int32Array(n)), categories: c.dictionary });
    }
  });
  const t = r.summary.targets;
  if (!t) throw new Error('unlabelled data');
  const labelIdx = r.summary.columns.findIndex((c) => c.name === t.labelColumn);
  const labelCodes = concat(r, labelIdx, (n) => new Int32Array(n));
  const nameOf = (code: number): string => {
    const label = t.label[code] ?? '';
    return target === 'label' ? label : target === 'category' ? (t.category[label] ?? label) : t.binary[label] ?? 'attack';
  };
  const codeNames = t.label.map((_, code) => nameOf(code));
  const classes = [...new Set(codeNames)].sort();
  const classOfCode = codeNames.map((n) => classes.indexOf(n));
  const y = new Int32Array(labelCodes.length);
  for (let i = 0; i < y.length; i++) y[i] = classOfCode[labelCodes[i]!]!;
  const benign = classes.findIndex((c) => ['benign', 'normal'].includes(c.toLowerCase()));
  return { frame: { nSamples: r.summary.rows, columns }, y, classes, benign, import: r };
}

export function loadPaths(paths: string[], target: TargetName): LabelledFrame {
  return toLabelledFrame(importPaths(paths), target);
}

/** Real datasets (null when ../shared/datasets is absent). */
export const realData = {
  nslTrain: (target: TargetName = 'binary') => withDir((d) => loadPaths([join(d, 'nsl-kdd/KDDTrain+_20Percent.txt')], target)),
  nslTest: (target: TargetName = 'binary') => withDir((d) => loadPaths([join(d, 'nsl-kdd/KDDTest+.txt')], target)),
  cicids: (target: TargetName = 'label') => withDir((d) => loadPaths(filesIn(join(d, 'cicids2017-improved-sample')), target)),
};

function withDir<T>(fn: (dir: string) => T): T | null {
  const d = datasetsDir();
  return d ? fn(d) : null;
}
