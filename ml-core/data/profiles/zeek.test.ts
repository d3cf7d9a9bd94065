import { describe, expect, it } from 'vitest';
import { columnStrings, columnValues, fixture, importFiles, text, utf8 } from '../../../tests/support/flow-import.js';
import { detectLayout } from '../detect.js';
import { FlowDataError } from '../types.js';
import { zeekColumnKind } from './zeek.js';

const IOT = 'zeek/CTU-IoT-Malware-Capture-42-1.head120.conn.log.labeled';
const HONEYPOT = 'zeek/CTU-Honeypot-Capture-4-1.head60.conn.log.labeled';
const HORIZONTAL = 'zeek/horizontal-portscan.conn.log';
const TEST10 = 'zeek/test10-mixed.head60.conn.log';
const JSONL = 'zeek/vertical-portscan.head30.conn.json.log';

describe('Zeek TSV', () => {
  it('reads #fields / #types and gives conn.log fields their roles', () => {
    const plan = detectLayout('conn.log', fixture(HORIZONTAL));
    expect(plan.profile).toBe('zeek-tsv');
    expect(plan.format).toBe('zeek');
    expect(plan.delimiter).toBe(9);
    expect(plan.nFields).toBe(21);
    expect(plan.missingTokens).toEqual(expect.arrayContaining(['-', '(empty)']));
    const role = Object.fromEntries(plan.columns.map((c) => [c.name, `${c.role}/${c.storage}`]));
    expect(role.ts).toBe('identifier/f64');
    expect(role.uid).toBe('identifier/dict');
    expect(role['id.orig_h']).toBe('identifier/dict');
    expect(role['id.orig_p']).toBe('identifier/f32');
    expect(role['id.resp_h']).toBe('identifier/dict');
    expect(role['id.resp_p']).toBe('numeric/f32');
    expect(role.proto).toBe('categorical/dict');
    expect(role.service).toBe('categorical/dict');
    expect(role.conn_state).toBe('categorical/dict');
    expect(role.history).toBe('categorical/dict');
    expect(role.duration).toBe('numeric/f32');
    expect(role.orig_bytes).toBe('numeric/f32');
    expect(role.local_orig).toBe('categorical/dict');
    expect(role.tunnel_parents).toBe('ignored/dict');
    expect(plan.labelColumn).toBeNull();
  });

  it('imports an unlabelled conn.log, unset and (empty) cells stored as missing', () => {
    const r = importFiles([{ name: 'horizontal-portscan.conn.log', bytes: fixture(HORIZONTAL) }]);
    expect(r.summary.rows).toBe(41);
    expect(r.summary.targets).toBeNull();
    expect(r.summary.classCounts).toBeNull();
    const tp = r.summary.columns.find((c) => c.name === 'tunnel_parents');
    expect(tp?.stats.count).toBe(0); // '(empty)' everywhere
    expect(tp?.stats.missing).toBe(41);
    expect(columnStrings(r, 'service').filter((s) => s === null).length).toBeGreaterThan(0); // '-'
    // epoch seconds keep their microseconds in f64
    expect(columnValues(r, 'ts')[0]).toBe(928.943457);
    expect(r.summary.warnings.some((w) => /No label column/.test(w))).toBe(true);
  });

  it('reads IoT-23 labels packed with three spaces: detailed label when set, else Benign/Malicious', () => {
    const bytes = fixture(IOT);
    expect(text(bytes)).toContain('tunnel_parents   label   detailed-label');
    const plan = detectLayout('CTU-IoT-Malware-Capture-42-1.conn.log.labeled', bytes);
    expect(plan.tripleSpaceDelimiter).toBe(true);
    expect(plan.nFields).toBe(23);
    expect(plan.labelScheme).toBe('iot-23');
    expect(plan.detailedLabel).toEqual({ name: 'detailed-label', fieldIndex: 22 });
    expect(plan.lineEnding).toBe('crlf');
    const r = importFiles([{ name: 'CTU-IoT-Malware-Capture-42-1.conn.log.labeled', bytes }]);
    const s = r.summary;
    expect(s.rows).toBe(120);
    expect(s.classCounts?.label).toEqual({ Benign: 114, FileDownload: 3, 'C&C-FileDownload': 3 });
    expect(s.classCounts?.category).toEqual({ Benign: 114, Malicious: 6 });
    expect(s.classCounts?.binary).toEqual({ benign: 114, attack: 6 });
    expect(s.targets?.category['C&C-FileDownload']).toBe('Malicious');
    expect(s.columns.some((c) => c.name === 'detailed-label')).toBe(false);
    expect(s.cleaning.droppedColumns).toContainEqual(expect.objectContaining({ name: 'detailed-label' }));
    expect(s.cleaning.malformedRows).toBe(0);
    // the first row: ... 3.909013 83 67212 SF ... -   Malicious   FileDownload
    expect(columnValues(r, 'duration')[0]).toBeCloseTo(3.909013, 5);
    expect(columnValues(r, 'resp_ip_bytes')[0]).toBe(69224);
    expect(columnStrings(r, 'label')[0]).toBe('FileDownload');
  });

  it("reads the Honeypot capture's lower-case 'benign' as Benign and skips the odd #close line", () => {
    const s = importFiles([{ name: 'CTU-Honeypot-Capture-4-1.conn.log.labeled', bytes: fixture(HONEYPOT) }]).summary;
    expect(s.rows).toBe(60);
    expect(s.classCounts?.label).toEqual({ Benign: 60 });
    expect(s.classCounts?.binary).toEqual({ benign: 60 });
    expect(s.cleaning.repairedLabels).toEqual([{ from: 'benign', to: 'Benign', rows: 60 }]);
    expect(s.cleaning.malformedRows).toBe(0);
  });

  it('accepts a first line that starts with a tab before #separator', () => {
    const bytes = fixture(TEST10);
    expect(bytes[0]).toBe(9);
    const r = importFiles([{ name: 'test10-mixed.conn.log', bytes }]);
    expect(r.profiles).toEqual(['zeek-tsv']);
    expect(r.summary.rows).toBe(60);
    expect(r.summary.cleaning.malformedRows).toBe(0);
    expect(columnStrings(r, 'id.orig_h')[0]).toBe('2001:718:2:1663:dc58:6d9:ef13:51a5');
  });

  it('imports labelled and unlabelled files of one layout only when their fields agree', () => {
    expect(() =>
      importFiles([
        { name: 'iot.conn.log.labeled', bytes: fixture(IOT) },
        { name: 'horizontal-portscan.conn.log', bytes: fixture(HORIZONTAL) },
      ]),
    ).toThrowError(/horizontal-portscan\.conn\.log .*lacks 'label'/);
    const both = importFiles([
      { name: 'iot.conn.log.labeled', bytes: fixture(IOT) },
      { name: 'honeypot.conn.log.labeled', bytes: fixture(HONEYPOT) },
    ]);
    expect(both.summary.rows).toBe(180);
    expect(both.summary.classCounts?.label.Benign).toBe(174);
  });

  it('refuses a Zeek log with a header but no connections', () => {
    const head = text(fixture(HORIZONTAL))
      .split('\n')
      .filter((l) => l.startsWith('#'))
      .join('\n');
    expect(() => importFiles([{ name: 'empty.conn.log', bytes: utf8(`${head}\n`) }])).toThrowError(
      expect.objectContaining({ reason: 'header-only' }),
    );
  });
});

describe('Zeek JSON lines', () => {
  it('imports JSON conn logs with the conn.log roles; unset fields are missing', () => {
    const plan = detectLayout('conn.json.log', fixture(JSONL));
    expect(plan.profile).toBe('zeek-json');
    expect(plan.reader).toBe('json-lines');
    const r = importFiles([{ name: 'vertical-portscan.conn.json.log', bytes: fixture(JSONL) }]);
    const s = r.summary;
    expect(s.rows).toBe(30);
    const role = Object.fromEntries(s.columns.map((c) => [c.name, `${c.role}/${c.storage}`]));
    expect(role.ts).toBe('identifier/f64');
    expect(role['id.resp_p']).toBe('numeric/f32');
    expect(role.conn_state).toBe('categorical/dict');
    expect(role.orig_l2_addr).toBe('identifier/dict');
    expect(role.duration).toBe('numeric/f32');
    expect(columnValues(r, 'ts')[0]).toBe(1700828217.314165);
    expect(columnValues(r, 'id.resp_p')[0]).toBe(443);
    expect(columnStrings(r, 'conn_state')[0]).toBe('REJ');
    expect(s.columns.find((c) => c.name === 'service')?.stats.missing).toBeGreaterThan(0);
  });

  it('merges IoT-23 style label / detailed-label keys', () => {
    const lines = [
      '{"ts":1.5,"uid":"C1","id.orig_h":"10.0.0.1","id.orig_p":1,"id.resp_h":"10.0.0.2","id.resp_p":23,"proto":"tcp","label":"Malicious","detailed-label":"PartOfAHorizontalPortScan"}',
      '{"ts":2.5,"uid":"C2","id.orig_h":"10.0.0.1","id.orig_p":2,"id.resp_h":"10.0.0.3","id.resp_p":23,"proto":"tcp","label":"benign","detailed-label":"-"}',
      '{"ts":3.5,"uid":"C3","id.orig_h":"10.0.0.1","id.orig_p":3,"id.resp_h":"10.0.0.4","id.resp_p":23,"proto":"tcp","label":"Malicious"}',
    ];
    const plan = detectLayout('iot.json', utf8(`${lines.join('\n')}\n`));
    expect(plan.labelScheme).toBe('iot-23');
    expect(plan.detailedLabel).toEqual({ name: 'detailed-label', fieldIndex: -1, key: 'detailed-label' });
    const s = importFiles([{ name: 'iot.json', bytes: utf8(`${lines.join('\n')}\n`) }]).summary;
    expect(s.classCounts?.label).toEqual({ PartOfAHorizontalPortScan: 1, Benign: 1, Malicious: 1 });
    expect(s.classCounts?.category).toEqual({ Malicious: 2, Benign: 1 });
  });

  it('refuses JSON lines that are not Zeek logs', () => {
    expect(() => detectLayout('x.json', utf8('{"a":1}\n{"a":2}\n'))).toThrowError(
      expect.objectContaining({ reason: 'unknown-layout' }),
    );
    expect(() => detectLayout('x.json', utf8('{"a":1}\n'), { format: 'zeek' })).toThrowError(FlowDataError);
  });
});

describe('zeekColumnKind', () => {
  it('maps Zeek types to storage', () => {
    expect(zeekColumnKind('ts', 'time')).toEqual({ role: 'identifier', storage: 'f64' });
    expect(zeekColumnKind('duration', 'interval')).toEqual({ role: 'numeric', storage: 'f32' });
    expect(zeekColumnKind('orig_bytes', 'count')).toEqual({ role: 'numeric', storage: 'f32' });
    expect(zeekColumnKind('score', 'double')).toEqual({ role: 'numeric', storage: 'f32' });
    expect(zeekColumnKind('other_h', 'addr')).toEqual({ role: 'identifier', storage: 'dict' });
    expect(zeekColumnKind('other_p', 'port')).toEqual({ role: 'identifier', storage: 'f32' });
    expect(zeekColumnKind('method', 'string')).toEqual({ role: 'categorical', storage: 'dict' });
    expect(zeekColumnKind('tags', 'set[string]')).toEqual({ role: 'ignored', storage: 'dict' });
  });
});
