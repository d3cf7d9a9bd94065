/**
 * Imports through createBackend and the real worker threads, on small files written here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createBackend, type CreateBackendOptions } from '../../electron/backend/index.js';
import type { Backend } from '../../electron/backend/api.js';
import type { JobInfo } from '../../electron/contract/dto.js';
import {
  importAndWait,
  recordEvents,
  removeTempDirs,
  tempDir,
  waitForJob,
  workspaceSnapshot,
  writeFlowCsv,
} from '../support/backend-fixtures.js';

afterAll(removeTempDirs);

const open: Backend[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((b) => b.close()));
});

async function backendIn(dir: string, extra: Partial<CreateBackendOptions> = {}): Promise<Backend> {
  const b = await createBackend({ workspacePath: path.join(dir, 'workspace.sqlite'), face: 'cli', ...extra });
  open.push(b);
  return b;
}

describe.each([
  ['overlapped parse and write', true],
  ['parse and write in one thread', false],
])('import (%s)', (_label, overlap) => {
  it('imports a CSV in chunks, reporting progress, and stores what it read', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'Tuesday-WorkingHours.pcap_ISCX.csv');
    const bytes = writeFlowCsv(file, 12_000);
    const backend = await backendIn(dir, { importTuning: { overlap, chunkBytes: 64 * 1024, batchRows: 1000, chunkDelayMs: 25 } });
    const events = recordEvents(backend);
    const job = await importAndWait(backend, { paths: [file] });
    expect(job.error).toBeNull();
    expect(job.status).toBe('succeeded');
    const result = job.result!;
    expect(result).toMatchObject({ name: 'Tuesday-WorkingHours.pcap_ISCX', rows: 12_000, format: 'csv', profile: 'csv' });
    expect(Object.values(result.labels).reduce((a, b) => a + b, 0)).toBe(12_000);

    const progress = events.filter((e) => e.name === 'jobs.progress').map((e) => e.payload as { phase: string; bytes?: number; rows?: number; totalBytes?: number });
    const reading = progress.filter((p) => p.phase === 'reading');
    expect(reading.length).toBeGreaterThanOrEqual(2);
    expect(reading.every((p) => p.totalBytes === bytes)).toBe(true);
    for (let i = 1; i < reading.length; i++) expect(reading[i]!.bytes!).toBeGreaterThanOrEqual(reading[i - 1]!.bytes!);
    expect(progress.at(-1)!.phase).toBe('finishing');
    expect(events.filter((e) => e.name === 'jobs.finished')).toHaveLength(1);
    expect(events.find((e) => e.name === 'datasets.changed')).toMatchObject({ payload: { id: result.id, reason: 'imported' } });

    const detail = await backend.call('datasets.get', { id: result.id });
    expect(detail).toMatchObject({ rows: 12_000, files: 1, bytes, labelled: true, classes: 3 });
    expect(detail.columns.map((c) => c.name)).toContain('Flow Duration');
    expect(detail.cleaning.nonFiniteByColumn['Flow Bytes/s']).toBeGreaterThan(0);
    expect(detail.classCounts!.binary.map((c) => c.name)).toEqual(['benign', 'attack']);
    // one chunk per column per 1000-row batch
    expect(workspaceSnapshot(backend.workspacePath).counts).toEqual({ datasets: 1, columns: detail.columns.length, chunks: detail.columns.length * 12 });

    // rows read back from the chunks match the file, across a batch boundary
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const preview = await backend.call('datasets.preview', { id: result.id, offset: 998, limit: 4 });
    expect(preview.total).toBe(12_000);
    preview.rows.forEach((row, i) => {
      const fields = lines[1 + 998 + i]!.split(',');
      expect(row[0]).toBe(fields[0]); // Src IP, dictionary-coded
      expect(row[5]).toBe(Number(fields[5])); // Flow Duration
      expect(row[9]).toBe(fields[9]); // Label
    });
    const stored = await backend.call('jobs.get', { id: job.id });
    expect(stored).toMatchObject({ status: 'succeeded', result: { id: result.id } });
  });

  it('cancelling mid-import leaves nothing', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'big.csv');
    writeFlowCsv(file, 30_000);
    const backend = await backendIn(dir, { importTuning: { overlap, chunkBytes: 64 * 1024, batchRows: 500, chunkDelayMs: 40 } });
    const { jobId } = await backend.call('datasets.import', { paths: [file] });
    await new Promise<void>((resolve) => {
      const off = backend.on((e) => {
        if (e.name === 'jobs.progress' && (e.payload.rows ?? 0) > 2000) {
          off();
          resolve();
        }
      });
    });
    expect(await backend.call('jobs.cancel', { id: jobId })).toEqual({ cancelled: true });
    const job = await waitForJob(backend, jobId);
    expect(job.status).toBe('cancelled');
    expect(job.error).toMatchObject({ code: 'CANCELLED' });
    expect(workspaceSnapshot(backend.workspacePath)).toEqual({ datasets: [], counts: { datasets: 0, columns: 0, chunks: 0 } });
    expect((await backend.call('datasets.list', {})).datasets).toEqual([]);
    expect(await backend.call('jobs.cancel', { id: jobId })).toEqual({ cancelled: false });
  });
});

describe('failed imports change nothing', () => {
  async function expectRejectedUnchanged(backend: Backend, input: object, message: RegExp): Promise<JobInfo> {
    const before = workspaceSnapshot(backend.workspacePath);
    const job = await importAndWait(backend, input as never);
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'IMPORT_REJECTED', message: expect.stringMatching(message) });
    expect(workspaceSnapshot(backend.workspacePath)).toEqual(before);
    return job;
  }

  it('keeps the workspace as it was when a file is refused, even after chunks were written', async () => {
    const dir = tempDir();
    const backend = await backendIn(dir, { importTuning: { chunkBytes: 64 * 1024, batchRows: 500 } });
    const good = path.join(dir, 'good.csv');
    writeFlowCsv(good, 2000);
    expect((await importAndWait(backend, { paths: [good] })).status).toBe('succeeded');

    // binary garbage
    const binary = path.join(dir, 'capture.csv');
    const junk = Buffer.alloc(50_000);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919) % 256;
    fs.writeFileSync(binary, junk);
    await expectRejectedUnchanged(backend, { paths: [binary] }, /capture\.csv/);

    // a header and nothing else
    const headerOnly = path.join(dir, 'empty-day.csv');
    fs.writeFileSync(headerOnly, 'Src IP,Dst Port,Flow Duration,Label\n');
    await expectRejectedUnchanged(backend, { paths: [headerOnly] }, /.+/);

    // a folder whose second file has other columns: the first file's chunks are already written
    const folder = path.join(dir, 'days');
    fs.mkdirSync(folder);
    writeFlowCsv(path.join(folder, 'a-monday.csv'), 8000);
    fs.writeFileSync(path.join(folder, 'b-tuesday.csv'), 'x,y,z,Label\n1,2,3,BENIGN\n');
    await expectRejectedUnchanged(backend, { paths: [folder] }, /.+/);

    // an unterminated quote at the very end of a long file
    const quote = path.join(dir, 'quote.csv');
    writeFlowCsv(quote, 8000);
    fs.appendFileSync(quote, '"192.168.10.1,1,10.0.0.1,80,6,1,1,1,1,BENIGN\n');
    await expectRejectedUnchanged(backend, { paths: [quote] }, /quote/i);

    expect((await backend.call('datasets.list', {})).datasets.map((d) => d.name)).toEqual(['good']);
  });

  it('refuses missing paths and empty folders before starting a job', async () => {
    const dir = tempDir();
    const backend = await backendIn(dir);
    await expect(backend.call('datasets.import', { paths: [path.join(dir, 'nope.csv')] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('nope.csv'),
    });
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    fs.writeFileSync(path.join(empty, 'notes.md'), 'x');
    await expect(backend.call('datasets.import', { paths: [empty] })).rejects.toMatchObject({
      code: 'IMPORT_REJECTED',
      message: expect.stringMatching(/^The folder .*empty holds no flow files \(\.csv, \.tsv, \.txt, \.log/),
    });
    await expect(backend.call('datasets.import', { uploadIds: ['abcdef0123'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await backend.call('jobs.list', {})).jobs).toEqual([]);
  });
});

describe('datasets after import', () => {
  it('imports a folder as one dataset, de-duplicates names, renames, sets roles, deletes', async () => {
    const dir = tempDir();
    const backend = await backendIn(dir);
    const folder = path.join(dir, 'MachineLearningCVE');
    fs.mkdirSync(folder);
    writeFlowCsv(path.join(folder, 'Monday.csv'), 300, { seed: 1 });
    writeFlowCsv(path.join(folder, 'Tuesday.csv'), 200, { seed: 2 });
    const first = await importAndWait(backend, { paths: [folder] });
    expect(first.result).toMatchObject({ name: 'MachineLearningCVE', rows: 500 });
    expect(first.result!.cleaning.files.map((f) => f.name)).toEqual(['Monday.csv', 'Tuesday.csv']);
    const second = await importAndWait(backend, { paths: [folder] });
    expect(second.result!.name).toBe('MachineLearningCVE (2)');
    const named = await importAndWait(backend, { paths: [path.join(folder, 'Monday.csv')], name: 'Monday only' });
    expect(named.result).toMatchObject({ name: 'Monday only', rows: 300 });

    const id = first.result!.id;
    expect((await backend.call('datasets.rename', { id, name: '  CICIDS week  ' })).name).toBe('CICIDS week');
    await expect(backend.call('datasets.rename', { id, name: 'Monday only' })).rejects.toMatchObject({ code: 'BAD_INPUT' });

    const detail = await backend.call('datasets.get', { id });
    const srcIp = detail.columns.find((c) => c.name === 'Src IP')!;
    expect(srcIp.role).toBe('identifier');
    const { dataset, warnings } = await backend.call('datasets.setRoles', { id, roles: { 'Src IP': 'categorical', Protocol: 'categorical' } });
    expect(warnings).toEqual([
      'Src IP is an identifier; using it as a feature lets a model memorise hosts instead of learning behaviour (label leakage).',
    ]);
    expect(dataset.warnings).toContain(warnings[0]);
    expect(dataset.features).toBe(detail.features + 1);
    await expect(backend.call('datasets.setRoles', { id, roles: { Label: 'ignored' } })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/Label is the label column/),
    });
    await expect(backend.call('datasets.setRoles', { id, roles: { 'Flow Duration': 'label' } })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/cannot become the label/),
    });
    await expect(backend.call('datasets.setRoles', { id, roles: { 'Src IP': 'numeric' } })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/holds text/),
    });
    await expect(backend.call('datasets.setRoles', { id, roles: { Nope: 'ignored' } })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/no column named "Nope"/),
    });

    expect(await backend.call('datasets.delete', { id })).toEqual({ deleted: true });
    await expect(backend.call('datasets.get', { id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const names = (await backend.call('datasets.list', {})).datasets.map((d) => d.name);
    expect(names).toEqual(['MachineLearningCVE (2)', 'Monday only']);
  });

  it('runs a second import after the first (one writer at a time) and refuses edits while writing', async () => {
    const dir = tempDir();
    const backend = await backendIn(dir, { importTuning: { chunkBytes: 64 * 1024, batchRows: 500, chunkDelayMs: 30 } });
    const seedFile = path.join(dir, 'seed.csv');
    writeFlowCsv(seedFile, 100);
    const seed = await importAndWait(backend, { paths: [seedFile] });
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    writeFlowCsv(a, 6000);
    writeFlowCsv(b, 3000);
    const ja = await backend.call('datasets.import', { paths: [a] });
    const jb = await backend.call('datasets.import', { paths: [b] });
    await expect(backend.call('datasets.rename', { id: seed.result!.id, name: 'x' })).rejects.toMatchObject({
      code: 'BUSY',
      message: expect.stringMatching(/is writing to the workspace/),
    });
    const [fa, fb] = await Promise.all([waitForJob(backend, ja.jobId), waitForJob(backend, jb.jobId)]);
    expect([fa.status, fb.status]).toEqual(['succeeded', 'succeeded']);
    expect(new Date(fa.finishedAt!).getTime()).toBeLessThanOrEqual(new Date(fb.finishedAt!).getTime());
    expect((await backend.call('jobs.list', {})).jobs.map((j) => [j.id, j.status])).toEqual([
      [jb.jobId, 'succeeded'],
      [ja.jobId, 'succeeded'],
      [seed.id, 'succeeded'],
    ]);
  });
});

describe('samples and uploads', () => {
  it('lists and imports the bundled samples from resourcesDir', async () => {
    const dir = tempDir();
    const resources = path.join(dir, 'resources');
    fs.mkdirSync(path.join(resources, 'samples'), { recursive: true });
    writeFlowCsv(path.join(resources, 'samples', 'cicids2017-sample.csv'), 400);
    fs.writeFileSync(
      path.join(resources, 'samples', 'samples.json'),
      JSON.stringify([
        { id: 'cicids2017', file: 'cicids2017-sample.csv', name: 'CICIDS2017 sample', description: 'd', citation: 'c', rows: 400 },
        { id: 'nsl-kdd', file: 'missing.txt', name: 'NSL-KDD', description: 'd', citation: 'c', rows: 1 },
      ]),
    );
    const backend = await backendIn(dir, { resourcesDir: resources });
    const { samples } = await backend.call('datasets.samples', {});
    expect(samples.map((s) => s.id)).toEqual(['cicids2017', 'nsl-kdd']);
    expect(samples[0]).toEqual({ id: 'cicids2017', name: 'CICIDS2017 sample', description: 'd', citation: 'c', rows: 400 });
    const job = await importAndWait(backend, { sample: 'cicids2017' });
    expect(job.result).toMatchObject({ name: 'CICIDS2017 sample', rows: 400 });
    await expect(backend.call('datasets.import', { sample: 'nsl-kdd' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('imports uploaded files and removes the upload afterwards', async () => {
    const dir = tempDir();
    const backend = await backendIn(dir);
    const src = path.join(dir, 'src.csv');
    const bytes = writeFlowCsv(src, 250);
    const up = await backend.receiveUpload('C:\\captures\\Wednesday.csv', fs.createReadStream(src));
    expect(up.bytes).toBe(bytes);
    const uploadDir = path.join(dir, 'uploads', up.uploadId);
    expect(fs.readdirSync(uploadDir)).toEqual(['Wednesday.csv']);
    const job = await importAndWait(backend, { uploadIds: [up.uploadId] });
    expect(job.result).toMatchObject({ name: 'Wednesday', rows: 250 });
    expect(fs.existsSync(uploadDir)).toBe(false);
    await expect(backend.call('datasets.import', { uploadIds: [up.uploadId] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps an upload whose import failed, so it can be retried', async () => {
    const dir = tempDir();
    const backend = await backendIn(dir);
    const up = await backend.receiveUpload('broken.csv', (async function* () {
      yield Buffer.from('Src IP,Label\n');
    })());
    const job = await importAndWait(backend, { uploadIds: [up.uploadId] });
    expect(job.status).toBe('failed');
    expect(fs.existsSync(path.join(dir, 'uploads', up.uploadId))).toBe(true);
  });
});
