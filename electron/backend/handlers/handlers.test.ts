import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { COMMAND_NAMES } from '../../contract/commands.js';
import { insertSyntheticDataset, removeTempDirs, tempDir } from '../../../tests/support/backend-fixtures.js';
import type { Backend } from '../api.js';
import { createBackend } from '../index.js';
import { describeIssues, mergeHandlers, validateInput } from './types.js';
import { schemas } from '../../contract/commands.js';

afterAll(removeTempDirs);

describe('validateInput', () => {
  it('names the field at fault', () => {
    expect(() => validateInput('datasets.get', { id: 'seven' })).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringMatching(/^Invalid input for datasets\.get: id: /) }),
    );
    expect(() => validateInput('datasets.preview', { id: 1, limit: 5000 })).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/limit: /) }),
    );
    expect(() => validateInput('datasets.setRoles', { id: 1, roles: { 'Src IP': 'feature' } })).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/roles\.Src IP: /) }),
    );
    expect(() => validateInput('datasets.import', { paths: ['a'], sample: 'nsl-kdd' })).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/give exactly one of: paths, uploadIds, sample/) }),
    );
    expect(() => validateInput('datasets.import', { uploadIds: ['../x'] })).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/uploadIds\[0\]: /) }),
    );
    expect(() => validateInput('datasets.rename', { id: 1, name: 'x', extra: true })).toThrow(
      expect.objectContaining({ message: 'Invalid input for datasets.rename: unknown field "extra".' }),
    );
    expect(() => validateInput('datasets.rename', { id: 1, name: '   ' })).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/name: a name cannot be empty/) }),
    );
  });

  it('applies defaults and treats a missing input as {}', () => {
    expect(validateInput('datasets.preview', { id: 3 })).toEqual({ id: 3, offset: 0, limit: 50 });
    expect(validateInput('datasets.import', { paths: ['x.csv'] })).toMatchObject({ format: 'auto' });
    expect(validateInput('app.info', undefined)).toEqual({});
  });

  it('describes several issues in one line', () => {
    const r = schemas['datasets.preview'].safeParse({ id: -1, offset: 'a' });
    expect(r.success).toBe(false);
    if (!r.success) expect(describeIssues(r.error)).toMatch(/^id: .*; offset: /);
  });
});

describe('mergeHandlers', () => {
  const all = Object.fromEntries(COMMAND_NAMES.map((n) => [n, () => ({})]));
  it('refuses a command handled twice, an unknown command, and a missing handler', () => {
    expect(() => mergeHandlers({ a: all, b: { 'app.info': () => ({}) as never } })).toThrow(/app\.info is handled twice/);
    expect(() => mergeHandlers({ a: { ...all, 'app.nope': () => ({}) } as never })).toThrow(/not a command/);
    const { 'jobs.cancel': _omit, ...partial } = all;
    expect(() => mergeHandlers({ a: partial as never })).toThrow(/no handler for: jobs\.cancel/);
    expect(Object.keys(mergeHandlers({ a: all as never })).sort()).toEqual([...COMMAND_NAMES].sort());
  });
});

describe('the backend API', () => {
  let backend: Backend;
  beforeEach(async () => {
    backend = await createBackend({ workspacePath: path.join(tempDir(), 'workspace.sqlite'), face: 'cli' });
  });
  afterEach(() => backend.close());

  it('rejects unknown commands and bad input with {code, message}', async () => {
    await expect(backend.callUnknown('datasets.explode', {})).rejects.toMatchObject({
      code: 'UNKNOWN_COMMAND',
      message: 'Unknown command "datasets.explode".',
    });
    await expect(backend.callUnknown('datasets.get', { id: 0 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(backend.callUnknown('datasets.get', { id: 42 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(backend.callUnknown('jobs.get', { id: 42 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(backend.callUnknown('jobs.cancel', { id: 42 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await backend.callUnknown('datasets.list', undefined)).toEqual({ datasets: [] });
  });

  it('serves datasets written by another connection', async () => {
    const db = new Database(backend.workspacePath);
    db.pragma('foreign_keys = ON');
    const { id } = insertSyntheticDataset(db, 'side', [
      { name: 'Flow ID', role: 'identifier', storage: 'dict', values: ['a', 'b'] },
      { name: 'Bytes', role: 'numeric', storage: 'f32', values: [1, 2] },
      { name: 'Label', role: 'label', storage: 'dict', values: ['BENIGN', 'DoS'] },
    ]);
    db.close();
    const { dataset, warnings } = await backend.call('datasets.setRoles', { id, roles: { 'Flow ID': 'categorical', Bytes: 'numeric' } });
    expect(warnings).toEqual([
      'Flow ID is an identifier; using it as a feature lets a model memorise individual flows instead of learning behaviour (label leakage).',
    ]);
    expect(dataset.features).toBe(2);
    const { warnings: none } = await backend.call('datasets.setRoles', { id, roles: { 'Flow ID': 'ignored', Bytes: 'ignored' } });
    expect(none).toEqual(['No column is a feature now (numeric or categorical); a model needs at least one.']);
    expect((await backend.call('datasets.preview', { id })).rows).toEqual([
      ['a', 1, 'BENIGN'],
      ['b', 2, 'DoS'],
    ]);
  });

  it('refuses calls after close', async () => {
    await backend.close();
    await expect(backend.call('datasets.list', {})).rejects.toMatchObject({ code: 'WORKSPACE_UNAVAILABLE' });
  });
});
