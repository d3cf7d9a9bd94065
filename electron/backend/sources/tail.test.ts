import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileTail, type TailChunk } from './tail.js';

let dir: string;
const tails: FileTail[] = [];
const text = (c: TailChunk | null) => (c === null ? null : Buffer.from(c.bytes).toString('utf8'));
const open = (p: string, opts: ConstructorParameters<typeof FileTail>[1] = {}) => {
  const t = new FileTail(p, { pollMs: 10, ...opts });
  tails.push(t);
  return t;
};
/** every chunk available now */
function drain(t: FileTail): TailChunk[] {
  const out: TailChunk[] = [];
  for (let c = t.read(); c !== null; c = t.read()) out.push(c);
  return out;
}
const all = (cs: TailChunk[]) => cs.map((c) => Buffer.from(c.bytes).toString('utf8')).join('');
/** reads until `want` bytes of text have arrived (waitForChange only as a wake-up) */
async function readUntil(t: FileTail, want: number, timeoutMs = 5000): Promise<TailChunk[]> {
  const out: TailChunk[] = [];
  const until = Date.now() + timeoutMs;
  let n = 0;
  while (n < want && Date.now() < until) {
    const c = t.read();
    if (c) {
      out.push(c);
      n += c.bytes.length;
    } else await t.waitForChange(200);
  }
  return out;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-tail-'));
});
afterEach(() => {
  for (const t of tails.splice(0)) t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('FileTail', () => {
  it('reads a file from its start, then appended lines; a half line waits for its end', () => {
    const p = path.join(dir, 'flows.csv');
    fs.writeFileSync(p, 'a,b\n1,2\n3,');
    const t = open(p);
    const c1 = t.read();
    expect(text(c1)).toBe('a,b\n1,2\n');
    expect(c1).toMatchObject({ start: 0, end: 8, newFile: true, fileSize: 10, reason: 'open' });
    expect(Buffer.from(c1!.head!).toString()).toBe('a,b\n1,2\n3,');
    expect(t.read()).toBeNull(); // '3,' is a partial line
    expect(t.cursor()).toMatchObject({ offset: 8, size: 10 });
    fs.appendFileSync(p, '4\n5,6');
    const c2 = t.read();
    expect(text(c2)).toBe('3,4\n');
    expect(c2).toMatchObject({ start: 8, end: 12, newFile: false });
    expect(c2!.head).toBeUndefined();
    expect(t.read()).toBeNull();
    fs.appendFileSync(p, '\r\n');
    expect(text(t.read())).toBe('5,6\r\n');
    expect(t.cursor().offset).toBe(fs.statSync(p).size);
  });

  it('returns null until a missing file appears, and wakes up when it does', async () => {
    const p = path.join(dir, 'later.log');
    const t = open(p);
    expect(t.read()).toBeNull();
    setTimeout(() => fs.writeFileSync(p, 'x\ny\n'), 30);
    const got = await readUntil(t, 4);
    expect(all(got)).toBe('x\ny\n');
    expect(got[0].newFile).toBe(true);
  });

  it('splits at maxChunkBytes on line ends and reports more to read', async () => {
    const p = path.join(dir, 'big.csv');
    const line = 'x'.repeat(99) + '\n';
    fs.writeFileSync(p, line.repeat(50)); // 5000 bytes
    const t = open(p, { maxChunkBytes: 1024 });
    const c = t.read()!;
    expect(c.bytes.length).toBe(1000);
    expect(t.changed()).toBe(true);
    await t.waitForChange(10_000); // resolves at once: more is waiting
    const rest = drain(t);
    expect(rest.every((r) => r.bytes.length <= 1024 && r.bytes[r.bytes.length - 1] === 10)).toBe(true);
    expect(c.bytes.length + rest.reduce((a, r) => a + r.bytes.length, 0)).toBe(5000);
    expect(rest.every((r) => !r.newFile)).toBe(true);
  });

  it('hands out a line longer than maxChunkBytes whole', () => {
    const p = path.join(dir, 'long.csv');
    const long = 'y'.repeat(5000) + '\n';
    fs.writeFileSync(p, 'a\n' + long + 'b\n');
    const t = open(p, { maxChunkBytes: 1024 });
    const got = all(drain(t));
    expect(got).toBe('a\n' + long + 'b\n');
  });

  it('follows a rotation: the old file is read to its end, then the new one from 0', async () => {
    const p = path.join(dir, 'conn.log');
    fs.writeFileSync(p, '#fields\ta\n1\n');
    const t = open(p);
    expect(text(t.read())).toBe('#fields\ta\n1\n');
    fs.appendFileSync(p, '2\n#close\t2024\n'); // Zeek closes, then rotates
    fs.renameSync(p, path.join(dir, 'conn.2024.log'));
    fs.writeFileSync(p, '#fields\ta\n3\n');
    const c1 = t.read()!;
    expect(text(c1)).toBe('2\n#close\t2024\n');
    expect(c1.newFile).toBe(false);
    const c2 = t.read()!;
    expect(text(c2)).toBe('#fields\ta\n3\n');
    expect(c2).toMatchObject({ start: 0, newFile: true, reason: 'rotated' });
    expect(Buffer.from(c2.head!).toString()).toBe('#fields\ta\n3\n');
    expect(t.cursor().ino).toBe(fs.statSync(p).ino);
    expect(t.read()).toBeNull();
  });

  it('a rotated-away file with a last line lacking its newline: handed out once it stops growing', async () => {
    const p = path.join(dir, 'x.csv');
    fs.writeFileSync(p, 'h\n1\n');
    const t = open(p, { pollMs: 20 });
    expect(text(t.read())).toBe('h\n1\n');
    fs.appendFileSync(p, '2');
    fs.renameSync(p, path.join(dir, 'x.old.csv'));
    fs.writeFileSync(p, 'h\n9\n');
    const got = await readUntil(t, 2 + 4);
    expect(got.map(text)).toEqual(['2\n', 'h\n9\n']);
    expect(got[1].newFile).toBe(true);
  });

  it('copytruncate: a file truncated in place starts again from 0 as a new file', () => {
    const p = path.join(dir, 'trunc.csv');
    fs.writeFileSync(p, 'h\n1\n2\n');
    const t = open(p);
    expect(text(t.read())).toBe('h\n1\n2\n');
    const ino = fs.statSync(p).ino;
    fs.truncateSync(p, 0);
    fs.appendFileSync(p, 'h\n3\n');
    expect(fs.statSync(p).ino).toBe(ino);
    const c = t.read()!;
    expect(text(c)).toBe('h\n3\n');
    expect(c).toMatchObject({ start: 0, newFile: true, reason: 'truncated' });
  });

  it('copytruncate that happened while a partial line was pending is seen from the size', () => {
    const p = path.join(dir, 'trunc2.csv');
    fs.writeFileSync(p, 'h\n1\n22222222');
    const t = open(p);
    expect(text(t.read())).toBe('h\n1\n');
    fs.writeFileSync(p, 'h\n3\n4\n'); // same inode, shorter than before but longer than the offset
    const c = t.read()!;
    expect(c).toMatchObject({ start: 0, newFile: true, reason: 'truncated' });
    expect(text(c)).toBe('h\n3\n4\n');
  });

  it('resumes from a saved cursor after a restart: no duplicate, no loss', () => {
    const p = path.join(dir, 'resume.csv');
    fs.writeFileSync(p, 'h\n1\n2\n3');
    const t1 = open(p);
    const first = all(drain(t1));
    const saved = JSON.parse(JSON.stringify(t1.cursor()));
    t1.close();
    fs.appendFileSync(p, '\n4\n'); // written while the app was down
    const t2 = open(p, { cursor: saved });
    const c = t2.read()!;
    expect(c).toMatchObject({ start: 6, newFile: true, reason: 'resume' });
    expect(Buffer.from(c.head!).toString()).toBe('h\n1\n2\n3\n4\n');
    const second = text(c)! + all(drain(t2));
    expect(first + second).toBe('h\n1\n2\n3\n4\n');
  });

  it('a saved cursor of a file since rotated or truncated reads the file at the path from 0', () => {
    const p = path.join(dir, 'r.csv');
    fs.writeFileSync(p, 'h\n1\n2\n');
    const t1 = open(p);
    drain(t1);
    const saved = t1.cursor();
    t1.close();
    fs.renameSync(p, path.join(dir, 'r.1.csv'));
    fs.writeFileSync(p, 'h\n5\n');
    const t2 = open(p, { cursor: saved });
    expect(t2.read()).toMatchObject({ start: 0, newFile: true, reason: 'rotated' });

    const q = path.join(dir, 't.csv');
    fs.writeFileSync(q, 'h\n1\n2\n3\n');
    const t3 = open(q);
    drain(t3);
    const saved3 = t3.cursor();
    t3.close();
    fs.truncateSync(q, 4);
    const t4 = open(q, { cursor: saved3 });
    const c = t4.read()!;
    expect(c).toMatchObject({ start: 0, newFile: true, reason: 'truncated' });
    expect(text(c)).toBe('h\n1\n');
  });

  it('fromStart false begins at the end of the last complete line', () => {
    const p = path.join(dir, 'end.csv');
    fs.writeFileSync(p, 'h\n1\n2');
    const t = open(p, { fromStart: false });
    expect(t.read()).toBeNull();
    fs.appendFileSync(p, '\n3\n');
    const c = t.read()!;
    expect(text(c)).toBe('2\n3\n');
    expect(c).toMatchObject({ start: 4, newFile: true });
    expect(Buffer.from(t.head()).toString()).toBe('h\n1\n2\n3\n');
  });

  it('waitForChange wakes on an append and times out when nothing happens', async () => {
    const p = path.join(dir, 'w.csv');
    fs.writeFileSync(p, 'h\n');
    const t = open(p, { pollMs: 1000 });
    drain(t);
    const t0 = Date.now();
    await t.waitForChange(50);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(40);
    setTimeout(() => fs.appendFileSync(p, '1\n'), 20);
    await t.waitForChange(10_000); // the watcher (or the poll) wakes it long before the timeout
    const got = await readUntil(t, 2);
    expect(all(got)).toBe('1\n');
  });

  it('close() resolves a pending wait and read() returns null afterwards', async () => {
    const p = path.join(dir, 'c.csv');
    fs.writeFileSync(p, 'h\n');
    const t = open(p);
    drain(t);
    const w = t.waitForChange(60_000);
    t.close();
    await w;
    fs.appendFileSync(p, '1\n');
    expect(t.read()).toBeNull();
  });

  it('a writer appending in pieces: every line arrives once, in order, whole', async () => {
    const p = path.join(dir, 'live.csv');
    fs.writeFileSync(p, 'n,v\n');
    const t = open(p, { maxChunkBytes: 1024 });
    let expected = 'n,v\n';
    const received: string[] = [];
    for (let i = 0; i < 200; i++) {
      const line = `${i},${'v'.repeat(i % 17)}\n`;
      expected += line;
      const cut = i % 3 === 0 ? Math.floor(line.length / 2) : line.length;
      fs.appendFileSync(p, line.slice(0, cut));
      for (const c of drain(t)) received.push(text(c)!);
      fs.appendFileSync(p, line.slice(cut));
      if (i % 7 === 0) for (const c of drain(t)) received.push(text(c)!);
    }
    for (const c of drain(t)) received.push(text(c)!);
    expect(received.join('')).toBe(expected);
    expect(received.every((r) => r.endsWith('\n'))).toBe(true);
  });
});
