/** `npm start` (scripts/start.mjs): when Electron cannot start, say why in one line and serve the UI. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
type Found = { binary: string } | { reason: string };
type FindElectron = (env: Record<string, string | undefined>, platform: string, electronDir: string) => Found;

describe('scripts/start.mjs', () => {
  let tmp: string;
  let findElectron: FindElectron;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'flowsight-start-'));
    const modulePath: string = join(root, 'scripts', 'start.mjs');
    ({ findElectron } = (await import(modulePath)) as { findElectron: FindElectron });
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  function fakeElectron(name: string, opts: { pathTxt?: string; binary?: boolean }): string {
    const dir = join(tmp, name);
    mkdirSync(join(dir, 'dist'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"name":"electron"}');
    if (opts.pathTxt !== undefined) writeFileSync(join(dir, 'path.txt'), opts.pathTxt);
    if (opts.binary) writeFileSync(join(dir, 'dist', 'electron'), '');
    return dir;
  }

  it('knows when Electron cannot start', () => {
    const display = { DISPLAY: ':0' };
    expect(findElectron(display, 'linux', join(tmp, 'absent'))).toEqual({ reason: 'the electron package is not installed' });
    expect('reason' in findElectron(display, 'linux', fakeElectron('no-path', {}))).toBe(true);
    const noBinary = findElectron(display, 'linux', fakeElectron('no-binary', { pathTxt: 'electron' }));
    expect((noBinary as { reason: string }).reason).toMatch(/^the Electron binary is not installed/);
    const ok = fakeElectron('ok', { pathTxt: 'electron', binary: true });
    expect(findElectron({}, 'linux', ok)).toEqual({ reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' });
    expect(findElectron({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux', ok)).toEqual({ binary: join(ok, 'dist', 'electron') });
    expect(findElectron({}, 'darwin', ok)).toEqual({ binary: join(ok, 'dist', 'electron') });
  });

  it('never asks the electron package (which would download the binary)', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(join(root, 'scripts', 'start.mjs'), 'utf8');
    expect(text).not.toMatch(/require\(['"]electron['"]\)|from ['"]electron['"]|import\(['"]electron['"]\)/);
  });

  it.skipIf(!existsSync(join(root, 'dist', 'electron', 'cli', 'index.js')) || !existsSync(join(root, 'dist', 'electron', 'backend', 'index.js')))(
    'falls back to serving, with one line saying why, and stops on SIGTERM',
    async () => {
      const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs'), '--workspace', join(tmp, 'ws.sqlite')], {
        cwd: root,
        // no display: whatever is installed, the window cannot open
        env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '', FLOWSIGHT_PORT: '0', FLOWSIGHT_WORKSPACE: '' },
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', () => {
          const m = /Flowsight is serving at (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
          if (m) resolve(m[1]!);
        });
        void exited.then((code) => reject(new Error(`start.mjs exited with ${code}: ${out}`)));
      });
      const lines = out.trim().split('\n');
      expect(lines[0]).toMatch(/^The desktop window cannot open here: .+; serving the same UI in your browser instead\.$/);
      const info = await fetch(`${url}/api/app.info`, { method: 'POST', body: '{}' }).then((r) => r.json());
      expect(info).toMatchObject({ ok: true, result: { workspacePath: join(tmp, 'ws.sqlite') } });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    },
  );
});
