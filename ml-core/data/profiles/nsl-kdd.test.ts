import { describe, expect, it } from 'vitest';
import { columnStrings, columnValues, concatBytes, fixture, importFiles, text, utf8 } from '../../../tests/support/flow-import.js';
import { detectLayout } from '../detect.js';
import { FlowDataError } from '../types.js';
import { NSL_KDD_FEATURES } from './nsl-kdd.js';

const TRAIN = 'nsl-kdd/KDDTrain+_20Percent.head200.txt';
const TEST = 'nsl-kdd/KDDTest+.excerpt.txt';

describe('NSL-KDD profile', () => {
  it('detects the headerless 43-field layout with the standard names', () => {
    const plan = detectLayout('KDDTrain+_20Percent.txt', fixture(TRAIN));
    expect(plan.profile).toBe('nsl-kdd');
    expect(plan.hasHeader).toBe(false);
    expect(plan.nFields).toBe(43);
    expect(plan.columns.map((c) => c.name)).toEqual([...NSL_KDD_FEATURES, 'label']);
    expect(plan.columns.every((c) => c.sourceName === '')).toBe(true);
    const role = Object.fromEntries(plan.columns.map((c) => [c.name, `${c.role}/${c.storage}`]));
    expect(role.protocol_type).toBe('categorical/dict');
    expect(role.service).toBe('categorical/dict');
    expect(role.flag).toBe('categorical/dict');
    expect(role.duration).toBe('numeric/f32');
    expect(role.dst_host_srv_rerror_rate).toBe('numeric/f32');
    expect(role.label).toBe('label/dict');
    expect(plan.droppedColumns).toEqual([expect.objectContaining({ name: 'difficulty' })]);
  });

  it('imports the training excerpt: rows, classes, categories, difficulty dropped', () => {
    const r = importFiles([{ name: 'KDDTrain+_20Percent.txt', bytes: fixture(TRAIN) }]);
    const s = r.summary;
    expect(s.rows).toBe(200);
    expect(s.columns).toHaveLength(42);
    expect(s.targets?.labelColumn).toBe('label');
    expect(s.classCounts?.label.normal).toBe(105);
    expect(s.classCounts?.label.neptune).toBe(71);
    expect(Object.values(s.classCounts?.label ?? {}).reduce((a, b) => a + b, 0)).toBe(200);
    expect(s.classCounts?.binary).toEqual({ benign: 105, attack: 95 });
    expect(Object.keys(s.classCounts?.category ?? {}).sort()).toEqual(['DoS', 'Probe', 'R2L', 'normal']);
    expect(s.cleaning.droppedColumns.map((d) => d.name)).toEqual(['difficulty']);
    expect(s.cleaning.notes.join(' ')).toMatch(/difficulty/);
    expect(s.cleaning.malformedRows).toBe(0);
    // first record: 0,udp,private,SF,28,...
    expect(columnValues(r, 'src_bytes')[0]).toBe(28);
    expect(columnStrings(r, 'protocol_type')[0]).toBe('udp');
    expect(columnStrings(r, 'label')[0]).toBe('teardrop');
    const proto = s.columns.find((c) => c.name === 'protocol_type');
    expect(proto?.dictionary?.sort()).toEqual(['icmp', 'tcp', 'udp']);
  });

  it('maps the attacks that occur only in KDDTest+ to their categories', () => {
    const s = importFiles([{ name: 'KDDTest+.txt', bytes: fixture(TEST) }]).summary;
    expect(s.rows).toBe(250);
    const cat = s.targets?.category ?? {};
    expect(cat.apache2).toBe('DoS');
    expect(cat.mscan).toBe('Probe');
    expect(cat.processtable).toBe('DoS');
    expect(cat.snmpguess).toBe('R2L');
    expect(cat.httptunnel).toBe('U2R');
    expect(cat.udpstorm).toBe('DoS');
    expect(s.warnings.some((w) => /not in the .* category map/.test(w))).toBe(false);
    expect(Object.keys(s.classCounts?.category ?? {}).sort()).toEqual(['DoS', 'Probe', 'R2L', 'U2R', 'normal']);
  });

  it('accepts a header row added by hand, renaming its columns to the standard names', () => {
    const names = [...NSL_KDD_FEATURES.map((n) => n.toUpperCase()), 'attack', 'level'];
    const bytes = concatBytes(utf8(`${names.join(',')}\n`), fixture(TRAIN));
    const r = importFiles([{ name: 'with-header.csv', bytes }]);
    expect(r.profiles).toEqual(['nsl-kdd']);
    expect(r.summary.rows).toBe(200);
    expect(r.summary.columns.map((c) => c.name)).toEqual([...NSL_KDD_FEATURES, 'label']);
    expect(r.summary.columns[0].sourceName).toBe('DURATION');
    expect(r.summary.cleaning.renamedHeaders).toContainEqual({ from: 'attack', to: 'label' });
    expect(r.summary.cleaning.droppedColumns).toEqual([expect.objectContaining({ name: 'level' })]);
    // a headerless file and the header variant import together
    const both = importFiles([
      { name: 'a.txt', bytes: fixture(TRAIN) },
      { name: 'b.csv', bytes },
    ]);
    expect(both.summary.rows).toBe(400);
  });

  it("reads KDD Cup '99 style records (42 fields, labels ending in '.')", () => {
    const lines = text(fixture(TRAIN))
      .split('\n')
      .filter((l) => l !== '')
      .slice(0, 20)
      .map((l) => {
        const f = l.split(',');
        f.pop();
        f[41] = `${f[41]}.`;
        return f.join(',');
      });
    const r = importFiles([{ name: 'kddcup.data_10_percent', bytes: utf8(`${lines.join('\n')}\n`) }]);
    expect(r.profiles).toEqual(['nsl-kdd']);
    expect(r.summary.rows).toBe(20);
    expect(r.summary.targets?.label).toContain('normal');
    expect(r.summary.targets?.label.every((l) => !l.endsWith('.'))).toBe(true);
    expect(r.summary.cleaning.repairedLabels).toContainEqual(expect.objectContaining({ from: 'normal.', to: 'normal' }));
  });

  it('refuses a forced NSL-KDD format on a file of another layout', () => {
    const csv = utf8('a,b,c\n1,2,3\n');
    expect(() => detectLayout('flows.csv', csv, { format: 'nsl-kdd' })).toThrowError(FlowDataError);
    expect(() => detectLayout('flows.csv', csv, { format: 'nsl-kdd' })).toThrowError(/flows\.csv does not look like NSL-KDD/);
  });
});
