import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, BackendOptions } from '../backend/api.js';
import type {
  ClassificationMetrics,
  DatasetSummary,
  EvaluateResult,
  ImportResult,
  JobInfo,
  JobKind,
  ModelSummary,
  ScoreResult,
  TrainResult,
} from '../contract/dto.js';
import { FlowsightError } from '../contract/errors.js';
import type { AnyEvent, EventListener } from '../contract/events.js';
import type { UploadResult } from '../contract/transport.js';
import { parseCommandLine, parseSetOptions, parseSetValue, UsageError } from './args.js';
import { trainInput } from './commands/train.js';
import type { CliContext } from './context.js';
import {
  datasetsTable,
  evaluationText,
  importSummary,
  jobProgressLine,
  localTime,
  modelsTable,
  progressLine,
  trainSummary,
} from './format.js';
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

// ---- train / evaluate / score / models ---------------------------------------------------------

const METRICS: ClassificationMetrics = {
  accuracy: 0.95,
  macroF1: 0.9,
  weightedF1: 0.94,
  balancedAccuracy: 0.91,
  mcc: 0.88,
  detectionRate: 0.97,
  falsePositiveRate: 0.02,
  perClass: {
    benign: { precision: 0.98, recall: 0.98, f1: 0.98, support: 1200 },
    attack: { precision: 0.9, recall: 0.97, f1: 0.93, support: 300 },
  },
  confusion: { labels: ['benign', 'attack'], matrix: [[1176, 24], [9, 291]] },
};

const TRAIN_RESULT: TrainResult = { modelId: 5, model: 'extra-trees', target: 'binary', fitSeconds: 1.25, metrics: METRICS };

const MODEL: ModelSummary = {
  id: 5,
  name: 'Extra Trees on tiny',
  kind: 'extra-trees',
  datasetId: 1,
  datasetName: 'tiny',
  target: 'binary',
  classes: ['benign', 'attack'],
  evaluation: { kind: 'split', testSize: 0.3 },
  params: { nTrees: 20 },
  seed: 42,
  nFeatures: 41,
  trainRows: 3500,
  testRows: 1500,
  fitSeconds: 1.25,
  createdAt: '2025-01-02T03:04:05.000Z',
  accuracy: 0.95,
  macroF1: 0.9,
  weightedF1: 0.94,
  detectionRate: 0.97,
  falsePositiveRate: 0.02,
};

type ModelMode = 'succeed' | 'hang' | 'fail';

/** Simulates the train / evaluate / score jobs of the real backend: progress, then jobs.finished. */
class ModelsFakeBackend implements Backend {
  readonly workspacePath = '/default/workspace.sqlite';
  listeners = new Set<EventListener>();
  calls: Array<{ name: string; input: unknown }> = [];
  closed = false;
  jobs = new Map<number, JobInfo>();
  constructor(
    readonly opts: BackendOptions,
    readonly mode: ModelMode,
  ) {}
  emit(event: AnyEvent): void {
    for (const l of [...this.listeners]) l(event);
  }
  private startJob(kind: JobKind, result: JobInfo['result']): { jobId: number } {
    const id = 20 + this.jobs.size;
    const base: JobInfo = {
      id,
      kind,
      title: kind,
      status: 'running',
      progress: { phase: 'starting', current: 0, total: 0 },
      createdAt: new Date(0).toISOString(),
      finishedAt: null,
      result: null,
      error: null,
    };
    this.jobs.set(id, base);
    setTimeout(() => {
      this.emit({
        name: 'jobs.progress',
        payload: { jobId: id, kind, phase: 'trees', current: 50, total: 100, metric: { name: 'accuracy', value: 0.9 } },
      });
      if (this.mode === 'hang') return;
      const done: JobInfo =
        this.mode === 'fail'
          ? { ...base, status: 'failed', error: { code: 'BAD_INPUT', message: 'Dataset "tiny" has no benign class.' } }
          : { ...base, status: 'succeeded', result };
      this.jobs.set(id, done);
      this.emit({ name: 'jobs.finished', payload: done });
    }, 10);
    return { jobId: id };
  }
  async call(name: string, input: unknown): Promise<never> {
    return (await this.callUnknown(name, input)) as never;
  }
  async callUnknown(name: string, input: unknown): Promise<unknown> {
    this.calls.push({ name, input });
    const args = input as Record<string, unknown>;
    switch (name) {
      case 'models.train': {
        const params = (args.params ?? {}) as Record<string, unknown>;
        const valid = ['nTrees', 'maxDepth', 'maxFeatures', 'bootstrap'];
        const unknown = Object.keys(params).filter((k) => !valid.includes(k));
        if (unknown.length) {
          throw new FlowsightError(
            'BAD_INPUT',
            `Extra Trees has no parameter ${unknown.map((k) => `"${k}"`).join(', ')}. Its parameters: ${valid.join(', ')}.`,
          );
        }
        return this.startJob('train', { ...TRAIN_RESULT, model: args.model as TrainResult['model'] });
      }
      case 'models.evaluate': {
        const r: EvaluateResult = { modelId: args.id as number, datasetId: args.datasetId as number, metrics: METRICS, predictRowsPerSecond: 250000, rows: 1500 };
        return this.startJob('evaluate', r);
      }
      case 'models.score': {
        const r: ScoreResult = { modelId: args.id as number, out: args.out as string, rows: 4, flagged: 1, classCounts: { benign: 3, attack: 1 }, seconds: 0.1 };
        return this.startJob('score', r);
      }
      case 'models.list':
        return { models: [MODEL] };
      case 'models.get':
        if (args.id !== 5) throw new FlowsightError('NOT_FOUND', `There is no model #${String(args.id)}.`);
        return { ...MODEL, metrics: METRICS };
      case 'datasets.get':
        return { id: args.id, name: 'tiny' };
      case 'jobs.cancel': {
        const id = args.id as number;
        setTimeout(() => {
          const job: JobInfo = { ...this.jobs.get(id)!, status: 'cancelled', error: { code: 'CANCELLED', message: 'Training was cancelled.' } };
          this.jobs.set(id, job);
          this.emit({ name: 'jobs.finished', payload: job });
        }, 10);
        return { cancelled: true };
      }
      case 'jobs.get': {
        const job = this.jobs.get(args.id as number);
        if (!job) throw new FlowsightError('NOT_FOUND', 'No such job.');
        return job;
      }
      default:
        throw new FlowsightError('UNKNOWN_COMMAND', `No command ${name}.`);
    }
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

function modelsHarness(mode: ModelMode = 'succeed', opts: { tty?: boolean; cwd?: string } = {}) {
  let out = '';
  let err = '';
  const backends: ModelsFakeBackend[] = [];
  const handlers = { SIGINT: new Set<() => void>(), SIGTERM: new Set<() => void>() };
  const ctx: CliContext = {
    stdout: { write: (s: string) => ((out += s), true) },
    stderr: { write: (s: string) => ((err += s), true), isTTY: opts.tty ?? false, columns: 100 },
    env: {},
    cwd: opts.cwd ?? '/',
    async createBackend(o) {
      const b = new ModelsFakeBackend(o, mode);
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
    signal: (s: 'SIGINT' | 'SIGTERM') => {
      for (const h of [...handlers[s]]) h();
    },
  };
}

describe('flowsight train / evaluate / score / models (in process, fake backend)', () => {
  let tmp: string;
  let csv: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'flowsight-cli-models-'));
    csv = join(tmp, 'flows.csv');
    writeFileSync(csv, 'a,b,Label\n1,2,BENIGN\n3,4,BENIGN\n5,6,DDoS\n7,8,BENIGN\n');
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  describe('argument parsing', () => {
    it('collects every train flag; --set repeats', () => {
      const p = parseCommandLine(['train', '--dataset', '3', '--model', 'extra-trees', '--set', 'nTrees=20', '--set', 'bootstrap=true', '--json']);
      expect(p.command).toBe('train');
      expect(p.values).toMatchObject({ dataset: '3', model: 'extra-trees', set: ['nTrees=20', 'bootstrap=true'], json: true });
      expect(parseCommandLine(['train', '--test-size=0.2', '--test-dataset', '4']).values).toMatchObject({ 'test-size': '0.2', 'test-dataset': '4' });
      expect(() => parseCommandLine(['train', '--set'])).toThrow("Option '--set' needs a value (--set KEY=VALUE).");
      expect(() => parseCommandLine(['train', 'extra'])).toThrow(/takes no arguments, but got 'extra'/);
    });

    it('parses --set values: numbers, booleans, else text', () => {
      expect(parseSetValue('20')).toBe(20);
      expect(parseSetValue('0.05')).toBe(0.05);
      expect(parseSetValue('-1.5')).toBe(-1.5);
      expect(parseSetValue('1e-3')).toBe(0.001);
      expect(parseSetValue('.5')).toBe(0.5);
      expect(parseSetValue('true')).toBe(true);
      expect(parseSetValue('false')).toBe(false);
      expect(parseSetValue('sqrt')).toBe('sqrt');
      expect(parseSetValue('0x10')).toBe('0x10');
      expect(parseSetValue('Infinity')).toBe('Infinity');
      expect(parseSetValue('True')).toBe('True');
      expect(parseSetValue('')).toBe('');
      expect(parseSetOptions(['nTrees=20', 'maxFeatures=log2', 'name=a=b', ' nTrees = 30'])).toEqual({ nTrees: 30, maxFeatures: 'log2', name: 'a=b' });
      expect(parseSetOptions(undefined)).toEqual({});
      expect(() => parseSetOptions(['nTrees'])).toThrow("Option '--set' needs key=value (for example --set nTrees=200), not 'nTrees'.");
      expect(() => parseSetOptions(['=3'])).toThrow(UsageError);
    });

    it('builds the models.train input', () => {
      expect(trainInput({ dataset: '3', model: 'random-forest' })).toEqual({ datasetId: 3, model: 'random-forest', params: {} });
      expect(
        trainInput({
          dataset: '3',
          model: 'gradient-boosting',
          target: 'label',
          testSize: '0.25',
          seed: '7',
          set: ['maxRounds=10', 'learningRate=0.3', 'growth=depth'],
          name: 'GB quick',
        }),
      ).toEqual({
        datasetId: 3,
        model: 'gradient-boosting',
        target: 'label',
        testSize: 0.25,
        seed: 7,
        params: { maxRounds: 10, learningRate: 0.3, growth: 'depth' },
        name: 'GB quick',
      });
      expect(trainInput({ dataset: '1', model: 'extra-trees', folds: '5' }).folds).toBe(5);
      expect(trainInput({ dataset: '1', model: 'extra-trees', testDataset: '2' }).testDatasetId).toBe(2);
      expect(trainInput({ dataset: '1', model: 'extra-trees', testSize: '30%' }).testSize).toBeCloseTo(0.3);
    });

    it('passes the flags to models.train', async () => {
      const h = modelsHarness();
      const code = await runCli(
        ['train', '--dataset', '3', '--model', 'isolation-forest', '--target', 'binary', '--folds', '3', '--seed', '0', '--set', 'nTrees=20', '--set', 'maxDepth=8', '--json'],
        h.ctx,
      );
      expect(code).toBe(0);
      expect(h.backends[0]!.calls[0]).toEqual({
        name: 'models.train',
        input: { datasetId: 3, model: 'isolation-forest', target: 'binary', folds: 3, seed: 0, params: { nTrees: 20, maxDepth: 8 } },
      });
    });

    it('refuses bad values before opening the workspace (exit 2, one sentence)', async () => {
      for (const [args, msg] of [
        [['train', '--dataset', '1', '--model', 'xgboost'], "Unknown model 'xgboost'; use one of isolation-forest, extra-trees, random-forest, gradient-boosting, ann, mlp, dnn, cnn, autoencoder."],
        [['train', '--dataset', '1'], "Option '--model' is required"],
        [['train', '--model', 'extra-trees'], "Option '--dataset' is required"],
        [['train', '--dataset', 'tiny', '--model', 'extra-trees'], "Option '--dataset' needs a dataset id (a whole number such as 1), not 'tiny'."],
        [['train', '--dataset', '1', '--model', 'extra-trees', '--target', 'attack'], "Unknown target 'attack'; use one of binary, category, label."],
        [['train', '--dataset', '1', '--model', 'extra-trees', '--folds', '3', '--test-size', '0.2'], 'Give only one of --test-dataset, --test-size and --folds'],
        [['train', '--dataset', '1', '--model', 'extra-trees', '--test-dataset', '2', '--folds', '3'], 'Give only one of'],
        [['train', '--dataset', '1', '--model', 'extra-trees', '--test-size', '1.5'], "Option '--test-size' needs a share between 0 and 1"],
        [['train', '--dataset', '1', '--model', 'extra-trees', '--folds', '1'], "Option '--folds' needs a whole number from 2 to 20"],
        [['train', '--dataset', '1', '--model', 'extra-trees', '--seed', 'abc'], "Option '--seed' needs a whole number"],
        [['train', '--dataset', '1', '--model', 'extra-trees', '--set', 'nTrees'], "Option '--set' needs key=value"],
        [['evaluate', '--model', '5'], "Option '--dataset' is required"],
        [['evaluate', '--model', 'x', '--dataset', '1'], "Option '--model' needs a model id"],
        [['score', '--model', '5', '--out', 'o.csv'], 'Say what to score'],
        [['score', '--model', '5', 'a.csv', 'b.csv', '--out', 'o.csv'], 'Score one file'],
        [['score', '--model', '5', 'flows.csv'], "Option '--out' is required"],
        [['models', '--dataset', '0'], "Option '--dataset' needs a dataset id"],
      ] as const) {
        const h = modelsHarness('succeed', { cwd: tmp });
        expect(await runCli([...args], h.ctx), args.join(' ')).toBe(2);
        expect(h.err()).toContain(msg);
        expect(h.err().trim().split('\n')).toHaveLength(1);
        expect(h.backends, args.join(' ')).toHaveLength(0);
        expect(h.out()).toBe('');
      }
    });

    it('lists the new commands in help', async () => {
      const h = modelsHarness();
      expect(await runCli(['--help'], h.ctx)).toBe(0);
      for (const c of ['train', 'evaluate', 'score', 'models']) expect(h.out()).toMatch(new RegExp(`^  ${c} `, 'm'));
      const t = modelsHarness();
      expect(await runCli(['train', '--help'], t.ctx)).toBe(0);
      for (const f of ['--dataset ID', '--model KIND', '--target TARGET', '--test-dataset ID', '--test-size SHARE', '--folds K', '--seed N', '--set KEY=VALUE', '--name NAME', '--json']) {
        expect(t.out()).toContain(f);
      }
      expect(t.out()).toContain('isolation-forest | extra-trees | random-forest | gradient-boosting');
    });
  });

  describe('train', () => {
    it('--json prints exactly the TrainResult, agreed keys in order', async () => {
      const h = modelsHarness('succeed', { tty: true });
      expect(await runCli(['train', '--dataset', '1', '--model', 'extra-trees', '--target', 'binary', '--json'], h.ctx)).toBe(0);
      const doc = JSON.parse(h.out());
      expect(Object.keys(doc)).toEqual(['modelId', 'model', 'target', 'fitSeconds', 'metrics']);
      expect(doc).toEqual(TRAIN_RESULT);
      expect(h.err()).toBe('');
      expect(h.backends[0]!.closed).toBe(true);
      expect(h.backends[0]!.listeners.size).toBe(0);
    });

    it('prints a readable summary with the per-class table', async () => {
      const h = modelsHarness();
      expect(await runCli(['train', '--dataset', '1', '--model', 'extra-trees'], h.ctx)).toBe(0);
      const text = h.out();
      expect(text).toContain("Trained model #5 'Extra Trees on tiny': extra-trees, target binary, fitted in 1.25 s.");
      expect(text).toContain('tested by 30% hold-out (1,500 rows)');
      expect(text).toMatch(/Accuracy\s+0\.9500/);
      expect(text).toMatch(/Macro-F1\s+0\.9000/);
      expect(text).toMatch(/Weighted-F1\s+0\.9400/);
      expect(text).toMatch(/Detection rate \(DR\)\s+0\.9700/);
      expect(text).toMatch(/False-positive rate \(FPR\)\s+0\.0200/);
      expect(text).toMatch(/CLASS\s+PRECISION\s+RECALL\s+F1\s+SUPPORT/);
      expect(text).toMatch(/benign\s+0\.9800\s+0\.9800\s+0\.9800\s+1,200/);
      expect(text).toMatch(/attack\s+0\.9000\s+0\.9700\s+0\.9300\s+300/);
    });

    it('draws progress with the live metric on a TTY', async () => {
      const h = modelsHarness('succeed', { tty: true });
      expect(await runCli(['train', '--dataset', '1', '--model', 'extra-trees'], h.ctx)).toBe(0);
      expect(h.err()).toContain('Training: trees · 50/100 · 50% · accuracy 0.9000');
      expect(h.err().endsWith('\r\x1b[2K')).toBe(true);
    });

    it('an unknown --set key is refused by the backend: exit 1, naming it', async () => {
      const h = modelsHarness();
      expect(await runCli(['train', '--dataset', '1', '--model', 'extra-trees', '--set', 'nope=1'], h.ctx)).toBe(1);
      expect(h.err()).toBe('Extra Trees has no parameter "nope". Its parameters: nTrees, maxDepth, maxFeatures, bootstrap.\n');
      expect(h.out()).toBe('');
      expect(h.backends[0]!.closed).toBe(true);
    });

    it('a failed job is one sentence, exit 1', async () => {
      const h = modelsHarness('fail');
      expect(await runCli(['train', '--dataset', '1', '--model', 'extra-trees', '--json'], h.ctx)).toBe(1);
      expect(h.err()).toBe('Dataset "tiny" has no benign class.\n');
      expect(h.out()).toBe('');
    });

    it('Ctrl-C cancels the training and exits 130', async () => {
      const h = modelsHarness('hang', { tty: true });
      const running = runCli(['train', '--dataset', '1', '--model', 'extra-trees'], h.ctx);
      for (let i = 0; i < 100 && !h.backends[0]?.jobs.size; i++) await new Promise((r) => setTimeout(r, 5));
      h.signal('SIGINT');
      expect(await running).toBe(130);
      expect(h.backends[0]!.calls.map((c) => c.name)).toContain('jobs.cancel');
      expect(h.err()).toContain('Cancelling the training… (Ctrl-C again to quit at once)');
      expect(h.err()).toContain('Training cancelled; no model was stored.\n');
      expect(h.out()).toBe('');
      expect(h.backends[0]!.closed).toBe(true);
    });

    it('a second Ctrl-C stops at once', async () => {
      const h = modelsHarness('hang');
      const running = runCli(['train', '--dataset', '1', '--model', 'extra-trees'], h.ctx);
      for (let i = 0; i < 100 && !h.backends[0]?.jobs.size; i++) await new Promise((r) => setTimeout(r, 5));
      // the cancel never lands
      h.backends[0]!.callUnknown = async (name: string) => (name === 'jobs.cancel' ? { cancelled: true } : h.backends[0]!.jobs.get(20));
      h.signal('SIGINT');
      h.signal('SIGINT');
      expect(await running).toBe(130);
      expect(h.err()).toBe('Stopped without waiting for the training to cancel.\n');
    });
  });

  describe('evaluate', () => {
    it('--json starts with metrics and predictRowsPerSecond', async () => {
      const h = modelsHarness();
      expect(await runCli(['evaluate', '--model', '5', '--dataset', '2', '--json'], h.ctx)).toBe(0);
      expect(h.backends[0]!.calls[0]).toEqual({ name: 'models.evaluate', input: { id: 5, datasetId: 2 } });
      const doc = JSON.parse(h.out());
      expect(Object.keys(doc).slice(0, 2)).toEqual(['metrics', 'predictRowsPerSecond']);
      expect(doc).toMatchObject({ metrics: METRICS, predictRowsPerSecond: 250000, modelId: 5, datasetId: 2, rows: 1500 });
    });

    it('prints a readable summary', async () => {
      const h = modelsHarness();
      expect(await runCli(['evaluate', '--model', '5', '--dataset', '2'], h.ctx)).toBe(0);
      expect(h.out()).toContain("Evaluated model #5 'Extra Trees on tiny' on dataset #2 'tiny': 1,500 rows, 250,000 rows/s.");
      expect(h.out()).toMatch(/Macro-F1\s+0\.9000/);
      expect(h.out()).toMatch(/attack\s+0\.9000/);
    });
  });

  describe('score', () => {
    it('passes absolute paths and prints a one-line summary', async () => {
      const h = modelsHarness('succeed', { cwd: tmp });
      expect(await runCli(['score', '--model', '5', 'flows.csv', '--out', 'scored.csv'], h.ctx)).toBe(0);
      expect(h.backends[0]!.calls[0]).toEqual({ name: 'models.score', input: { id: 5, path: csv, out: join(tmp, 'scored.csv') } });
      expect(h.out()).toBe(`Scored 4 flows: 1 flagged (25.0%); wrote ${join(tmp, 'scored.csv')}.\n`);
    });

    it('--json prints the ScoreResult', async () => {
      const h = modelsHarness('succeed', { cwd: tmp });
      expect(await runCli(['score', '--model', '5', csv, '--out', join(tmp, 'o.csv'), '--json'], h.ctx)).toBe(0);
      expect(JSON.parse(h.out())).toEqual({ modelId: 5, out: join(tmp, 'o.csv'), rows: 4, flagged: 1, classCounts: { benign: 3, attack: 1 }, seconds: 0.1 });
    });

    it('refuses a file that does not exist without opening the workspace', async () => {
      const h = modelsHarness('succeed', { cwd: tmp });
      expect(await runCli(['score', '--model', '5', 'missing.csv', '--out', 'o.csv'], h.ctx)).toBe(1);
      expect(h.err()).toBe('There is no file or folder at missing.csv.\n');
      expect(h.backends).toHaveLength(0);
    });
  });

  describe('models', () => {
    it('prints {"models":[...]} with --json', async () => {
      const h = modelsHarness();
      expect(await runCli(['models', '--json'], h.ctx)).toBe(0);
      expect(JSON.parse(h.out())).toEqual({ models: [MODEL] });
      expect(h.backends[0]!.calls[0]).toEqual({ name: 'models.list', input: {} });
      const f = modelsHarness();
      await runCli(['models', '--dataset', '1', '--json'], f.ctx);
      expect(f.backends[0]!.calls[0]).toEqual({ name: 'models.list', input: { datasetId: 1 } });
    });

    it('prints a table', async () => {
      const h = modelsHarness();
      expect(await runCli(['models'], h.ctx)).toBe(0);
      const lines = h.out().trimEnd().split('\n');
      expect(lines[0]).toMatch(/^\s*ID\s+NAME\s+KIND\s+DATASET\s+TARGET\s+EVALUATION\s+ACCURACY\s+MACRO-F1\s+FIT S\s+CREATED$/);
      expect(lines[1]).toMatch(/5\s+Extra Trees on tiny\s+extra-trees\s+#1 tiny\s+binary\s+30% hold-out\s+0\.9500\s+0\.9000\s+1\.25\s+\d{4}-\d\d-\d\d \d\d:\d\d$/);
      expect(modelsTable([])).toContain('No models yet');
    });
  });

  describe('formatting', () => {
    it('fits the job progress line and shows the live metric', () => {
      expect(jobProgressLine('Training', { phase: 'rounds', current: 7, total: 300, metric: { name: 'logloss', value: 0.123456 } }, 200)).toBe(
        'Training: rounds · 7/300 · 2% · logloss 0.1235',
      );
      expect(jobProgressLine('Scoring', { phase: 'reading', current: 20, total: 40, bytes: 20, totalBytes: 40, rows: 2 }, 200)).toBe(
        'Scoring: reading · 20 B of 40 B · 2 rows · 50%',
      );
      expect(jobProgressLine('Training', { phase: 'loading', current: 0, total: 0 }, 200)).toBe('Training: loading');
      expect(jobProgressLine('Training', { phase: 'trees', current: 1, total: 3 }, 12).length).toBeLessThanOrEqual(11);
    });

    it('describes each way of testing', () => {
      expect(evaluationText({ kind: 'split', testSize: 0.25 })).toBe('25% hold-out');
      expect(evaluationText({ kind: 'folds', folds: 5 })).toBe('5-fold CV');
      expect(evaluationText({ kind: 'dataset', datasetId: 2, datasetName: 'KDDTest+' })).toBe('dataset #2 (KDDTest+)');
    });

    it('shows missing DR / FPR as a dash', () => {
      expect(trainSummary({ ...TRAIN_RESULT, metrics: { ...METRICS, detectionRate: null, falsePositiveRate: null } })).toMatch(/Detection rate \(DR\)\s+-$/m);
    });
  });
});
