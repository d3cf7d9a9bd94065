/** `flowsight import` and `flowsight datasets` end to end: child process, real backend, temp workspace. */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cliArgs = ['--import', 'tsx', join(root, 'electron', 'cli', 'index.ts')];
const importerReady = existsSync(join(root, 'electron', 'backend', 'index.ts')) && existsSync(join(root, 'ml-core', 'data', 'index.ts'));

function flowsight(args: string[]) {
  const r = spawnSync(process.execPath, [...cliArgs, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, FLOWSIGHT_WORKSPACE: '' },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!importerReady)('flowsight import / datasets (real backend)', () => {
  let tmp: string;
  let ws: string;
  let csv: string;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'flowsight-cli-import-'));
    ws = join(tmp, 'workspace.sqlite');
    csv = join(tmp, 'tiny flows.csv');
    writeFileSync(
      csv,
      [
        ' Flow Duration, Total Fwd Packets,Protocol, Label',
        '10,2,tcp,BENIGN',
        '20,Infinity,udp,BENIGN',
        '30,6,tcp,DDoS',
        '40,,tcp,DDoS',
        '50,10,udp,BENIGN',
        '',
      ].join('\r\n'),
    );
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('import --json prints one ImportResult document', () => {
    const r = flowsight(['import', csv, '--json', '--workspace', ws, '--name', 'Tiny']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    for (const key of ['id', 'name', 'format', 'rows', 'features', 'labels', 'cleaning']) expect(doc).toHaveProperty(key);
    expect(doc).toMatchObject({ name: 'Tiny', rows: 5, labels: { BENIGN: 3, DDoS: 2 } });
    expect(typeof doc.id).toBe('number');
    expect(doc.features).toBeGreaterThanOrEqual(2);
    expect(doc.cleaning.nonFiniteCells).toBe(1);
  });

  it('datasets --json lists it', () => {
    const r = flowsight(['datasets', '--json', '--workspace', ws]);
    expect(r.code).toBe(0);
    const { datasets } = JSON.parse(r.stdout);
    expect(datasets).toHaveLength(1);
    expect(datasets[0]).toMatchObject({ name: 'Tiny', format: 'csv', rows: 5, labelled: true, classes: 2 });
  });

  it('prints a readable summary and a table', () => {
    const r = flowsight(['import', csv, '--workspace', ws, '--format', 'csv', '--label', 'Label']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Imported '.+' as dataset #2: 5 rows, \d+ features\.$/m);
    expect(r.stdout).toMatch(/BENIGN\s+3\s+60\.0%/);
    expect(r.stdout).toContain('Cleaning');
    const t = flowsight(['datasets', '--workspace', ws]);
    expect(t.stdout.split('\n')[0]).toMatch(/^\s*ID\s+NAME/);
    expect(t.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('--label none imports unlabelled traffic', () => {
    const r = flowsight(['import', csv, '--json', '--workspace', ws, '--label', 'none']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).labels).toEqual({});
  });

  it('a file that is not flows is refused in one sentence and stores nothing', () => {
    const bad = join(tmp, 'empty.csv');
    writeFileSync(bad, '');
    const before = JSON.parse(flowsight(['datasets', '--json', '--workspace', ws]).stdout).datasets.length;
    const r = flowsight(['import', bad, '--workspace', ws]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(JSON.parse(flowsight(['datasets', '--json', '--workspace', ws]).stdout).datasets.length).toBe(before);
  });

  it('Ctrl-C cancels the import, exits 130 and stores nothing', async () => {
    // ~100 MB: long enough (about a second here) to interrupt
    const big = join(tmp, 'big.csv');
    const fd = openSync(big, 'w');
    writeSync(fd, 'a,b,c,d,e,f,g,h,Label\n');
    let block = '';
    for (let i = 0; i < 10_000; i++) block += `${i},${i * 2.5},3,4.25,5,6,7,8,${i % 3 ? 'BENIGN' : 'DDoS'}\n`;
    const buf = Buffer.from(block);
    for (let n = 0; n < 100e6; n += buf.length) writeSync(fd, buf);
    closeSync(fd);

    const ws2 = join(tmp, 'cancel.sqlite');
    const child = spawn(process.execPath, [...cliArgs, 'import', big, '--workspace', ws2], {
      cwd: root,
      env: { ...process.env, FLOWSIGHT_WORKSPACE: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // the workspace exists once the backend is open; the job starts right after
    for (let i = 0; i < 400 && !existsSync(ws2); i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGINT');
    const code = await exited;
    expect(stdout).toBe('');
    expect(stderr).toContain('Import cancelled; nothing was stored.');
    expect(code).toBe(130);
    expect(JSON.parse(flowsight(['datasets', '--json', '--workspace', ws2]).stdout)).toEqual({ datasets: [] });
  });
});
