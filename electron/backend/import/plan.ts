/**
 * What an import will read: paths checked up front, folders expanded to their flow files, and
 * the default dataset name.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FlowsightError } from '../../contract/errors.js';

/** Extensions a folder's flow files have (a file named explicitly may have any). */
export const FLOW_EXTENSIONS = ['.csv', '.tsv', '.txt', '.log', '.labeled', '.json', '.jsonl', '.ndjson', '.dat', '.data'];

export interface ImportFile {
  /** absolute path */
  path: string;
  /** base name, as reported in the cleaning report */
  name: string;
  bytes: number;
}

function isFlowFile(name: string): boolean {
  if (name.startsWith('.')) return false;
  const lower = name.toLowerCase();
  return FLOW_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** Natural order: UNSW-NB15_2 before UNSW-NB15_10. */
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

function readable(p: string): void {
  try {
    fs.accessSync(p, fs.constants.R_OK);
  } catch {
    throw new FlowsightError('IMPORT_REJECTED', `Flowsight may not read ${p} (permission denied).`);
  }
}

function fileEntry(p: string, st: fs.Stats): ImportFile {
  if (!st.isFile()) throw new FlowsightError('IMPORT_REJECTED', `${p} is not a regular file.`);
  readable(p);
  return { path: p, name: path.basename(p), bytes: st.size };
}

/** Expand and check `paths` (relative ones against `cwd`). */
export function planFiles(paths: string[], cwd = process.cwd()): ImportFile[] {
  const out: ImportFile[] = [];
  const seen = new Set<string>();
  for (const raw of paths) {
    const p = path.resolve(cwd, raw);
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      throw new FlowsightError('NOT_FOUND', `${raw} does not exist (looked for ${p}).`);
    }
    const add = (f: ImportFile) => {
      if (!seen.has(f.path)) {
        seen.add(f.path);
        out.push(f);
      }
    };
    if (st.isDirectory()) {
      readable(p);
      const names = fs
        .readdirSync(p, { withFileTypes: true })
        .filter((e) => (e.isFile() || e.isSymbolicLink()) && isFlowFile(e.name))
        .map((e) => e.name)
        .sort(collator.compare);
      const files = names
        .map((n) => {
          const fp = path.join(p, n);
          const fst = fs.statSync(fp, { throwIfNoEntry: false });
          return fst?.isFile() ? fileEntry(fp, fst) : null;
        })
        .filter((f): f is ImportFile => f !== null);
      if (!files.length) {
        throw new FlowsightError(
          'IMPORT_REJECTED',
          `The folder ${p} holds no flow files (${FLOW_EXTENSIONS.join(', ')}).`,
        );
      }
      files.forEach(add);
    } else {
      add(fileEntry(p, st));
    }
  }
  return out;
}

/**
 * A file's name without its extension(s): "Friday.pcap_ISCX.csv" -> "Friday.pcap_ISCX",
 * "capture.conn.log.labeled" -> "capture.conn" (flow-file extensions are peeled one by one).
 */
export function baseNameWithoutExt(p: string): string {
  let name = path.basename(p);
  const first = path.extname(name);
  if (!first || first === name) return name;
  name = name.slice(0, -first.length);
  for (;;) {
    const ext = path.extname(name);
    if (!ext || ext === name || !FLOW_EXTENSIONS.includes(ext.toLowerCase())) return name;
    name = name.slice(0, -ext.length);
  }
}

/**
 * Default dataset name: one file -> its name without extension; one folder -> the folder's name;
 * several paths -> their common folder's name when they share one, else the first file's name.
 */
export function defaultDatasetName(paths: string[], cwd = process.cwd()): string {
  const abs = paths.map((p) => path.resolve(cwd, p));
  let name: string;
  if (abs.length === 1) {
    const p = abs[0]!;
    const isDir = fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
    name = isDir ? path.basename(p) : baseNameWithoutExt(p);
  } else {
    const parents = new Set(abs.map((p) => path.dirname(p)));
    const parent = parents.size === 1 ? path.basename([...parents][0]!) : '';
    name = parent || baseNameWithoutExt(abs[0]!);
  }
  return cleanName(name);
}

/** A dataset name within the contract's rules (1-200 characters, no control characters). */
export function cleanName(name: string): string {
  const n = name.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 190);
  return n || 'Dataset';
}
