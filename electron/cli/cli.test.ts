import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, BackendOptions } from '../backend/api.js';
import type { DatasetSummary, ImportResult, JobInfo } from '../contract/dto.js';
import { FlowsightError } from '../contract/errors.js';
import type { AnyEvent, EventListener } from '../contract/events.js';
import type { UploadResult } from '../contract/transport.js';
import { parseCommandLine, UsageError } from './args.js';
import type { CliContext } from './context.js';
import { datasetsTable, importSummary, localTime, progressLine } from './format.js';
import { runCli } from './run.js';

const RESULT: ImportResult = {
  id: 1,
  name: 'tiny',
  format: 'csv',
  profile: 'csv',
  rows: 3,
  features: 2,
  labels: { BENIGN: 2, DDoS: 1 },
  cleaning: {
    files: [{ name: 'tiny.csv', bytes: 40, rows: 3, profile: 'csv' }],
    rowsRead: 3,
    rowsKept: 3,
    malformedRows: 0,
    malformedSamples: [],
    repeatedHeaderRows: 0,
    blankLines: 0,
    nonFiniteCells: 1,
    nonFiniteByColumn: { b: 1 },
    missingCells: 0,
    invalidNumberCells: 0,
    invalidNumberByColumn: {},
    renamedHeaders: [],
    duplicateColumns: [],
    droppedColumns: [],
    repairedLabels: [],
    repairedTextCells: 0,
    notes: ['1 Infinity/NaN cell in b stored as missing.'],
  },
};

type Mode = 'succeed' | 'fail' | 'hang' | 'finish-before-return' | 'silent';

/** Simulates the import job the real backend runs: progress events, then jobs.finished. */
class FakeBackend implements Backend {
  readonly workspacePath: string;
  listeners = new Set<EventListener>();
  calls: Array<{ name: string; input: unknown }> = [];
  closed = false;
  jobs = new Map<number, JobInfo>();
  constructor(
    readonly opts: BackendOptions,
    readonly mode: Mode,
  ) {
    this.workspacePath = opts.workspacePath ?? '/default/workspace.sqlite';
  }
  emit(event: AnyEvent): void {
    for (const l of [...this.listeners]) l(event);
  }
  private job(id: number, status: JobInfo['status'], extra: Partial<JobInfo> = {}): JobInfo {
    return {
      id,
      kind: 'import',
      title: 'Import',
      status,
      progress: { phase: 'reading', current: 0, total: 100 },
      createdAt: new Date(0).toISOString(),
      finishedAt: status === 'running' ? null : new Date(0).toISOString(),
      result: null,
      error: null,
      ...extra,
    };
  }
  private finish(job: JobInfo): void {
    this.jobs.set(job.id, job);
    this.emit({ name: 'jobs.finished', payload: job });
  }
  async call(name: string, input: unknown): Promise<never> {
    return (await this.callUnknown(name, input)) as never;
  }
  async callUnknown(name: string, input: unknown): Promise<unknown> {
    this.calls.push({ name, input });
    if (name === 'datasets.list') {
      const d: DatasetSummary = {
        id: 1,
        name: 'tiny',
        format: 'csv',
        profile: 'csv',
        rows: 3,
        features: 2,
        classes: 2,
        labelled: true,
        files: 1,
        bytes: 40,
        createdAt: '2025-01-02T03:04:05.000Z',
      };
      return { datasets: [d] };
    }
    if (name === 'datasets.import') {
      const id = 7;
      this.jobs.set(id, this.job(id, 'running'));
      if (this.mode === 'finish-before-return') {
        this.finish(this.job(id, 'succeeded', { result: RESULT }));
        return { jobId: id };
      }
      setTimeout(() => {
        this.emit({ name: 'jobs.progress', payload: { jobId: id, kind: 'import', phase: 'reading', current: 50, total: 100, bytes: 20, totalBytes: 40, rows: 2 } });
        if (this.mode === 'succeed') this.finish(this.job(id, 'succeeded', { result: RESULT }));
        if (this.mode === 'fail')
          this.finish(this.job(id, 'failed', { error: { code: 'IMPORT_REJECTED', message: 'The file has no rows of flows.' } }));
        if (this.mode === 'silent') this.jobs.set(id, this.job(id, 'succeeded', { result: RESULT })); // no event
      }, 10);
      return { jobId: id };
    }
    if (name === 'jobs.cancel') {
      const id = (input as { id: number }).id;
      setTimeout(() => this.finish(this.job(id, 'cancelled', { error: { code: 'CANCELLED', message: 'Cancelled.' } })), 10);
      return { cancelled: true };
    }
    if (name === 'jobs.get') {
      const job = this.jobs.get((input as { id: number }).id);
      if (!job) throw new FlowsightError('NOT_FOUND', 'No such job.');
      return job;
    }
    throw new FlowsightError('UNKNOWN_COMMAND', `No command ${name}.`);
  }
  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async receiveUpload(_n: string, _b: Readable | AsyncIterable<Uint8Array>): Promise<UploadResult> {
    throw new Error('not used');
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

interface Harness {
  ctx: CliContext;
  out: () => string;
  err: () => string;
  backends: FakeBackend[];
  signal: (s: 'SIGINT' | 'SIGTERM') => void;
}

function harness(mode: Mode = 'succeed', opts: { tty?: boolean; env?: Record<string, string>; cwd?: string } = {}): Harness {
  let out = '';
  let err = '';
  const backends: FakeBackend[] = [];
  const handlers = { SIGINT: new Set<() => void>(), SIGTERM: new Set<() => void>() };
  const ctx: CliContext = {
    stdout: { write: (s: string) => ((out += s), true) },
    stderr: { write: (s: string) => ((err += s), true), isTTY: opts.tty ?? false, columns: 100 },
    env: opts.env ?? {},
    cwd: opts.cwd ?? '/',
    async createBackend(o) {
      const b = new FakeBackend(o, mode);
      backends.push(b);
      return b;
    },
    onSignal(s, h) {
      handlers[s].add(h);
      return () => handlers[s].delete(h);
    },
  };
  return {
    ctx,
    out: () => out,
    err: () => err,
    backends,
    signal: (s) => {
      for (const h of [...handlers[s]]) h();
    },
  };
}

describe('flowsight CLI (in process, fake backend)', () => {
  let tmp: string;
  let csv: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'flowsight-cli-'));
    csv = join(tmp, 'tiny.csv');
    writeFileSync(csv, 'a,b,Label\n1,2,BENIGN\n3,Infinity,BENIGN\n5,6,DDoS\n');
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  describe('argument parsing', () => {
    it('finds the command after global options', () => {
      const p = parseCommandLine(['--workspace', 'w.sqlite', 'import', 'a.csv', '--json']);
      expect(p.command).toBe('import');
      expect(p.positionals).toEqual(['a.csv']);
      expect(p.values).toMatchObject({ workspace: 'w.sqlite', json: true });
    });

    it('names an unknown option in one sentence', () => {
      expect(() => parseCommandLine(['import', 'a.csv', '--colour'])).toThrow(
        new UsageError("Unknown option '--colour' for 'flowsight import'; run 'flowsight import --help' to see its options."),
      );
      // an option of another command is unknown here
      expect(() => parseCommandLine(['datasets', '--port', '1'])).toThrow(/Unknown option '--port'/);
    });

    it('explains a missing or misplaced value', () => {
      expect(() => parseCommandLine(['serve', '--port'])).toThrow("Option '--port' needs a value (--port N).");
      expect(() => parseCommandLine(['import', 'a.csv', '--name', '--json'])).toThrow(/needs a value, but got the option '--json'/);
      expect(() => parseCommandLine(['datasets', '--json=yes'])).toThrow("Option '--json' does not take a value.");
    });

    it('supports help in every spelling', () => {
      expect(parseCommandLine(['help', 'serve'])).toMatchObject({ command: 'serve', values: { help: true } });
      expect(parseCommandLine(['serve', '-h']).values.help).toBe(true);
      expect(() => parseCommandLine(['help', 'nope'])).toThrow(/Unknown command 'nope'/);
    });
  });

  describe('import', () => {
    it('passes absolute paths and flags to datasets.import and prints one JSON document', async () => {
      const h = harness('succeed', { cwd: tmp, env: { FLOWSIGHT_WORKSPACE: 'env.sqlite' } });
      const code = await runCli(['import', 'tiny.csv', '--json', '--format', 'csv', '--label', 'none', '--name', 'My set'], h.ctx);
      expect(code).toBe(0);
      const b = h.backends[0]!;
      expect(b.opts).toEqual({ workspacePath: join(tmp, 'env.sqlite'), face: 'cli' });
      expect(b.calls[0]).toEqual({
        name: 'datasets.import',
        input: { paths: [csv], format: 'csv', label: null, name: 'My set' },
      });
      const doc = JSON.parse(h.out());
      expect(Object.keys(doc).slice(0, 8)).toEqual(['id', 'name', 'format', 'profile', 'rows', 'features', 'labels', 'cleaning']);
      expect(doc).toEqual(RESULT);
      expect(h.err()).toBe('');
      expect(b.closed).toBe(true);
      expect(b.listeners.size).toBe(0);
    });

    it('--workspace wins over FLOWSIGHT_WORKSPACE; --label COLUMN passes through', async () => {
      const h = harness('succeed', { cwd: tmp, env: { FLOWSIGHT_WORKSPACE: 'env.sqlite' } });
      await runCli(['--workspace', 'flag.sqlite', 'import', csv, '--label', 'Label'], h.ctx);
      expect(h.backends[0]!.opts.workspacePath).toBe(join(tmp, 'flag.sqlite'));
      expect(h.backends[0]!.calls[0]!.input).toMatchObject({ label: 'Label', format: 'auto' });
    });

    it('prints a human summary with classes and cleaning notes', async () => {
      const h = harness('succeed', { cwd: tmp });
      expect(await runCli(['import', csv], h.ctx)).toBe(0);
      expect(h.out()).toContain("Imported 'tiny' as dataset #1: 3 rows, 2 features.");
      expect(h.out()).toMatch(/BENIGN\s+2\s+66\.7%/);
      expect(h.out()).toMatch(/DDoS\s+1\s+33\.3%/);
      expect(h.out()).toContain('1 Infinity/NaN cell in b stored as missing.');
    });

    it('draws progress on a TTY stderr only, and clears it', async () => {
      const tty = harness('succeed', { cwd: tmp, tty: true });
      await runCli(['import', csv], tty.ctx);
      expect(tty.err()).toContain('Importing: reading · 20 B of 40 B · 2 rows · 50%');
      expect(tty.err().endsWith('\r\x1b[2K')).toBe(true);
      const json = harness('succeed', { cwd: tmp, tty: true });
      await runCli(['import', csv, '--json'], json.ctx);
      expect(json.err()).toBe('');
    });

    it('handles a job that finishes before datasets.import returns', async () => {
      const h = harness('finish-before-return', { cwd: tmp });
      expect(await runCli(['import', csv, '--json'], h.ctx)).toBe(0);
      expect(JSON.parse(h.out()).id).toBe(1);
    });

    it('finds the outcome by polling when no event arrives', async () => {
      const h = harness('silent', { cwd: tmp });
      expect(await runCli(['import', csv, '--json'], h.ctx)).toBe(0);
      expect(h.backends[0]!.calls.some((c) => c.name === 'jobs.get')).toBe(true);
    });

    it('reports a failed job as one sentence, exit 1', async () => {
      const h = harness('fail', { cwd: tmp });
      expect(await runCli(['import', csv], h.ctx)).toBe(1);
      expect(h.err()).toBe('The file has no rows of flows.\n');
      expect(h.out()).toBe('');
    });

    it('cancels the job on Ctrl-C and exits 130', async () => {
      const h = harness('hang', { cwd: tmp });
      const running = runCli(['import', csv], h.ctx);
      // wait until the job exists
      for (let i = 0; i < 100 && !h.backends[0]?.jobs.size; i++) await new Promise((r) => setTimeout(r, 5));
      h.signal('SIGINT');
      expect(await running).toBe(130);
      expect(h.backends[0]!.calls.map((c) => c.name)).toContain('jobs.cancel');
      expect(h.err()).toContain('Import cancelled; nothing was stored.');
      expect(h.backends[0]!.closed).toBe(true);
    });

    it('does not start the job when Ctrl-C comes while the workspace opens', async () => {
      const h = harness('succeed', { cwd: tmp });
      const create = h.ctx.createBackend.bind(h.ctx);
      h.ctx.createBackend = async (o) => {
        h.signal('SIGINT');
        return create(o);
      };
      expect(await runCli(['import', csv], h.ctx)).toBe(130);
      expect(h.backends[0]!.calls).toEqual([]);
      expect(h.err()).toBe('Import cancelled; nothing was stored.\n');
      expect(h.backends[0]!.closed).toBe(true);
    });

    it('refuses a path that does not exist without opening the workspace', async () => {
      const h = harness('succeed', { cwd: tmp });
      expect(await runCli(['import', 'missing.csv'], h.ctx)).toBe(1);
      expect(h.err()).toBe('There is no file or folder at missing.csv.\n');
      expect(h.backends).toHaveLength(0);
    });

    it('checks --format, --sample and what to import (exit 2)', async () => {
      for (const [args, msg] of [
        [['import', csv, '--format', 'pcap'], "Unknown format 'pcap'"],
        [['import', '--sample', 'kdd99'], "Unknown sample 'kdd99'"],
        [['import', csv, '--sample', 'nsl-kdd'], 'not both'],
        [['import'], 'Say what to import'],
      ] as const) {
        const h = harness('succeed', { cwd: tmp });
        expect(await runCli([...args], h.ctx), args.join(' ')).toBe(2);
        expect(h.err()).toContain(msg);
        expect(h.err().trim().split('\n')).toHaveLength(1);
      }
    });

    it('imports a sample', async () => {
      const h = harness('succeed', { cwd: tmp });
      expect(await runCli(['import', '--sample', 'nsl-kdd', '--json'], h.ctx)).toBe(0);
      expect(h.backends[0]!.calls[0]!.input).toEqual({ sample: 'nsl-kdd', format: 'auto' });
    });
  });

  describe('datasets', () => {
    it('prints {"datasets":[...]} with --json', async () => {
      const h = harness();
      expect(await runCli(['datasets', '--json'], h.ctx)).toBe(0);
      const doc = JSON.parse(h.out());
      expect(doc.datasets).toHaveLength(1);
      expect(doc.datasets[0]).toMatchObject({ id: 1, name: 'tiny', format: 'csv', rows: 3 });
    });

    it('prints a table', async () => {
      const h = harness();
      await runCli(['datasets'], h.ctx);
      const lines = h.out().trimEnd().split('\n');
      expect(lines[0]).toMatch(/^\s*ID\s+NAME\s+FORMAT\s+PROFILE\s+ROWS\s+FEATURES\s+CLASSES\s+CREATED$/);
      expect(lines[1]).toMatch(/1\s+tiny\s+csv\s+csv\s+3\s+2\s+2\s+\d{4}-\d\d-\d\d \d\d:\d\d$/);
      expect(lines[1]).toContain(localTime('2025-01-02T03:04:05.000Z'));
      expect(datasetsTable([])).toContain('No datasets yet');
    });
  });

  describe('serve', () => {
    it('serves until SIGTERM, then closes server and backend', async () => {
      const h = harness();
      const running = runCli(['serve', '--port', '0'], h.ctx);
      for (let i = 0; i < 200 && !h.out(); i++) await new Promise((r) => setTimeout(r, 5));
      const m = /^Flowsight is serving at (http:\/\/127\.0\.0\.1:(\d+))\n$/.exec(h.out());
      expect(m).not.toBeNull();
      const res = await fetch(`${m![1]}/api/datasets.list`, { method: 'POST', body: '{}' });
      expect((await res.json()).ok).toBe(true);
      expect(h.backends[0]!.opts.face).toBe('browser');
      h.signal('SIGTERM');
      expect(await running).toBe(0);
      expect(h.backends[0]!.closed).toBe(true);
      await expect(fetch(`${m![1]}/`)).rejects.toThrow();
    });

    it('warns on stderr when not bound to loopback', async () => {
      const h = harness();
      const running = runCli(['serve', '--port', '0', '--host', '0.0.0.0'], h.ctx);
      for (let i = 0; i < 200 && !h.out(); i++) await new Promise((r) => setTimeout(r, 5));
      expect(h.out()).toMatch(/^Flowsight is serving at http:\/\/0\.0\.0\.0:\d+\n$/);
      expect(h.err()).toMatch(/^Warning: listening on 0\.0\.0\.0/);
      h.signal('SIGINT');
      expect(await running).toBe(0);
    });

    it('says when an explicit port is busy', async () => {
      const first = harness();
      const running = runCli(['serve', '--port', '0'], first.ctx);
      for (let i = 0; i < 200 && !first.out(); i++) await new Promise((r) => setTimeout(r, 5));
      const port = /:(\d+)\n$/.exec(first.out())![1]!;
      const second = harness();
      expect(await runCli(['serve', '--port', port], second.ctx)).toBe(1);
      expect(second.err()).toBe(`Port ${port} is already in use; pick another with --port (0 picks a free one).\n`);
      expect(second.backends[0]!.closed).toBe(true);
      first.signal('SIGINT');
      await running;
    });

    it('rejects a bad port before opening anything', async () => {
      const h = harness();
      expect(await runCli(['serve', '--port', 'http'], h.ctx)).toBe(2);
      expect(h.backends).toHaveLength(0);
      const env = harness('succeed', { env: { FLOWSIGHT_PORT: '-1' } });
      expect(await runCli(['serve'], env.ctx)).toBe(2);
      expect(env.err()).toContain('FLOWSIGHT_PORT');
    });
  });

  describe('errors', () => {
    it('prints backend errors as one sentence; stack traces only with --debug', async () => {
      const boom = (debug: boolean) => {
        const h = harness();
        h.ctx.createBackend = async () => {
          throw new FlowsightError('WORKSPACE_TOO_NEW', 'This workspace was written by a newer Flowsight (schema 9); update Flowsight to open it.');
        };
        return runCli(debug ? ['datasets', '--debug'] : ['datasets'], h.ctx).then((code) => ({ code, err: h.err() }));
      };
      const plain = await boom(false);
      expect(plain.code).toBe(1);
      expect(plain.err).toBe('This workspace was written by a newer Flowsight (schema 9); update Flowsight to open it.\n');
      const debug = await boom(true);
      expect(debug.err).toContain('    at ');
    });

    it('wraps unexpected errors with a hint about --debug', async () => {
      const h = harness();
      h.ctx.createBackend = async () => {
        throw new TypeError('x is not a function');
      };
      expect(await runCli(['datasets'], h.ctx)).toBe(1);
      expect(h.err()).toBe('Flowsight failed unexpectedly: x is not a function; run again with --debug for details.\n');
    });

    it('prints the version and help', async () => {
      const v = harness();
      expect(await runCli(['--version'], v.ctx)).toBe(0);
      expect(v.out()).toMatch(/^\d+\.\d+\.\d+/);
      const help = harness();
      expect(await runCli(['import', '--help'], help.ctx)).toBe(0);
      expect(help.out()).toContain('--label COLUMN');
      const none = harness();
      expect(await runCli([], none.ctx)).toBe(2);
      expect(none.err()).toContain('Usage: flowsight <command>');
    });
  });

  describe('formatting', () => {
    it('fits the progress line to the terminal', () => {
      const line = progressLine({ phase: 'writing', current: 1, total: 3, rows: 1234567 }, 30);
      expect(line.length).toBeLessThanOrEqual(29);
      expect(progressLine({ phase: 'writing', current: 1, total: 3, rows: 1234567 }, 200)).toBe('Importing: writing · 1,234,567 rows · 33%');
    });

    it('says when traffic is unlabelled', () => {
      expect(importSummary({ ...RESULT, labels: {} })).toContain('none (unlabelled traffic)');
    });
  });
});
