import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CSE_CIC_IDS2018_HEADER,
  FIXTURES,
  columnStrings,
  columnValues,
  filesIn,
  fixture,
  importFiles,
  importPaths,
  readBytes,
  toCse2018,
  toPandasResave,
} from '../../../tests/support/flow-import.js';
import { detectLayout } from '../detect.js';
import { canonicalCicName, CICFLOWMETER_CANONICAL_NAMES } from './cicflowmeter.js';
import { squash } from './common.js';

const TU1 = 'cicids2017-original/tu1.head200.csv';
const TH1 = 'cicids2017-original/th1.tail48.csv';
const CORRECTED = filesIn(join(FIXTURES, 'cicids2017-corrected'));

function replaceBytes(b: Uint8Array, from: number[], to: number[]): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    if (from.every((x, k) => b[i + k] === x)) {
      out.push(...to);
      i += from.length - 1;
    } else out.push(b[i]);
  }
  return Uint8Array.from(out);
}

describe('CICFlowMeter canonical names', () => {
  it('has no two spellings that collide on different canonical names', () => {
    const seen = new Map<string, string>();
    for (const name of CICFLOWMETER_CANONICAL_NAMES) {
      const k = squash(name);
      expect(seen.get(k) ?? name, name).toBe(name);
      seen.set(k, name);
    }
  });
  it('maps the names of all three schemes', () => {
    expect(canonicalCicName(' Destination Port')).toBe('Destination Port');
    expect(canonicalCicName('Dst Port')).toBe('Destination Port');
    expect(canonicalCicName('Tot Fwd Pkts')).toBe('Total Fwd Packets');
    expect(canonicalCicName('Total Fwd Packet')).toBe('Total Fwd Packets');
    expect(canonicalCicName('Flow Byts/s')).toBe('Flow Bytes/s');
    expect(canonicalCicName('Init Fwd Win Byts')).toBe('Init_Win_bytes_forward');
    expect(canonicalCicName('FWD Init Win Bytes')).toBe('Init_Win_bytes_forward');
    expect(canonicalCicName(' CWE Flag Count')).toBe('CWR Flag Count');
    expect(canonicalCicName('Packet Length Min')).toBe('Min Packet Length');
    expect(canonicalCicName('not a cic name')).toBeNull();
    for (const h of CSE_CIC_IDS2018_HEADER) expect(canonicalCicName(h), h).not.toBeNull();
  });
});

describe('CICFlowMeter original (CICIDS2017 MachineLearningCVE)', () => {
  it('trims leading spaces, drops the duplicated Fwd Header Length and counts Infinity/NaN', () => {
    const r = importFiles([{ name: 'tu1.csv', bytes: fixture(TU1) }]);
    const s = r.summary;
    expect(r.profiles).toEqual(['cicflowmeter-original']);
    expect(s.format).toBe('cicflowmeter');
    expect(s.rows).toBe(200);
    expect(s.columns).toHaveLength(78);
    expect(s.columns.filter((c) => c.name === 'Fwd Header Length')).toHaveLength(1);
    expect(s.columns.every((c) => c.name === c.name.trim())).toBe(true);
    const c = s.cleaning;
    expect(c.renamedHeaders).toContainEqual({ from: ' Destination Port', to: 'Destination Port' });
    expect(c.renamedHeaders).toContainEqual({ from: ' CWE Flag Count', to: 'CWR Flag Count' });
    expect(c.renamedHeaders).toContainEqual({ from: ' Label', to: 'Label' });
    expect(c.renamedHeaders.length).toBe(64);
    expect(c.duplicateColumns).toEqual([expect.objectContaining({ name: 'Fwd Header Length' })]);
    expect(c.notes).toContain("Dropped the second ' Fwd Header Length' column (a duplicate).");
    expect(c.nonFiniteByColumn).toEqual({ 'Flow Bytes/s': 6, 'Flow Packets/s': 6 });
    expect(c.nonFiniteCells).toBe(12);
    expect(c.notes).toContain('6 cells of Flow Bytes/s held Infinity or NaN; stored as missing.');
    const fb = s.columns.find((x) => x.name === 'Flow Bytes/s');
    expect(fb?.stats.nonFinite).toBe(6);
    expect(fb?.stats.missing).toBe(6);
    expect(fb?.stats.count).toBe(194);
    expect(columnValues(r, 'Flow Bytes/s').filter((v) => Number.isNaN(v))).toHaveLength(6);
    expect(s.classCounts?.label).toEqual({ BENIGN: 200 });
    const role = Object.fromEntries(s.columns.map((x) => [x.name, x.role]));
    expect(role['Destination Port']).toBe('numeric');
    expect(role.Label).toBe('label');
    expect(role['Flow Duration']).toBe('numeric');
  });

  it('repairs web-attack labels whose dash became U+FFFD', () => {
    const s = importFiles([{ name: 'th1.csv', bytes: fixture(TH1) }]).summary;
    expect(s.rows).toBe(48);
    expect(s.classCounts?.label).toEqual({
      BENIGN: 41,
      'Web Attack - Brute Force': 2,
      'Web Attack - Sql Injection': 2,
      'Web Attack - XSS': 3,
    });
    expect(s.classCounts?.category).toEqual({ Benign: 41, 'Web Attack': 7 });
    expect(s.classCounts?.binary).toEqual({ benign: 41, attack: 7 });
    expect(s.cleaning.repairedLabels).toContainEqual({
      from: 'Web Attack \uFFFD Brute Force',
      to: 'Web Attack - Brute Force',
      rows: 2,
    });
    expect(s.targets?.label).not.toContain('Web Attack \uFFFD XSS');
  });

  it('repairs raw cp1252 0x96 dashes in labels', () => {
    const bytes = replaceBytes(fixture(TH1), [0xef, 0xbf, 0xbd], [0x96]);
    const s = importFiles([{ name: 'th1-cp1252.csv', bytes }]).summary;
    expect(s.classCounts?.label['Web Attack - XSS']).toBe(3);
    expect(s.cleaning.repairedTextCells).toBe(7);
    expect(s.cleaning.repairedLabels).toContainEqual({ from: 'Web Attack \u2013 XSS', to: 'Web Attack - XSS', rows: 3 });
  });

  it("reads a pandas re-save ('Fwd Header Length.1', inf, empty NaN) into the same columns", () => {
    const orig = importFiles([{ name: 'tu1.csv', bytes: fixture(TU1) }]).summary;
    const r = importFiles([{ name: 'tu1-pandas.csv', bytes: toPandasResave(fixture(TU1)) }]);
    expect(r.profiles).toEqual(['cicflowmeter-original']);
    expect(r.summary.columns.map((c) => c.name)).toEqual(orig.columns.map((c) => c.name));
    expect(r.summary.cleaning.duplicateColumns).toEqual([expect.objectContaining({ name: 'Fwd Header Length' })]);
    expect(r.summary.cleaning.notes.join(' ')).toMatch(/Fwd Header Length\.1/);
    expect(r.summary.cleaning.nonFiniteByColumn).toEqual({ 'Flow Bytes/s': 2, 'Flow Packets/s': 6 });
    expect(r.summary.columns.find((c) => c.name === 'Flow Bytes/s')?.stats.missing).toBe(6);
    // the original and the re-save import together
    const both = importFiles([
      { name: 'tu1.csv', bytes: fixture(TU1) },
      { name: 'tu1-pandas.csv', bytes: toPandasResave(fixture(TU1)) },
    ]);
    expect(both.summary.rows).toBe(400);
  });
});

describe('CICFlowMeter corrected (CICIDS2017 re-extraction)', () => {
  it('imports one file per class as one import with 16 classes', () => {
    const r = importPaths(CORRECTED);
    const s = r.summary;
    expect(new Set(r.profiles)).toEqual(new Set(['cicflowmeter-corrected']));
    expect(s.rows).toBe(96);
    expect(Object.keys(s.classCounts?.label ?? {})).toHaveLength(16);
    expect(Object.values(s.classCounts?.label ?? {}).every((n) => n === 6)).toBe(true);
    expect(s.classCounts?.category).toEqual({
      Benign: 6,
      Botnet: 6,
      DDoS: 6,
      DoS: 24,
      'Brute Force': 12,
      Heartbleed: 6,
      Infiltration: 12,
      PortScan: 6,
      'Web Attack': 18,
    });
    expect(s.cleaning.files).toHaveLength(16);
    expect(s.cleaning.files.every((f) => f.rows === 6)).toBe(true);
    const role = Object.fromEntries(s.columns.map((c) => [c.name, `${c.role}/${c.storage}`]));
    expect(role.id).toBe('identifier/f64');
    expect(role['Flow ID']).toBe('identifier/dict');
    expect(role['Source IP']).toBe('identifier/dict');
    expect(role['Source Port']).toBe('identifier/f32');
    expect(role['Destination IP']).toBe('identifier/dict');
    expect(role['Destination Port']).toBe('numeric/f32');
    expect(role.Protocol).toBe('numeric/f32');
    expect(role.Timestamp).toBe('identifier/dict');
    expect(role['Attempted Category']).toBe('ignored/f32');
    expect(role.Label).toBe('label/dict');
    expect(role['Total Fwd Packets']).toBe('numeric/f32');
    expect(s.columns.find((c) => c.name === 'Total Fwd Packets')?.sourceName).toBe('Total Fwd Packet');
    expect(s.cleaning.renamedHeaders).toContainEqual({ from: 'Dst Port', to: 'Destination Port' });
    expect(s.cleaning.notes.join(' ')).toMatch(/Attempted Category/);
    // dictionaries are shared across the 16 files
    const labels = columnStrings(r, 'Label');
    expect(labels.slice(0, 6).every((l) => l === 'BENIGN')).toBe(true);
    expect(labels.at(-1)).toBe('Web Attack - XSS');
  });

  it('gives the original and corrected schemes the same canonical feature names', () => {
    const orig = detectLayout('tu1.csv', fixture(TU1));
    const corr = detectLayout('BENIGN.csv', readBytes(CORRECTED[0]));
    expect(orig.profile).toBe('cicflowmeter-original');
    expect(corr.profile).toBe('cicflowmeter-corrected');
    const corrNames = new Set(corr.columns.map((c) => c.name));
    expect(orig.columns.map((c) => c.name).filter((n) => !corrNames.has(n))).toEqual([]);
    const extra = corr.columns.filter((c) => !orig.columns.some((o) => o.name === c.name)).map((c) => c.name);
    expect(extra.sort()).toEqual(
      ['id', 'Flow ID', 'Source IP', 'Source Port', 'Destination IP', 'Protocol', 'Timestamp', 'Fwd RST Flags', 'Bwd RST Flags', 'ICMP Code', 'ICMP Type', 'Total TCP Flow Time', 'Attempted Category'].sort(),
    );
  });

  it('reads CSE-CIC-IDS2018 names and labels into the same canonical columns', () => {
    const bytes = toCse2018(CORRECTED.map(readBytes), canonicalCicName);
    const r = importFiles([{ name: 'Friday-16-02-2018_TrafficForML_CICFlowMeter.csv', bytes }]);
    expect(r.profiles).toEqual(['cicflowmeter-corrected']);
    expect(r.summary.rows).toBe(96);
    expect(r.summary.columns).toHaveLength(80);
    const corr = new Set(importPaths(CORRECTED).summary.columns.map((c) => c.name));
    expect(r.summary.columns.map((c) => c.name).filter((n) => !corr.has(n))).toEqual([]);
    expect(r.summary.columns.find((c) => c.name === 'Total Fwd Packets')?.sourceName).toBe('Tot Fwd Pkts');
    const cat = r.summary.classCounts?.category ?? {};
    expect(cat).toEqual({ Benign: 6, Botnet: 6, DDoS: 6, DoS: 24, 'Brute Force': 12, Heartbleed: 6, Infiltration: 12, PortScan: 6, 'Web Attack': 18 });
    expect(r.summary.classCounts?.binary).toEqual({ benign: 6, attack: 90 });
  });
});
