/** The bundled sample datasets: resources/samples/samples.json and the files it lists. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlowsightError } from '../contract/errors.js';
import type { SampleInfo } from '../contract/dto.js';
import { SAMPLE_IDS } from '../contract/commands.js';

export interface SampleEntry extends SampleInfo {
  file: string;
}

/** The folder holding package.json above `from` (the repo, or the packaged app), or null. */
export function findPackageRoot(from: string): string | null {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/**
 * Where resources/ is: the option, else the repo's resources/ (walking up from this module to
 * package.json), else — packaged — process.resourcesPath/resources or process.resourcesPath.
 * The first candidate holding samples/ wins; failing all, the first candidate.
 */
export function resolveResourcesDir(explicit?: string): string {
  if (explicit) return path.resolve(explicit);
  const candidates: string[] = [];
  const root = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));
  if (root) candidates.push(path.join(root, 'resources'));
  const rp = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (rp) candidates.push(path.join(rp, 'resources'), rp);
  for (const c of candidates) if (fs.existsSync(path.join(c, 'samples'))) return c;
  return candidates[0] ?? path.resolve('resources');
}

function isSampleId(v: unknown): v is SampleInfo['id'] {
  return typeof v === 'string' && (SAMPLE_IDS as readonly string[]).includes(v);
}

/** Samples listed in samples.json whose file is present. A missing or broken list is an empty one. */
export function listSamples(resourcesDir: string): SampleEntry[] {
  const dir = path.join(resourcesDir, 'samples');
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.join(dir, 'samples.json'), 'utf8'));
  } catch {
    return [];
  }
  const list = Array.isArray(raw) ? raw : Array.isArray((raw as { samples?: unknown })?.samples) ? (raw as { samples: unknown[] }).samples : [];
  const out: SampleEntry[] = [];
  for (const item of list) {
    if (!item || typeof item !== 'object') continue;
    const s = item as Record<string, unknown>;
    if (!isSampleId(s.id) || typeof s.file !== 'string') continue;
    out.push({
      id: s.id,
      file: s.file,
      name: typeof s.name === 'string' ? s.name : s.id,
      description: typeof s.description === 'string' ? s.description : '',
      citation: typeof s.citation === 'string' ? s.citation : '',
      rows: typeof s.rows === 'number' ? s.rows : 0,
    });
  }
  return out;
}

/** The sample's file and display name; NOT_FOUND when it is not shipped with this build. */
export function samplePath(resourcesDir: string, id: SampleInfo['id']): { path: string; name: string } {
  const entry = listSamples(resourcesDir).find((s) => s.id === id);
  if (!entry) {
    throw new FlowsightError('NOT_FOUND', `The sample ${id} is not installed (no entry in ${path.join(resourcesDir, 'samples', 'samples.json')}).`);
  }
  const dir = path.join(resourcesDir, 'samples');
  const file = path.resolve(dir, entry.file);
  if (!file.startsWith(dir + path.sep) || !fs.existsSync(file)) {
    throw new FlowsightError('NOT_FOUND', `The sample ${id} is missing its file ${entry.file} in ${dir}.`);
  }
  return { path: file, name: entry.name };
}
