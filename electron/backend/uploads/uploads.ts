/**
 * Files uploaded by the browser face: <workspace dir>/uploads/<random hex id>/<sanitised name>.
 * datasets.import {uploadIds} resolves them; they go after a successful import, and any older
 * than a day are swept at startup.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FlowsightError } from '../../contract/errors.js';
import type { UploadResult } from '../../contract/transport.js';
import { toFlowsightError } from '../errors.js';

export const UPLOAD_MAX_AGE_MS = 24 * 60 * 60 * 1000;
export const MAX_UPLOAD_NAME = 120;
const ID_PATTERN = /^[a-f0-9]{8,64}$/;

export function uploadsRoot(workspacePath: string): string {
  return path.join(path.dirname(workspacePath), 'uploads');
}

/**
 * A safe base name: no folders (either slash), no control characters, no characters Windows
 * refuses, no leading dots, at most MAX_UPLOAD_NAME characters (keeping the extension).
 */
export function sanitizeFileName(raw: string): string {
  let name = String(raw ?? '');
  name = name.split(/[\\/]/).pop() ?? '';
  name = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  name = name.replace(/[<>:"|?*]/g, '_');
  name = name.trim().replace(/^\.+/, '').replace(/[. ]+$/, '');
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(name)) name = `_${name}`;
  if (!name) name = 'upload';
  if (name.length > MAX_UPLOAD_NAME) {
    const ext = path.extname(name);
    const keep = ext.length > 0 && ext.length <= 16 ? ext : '';
    name = name.slice(0, MAX_UPLOAD_NAME - keep.length) + keep;
  }
  return name;
}

export async function receiveUpload(
  workspacePath: string,
  fileName: string,
  body: Readable | AsyncIterable<Uint8Array>,
): Promise<UploadResult> {
  const uploadId = randomBytes(16).toString('hex');
  const dir = path.join(uploadsRoot(workspacePath), uploadId);
  const target = path.join(dir, sanitizeFileName(fileName));
  let bytes = 0;
  try {
    fs.mkdirSync(dir, { recursive: true });
    const source = body instanceof Readable ? body : Readable.from(body);
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        cb(null, chunk);
      },
    });
    await pipeline(source, counter, fs.createWriteStream(target, { flags: 'wx' }));
    return { uploadId, bytes };
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw toFlowsightError(err, `Storing the upload ${sanitizeFileName(fileName)} failed`);
  }
}

/** The stored file of each upload id, in order; an unknown id is NOT_FOUND. */
export function resolveUploads(workspacePath: string, ids: string[]): Array<{ id: string; path: string; name: string }> {
  return ids.map((id) => {
    const missing = new FlowsightError(
      'NOT_FOUND',
      `There is no upload with id ${id}; uploads are kept until imported, and for at most a day. Upload the file again.`,
    );
    if (!ID_PATTERN.test(id)) throw missing;
    const dir = path.join(uploadsRoot(workspacePath), id);
    let entries: string[];
    try {
      entries = fs.readdirSync(dir);
    } catch {
      throw missing;
    }
    const file = entries.find((e) => fs.statSync(path.join(dir, e)).isFile());
    if (!file) throw missing;
    return { id, path: path.join(dir, file), name: file };
  });
}

export function removeUploads(workspacePath: string, ids: string[]): void {
  for (const id of ids) {
    if (!ID_PATTERN.test(id)) continue;
    fs.rmSync(path.join(uploadsRoot(workspacePath), id), { recursive: true, force: true });
  }
}

/** Remove upload folders older than `maxAgeMs`; returns how many went. */
export function sweepUploads(workspacePath: string, maxAgeMs = UPLOAD_MAX_AGE_MS, now = Date.now()): number {
  const root = uploadsRoot(workspacePath);
  let removed = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (!e.isDirectory() || !ID_PATTERN.test(e.name)) continue;
    const dir = path.join(root, e.name);
    try {
      if (now - fs.statSync(dir).mtimeMs > maxAgeMs) {
        fs.rmSync(dir, { recursive: true, force: true });
        removed++;
      }
    } catch {
      /* raced with another sweep */
    }
  }
  return removed;
}
