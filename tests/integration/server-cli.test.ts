/** `flowsight serve` as a process: prints its URL, answers, stops cleanly on SIGTERM / SIGINT. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

const root = fileURLToPath(new URL('../..', import.meta.url));
const backendReady = existsSync(join(root, 'electron', 'backend', 'index.ts'));

interface Served {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

async function serve(args: string[], env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'electron', 'cli', 'index.ts'), 'serve', ...args], {
    cwd: root,
    env: { ...process.env, FLOWSIGHT_WORKSPACE: '', FLOWSIGHT_PORT: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /^Flowsight is serving at (http:\/\/\S+)\n/.exec(stdout);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return { child, url, stderr: () => stderr, exited };
}

describe.skipIf(!backendReady)('flowsight serve', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'flowsight-serve-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('serves the API and the page on 127.0.0.1, then stops on SIGTERM with exit 0', async () => {
    const s = await serve(['--port', '0', '--workspace', join(tmp, 'a.sqlite')]);
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const info = await fetch(`${s.url}/api/app.info`, { method: 'POST', body: '{}' }).then((r) => r.json());
    expect(info).toMatchObject({ ok: true, result: { face: 'browser', workspacePath: join(tmp, 'a.sqlite') } });
    const page = await fetch(`${s.url}/`);
    // the built renderer when there is one, else the page saying to build it
    expect([200, 503]).toContain(page.status);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');

    const ws = new WebSocket(`${s.url.replace('http', 'ws')}/ws`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const wsClosed = new Promise((resolve) => ws.once('close', resolve));
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    await wsClosed;
    expect(s.stderr()).toContain('Stopping Flowsight');
  });

  it('takes the port from FLOWSIGHT_PORT and stops on SIGINT', async () => {
    const probe = await serve(['--port', '0', '--workspace', join(tmp, 'b.sqlite')]);
    const port = new URL(probe.url).port;
    probe.child.kill('SIGINT');
    expect(await probe.exited).toBe(0);

    const s = await serve(['--workspace', join(tmp, 'b.sqlite')], { FLOWSIGHT_PORT: port });
    expect(new URL(s.url).port).toBe(port);
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
  });
});
