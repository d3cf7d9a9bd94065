/**
 * `flowsight doctor` end to end: child process, real backend, temp workspace. The TensorFlow.js
 * backend is probed in a thread of its own; here the native packages cannot be installed, so
 * the report names WebAssembly and says why the two native backends were skipped.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'flowsight-doctor-'));
const workspace = join(dir, 'ws.db');

function flowsight(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'electron', 'cli', 'index.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, FLOWSIGHT_WORKSPACE: '', FLOWSIGHT_TF_BACKEND: '', ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('flowsight doctor', () => {
  it('reports Node, Electron, SQLite, the workspace and the neural backend with why faster ones were skipped', () => {
    const r = flowsight(['doctor', '--workspace', workspace, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.app.node).toBe(process.versions.node);
    expect(d.electron).toBeNull();
    expect(d.app.sqlite).toMatch(/^3\.\d+/);
    expect(d.workspace).toMatchObject({ path: workspace, datasets: 0, models: 0 });
    expect(d.workspace.sizeBytes).toBeGreaterThan(0);
    expect(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).toContain(d.neural.backend);
    expect(d.neural.requested).toBe('auto');
    const order = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
    expect(d.neural.skipped.map((s: { backend: string }) => s.backend)).toEqual(order.slice(0, order.indexOf(d.neural.backend)));

    const text = flowsight(['doctor', '--workspace', workspace]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Node {8}\d+\.\d+/);
    expect(text.stdout).toContain('Electron    not running under Electron');
    expect(text.stdout).toMatch(/Neural {6}.+\(\w[\w-]*\), TensorFlow\.js \d+\.\d+/);
  }, 60_000);

  it('says plainly when a forced backend cannot load, and still reports the rest', () => {
    const r = flowsight(['doctor', '--workspace', workspace], { FLOWSIGHT_TF_BACKEND: 'gpu-please' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Neural      unavailable: Unknown TensorFlow.js backend "gpu-please"; use auto, tensorflow-gpu, tensorflow, wasm, cpu');
    expect(r.stdout).toContain('SQLite');
  }, 60_000);
});
