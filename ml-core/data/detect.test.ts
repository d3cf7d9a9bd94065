import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, filesIn, fixture, readBytes, toUtf16le, utf8 } from '../../tests/support/flow-import.js';
import { detectLayout, sampleHead } from './detect.js';
import { FlowDataError } from './types.js';

const reasonOf = (f: () => unknown): string | null => {
  try {
    f();
    return null;
  } catch (e) {
    return e instanceof FlowDataError ? e.reason : `not a FlowDataError: ${String(e)}`;
  }
};

describe('detectLayout: every fixture gets its profile', () => {
  const cases: Array<[string, string]> = [
    ['nsl-kdd/KDDTrain+_20Percent.head200.txt', 'nsl-kdd'],
    ['nsl-kdd/KDDTest+.excerpt.txt', 'nsl-kdd'],
    ['cicids2017-original/tu1.head200.csv', 'cicflowmeter-original'],
    ['cicids2017-original/th1.tail48.csv', 'cicflowmeter-original'],
    ['unsw-nb15/UNSW_NB15_testing-set.excerpt.csv', 'unsw-nb15'],
    ['zeek/CTU-IoT-Malware-Capture-42-1.head120.conn.log.labeled', 'zeek-tsv'],
    ['zeek/CTU-Honeypot-Capture-4-1.head60.conn.log.labeled', 'zeek-tsv'],
    ['zeek/horizontal-portscan.conn.log', 'zeek-tsv'],
    ['zeek/test10-mixed.head60.conn.log', 'zeek-tsv'],
    ['zeek/vertical-portscan.head30.conn.json.log', 'zeek-json'],
  ];
  for (const [file, profile] of cases) {
    it(`${file} -> ${profile}`, () => {
      expect(detectLayout(file, fixture(file)).profile).toBe(profile);
    });
  }
  it('cicids2017-corrected/* -> cicflowmeter-corrected', () => {
    for (const p of filesIn(join(FIXTURES, 'cicids2017-corrected'))) {
      expect(detectLayout(p, readBytes(p)).profile).toBe('cicflowmeter-corrected');
    }
  });
});

describe('detectLayout: a head cut mid-line', () => {
  it('detects from the complete lines of a truncated head', () => {
    const all = fixture('cicids2017-original/tu1.head200.csv');
    const plan = detectLayout('tu1.csv', all.subarray(0, 5000), {}, all.length);
    expect(plan.profile).toBe('cicflowmeter-original');
    expect(plan.columns).toHaveLength(78);
    const s = sampleHead('tu1.csv', all.length, all.subarray(0, 5000));
    expect(s.complete).toBe(false);
    expect(s.body[s.body.length - 1]).toBe(10);
  });
});

describe('detectLayout: files that cannot be imported', () => {
  it('refuses empty files', () => {
    expect(reasonOf(() => detectLayout('empty.csv', new Uint8Array(0)))).toBe('empty');
    expect(reasonOf(() => detectLayout('blank.csv', utf8('\n \r\n\n')))).toBe('empty');
    expect(() => detectLayout('empty.csv', new Uint8Array(0))).toThrowError(/empty\.csv is empty/);
  });
  it('refuses UTF-16, with or without BOM', () => {
    const u16 = toUtf16le(fixture('nsl-kdd/KDDTrain+_20Percent.head200.txt'));
    expect(reasonOf(() => detectLayout('kdd16.txt', u16))).toBe('utf16');
    expect(reasonOf(() => detectLayout('kdd16.txt', u16.subarray(2)))).toBe('utf16');
    expect(() => detectLayout('kdd16.txt', u16)).toThrowError(/kdd16\.txt is encoded as UTF-16.*save it as UTF-8/);
  });
  it('refuses binary garbage, packet captures and archives with a message saying what they are', () => {
    const garbage = new Uint8Array(4096);
    let x = 12345;
    for (let i = 0; i < garbage.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      garbage[i] = x >>> 24;
    }
    expect(reasonOf(() => detectLayout('noise.bin', garbage))).toBe('binary');
    const pcap = Uint8Array.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0]);
    expect(() => detectLayout('capture.pcap', pcap)).toThrowError(/capture\.pcap is a packet capture/);
    const pcapng = Uint8Array.from([0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0]);
    expect(reasonOf(() => detectLayout('nmap.pcap', pcapng))).toBe('binary');
    expect(() => detectLayout('flows.csv.gz', Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0]))).toThrowError(/compressed/);
  });
  it('refuses text with no recognisable layout', () => {
    expect(reasonOf(() => detectLayout('notes.txt', utf8('hello world\nthis is prose\nnot flows\n')))).toBe('unknown-layout');
    expect(() => detectLayout('notes.txt', utf8('hello world\nthis is prose\n'))).toThrowError(/notes\.txt/);
  });
  it('refuses a forced format that does not fit, naming the file', () => {
    const unsw = fixture('unsw-nb15/UNSW_NB15_testing-set.excerpt.csv');
    expect(reasonOf(() => detectLayout('unsw.csv', unsw, { format: 'cicflowmeter' }))).toBe('unknown-layout');
    expect(() => detectLayout('unsw.csv', unsw, { format: 'nsl-kdd' })).toThrowError(/unsw\.csv does not look like NSL-KDD/);
    expect(reasonOf(() => detectLayout('unsw.csv', unsw, { format: 'zeek' }))).toBe('unknown-layout');
    expect(detectLayout('unsw.csv', unsw, { format: 'unsw-nb15' }).profile).toBe('unsw-nb15');
  });
});
