import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../../../tests/support/backend-fixtures.js';
import { MAX_UPLOAD_NAME, receiveUpload, removeUploads, resolveUploads, sanitizeFileName, sweepUploads, uploadsRoot } from './uploads.js';

afterAll(removeTempDirs);

describe('sanitizeFileName', () => {
  it('keeps only a safe base name', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\ana\\Monday.csv')).toBe('Monday.csv');
    expect(sanitizeFileName('bad\u0000na\u001bme\n.csv')).toBe('badname.csv');
    expect(sanitizeFileName('a<b>c:d"e|f?g*.csv')).toBe('a_b_c_d_e_f_g_.csv');
    expect(sanitizeFileName('..')).toBe('upload');
    expect(sanitizeFileName('')).toBe('upload');
    expect(sanitizeFileName('.hidden.csv')).toBe('hidden.csv');
    expect(sanitizeFileName('CON.csv')).toBe('_CON.csv');
    const long = sanitizeFileName(`${'x'.repeat(500)}.pcap_ISCX.csv`);
    expect(long.length).toBe(MAX_UPLOAD_NAME);
    expect(long.endsWith('.csv')).toBe(true);
  });
});

describe('uploads', () => {
  it('streams a body into uploads/<id>/<name> and resolves the id', async () => {
    const ws = path.join(tempDir(), 'workspace.sqlite');
    const body = Readable.from([Buffer.from('a,b\n'), Buffer.from('1,2\n')]);
    const { uploadId, bytes } = await receiveUpload(ws, '../evil/flows.csv', body);
    expect(uploadId).toMatch(/^[a-f0-9]{32}$/);
    expect(bytes).toBe(8);
    const [resolved] = resolveUploads(ws, [uploadId]);
    expect(resolved!.path).toBe(path.join(uploadsRoot(ws), uploadId, 'flows.csv'));
    expect(fs.readFileSync(resolved!.path, 'utf8')).toBe('a,b\n1,2\n');
    removeUploads(ws, [uploadId]);
    expect(() => resolveUploads(ws, [uploadId])).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('accepts any async iterable of bytes', async () => {
    const ws = path.join(tempDir(), 'workspace.sqlite');
    async function* gen() {
      yield new Uint8Array([65, 66]);
      yield new Uint8Array([67]);
    }
    const r = await receiveUpload(ws, 'x.csv', gen());
    expect(r.bytes).toBe(3);
  });

  it('leaves nothing behind when the body fails', async () => {
    const ws = path.join(tempDir(), 'workspace.sqlite');
    async function* broken() {
      yield new Uint8Array([1]);
      throw new Error('connection reset');
    }
    await expect(receiveUpload(ws, 'x.csv', broken())).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/connection reset/) });
    expect(fs.readdirSync(uploadsRoot(ws))).toEqual([]);
  });

  it('refuses unknown ids', () => {
    const ws = path.join(tempDir(), 'workspace.sqlite');
    expect(() => resolveUploads(ws, ['deadbeef'])).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringMatching(/deadbeef/) }));
    expect(() => resolveUploads(ws, ['../../x'])).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('sweeps upload folders older than a day', async () => {
    const ws = path.join(tempDir(), 'workspace.sqlite');
    const old = await receiveUpload(ws, 'old.csv', Readable.from([Buffer.from('x')]));
    const fresh = await receiveUpload(ws, 'new.csv', Readable.from([Buffer.from('y')]));
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    fs.utimesSync(path.join(uploadsRoot(ws), old.uploadId), twoDaysAgo, twoDaysAgo);
    expect(sweepUploads(ws)).toBe(1);
    expect(fs.readdirSync(uploadsRoot(ws))).toEqual([fresh.uploadId]);
    expect(sweepUploads(path.join(tempDir(), 'none', 'workspace.sqlite'))).toBe(0);
  });
});
