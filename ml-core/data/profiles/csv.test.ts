import { describe, expect, it } from 'vitest';
import { columnStrings, columnValues, fixture, importFiles, utf8 } from '../../../tests/support/flow-import.js';
import { detectLayout } from '../detect.js';
import { guessLabelColumn, identifierKindOfName } from './csv.js';

const FLOWS = [
  'flow_id,src_ip,src_port,dst_ip,dst_port,timestamp,proto,duration,bytes_out,bytes_in,Class',
  '1,10.0.0.5,51234,192.168.1.10,443,2024-03-01 10:00:00,tcp,0.25,1200,5400,normal',
  '2,10.0.0.6,51235,192.168.1.10,22,2024-03-01 10:00:01,tcp,12.5,88000,1200,bruteforce',
  '3,10.0.0.7,53,192.168.1.1,53,2024-03-01 10:00:02,udp,0.01,60,120,normal',
  '4,10.0.0.5,51236,192.168.1.12,80,2024-03-01 10:00:03,tcp,,900,Infinity,scan',
].join('\n');

describe('generic CSV profile', () => {
  it('finds the label column by name and makes addresses, ports, times and ids identifiers', () => {
    const plan = detectLayout('flows.csv', utf8(FLOWS));
    expect(plan.profile).toBe('csv');
    expect(plan.format).toBe('csv');
    expect(plan.labelColumn).toBe('Class');
    const role = Object.fromEntries(plan.columns.map((c) => [c.name, `${c.role}/${c.storage}`]));
    expect(role.flow_id).toBe('identifier/f64');
    expect(role.src_ip).toBe('identifier/dict');
    expect(role.dst_ip).toBe('identifier/dict');
    expect(role.src_port).toBe('identifier/f32');
    expect(role.dst_port).toBe('identifier/f32');
    expect(role.timestamp).toBe('identifier/dict');
    expect(role.proto).toBe('categorical/dict');
    expect(role.duration).toBe('numeric/f32');
    expect(role.bytes_in).toBe('numeric/f32');
    expect(role.Class).toBe('label/dict');
  });

  it('imports with targets: unknown names are their own category, benign words are benign', () => {
    const r = importFiles([{ name: 'flows.csv', bytes: utf8(FLOWS) }]);
    const s = r.summary;
    expect(s.rows).toBe(4);
    expect(s.classCounts?.label).toEqual({ normal: 2, bruteforce: 1, scan: 1 });
    expect(s.classCounts?.category).toEqual({ normal: 2, bruteforce: 1, scan: 1 });
    expect(s.classCounts?.binary).toEqual({ benign: 2, attack: 2 });
    expect(s.cleaning.nonFiniteByColumn).toEqual({ bytes_in: 1 });
    expect(s.columns.find((c) => c.name === 'duration')?.stats.missing).toBe(1);
    expect(columnValues(r, 'bytes_out')).toEqual([1200, 88000, 60, 900]);
    expect(columnStrings(r, 'proto')).toEqual(['tcp', 'tcp', 'udp', 'tcp']);
  });

  it('uses options.label, refuses an unknown label name and imports unlabelled traffic with null', () => {
    expect(detectLayout('flows.csv', utf8(FLOWS), { label: 'proto' }).labelColumn).toBe('proto');
    expect(detectLayout('flows.csv', utf8(FLOWS), { label: 'CLASS' }).labelColumn).toBe('Class');
    expect(() => detectLayout('flows.csv', utf8(FLOWS), { label: 'verdict' })).toThrowError(
      expect.objectContaining({ reason: 'label-not-found', message: expect.stringMatching(/flows\.csv has no column named 'verdict'/) }),
    );
    const plan = detectLayout('flows.csv', utf8(FLOWS), { label: null });
    expect(plan.labelColumn).toBeNull();
    expect(plan.columns.find((c) => c.name === 'Class')?.role).toBe('categorical');
    const s = importFiles([{ name: 'flows.csv', bytes: utf8(FLOWS) }], { label: null }).summary;
    expect(s.targets).toBeNull();
  });

  it('reads semicolon and tab separated files, quoted fields included', () => {
    const semi = utf8('a;b;"c;d";label\n1;2;"x;y";ok\n3;4;"z";bad\n');
    const plan = detectLayout('semi.csv', semi);
    expect(plan.delimiter).toBe(0x3b);
    expect(plan.columns.map((c) => c.name)).toEqual(['a', 'b', 'c;d', 'label']);
    const r = importFiles([{ name: 'semi.csv', bytes: semi }]);
    expect(columnStrings(r, 'c;d')).toEqual(['x;y', 'z']);
    const tsv = utf8('x\ty\tattack\n1\t2\tno\n3\t4\tyes\n');
    expect(detectLayout('t.tsv', tsv).delimiter).toBe(9);
    expect(detectLayout('t.tsv', tsv).labelColumn).toBe('attack');
  });

  it('names the columns of a headerless file', () => {
    const plan = detectLayout('nohdr.csv', utf8('1,2,tcp\n3,4,udp\n5,6,tcp\n'));
    expect(plan.hasHeader).toBe(false);
    expect(plan.columns.map((c) => c.name)).toEqual(['column 1', 'column 2', 'column 3']);
    expect(plan.labelColumn).toBeNull();
  });

  it('can be forced onto a known layout (NSL-KDD read as plain CSV)', () => {
    const plan = detectLayout('KDDTrain+.txt', fixture('nsl-kdd/KDDTrain+_20Percent.head200.txt'), { format: 'csv' });
    expect(plan.profile).toBe('csv');
    expect(plan.columns).toHaveLength(43);
    expect(plan.columns[1].role).toBe('categorical');
  });

  it('guesses label columns and identifier names', () => {
    expect(guessLabelColumn(['a', 'Label'])).toBe(1);
    expect(guessLabelColumn(['attack_cat', 'label'])).toBe(1);
    expect(guessLabelColumn(['x', 'ATTACK_TYPE'])).toBe(1);
    expect(guessLabelColumn(['x', 'is_malicious_class'])).toBe(1);
    expect(guessLabelColumn(['x', 'y'])).toBe(-1);
    expect(identifierKindOfName('Src IP')).toBe('ip');
    expect(identifierKindOfName('id.orig_h')).toBe('ip');
    expect(identifierKindOfName('Dst Port')).toBe('port');
    expect(identifierKindOfName('dsport')).toBe('port');
    expect(identifierKindOfName('transport')).toBeNull();
    expect(identifierKindOfName('Timestamp')).toBe('time');
    expect(identifierKindOfName('Flow ID')).toBe('id');
    expect(identifierKindOfName('src_mac')).toBe('mac');
    expect(identifierKindOfName('dst_host_count')).toBeNull();
    expect(identifierKindOfName('duration')).toBeNull();
  });
});
