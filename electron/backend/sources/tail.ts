/**
 * FileTail: follows a growing flow file (CSV, Zeek log) and hands out what is new as chunks of
 * complete lines, with a cursor that can be saved and resumed from.
 *
 * Generations: a file generation is one inode at the path, from its first byte. A new generation
 * starts when the tail first opens the file (fresh or resumed from a cursor), when the path turns
 * out to be another inode (rotated: renamed away and created again, as Zeek and logrotate do), and
 * when the file shrinks below what was read (truncated in place: copytruncate). The first chunk of
 * a generation has `newFile: true` and carries the file's head so that the caller re-reads the
 * layout; its `start` is 0 except when resuming from a saved cursor.
 *
 * Rotation while running: the old inode is still open, so it is read to its end before the new
 * file. A last line without its '\n' in the rotated-away file is handed out (with a '\n' added)
 * once the old file has stopped growing for one read().
 *
 * Partial lines: a chunk always ends just after a '\n'; the bytes of a line still being written
 * stay unread until its '\n' arrives (CRLF lines end in '\n' too). A line longer than
 * maxChunkBytes makes a longer chunk (up to MAX_LINE_BYTES, beyond which it is cut there).
 *
 * Missing file: read() returns null until it appears; waitForChange() still works (it watches the
 * folder). All reads are synchronous (fs.readSync); waiting is by fs.watch on the file and its
 * folder, with a poll timer (stat every pollMs) as the fallback where watching is unreliable
 * (network shares, some containers).
 */
import fs from 'node:fs';
import path from 'node:path';
import { waitUntilChanged } from './wake.js';

export interface TailCursor {
  path: string;
  dev: number;
  ino: number;
  /** next byte to read */
  offset: number;
  /** size when last read (to spot truncation) */
  size: number;
}

export interface TailChunk {
  /** complete records only (ends just after a '\n'); never a partial last line */
  bytes: Uint8Array;
  /** file offset of bytes[0]; 0 means the chunk starts with the file's header (a new file) */
  start: number;
  end: number;
  /** true when this chunk is the first of a file generation (first read, after rotation, after truncation): the caller re-reads the layout from head */
  newFile: boolean;
  /** the file's first bytes (<= 256 KiB) — present when newFile */
  head?: Uint8Array;
  fileSize: number;
  /** Date.now() when read */
  readAt: number;
  /** why this generation started (first chunk of a generation only) */
  reason?: 'open' | 'resume' | 'rotated' | 'truncated';
}

export interface FileTailOptions {
  cursor?: TailCursor | null;
  /** default true: a fresh tail reads the file from its start; false: from its end at the first read */
  fromStart?: boolean;
  /** default 4 MiB */
  maxChunkBytes?: number;
  /** default 100 */
  pollMs?: number;
}

export const HEAD_BYTES = 256 * 1024;
export const DEFAULT_MAX_CHUNK_BYTES = 4 * 1024 * 1024;
/** a line longer than this is cut (a file that is not line-based text) */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

interface Open {
  fd: number;
  dev: number;
  ino: number;
}

function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

export class FileTail {
  readonly path: string;
  private readonly maxChunkBytes: number;
  private readonly pollMs: number;
  private fromStart: boolean;
  private resumeFrom: TailCursor | null;

  private cur: Open | null = null;
  private offset = 0;
  private size = 0;
  /** the next chunk starts a generation */
  private fresh: { reason: NonNullable<TailChunk['reason']> } | null = null;
  /** last chunk stopped at maxChunkBytes: more is waiting */
  private more = false;
  /** rotated away: size of the old file at the previous read() (to see it has stopped growing) */
  private oldSizeSeen = -1;
  private oldSeenAt = 0;
  /** the dev/ino of the last generation read (kept after it is closed, for the cursor) */
  private last: { dev: number; ino: number } = { dev: 0, ino: 0 };

  private watchers: fs.FSWatcher[] = [];
  private watchedIno = -1;
  private wakers = new Set<() => void>();
  private closed = false;

  constructor(filePath: string, opts: FileTailOptions = {}) {
    this.path = path.resolve(filePath);
    this.maxChunkBytes = Math.max(1024, opts.maxChunkBytes ?? DEFAULT_MAX_CHUNK_BYTES);
    this.pollMs = Math.max(5, opts.pollMs ?? 100);
    this.fromStart = opts.fromStart ?? true;
    this.resumeFrom = opts.cursor ?? null;
    if (this.resumeFrom) {
      this.offset = this.resumeFrom.offset;
      this.size = this.resumeFrom.size;
      this.last = { dev: this.resumeFrom.dev, ino: this.resumeFrom.ino };
    }
  }

  /** What is new since the last call, complete lines only, at most maxChunkBytes (call again for more); null when nothing new. */
  read(): TailChunk | null {
    if (this.closed) return null;
    this.more = false;
    if (this.cur !== null) {
      const cur = this.cur;
      const st = statOrNull(this.path);
      const rotated = st === null || st.ino !== cur.ino || st.dev !== cur.dev;
      const fsize = fs.fstatSync(cur.fd).size;
      if (fsize < this.size || fsize < this.offset) {
        // truncated in place (copytruncate): the same inode from its start
        this.offset = 0;
        this.size = 0;
        this.fresh = { reason: 'truncated' };
      }
      const chunk = this.readLines(cur.fd, fsize, false);
      if (chunk !== null) return chunk;
      if (!rotated) return null;
      // rotated away (or deleted) and read to its last complete line
      if (this.offset < fsize) {
        if (fsize !== this.oldSizeSeen || Date.now() - this.oldSeenAt < this.pollMs) {
          // a writer may still be finishing the line: wait until the old file has kept its size for pollMs
          if (fsize !== this.oldSizeSeen) {
            this.oldSizeSeen = fsize;
            this.oldSeenAt = Date.now();
          }
          return null;
        }
        const last = this.readLines(cur.fd, fsize, true);
        if (last !== null) return last;
      }
      this.closeCurrent();
      this.fresh = { reason: 'rotated' };
      this.offset = 0;
      this.size = 0;
      if (st === null) return null;
      return this.openAndRead();
    }
    return this.openAndRead();
  }

  /** The position after the last chunk returned — persisted together with the alerts made from it. */
  cursor(): TailCursor {
    return { path: this.path, dev: this.last.dev, ino: this.last.ino, offset: this.offset, size: this.size };
  }

  /** The first <= 256 KiB of the current generation (the open file, or the file at the path); empty when there is none. */
  head(): Uint8Array {
    if (this.cur !== null) return readHead(this.cur.fd);
    let fd: number;
    try {
      fd = fs.openSync(this.path, 'r');
    } catch {
      return new Uint8Array(0);
    }
    try {
      return readHead(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  /**
   * True when a read() may return something: more than the last chunk's limit was waiting, the
   * path is another file than the one open, or the size differs from what was last read.
   */
  changed(): boolean {
    if (this.closed) return false;
    if (this.more) return true;
    const st = statOrNull(this.path);
    if (this.cur === null) return st !== null && st.isFile();
    let size: number;
    try {
      size = fs.fstatSync(this.cur.fd).size;
    } catch {
      return true;
    }
    if (st === null || st.ino !== this.cur.ino || st.dev !== this.cur.dev) {
      // rotated away: true once the old file is read to its end and has stopped growing
      if (size !== this.size && size !== this.oldSizeSeen) return true;
      return this.oldSizeSeen < 0 || Date.now() - this.oldSeenAt >= this.pollMs;
    }
    return size !== this.size;
  }

  /** Resolves when the file may have changed (fs.watch on the file and its folder, plus a poll timer as fallback), or after timeoutMs. */
  waitForChange(timeoutMs: number): Promise<void> {
    if (this.closed || this.changed()) return Promise.resolve();
    this.ensureWatchers();
    return waitUntilChanged(() => this.changed(), this.wakers, this.pollMs, timeoutMs);
  }

  /**
   * Gives up the open file without reading more of it and returns the position in it (used when
   * the same inode shows up under another name in a watched folder): the next read() opens the
   * path afresh as a new generation from its start.
   */
  release(): TailCursor {
    const c = this.cursor();
    this.closeCurrent();
    this.resumeFrom = null;
    this.fromStart = true;
    this.offset = 0;
    this.size = 0;
    return c;
  }

  /** Whether a file generation is open (false before the file appears and after a rotated-away file is done). */
  get isOpen(): boolean {
    return this.cur !== null;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closeCurrent();
    for (const w of this.watchers) w.close();
    this.watchers = [];
    for (const wake of [...this.wakers]) wake();
  }

  // -------------------------------------------------------------------------------------------

  private openAndRead(): TailChunk | null {
    let fd: number;
    try {
      fd = fs.openSync(this.path, 'r');
    } catch {
      return null;
    }
    const st = fs.fstatSync(fd);
    if (!st.isFile()) {
      fs.closeSync(fd);
      return null;
    }
    this.cur = { fd, dev: st.dev, ino: st.ino };
    this.last = { dev: st.dev, ino: st.ino };
    this.oldSizeSeen = -1;
    const resume = this.resumeFrom;
    this.resumeFrom = null;
    if (this.fresh === null) {
      if (resume !== null) {
        if (resume.dev === st.dev && resume.ino === st.ino && st.size >= resume.offset && st.size >= resume.size) {
          this.offset = resume.offset;
          this.size = resume.offset;
          this.fresh = { reason: 'resume' };
        } else {
          this.offset = 0;
          this.size = 0;
          this.fresh = { reason: resume.dev === st.dev && resume.ino === st.ino ? 'truncated' : 'rotated' };
        }
      } else if (!this.fromStart) {
        // from the end: skip to the last complete line
        this.offset = lastLineEnd(fd, st.size);
        this.size = this.offset;
        this.fresh = { reason: 'open' };
      } else {
        this.offset = 0;
        this.size = 0;
        this.fresh = { reason: 'open' };
      }
    }
    this.rewatchFile();
    return this.readLines(fd, st.size, false);
  }

  /** Complete lines from this.offset (all that is left with final, a '\n' added when missing). */
  private readLines(fd: number, fileSize: number, final: boolean): TailChunk | null {
    const avail = fileSize - this.offset;
    if (avail <= 0) {
      this.size = Math.max(this.size, fileSize);
      return null;
    }
    let want = Math.min(avail, this.maxChunkBytes);
    let buf = new Uint8Array(want);
    let got = readFull(fd, buf, 0, want, this.offset);
    let cut = buf.lastIndexOf(10, got - 1) + 1;
    // a line longer than the chunk: read on until its end (up to MAX_LINE_BYTES)
    while (cut === 0 && got === want && this.offset + got < fileSize && got < MAX_LINE_BYTES) {
      want = Math.min(fileSize - this.offset, got * 2, MAX_LINE_BYTES);
      const bigger = new Uint8Array(want);
      bigger.set(buf.subarray(0, got));
      const from = got;
      got = from + readFull(fd, bigger, from, want - from, this.offset + from);
      buf = bigger;
      cut = buf.lastIndexOf(10, got - 1) + 1;
    }
    let bytes: Uint8Array;
    if (cut > 0) {
      bytes = buf.subarray(0, cut);
    } else if (final && got > 0) {
      bytes = new Uint8Array(got + 1);
      bytes.set(buf.subarray(0, got));
      bytes[got] = 10;
    } else if (got >= MAX_LINE_BYTES) {
      bytes = buf.subarray(0, got); // not line-based text: hand it out as it is
    } else {
      this.size = fileSize;
      return null;
    }
    const start = this.offset;
    const consumed = cut > 0 ? cut : got;
    this.offset = start + consumed;
    this.size = fileSize;
    // stopped at the chunk limit with bytes left: more may be waiting
    this.more = this.offset < fileSize && avail > this.maxChunkBytes;
    const chunk: TailChunk = { bytes, start, end: start + consumed, newFile: false, fileSize, readAt: Date.now() };
    if (this.fresh !== null) {
      chunk.newFile = true;
      chunk.head = readHead(fd);
      chunk.reason = this.fresh.reason;
      this.fresh = null;
    }
    return chunk;
  }

  private closeCurrent(): void {
    if (this.cur !== null) {
      try {
        fs.closeSync(this.cur.fd);
      } catch {
        // already closed
      }
      this.cur = null;
    }
  }

  private wake = (): void => {
    for (const w of [...this.wakers]) w();
  };

  private ensureWatchers(): void {
    if (this.watchers.length > 0) return;
    const dir = path.dirname(this.path);
    const base = path.basename(this.path);
    try {
      const w = fs.watch(dir, { persistent: false }, (_event, name) => {
        if (name === null || name === base || String(name) === base) this.wake();
      });
      w.on('error', () => this.dropWatchers());
      this.watchers.push(w);
    } catch {
      // the folder is missing or cannot be watched: the poll timer does the work
    }
    this.rewatchFile();
  }

  /** a watcher on the open file itself (inotify follows the inode, also once renamed away) */
  private rewatchFile(): void {
    if (this.watchers.length === 0 || this.cur === null || this.watchedIno === this.cur.ino) return;
    if (this.watchers.length > 1) {
      this.watchers.pop()?.close();
    }
    try {
      const w = fs.watch(this.path, { persistent: false }, () => this.wake());
      w.on('error', () => undefined);
      this.watchers.push(w);
      this.watchedIno = this.cur.ino;
    } catch {
      // not watchable: the folder watcher and the poll cover it
    }
  }

  private dropWatchers(): void {
    for (const w of this.watchers) w.close();
    this.watchers = [];
    this.watchedIno = -1;
  }
}

function readFull(fd: number, buf: Uint8Array, at: number, length: number, position: number): number {
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, buf, at + got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

function readHead(fd: number): Uint8Array {
  const buf = new Uint8Array(HEAD_BYTES);
  const n = readFull(fd, buf, 0, HEAD_BYTES, 0);
  return buf.slice(0, n);
}

/** the offset just after the last '\n' of the file (0 when it has none) */
function lastLineEnd(fd: number, size: number): number {
  const step = 64 * 1024;
  const buf = new Uint8Array(step);
  let end = size;
  while (end > 0) {
    const from = Math.max(0, end - step);
    const n = readFull(fd, buf, 0, end - from, from);
    const k = buf.lastIndexOf(10, n - 1);
    if (k >= 0) return from + k + 1;
    end = from;
  }
  return 0;
}
