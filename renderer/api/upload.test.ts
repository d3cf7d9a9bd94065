// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { uploadFile } from './upload.js';

class FakeXhr {
  static last: FakeXhr;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  status = 200;
  statusText = 'OK';
  responseText = '';
  responseType = '';
  upload: { onprogress: ((ev: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
    this.onload?.();
  }
}

const make = () => new FakeXhr() as unknown as XMLHttpRequest;

describe('uploadFile', () => {
  it('POSTs the raw file to the upload path with the encoded name and reports progress', async () => {
    const file = new File(['a,b\n1,2\n'], 'Friday Working Hours #1.csv');
    const progress: Array<[number, number]> = [];
    const p = uploadFile(file, (l, t) => progress.push([l, t]), { createXhr: make });
    const x = FakeXhr.last;
    expect(x.method).toBe('POST');
    expect(x.url).toBe('/api/upload?name=Friday%20Working%20Hours%20%231.csv');
    expect(x.body).toBe(file);
    x.upload.onprogress?.({ loaded: 4, total: 8, lengthComputable: true });
    x.respond(200, { ok: true, result: { uploadId: 'deadbeef01', bytes: 8 } });
    await expect(p).resolves.toEqual({ uploadId: 'deadbeef01', bytes: 8 });
    expect(progress[0]).toEqual([4, 8]);
    expect(progress[progress.length - 1]).toEqual([file.size, file.size]);
  });

  it('rejects with the server error envelope', async () => {
    const p = uploadFile(new File(['x'], 'x.csv'), undefined, { createXhr: make });
    FakeXhr.last.respond(413, { ok: false, error: { code: 'BAD_INPUT', message: 'The file is larger than 4 GB.' } });
    await expect(p).rejects.toMatchObject({ code: 'BAD_INPUT', message: 'The file is larger than 4 GB.' });
  });

  it('rejects readably on a non-JSON answer, a network error and an abort', async () => {
    const a = uploadFile(new File(['x'], 'x.csv'), undefined, { createXhr: make });
    FakeXhr.last.respond(502, '<html>bad gateway</html>');
    await expect(a).rejects.toMatchObject({ code: 'UPLOAD_FAILED' });

    const b = uploadFile(new File(['x'], 'y.csv'), undefined, { createXhr: make });
    FakeXhr.last.onerror?.();
    await expect(b).rejects.toMatchObject({ code: 'UPLOAD_FAILED', message: expect.stringContaining('y.csv') });

    const ctrl = new AbortController();
    const c = uploadFile(new File(['x'], 'z.csv'), undefined, { createXhr: make, signal: ctrl.signal });
    ctrl.abort();
    await expect(c).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
