import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../../tests/support/backend-fixtures.js';
import { findPackageRoot, listSamples, resolveResourcesDir, samplePath } from './samples.js';

afterAll(removeTempDirs);

describe('samples', () => {
  it('finds the repo resources/ by walking up to package.json', () => {
    const root = findPackageRoot(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname))!;
    expect(fs.existsSync(path.join(root, 'package.json'))).toBe(true);
    expect(resolveResourcesDir()).toBe(path.join(root, 'resources'));
    expect(resolveResourcesDir('/opt/flowsight/res')).toBe(path.resolve('/opt/flowsight/res'));
  });

  it('lists valid entries and ignores broken ones; a missing list is empty', () => {
    const res = tempDir();
    expect(listSamples(res)).toEqual([]);
    fs.mkdirSync(path.join(res, 'samples'));
    fs.writeFileSync(
      path.join(res, 'samples', 'samples.json'),
      JSON.stringify([{ id: 'nsl-kdd', file: 'kdd.txt', name: 'NSL-KDD', description: 'x', citation: 'y', rows: 10 }, { id: 'other', file: 'z' }, 5]),
    );
    expect(listSamples(res).map((s) => s.id)).toEqual(['nsl-kdd']);
    expect(() => samplePath(res, 'nsl-kdd')).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringContaining('kdd.txt') }));
    fs.writeFileSync(path.join(res, 'samples', 'kdd.txt'), 'x');
    expect(samplePath(res, 'nsl-kdd')).toEqual({ path: path.join(res, 'samples', 'kdd.txt'), name: 'NSL-KDD' });
    expect(() => samplePath(res, 'cicids2017')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('refuses a sample file outside samples/', () => {
    const res = tempDir();
    fs.mkdirSync(path.join(res, 'samples'));
    fs.writeFileSync(path.join(res, 'secret.txt'), 'x');
    fs.writeFileSync(path.join(res, 'samples', 'samples.json'), JSON.stringify([{ id: 'nsl-kdd', file: '../secret.txt', name: 'n', rows: 1 }]));
    expect(() => samplePath(res, 'nsl-kdd')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
