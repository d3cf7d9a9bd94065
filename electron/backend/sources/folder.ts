/**
 * FolderSource: watches a folder of flow files. Every flow file in it (extensions .csv .tsv .log
 * .txt .json .jsonl .labeled, any case; not hidden files, not sub-folders), there at the start or
 * appearing later, is read from its start and then tailed while it grows, each by a FileTail
 * (rotation, truncation, partial lines as there). Files are taken in order of modification time
 * then name; while several have data, read() goes round them one chunk each.
 *
 * Renames inside the folder (conn.log -> conn.2024-01-01.log, with a new conn.log) are followed
 * by inode: the renamed file goes on from where its old name stopped, not from 0.
 *
 * Many files: at most MAX_OPEN_FILES are held open; a file that has nothing new is parked (closed,
 * its cursor kept) and reopened from that cursor when its size or inode changes.
 *
 * The cursor is plain JSON: per file name {dev, ino, offset, size, birth}. Resuming from it reads
 * no finished byte again; a file renamed while the app was down is found by its inode.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FlowsightError } from '../../contract/errors.js';
import { FileTail, type TailChunk, type TailCursor } from './tail.js';
import { waitUntilChanged } from './wake.js';

export const FLOW_FILE_EXTENSIONS = ['.csv', '.tsv', '.log', '.txt', '.json', '.jsonl', '.labeled'];
export const MAX_OPEN_FILES = 64;

export interface FolderFileCursor {
  dev: number;
  ino: number;
  offset: number;
  size: number;
  /** the file's birth time (ms) when the system reports one, to tell a reused inode apart */
  birth?: number;
}

export interface FolderCursor {
  dir: string;
  /** by file name (in the folder) */
  files: Record<string, FolderFileCursor>;
}

export type FolderChunk = TailChunk & { path: string };

export interface FolderSourceOptions {
  cursor?: FolderCursor | null;
  maxChunkBytes?: number;
  pollMs?: number;
}

interface Entry {
  name: string;
  path: string;
  mtimeMs: number;
  tail: FileTail | null;
  /** when parked (tail null): where it stopped */
  parked: FolderFileCursor | null;
}

/** A flow file name by its extension; hidden files are not. */
export function isFlowFileName(name: string): boolean {
  if (name.startsWith('.')) return false;
  const lower = name.toLowerCase();
  return FLOW_FILE_EXTENSIONS.some((e) => lower.endsWith(e) && lower.length > e.length);
}

const inodeKey = (dev: number, ino: number) => `${dev}:${ino}`;

function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

export class FolderSource {
  readonly dir: string;
  private readonly maxChunkBytes: number | undefined;
  private readonly pollMs: number;
  private entries: Entry[] = [];
  private byName = new Map<string, Entry>();
  /** cursors of the saved state not yet matched to a file */
  private saved = new Map<string, FolderFileCursor>();
  /** where reading stopped in inodes read before (dev:ino -> cursor), for files renamed inside the folder */
  private known = new Map<string, FolderFileCursor>();
  private rr = 0;
  private lastScan = -Infinity;
  private dirty = true;
  private listing = '';
  private watcher: fs.FSWatcher | null = null;
  private wakers = new Set<() => void>();
  private closed = false;

  constructor(dir: string, opts: FolderSourceOptions = {}) {
    this.dir = path.resolve(dir);
    const st = statOrNull(this.dir);
    if (st === null) throw new FlowsightError('NOT_FOUND', `The folder ${this.dir} does not exist; create it or pick another folder to watch.`);
    if (!st.isDirectory()) throw new FlowsightError('NOT_FOUND', `${this.dir} is a file, not a folder; pick a folder to watch (or watch the file itself).`);
    this.maxChunkBytes = opts.maxChunkBytes;
    this.pollMs = Math.max(5, opts.pollMs ?? 100);
    for (const [name, c] of Object.entries(opts.cursor?.files ?? {})) {
      this.saved.set(name, { ...c });
      this.known.set(inodeKey(c.dev, c.ino), { ...c });
    }
  }

  /** The next chunk of complete lines of some file, or null when no file has anything new. */
  read(): FolderChunk | null {
    if (this.closed) return null;
    if (this.dirty || Date.now() - this.lastScan >= this.pollMs) this.scan();
    const n = this.entries.length;
    for (let k = 0; k < n; k++) {
      const idx = (this.rr + k) % n;
      const e = this.entries[idx];
      if (e.tail === null && !this.unpark(e)) continue;
      const tail = e.tail as FileTail;
      const c = tail.read();
      if (c !== null) {
        this.remember(e, tail.cursor());
        this.rr = (idx + 1) % n;
        return { ...c, path: e.path };
      }
      this.remember(e, tail.cursor());
      if (this.openCount() > MAX_OPEN_FILES && !tail.changed()) this.park(e);
    }
    this.prune();
    return null;
  }

  /** Where reading stopped in every file (plain JSON). */
  cursor(): FolderCursor {
    const files: Record<string, FolderFileCursor> = {};
    for (const [name, c] of this.saved) files[name] = { ...c };
    for (const e of this.entries) {
      const c = e.tail ? this.fileCursor(e.tail.cursor()) : e.parked;
      if (c && (c.dev !== 0 || c.ino !== 0)) files[e.name] = c;
    }
    return { dir: this.dir, files };
  }

  /** The first <= 256 KiB of a file of the folder (its current generation). */
  head(filePath: string): Uint8Array {
    const e = this.byName.get(path.basename(filePath));
    if (e?.tail) return e.tail.head();
    const t = new FileTail(filePath);
    try {
      return t.head();
    } finally {
      t.close();
    }
  }

  /** The files being followed, in reading order. */
  files(): string[] {
    return this.entries.map((e) => e.path);
  }

  /** Resolves when a file may have changed or appeared (fs.watch on the folder, plus a poll timer), or after timeoutMs. */
  waitForChange(timeoutMs: number): Promise<void> {
    if (this.closed || this.changed()) return Promise.resolve();
    this.ensureWatcher();
    return waitUntilChanged(() => this.changed(), this.wakers, this.pollMs, timeoutMs);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const e of this.entries) e.tail?.close();
    this.watcher?.close();
    this.watcher = null;
    for (const w of [...this.wakers]) w();
  }

  // -------------------------------------------------------------------------------------------

  private openCount(): number {
    let n = 0;
    for (const e of this.entries) if (e.tail?.isOpen) n++;
    return n;
  }

  private fileCursor(c: TailCursor, birth?: number): FolderFileCursor {
    const out: FolderFileCursor = { dev: c.dev, ino: c.ino, offset: c.offset, size: c.size };
    if (birth !== undefined && birth > 0) out.birth = birth;
    return out;
  }

  private remember(e: Entry, c: TailCursor): void {
    if (c.dev === 0 && c.ino === 0) return;
    const key = inodeKey(c.dev, c.ino);
    const prev = this.known.get(key);
    let birth = prev?.birth;
    if (prev === undefined) {
      const st = statOrNull(e.path);
      if (st && st.ino === c.ino && st.dev === c.dev && st.birthtimeMs > 0) birth = st.birthtimeMs;
    }
    this.known.set(key, this.fileCursor(c, birth));
    if (this.known.size > 4 * MAX_OPEN_FILES + this.entries.length) {
      // forget the oldest inodes that no file of the folder holds now
      const live = new Set(this.entries.map((x) => (x.tail ? inodeKey(x.tail.cursor().dev, x.tail.cursor().ino) : x.parked ? inodeKey(x.parked.dev, x.parked.ino) : '')));
      for (const k of this.known.keys()) {
        if (this.known.size <= 2 * MAX_OPEN_FILES + this.entries.length) break;
        if (!live.has(k)) this.known.delete(k);
      }
    }
  }

  private park(e: Entry): void {
    if (e.tail === null) return;
    const c = e.tail.cursor();
    e.tail.close();
    e.tail = null;
    e.parked = this.known.get(inodeKey(c.dev, c.ino)) ?? this.fileCursor(c);
  }

  /** reopens a parked file when it changed; true when it has a tail again */
  private unpark(e: Entry): boolean {
    const p = e.parked;
    const st = statOrNull(e.path);
    if (p === null || st === null) return false;
    if (st.ino === p.ino && st.dev === p.dev && st.size === p.size) return false;
    e.tail = this.newTail(e.path, { path: e.path, dev: p.dev, ino: p.ino, offset: p.offset, size: p.size });
    e.parked = null;
    return true;
  }

  private newTail(p: string, cursor: TailCursor | null): FileTail {
    return new FileTail(p, { cursor, fromStart: true, pollMs: this.pollMs, ...(this.maxChunkBytes ? { maxChunkBytes: this.maxChunkBytes } : {}) });
  }

  /** the cursor to start a newly seen file from: its saved one, or where its inode stopped under another name */
  private startCursor(name: string, p: string, st: fs.Stats): TailCursor | null {
    const saved = this.saved.get(name);
    this.saved.delete(name);
    if (saved && saved.dev === st.dev && saved.ino === st.ino) return { path: p, ...saved };
    const key = inodeKey(st.dev, st.ino);
    // renamed while being read: take it over from the tail that has it open
    for (const e of this.entries) {
      if (e.name === name || e.tail === null || !e.tail.isOpen) continue;
      const c = e.tail.cursor();
      if (c.dev !== st.dev || c.ino !== st.ino) continue;
      const now = statOrNull(e.path);
      if (now !== null && now.dev === st.dev && now.ino === st.ino) continue; // a hard link: both names stay
      const released = e.tail.release();
      return { ...released, path: p };
    }
    const k = this.known.get(key);
    if (k && st.size >= k.offset && (k.birth === undefined || st.birthtimeMs <= 0 || Math.abs(st.birthtimeMs - k.birth) < 1)) {
      // a file read before under another name (the inode not reused: same birth time where known)
      const holder = this.entries.find((e) => e.name !== name && e.parked && e.parked.dev === st.dev && e.parked.ino === st.ino);
      if (holder) holder.parked = null; // its old name is gone: drop it there
      return { path: p, dev: k.dev, ino: k.ino, offset: k.offset, size: k.offset };
    }
    if (saved) return { path: p, ...saved }; // FileTail starts it from 0 (another inode)
    return null;
  }

  private scan(): void {
    this.lastScan = Date.now();
    this.dirty = false;
    // the folder gone away gives no names: the files open are still read to their end
    const names = this.listNames() ?? [];
    this.listing = names.slice().sort().join('\n');
    const fresh: Array<{ name: string; path: string; st: fs.Stats }> = [];
    for (const name of names) {
      if (this.byName.has(name)) continue;
      const p = path.join(this.dir, name);
      const st = statOrNull(p);
      if (st === null || !st.isFile()) continue;
      fresh.push({ name, path: p, st });
    }
    fresh.sort((a, b) => a.st.mtimeMs - b.st.mtimeMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const f of fresh) {
      const entry: Entry = { name: f.name, path: f.path, mtimeMs: f.st.mtimeMs, tail: null, parked: null };
      entry.tail = this.newTail(f.path, this.startCursor(f.name, f.path, f.st));
      this.entries.push(entry);
      this.byName.set(f.name, entry);
    }
  }

  /** flow files of the folder (null when it cannot be listed) */
  private listNames(): string[] | null {
    try {
      return fs
        .readdirSync(this.dir, { withFileTypes: true })
        .filter((d) => (d.isFile() || d.isSymbolicLink()) && isFlowFileName(d.name))
        .map((d) => d.name);
    } catch {
      return null;
    }
  }

  /** drops files gone from the folder whose last generation is read */
  private prune(): void {
    const keep: Entry[] = [];
    let removedBefore = 0;
    this.entries.forEach((e, i) => {
      const gone = statOrNull(e.path) === null;
      const done = e.tail === null || !e.tail.isOpen;
      if (gone && done) {
        e.tail?.close();
        this.byName.delete(e.name);
        if (i < this.rr) removedBefore++;
      } else keep.push(e);
    });
    if (keep.length !== this.entries.length) {
      this.entries = keep;
      this.rr = keep.length === 0 ? 0 : Math.max(0, this.rr - removedBefore) % keep.length;
    }
  }

  private changed(): boolean {
    if (this.closed) return false;
    for (const e of this.entries) {
      if (e.tail ? e.tail.changed() : this.parkedChanged(e)) return true;
    }
    const names = this.listNames();
    return names !== null && names.sort().join('\n') !== this.listing;
  }

  private parkedChanged(e: Entry): boolean {
    const p = e.parked;
    if (p === null) return false;
    const st = statOrNull(e.path);
    return st !== null && (st.ino !== p.ino || st.dev !== p.dev || st.size !== p.size);
  }

  private ensureWatcher(): void {
    if (this.watcher) return;
    try {
      this.watcher = fs.watch(this.dir, { persistent: false }, () => {
        this.dirty = true;
        for (const w of [...this.wakers]) w();
      });
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = null;
      });
    } catch {
      // not watchable: the poll covers it
    }
  }
}
