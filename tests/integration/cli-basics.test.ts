/** The `flowsight` command as a user runs it: a child process, exit codes, stderr sentences. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

/** the CLI from source (no build needed) */
function flowsight(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'electron', 'cli', 'index.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, FLOWSIGHT_WORKSPACE: '', ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('flowsight CLI (child process)', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'flowsight-cli-basics-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('--help lists the commands and exits 0', () => {
    const r = flowsight(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: flowsight <command>/);
    for (const c of ['import', 'datasets', 'train', 'evaluate', 'score', 'models', 'serve']) expect(r.stdout).toContain(`  ${c}`);
    expect(r.stderr).toBe('');
  });

  it('each command has --help / -h', () => {
    expect(flowsight(['import', '--help']).stdout).toContain('--format FORMAT');
    expect(flowsight(['datasets', '-h']).stdout).toContain('flowsight datasets [--json]');
    expect(flowsight(['help', 'serve']).stdout).toContain('--port N');
  });

  it('--version prints the package version', () => {
    const r = flowsight(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('an unknown flag exits 2 with one sentence naming it', () => {
    const r = flowsight(['import', 'x.csv', '--fromat', 'csv', '--workspace', join(tmp, 'ws.sqlite')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("'--fromat'");
    expect(existsSync(join(tmp, 'ws.sqlite'))).toBe(false);
  });

  it('an unknown command exits 2', () => {
    const r = flowsight(['trian']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("Unknown command 'trian'");
  });

  it('a missing path exits 1 with one sentence and no stack trace', () => {
    const ws = join(tmp, 'missing.sqlite');
    const r = flowsight(['import', join(tmp, 'nope.csv'), '--workspace', ws]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`There is no file or folder at ${join(tmp, 'nope.csv')}.\n`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(ws)).toBe(false);
  });

  it('a workspace that cannot be opened is one sentence; --debug adds the stack', () => {
    const blocker = join(tmp, 'not-a-dir');
    mkdirSync(blocker, { recursive: true });
    copyFileSync(join(root, 'package.json'), join(blocker, 'file'));
    // a workspace path under a regular file cannot be created
    const ws = join(blocker, 'file', 'ws.sqlite');
    const r = flowsight(['datasets', '--workspace', ws]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const d = flowsight(['datasets', '--workspace', ws, '--debug']);
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/^\s+at /m);
  });

  it('datasets --json on a new workspace is an empty list', () => {
    const r = flowsight(['datasets', '--json'], { FLOWSIGHT_WORKSPACE: join(tmp, 'env.sqlite') });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ datasets: [] });
    expect(existsSync(join(tmp, 'env.sqlite'))).toBe(true);
  });

  describe('bin/flowsight.js', () => {
    it('says to build when dist is missing', () => {
      const fake = join(tmp, 'checkout');
      mkdirSync(join(fake, 'bin'), { recursive: true });
      copyFileSync(join(root, 'bin', 'flowsight.js'), join(fake, 'bin', 'flowsight.js'));
      copyFileSync(join(root, 'package.json'), join(fake, 'package.json'));
      const r = spawnSync(process.execPath, [join(fake, 'bin', 'flowsight.js'), '--help'], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe('Flowsight is not built yet: run npm run build (or npm ci, which builds it).\n');
    });

    it('is an executable node script', () => {
      const text = readFileSync(join(root, 'bin', 'flowsight.js'), 'utf8');
      expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
      const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
      expect(pkg.bin.flowsight).toBe('bin/flowsight.js');
    });

    it.skipIf(!existsSync(join(root, 'dist', 'electron', 'cli', 'index.js')))('runs the built CLI', () => {
      const r = spawnSync(process.execPath, [join(root, 'bin', 'flowsight.js'), '--version'], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toBe(version);
    });
  });
});
