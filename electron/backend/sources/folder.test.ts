import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlowsightError } from '../../contract/errors.js';
import { FolderSource, MAX_OPEN_FILES, isFlowFileName, type FolderChunk } from './folder.js';

let dir: string;
const sources: FolderSource[] = [];
const open = (opts: ConstructorParameters<typeof FolderSource>[1] = {}) => {
  const s = new FolderSource(dir, { pollMs: 10, ...opts });
  sources.push(s);
  return s;
};
const text = (c: FolderChunk) => Buffer.from(c.bytes).toString('utf8');
function drain(s: FolderSource): FolderChunk[] {
  const out: FolderChunk[] = [];
  for (let c = s.read(); c !== null; c = s.read()) out.push(c);
  return out;
}
/** text received per file name */
function byFile(cs: FolderChunk[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of cs) out[path.basename(c.path)] = (out[path.basename(c.path)] ?? '') + text(c);
  return out;
}
async function readUntil(s: FolderSource, done: (got: FolderChunk[]) => boolean, timeoutMs = 5000): Promise<FolderChunk[]> {
  const got: FolderChunk[] = [];
  const until = Date.now() + timeoutMs;
  while (!done(got) && Date.now() < until) {
    const c = s.read();
    if (c) got.push(c);
    else await s.waitForChange(200);
  }
  return got;
}
const write = (name: string, body: string, mtimeS?: number) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, body);
  if (mtimeS !== undefined) fs.utimesSync(p, mtimeS, mtimeS);
  return p;
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-folder-'));
});
afterEach(() => {
  for (const s of sources.splice(0)) s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('FolderSource', () => {
  it('a missing folder is a NOT_FOUND error naming it', () => {
    const missing = path.join(dir, 'nope');
    expect(() => new FolderSource(missing)).toThrow(FlowsightError);
    try {
      new FolderSource(missing);
    } catch (e) {
      expect((e as FlowsightError).code).toBe('NOT_FOUND');
      expect((e as Error).message).toContain(missing);
    }
    const file = write('a.csv', 'x\n');
    expect(() => new FolderSource(file)).toThrow(/not a folder/);
  });

  it('knows flow file names', () => {
    for (const n of ['a.csv', 'B.CSV', 'conn.log', 'x.conn.log.labeled', 'f.TSV', 'e.json', 'e.jsonl', 'k.txt']) expect(isFlowFileName(n), n).toBe(true);
    for (const n of ['.hidden.csv', 'a.pcap', 'notes.md', 'csv', '.csv']) expect(isFlowFileName(n), n).toBe(false);
  });

  it('reads the files present in order of modification time then name, skipping others', () => {
    write('b.csv', 'h\nb1\n', 1_000_000);
    write('a.csv', 'h\na1\n', 1_000_000);
    write('old.log', 'h\no1\n', 900_000);
    write('.hidden.csv', 'h\nx\n');
    write('notes.md', 'nope\n');
    fs.mkdirSync(path.join(dir, 'sub.csv'));
    write('sub.csv/inner.csv', 'h\ni\n');
    const s = open();
    const got = drain(s);
    expect(got.map((c) => path.basename(c.path))).toEqual(['old.log', 'a.csv', 'b.csv']);
    expect(got.every((c) => c.newFile && c.start === 0 && c.head !== undefined)).toBe(true);
    expect(byFile(got)).toEqual({ 'old.log': 'h\no1\n', 'a.csv': 'h\na1\n', 'b.csv': 'h\nb1\n' });
  });

  it('goes round the files one chunk each and keeps tailing them as they grow', () => {
    const line = 'z'.repeat(99) + '\n';
    write('a.csv', line.repeat(30), 1000);
    write('b.csv', line.repeat(30), 2000);
    const s = open({ maxChunkBytes: 1024 });
    const order = drain(s).map((c) => path.basename(c.path));
    expect(order.slice(0, 4)).toEqual(['a.csv', 'b.csv', 'a.csv', 'b.csv']);
    fs.appendFileSync(path.join(dir, 'b.csv'), 'more\nhalf');
    const next = drain(s);
    expect(next.map(text)).toEqual(['more\n']);
    expect(next[0].newFile).toBe(false);
  });

  it('picks up files that appear later, waking up on its own', async () => {
    write('a.csv', 'h\n1\n');
    const s = open();
    expect(byFile(drain(s))).toEqual({ 'a.csv': 'h\n1\n' });
    setTimeout(() => write('b.jsonl', '{"ts":1}\n'), 30);
    const got = await readUntil(s, (g) => g.length >= 1);
    expect(byFile(got)).toEqual({ 'b.jsonl': '{"ts":1}\n' });
    expect(got[0].newFile).toBe(true);
  });

  it('resumes from its cursor: nothing finished is read again, nothing new is lost', () => {
    write('a.csv', 'h\n1\n2\n', 1000);
    write('b.csv', 'h\n3\n', 2000);
    const s1 = open();
    const first = byFile(drain(s1));
    const cursor = JSON.parse(JSON.stringify(s1.cursor()));
    s1.close();
    expect(Object.keys(cursor.files).sort()).toEqual(['a.csv', 'b.csv']);
    fs.appendFileSync(path.join(dir, 'a.csv'), '4\n');
    write('c.csv', 'h\n5\n');
    const s2 = open({ cursor });
    const got = drain(s2);
    const second = byFile(got);
    expect(second).toEqual({ 'a.csv': '4\n', 'c.csv': 'h\n5\n' });
    const a = got.find((c) => c.path.endsWith('a.csv'))!;
    expect(a).toMatchObject({ newFile: true, start: 6, reason: 'resume' });
    expect(first['a.csv'] + second['a.csv']).toBe('h\n1\n2\n4\n');
  });

  it('a file renamed inside the folder goes on from where it was (rotation: conn.log -> dated name + new conn.log)', () => {
    write('conn.log', '#fields\tts\n1\n2\n');
    const s = open();
    expect(byFile(drain(s))).toEqual({ 'conn.log': '#fields\tts\n1\n2\n' });
    fs.appendFileSync(path.join(dir, 'conn.log'), '3\n#close\tx\n');
    fs.renameSync(path.join(dir, 'conn.log'), path.join(dir, 'conn.2024-01-01.log'));
    write('conn.log', '#fields\tts\n4\n');
    (s as unknown as { dirty: boolean }).dirty = true; // the folder watcher would set it: the scan sees the new name first
    const got = byFile(drain(s));
    expect(got).toEqual({ 'conn.2024-01-01.log': '3\n#close\tx\n', 'conn.log': '#fields\tts\n4\n' });
    const files = s.files().map((f) => path.basename(f)).sort();
    expect(files).toEqual(['conn.2024-01-01.log', 'conn.log']);
  });

  it('a renamed file seen after its old name has moved on is not read again', () => {
    write('x.csv', 'h\n1\n');
    const s = open({ pollMs: 60_000 }); // no rescans but the first: the tail sees the rotation first
    expect(byFile(drain(s))).toEqual({ 'x.csv': 'h\n1\n' });
    fs.renameSync(path.join(dir, 'x.csv'), path.join(dir, 'x.1.csv'));
    write('x.csv', 'h\n2\n');
    expect(byFile(drain(s))).toEqual({ 'x.csv': 'h\n2\n' });
    (s as unknown as { dirty: boolean }).dirty = true; // the folder watcher would set it
    fs.appendFileSync(path.join(dir, 'x.1.csv'), 'late\n');
    expect(byFile(drain(s))).toEqual({ 'x.1.csv': 'late\n' });
  });

  it('deleted files are dropped once read', () => {
    write('a.csv', 'h\n1\n');
    const s = open();
    drain(s);
    fs.rmSync(path.join(dir, 'a.csv'));
    (s as unknown as { dirty: boolean }).dirty = true;
    expect(drain(s)).toEqual([]);
    expect(s.files()).toEqual([]);
    expect(s.cursor().files).toEqual({});
  });

  it('holds few files open: idle ones are parked and reopened when they grow', () => {
    const n = MAX_OPEN_FILES + 10;
    for (let i = 0; i < n; i++) write(`f${String(i).padStart(3, '0')}.csv`, `h\n${i}\n`, 1000 + i);
    const s = open();
    expect(Object.keys(byFile(drain(s))).length).toBe(n);
    drain(s);
    const openTails = (s as unknown as { openCount(): number }).openCount();
    expect(openTails).toBeLessThanOrEqual(MAX_OPEN_FILES);
    fs.appendFileSync(path.join(dir, 'f000.csv'), 'again\n');
    const got = drain(s);
    expect(got.map(text)).toEqual(['again\n']);
    expect(Object.keys(s.cursor().files).length).toBe(n);
  });
});
