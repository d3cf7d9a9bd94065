/**
 * Every real dataset file (../shared/datasets, or env FLOWSIGHT_DATASETS) through FlowImporter, plus
 * synthetic variants built from them. Skipped when the datasets folder is absent.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalCicName } from '../../ml-core/data/profiles/cicflowmeter.js';
import { FlowDataError } from '../../ml-core/data/types.js';
import type { ImportSummary } from '../../ml-core/data/types.js';
import {
  concatBytes,
  datasetsDir,
  filesIn,
  importFiles,
  importPaths,
  readBytes,
  shortenRows,
  text,
  toCse2018,
  toPandasResave,
  toUnswRaw,
  toUtf16le,
  utf8,
} from '../support/flow-import.js';

const DATA = datasetsDir();
const at = (rel: string): string => join(DATA ?? '', rel);

const CIC16 = [
  'BENIGN',
  'Botnet',
  'DDoS',
  'DoS GoldenEye',
  'DoS Hulk',
  'DoS Slowhttptest',
  'DoS Slowloris',
  'FTP-Patator',
  'Heartbleed',
  'Infiltration',
  'Infiltration - Portscan',
  'Portscan',
  'SSH-Patator',
  'Web Attack - Brute Force',
  'Web Attack - SQL Injection',
  'Web Attack - XSS',
];

function total(counts: Record<string, number> | undefined): number {
  return Object.values(counts ?? {}).reduce((a, b) => a + b, 0);
}

function reasonOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof FlowDataError) return e.reason;
    throw e;
  }
  return 'no error';
}

describe.skipIf(DATA === null)('real datasets', () => {
  describe('NSL-KDD', () => {
    let train: ImportSummary;
    it('KDDTrain+_20Percent: 25,192 rows, 22 attack names + normal in 5 categories', () => {
      const r = importPaths([at('nsl-kdd/KDDTrain+_20Percent.txt')]);
      train = r.summary;
      expect(r.profiles).toEqual(['nsl-kdd']);
      expect(train.rows).toBe(25192);
      expect(Object.keys(train.classCounts?.label ?? {})).toHaveLength(22);
      expect(train.classCounts?.label.normal).toBe(13449);
      expect(train.classCounts?.label.neptune).toBe(8282);
      expect(train.classCounts?.category).toEqual({ normal: 13449, DoS: 9234, Probe: 2289, R2L: 209, U2R: 11 });
      expect(train.classCounts?.binary).toEqual({ benign: 13449, attack: 11743 });
      expect(train.cleaning.droppedColumns.map((d) => d.name)).toEqual(['difficulty']);
      expect(train.cleaning.malformedRows).toBe(0);
      expect(train.columns.find((c) => c.name === 'service')?.stats.distinct).toBeGreaterThan(60);
    });
    it('KDDTest+: 22,544 rows; test-only attacks have categories', () => {
      const r = importPaths([at('nsl-kdd/KDDTest+.txt')]);
      const s = r.summary;
      expect(s.rows).toBe(22544);
      expect(Object.keys(s.classCounts?.label ?? {})).toHaveLength(38);
      expect(s.classCounts?.category).toEqual({ normal: 9711, DoS: 7458, Probe: 2421, R2L: 2754, U2R: 200 });
      expect(s.warnings.some((w) => /category map/.test(w))).toBe(false);
      for (const a of ['apache2', 'mscan', 'processtable', 'snmpguess']) expect(s.classCounts?.label[a]).toBeGreaterThan(0);
      expect(s.columns.map((c) => c.name)).toEqual(train.columns.map((c) => c.name));
    });
    it('a header added by hand imports the same rows', () => {
      const bytes = readBytes(at('nsl-kdd/KDDTrain+_20Percent.txt'));
      const header = utf8(
        'duration,protocol_type,service,flag,src_bytes,dst_bytes,land,wrong_fragment,urgent,hot,num_failed_logins,logged_in,num_compromised,root_shell,su_attempted,num_root,num_file_creations,num_shells,num_access_files,num_outbound_cmds,is_host_login,is_guest_login,count,srv_count,serror_rate,srv_serror_rate,rerror_rate,srv_rerror_rate,same_srv_rate,diff_srv_rate,srv_diff_host_rate,dst_host_count,dst_host_srv_count,dst_host_same_srv_rate,dst_host_diff_srv_rate,dst_host_same_src_port_rate,dst_host_srv_diff_host_rate,dst_host_serror_rate,dst_host_srv_serror_rate,dst_host_rerror_rate,dst_host_srv_rerror_rate,attack,level\n',
      );
      const r = importFiles([{ name: 'KDDTrain+_header.csv', bytes: concatBytes(header, bytes) }]);
      expect(r.profiles).toEqual(['nsl-kdd']);
      expect(r.summary.rows).toBe(25192);
      expect(r.summary.classCounts).toEqual(train.classCounts);
    });
    it('one short row in 2,500 is skipped and reported; more than 1% is refused', () => {
      const head = utf8(text(readBytes(at('nsl-kdd/KDDTrain+_20Percent.txt'))).split('\n').slice(0, 2500).join('\n') + '\n');
      const one = shortenRows(head, 2500, false);
      const s = importFiles([{ name: 'kdd2500.txt', bytes: one.bytes }]).summary;
      expect(s.rows).toBe(2499);
      expect(s.cleaning.malformedRows).toBe(1);
      expect(s.cleaning.malformedSamples[0]).toEqual({ file: 'kdd2500.txt', line: 2500, fields: 42, expected: 43 });
      const many = shortenRows(head, 40, false);
      expect(reasonOf(() => importFiles([{ name: 'kdd-bad.txt', bytes: many.bytes }]))).toBe('too-many-malformed');
    });
    it('UTF-16 is refused', () => {
      const u16 = toUtf16le(readBytes(at('nsl-kdd/KDDTest+.txt')).subarray(0, 100_000));
      expect(reasonOf(() => importFiles([{ name: 'KDDTest+-utf16.txt', bytes: u16 }]))).toBe('utf16');
    });
  });

  describe('CICIDS2017', () => {
    it('corrected sample: all 16 files in one import, 25,127 rows, 16 classes', () => {
      const files = filesIn(at('cicids2017-improved-sample'));
      expect(files).toHaveLength(16);
      const r = importPaths(files);
      const s = r.summary;
      expect(new Set(r.profiles)).toEqual(new Set(['cicflowmeter-corrected']));
      expect(s.rows).toBe(25127);
      expect(Object.keys(s.classCounts?.label ?? {}).sort()).toEqual([...CIC16].sort());
      expect(s.classCounts?.label.Heartbleed).toBe(11);
      expect(s.classCounts?.label['Web Attack - SQL Injection']).toBe(13);
      expect(s.classCounts?.label['Web Attack - XSS']).toBe(18);
      expect(s.classCounts?.label.Infiltration).toBe(36);
      expect(s.classCounts?.label.Botnet).toBe(736);
      expect(s.classCounts?.category).toEqual({
        Benign: 2500,
        Botnet: 736,
        DDoS: 2500,
        DoS: 9240,
        'Brute Force': 5000,
        Heartbleed: 11,
        Infiltration: 2536,
        PortScan: 2500,
        'Web Attack': 104,
      });
      expect(s.classCounts?.binary).toEqual({ benign: 2500, attack: 22627 });
      expect(s.cleaning.files.map((f) => f.rows).reduce((a, b) => a + b, 0)).toBe(25127);
      const ids = s.columns.filter((c) => c.role === 'identifier').map((c) => c.name);
      expect(ids).toEqual(['id', 'Flow ID', 'Source IP', 'Source Port', 'Destination IP', 'Timestamp']);
      expect(s.columns.find((c) => c.name === 'Attempted Category')?.role).toBe('ignored');
      expect(s.columns.filter((c) => c.role === 'numeric')).toHaveLength(83);
    });

    it('original format: the seven day files together, 7,000 rows', () => {
      const files = filesIn(at('cicids2017-original-format'));
      expect(files).toHaveLength(7);
      const r = importPaths(files);
      const s = r.summary;
      expect(new Set(r.profiles)).toEqual(new Set(['cicflowmeter-original']));
      expect(s.rows).toBe(7000);
      expect(s.classCounts?.label).toEqual({
        BENIGN: 6993,
        'Web Attack - Brute Force': 2,
        'Web Attack - Sql Injection': 2,
        'Web Attack - XSS': 3,
      });
      expect(s.cleaning.nonFiniteByColumn).toEqual({ 'Flow Bytes/s': 23, 'Flow Packets/s': 23 });
      expect(s.cleaning.duplicateColumns).toEqual([expect.objectContaining({ name: 'Fwd Header Length' })]);
      expect(s.cleaning.renamedHeaders).toHaveLength(64);
      expect(s.cleaning.repairedLabels.map((x) => x.to).sort()).toEqual([
        'Web Attack - Brute Force',
        'Web Attack - Sql Injection',
        'Web Attack - XSS',
      ]);
    });

    it('a pandas re-save (Fwd Header Length.1) reads into the same columns', () => {
      const files = filesIn(at('cicids2017-original-format'));
      const orig = importPaths(files.slice(0, 2)).summary;
      const r = importFiles(files.slice(0, 2).map((p, i) => ({ name: `resaved-${i}.csv`, bytes: toPandasResave(readBytes(p)) })));
      expect(r.summary.rows).toBe(orig.rows);
      expect(r.summary.columns.map((c) => c.name)).toEqual(orig.columns.map((c) => c.name));
      expect(r.summary.cleaning.duplicateColumns[0].action).toMatch(/Fwd Header Length\.1/);
    });

    it('CSE-CIC-IDS2018-style names land on the canonical columns of both CICIDS2017 schemes', () => {
      const files = filesIn(at('cicids2017-improved-sample'));
      const bytes = toCse2018(files.map(readBytes), canonicalCicName);
      const r = importFiles([{ name: 'Thursday-15-02-2018_TrafficForML_CICFlowMeter.csv', bytes }]);
      expect(r.profiles).toEqual(['cicflowmeter-corrected']);
      expect(r.summary.rows).toBe(25127);
      const corrected = new Set(importPaths(files.slice(0, 1)).summary.columns.map((c) => c.name));
      const original = new Set(importPaths(filesIn(at('cicids2017-original-format')).slice(0, 1)).summary.columns.map((c) => c.name));
      const names = r.summary.columns.map((c) => c.name);
      expect(names.filter((n) => !corrected.has(n))).toEqual([]);
      expect(names.filter((n) => !original.has(n)).sort()).toEqual(['Protocol', 'Timestamp']);
      expect(r.summary.classCounts?.category.DoS).toBe(9240);
      expect(r.summary.classCounts?.category['Web Attack']).toBe(104);
      expect(r.summary.classCounts?.category.Botnet).toBe(736);
    });
  });

  describe('UNSW-NB15', () => {
    it('testing-set head: 4,528 rows in the ten families', () => {
      const r = importPaths(filesIn(at('unsw-nb15')));
      const s = r.summary;
      expect(r.profiles).toEqual(['unsw-nb15']);
      expect(s.rows).toBe(4528);
      expect(s.classCounts?.label).toEqual({
        Normal: 243,
        Exploits: 1800,
        DoS: 1055,
        Fuzzers: 717,
        Reconnaissance: 543,
        Analysis: 80,
        Shellcode: 55,
        Backdoor: 28,
        Worms: 7,
      });
      expect(s.classCounts?.binary).toEqual({ benign: 243, attack: 4285 });
      expect(s.warnings.some((w) => /disagrees/.test(w))).toBe(false);
      expect(s.cleaning.notes.join(' ')).toMatch(/byte-order mark/);
    });
    it('raw 49-column rows without header import with the same classes', () => {
      const set = importPaths(filesIn(at('unsw-nb15'))).summary;
      const raw = importFiles([{ name: 'UNSW-NB15_1.csv', bytes: toUnswRaw(readBytes(filesIn(at('unsw-nb15'))[0])) }]);
      expect(raw.profiles).toEqual(['unsw-nb15-raw']);
      expect(raw.summary.rows).toBe(4528);
      expect(raw.summary.classCounts).toEqual(set.classCounts);
      const setFeatures = new Set(set.columns.filter((c) => c.role === 'numeric' || c.role === 'categorical').map((c) => c.name));
      const rawFeatures = raw.summary.columns.filter((c) => c.role === 'numeric' || c.role === 'categorical').map((c) => c.name);
      expect(rawFeatures.filter((n) => !setFeatures.has(n))).toEqual([]);
      expect([...setFeatures].filter((n) => !rawFeatures.includes(n))).toEqual(['rate']);
    });
  });

  describe('Zeek', () => {
    it('IoT-23 42-1: 4,426 connections with their labels', () => {
      const r = importPaths([at('zeek/CTU-IoT-Malware-Capture-42-1.conn.log.labeled')]);
      const s = r.summary;
      expect(r.profiles).toEqual(['zeek-tsv']);
      expect(s.rows).toBe(4426);
      expect(s.classCounts?.label).toEqual({ Benign: 4420, FileDownload: 3, 'C&C-FileDownload': 3 });
      expect(s.classCounts?.category).toEqual({ Benign: 4420, Malicious: 6 });
      expect(s.classCounts?.binary).toEqual({ benign: 4420, attack: 6 });
      expect(s.cleaning.malformedRows).toBe(0);
    });
    it('Honeypot 4-1: 452 benign connections (lower-case label)', () => {
      const s = importPaths([at('zeek/CTU-Honeypot-Capture-4-1.conn.log.labeled')]).summary;
      expect(s.rows).toBe(452);
      expect(s.classCounts?.label).toEqual({ Benign: 452 });
      expect(s.cleaning.repairedLabels).toEqual([{ from: 'benign', to: 'Benign', rows: 452 }]);
    });
    it('both IoT-23 captures import together', () => {
      const s = importPaths([
        at('zeek/CTU-IoT-Malware-Capture-42-1.conn.log.labeled'),
        at('zeek/CTU-Honeypot-Capture-4-1.conn.log.labeled'),
      ]).summary;
      expect(s.rows).toBe(4878);
      expect(s.classCounts?.binary).toEqual({ benign: 4872, attack: 6 });
    });
    it('unlabelled TSV logs: horizontal-portscan 41, test10-mixed 141 (tab before #separator)', () => {
      const h = importPaths([at('zeek/horizontal-portscan.conn.log')]).summary;
      expect(h.rows).toBe(41);
      expect(h.targets).toBeNull();
      const t = importPaths([at('zeek/test10-mixed.conn.log')]).summary;
      expect(t.rows).toBe(141);
      expect(t.cleaning.malformedRows).toBe(0);
      expect(t.cleaning.files[0].profile).toBe('zeek-tsv');
    });
    it('JSON lines: vertical-portscan 50 connections', () => {
      const r = importPaths([at('zeek/vertical-portscan.conn.json.log')]);
      expect(r.profiles).toEqual(['zeek-json']);
      expect(r.summary.rows).toBe(50);
      expect(r.summary.cleaning.malformedRows).toBe(0);
      expect(r.summary.columns.find((c) => c.name === 'conn_state')?.stats.top?.[0].value).toBe('REJ');
    });
  });

  describe('every file on its own', () => {
    const expected: Record<string, number> = {
      'KDDTrain+_20Percent.txt': 25192,
      'KDDTest+.txt': 22544,
      'UNSW_NB15_testing-set_head4528.csv': 4528,
      'CTU-IoT-Malware-Capture-42-1.conn.log.labeled': 4426,
      'CTU-Honeypot-Capture-4-1.conn.log.labeled': 452,
      'horizontal-portscan.conn.log': 41,
      'test10-mixed.conn.log': 141,
      'vertical-portscan.conn.json.log': 50,
      'th1.csv': 1006,
    };
    it('imports every CSV / log in the datasets folder and refuses the packet captures', () => {
      const folders = ['nsl-kdd', 'cicids2017-improved-sample', 'cicids2017-original-format', 'unsw-nb15', 'zeek'];
      let n = 0;
      for (const folder of folders) {
        for (const p of filesIn(at(folder))) {
          const name = p.split(/[\\/]/).pop() as string;
          const s = importPaths([p], {}, 100_003).summary;
          expect(s.rows, name).toBeGreaterThan(0);
          expect(s.cleaning.malformedRows, name).toBe(0);
          if (expected[name] !== undefined) expect(s.rows, name).toBe(expected[name]);
          if (folder === 'cicids2017-original-format' && name !== 'th1.csv') expect(s.rows, name).toBe(999);
          n++;
        }
      }
      expect(n).toBe(2 + 16 + 7 + 1 + 5);
      for (const p of filesIn(at('pcap'))) {
        expect(reasonOf(() => importPaths([p])), p).toBe('binary');
      }
    });
  });
});
