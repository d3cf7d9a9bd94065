import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../../../tests/support/backend-fixtures.js';
import { baseNameWithoutExt, defaultDatasetName, planFiles } from './plan.js';

afterAll(removeTempDirs);

describe('planFiles', () => {
  it('expands a folder to its flow files in natural order, skipping others', () => {
    const dir = tempDir();
    for (const f of ['UNSW_10.csv', 'UNSW_2.csv', 'conn.log', 'notes.md', '.hidden.csv', 'x.LABELED', 'image.png']) {
      fs.writeFileSync(path.join(dir, f), 'a\n');
    }
    fs.mkdirSync(path.join(dir, 'sub.csv'));
    const files = planFiles([dir]);
    expect(files.map((f) => f.name)).toEqual(['conn.log', 'UNSW_2.csv', 'UNSW_10.csv', 'x.LABELED']);
    expect(files[0]!.bytes).toBe(2);
    expect(path.isAbsolute(files[0]!.path)).toBe(true);
  });

  it('names a missing path', () => {
    expect(() => planFiles(['/definitely/not/here.csv'])).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringContaining('/definitely/not/here.csv') }),
    );
  });

  it('rejects a folder without flow files', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'readme.md'), 'x');
    expect(() => planFiles([dir])).toThrow(
      expect.objectContaining({
        code: 'IMPORT_REJECTED',
        message: expect.stringMatching(new RegExp(`^The folder ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} holds no flow files \\(\\.csv, \\.tsv, \\.txt, \\.log`)),
      }),
    );
  });

  it('accepts an explicitly named file of any extension, once', () => {
    const dir = tempDir();
    const f = path.join(dir, 'KDDTrain+.arff');
    fs.writeFileSync(f, 'x');
    expect(planFiles([f, f]).map((x) => x.name)).toEqual(['KDDTrain+.arff']);
  });
});

describe('default dataset names', () => {
  it('uses the file name without extension, or the folder name', () => {
    const dir = tempDir();
    const sub = path.join(dir, 'MachineLearningCVE');
    fs.mkdirSync(sub);
    fs.writeFileSync(path.join(sub, 'Monday.pcap_ISCX.csv'), 'x');
    fs.writeFileSync(path.join(sub, 'Tuesday.pcap_ISCX.csv'), 'x');
    expect(defaultDatasetName([path.join(sub, 'Monday.pcap_ISCX.csv')])).toBe('Monday.pcap_ISCX');
    expect(defaultDatasetName([sub])).toBe('MachineLearningCVE');
    expect(defaultDatasetName([path.join(sub, 'Monday.pcap_ISCX.csv'), path.join(sub, 'Tuesday.pcap_ISCX.csv')])).toBe('MachineLearningCVE');
    expect(baseNameWithoutExt('/x/KDDTest+.txt')).toBe('KDDTest+');
    expect(baseNameWithoutExt('/x/.profile')).toBe('.profile');
    expect(baseNameWithoutExt('/x/CTU-IoT-42-1.conn.log.labeled')).toBe('CTU-IoT-42-1.conn');
    expect(baseNameWithoutExt('/x/a.b.CSV')).toBe('a.b');
  });
});
