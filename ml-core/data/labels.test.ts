import { describe, expect, it } from 'vitest';
import {
  NSL_KDD_CATEGORY,
  binaryOf,
  buildTargets,
  cicidsCategory,
  cleanLabel,
  countTargets,
  isBenignWord,
  knownCategory,
} from './labels.js';

describe('cleanLabel', () => {
  it('unifies garbled and typographic dashes', () => {
    expect(cleanLabel('Web Attack \uFFFD Brute Force', 'cicids')).toBe('Web Attack - Brute Force');
    expect(cleanLabel('Web Attack \uFFFD\uFFFD\uFFFD XSS', 'cicids')).toBe('Web Attack - XSS');
    expect(cleanLabel('Web Attack \u2013 Sql Injection', 'cicids')).toBe('Web Attack - Sql Injection'); // cp1252 0x96 decoded
    expect(cleanLabel('Web Attack \u2014 XSS', 'cicids')).toBe('Web Attack - XSS');
    expect(cleanLabel('Web Attack \u0096 XSS', 'cicids')).toBe('Web Attack - XSS'); // 0x96 read as Latin-1
    expect(cleanLabel('Web Attack â€“ XSS', 'cicids')).toBe('Web Attack - XSS'); // UTF-8 read as cp1252
    expect(cleanLabel('Web Attack -  XSS', 'cicids')).toBe('Web Attack - XSS');
  });
  it('keeps hyphens inside words and trims whitespace', () => {
    expect(cleanLabel('FTP-Patator', 'cicids')).toBe('FTP-Patator');
    expect(cleanLabel('  DoS Hulk ', 'cicids')).toBe('DoS Hulk');
    expect(cleanLabel('Infiltration - Portscan', 'cicids')).toBe('Infiltration - Portscan');
    expect(cleanLabel('C&C-FileDownload', 'iot-23')).toBe('C&C-FileDownload');
  });
  it("applies each scheme's fixes", () => {
    expect(cleanLabel('normal.', 'nsl-kdd')).toBe('normal');
    expect(cleanLabel('smurf.', 'nsl-kdd')).toBe('smurf');
    expect(cleanLabel('', 'unsw-nb15')).toBe('Normal');
    expect(cleanLabel('   ', 'unsw-nb15')).toBe('Normal');
    expect(cleanLabel(' Fuzzers ', 'unsw-nb15')).toBe('Fuzzers');
    expect(cleanLabel('Backdoors', 'unsw-nb15')).toBe('Backdoor');
    expect(cleanLabel('benign', 'iot-23')).toBe('Benign');
    expect(cleanLabel('MALICIOUS', 'iot-23')).toBe('Malicious');
    expect(cleanLabel('', 'generic')).toBe('');
  });
});

describe('categories', () => {
  it('maps every NSL-KDD attack, test-only ones included (same map as peers/common.py)', () => {
    const peers: Record<string, string> = {
      DoS: 'back land neptune pod smurf teardrop apache2 mailbomb processtable udpstorm',
      Probe: 'ipsweep nmap portsweep satan mscan saint',
      R2L: 'ftp_write guess_passwd imap multihop phf spy warezclient warezmaster named sendmail snmpgetattack snmpguess worm xlock xsnoop',
      U2R: 'buffer_overflow loadmodule perl rootkit ps sqlattack xterm httptunnel',
    };
    let n = 1;
    for (const [cat, names] of Object.entries(peers)) {
      for (const name of names.split(' ')) {
        expect(NSL_KDD_CATEGORY[name], name).toBe(cat);
        n++;
      }
    }
    expect(Object.keys(NSL_KDD_CATEGORY)).toHaveLength(n);
    expect(knownCategory('normal', 'nsl-kdd')).toBe('normal');
    for (const t of ['apache2', 'mscan', 'processtable', 'snmpguess']) expect(knownCategory(t, 'nsl-kdd')).not.toBeNull();
    expect(knownCategory('zeroday', 'nsl-kdd')).toBeNull();
  });

  it('groups CICIDS2017 (original and corrected) and CSE-CIC-IDS2018 labels into families', () => {
    const cases: Record<string, string> = {
      BENIGN: 'Benign',
      Benign: 'Benign',
      'DoS Hulk': 'DoS',
      'DoS GoldenEye': 'DoS',
      'DoS slowloris': 'DoS',
      'DoS Slowloris': 'DoS',
      'DoS Slowhttptest': 'DoS',
      'DoS attacks-Hulk': 'DoS',
      DDoS: 'DDoS',
      'DDoS attacks-LOIC-HTTP': 'DDoS',
      'DDOS attack-HOIC': 'DDoS',
      PortScan: 'PortScan',
      Portscan: 'PortScan',
      'FTP-Patator': 'Brute Force',
      'SSH-Patator': 'Brute Force',
      'FTP-BruteForce': 'Brute Force',
      'SSH-Bruteforce': 'Brute Force',
      'Web Attack - Brute Force': 'Web Attack',
      'Web Attack - XSS': 'Web Attack',
      'Web Attack - Sql Injection': 'Web Attack',
      'Web Attack - SQL Injection': 'Web Attack',
      'Brute Force -Web': 'Web Attack',
      'SQL Injection': 'Web Attack',
      Bot: 'Botnet',
      Botnet: 'Botnet',
      Infiltration: 'Infiltration',
      Infilteration: 'Infiltration',
      'Infiltration - Portscan': 'Infiltration',
      Heartbleed: 'Heartbleed',
      'DoS Hulk - Attempted': 'DoS',
    };
    for (const [label, cat] of Object.entries(cases)) expect(cicidsCategory(label), label).toBe(cat);
    expect(cicidsCategory('Something New')).toBeNull();
  });

  it('knows the UNSW-NB15 families and IoT-23 base labels', () => {
    for (const c of ['Normal', 'Generic', 'Exploits', 'Fuzzers', 'DoS', 'Reconnaissance', 'Analysis', 'Backdoor', 'Shellcode', 'Worms']) {
      expect(knownCategory(c, 'unsw-nb15')).toBe(c);
    }
    expect(knownCategory('Benign', 'iot-23')).toBe('Benign');
    expect(knownCategory('PartOfAHorizontalPortScan', 'iot-23')).toBeNull();
  });
});

describe('binary target', () => {
  it("knows each layout's word for benign", () => {
    for (const w of ['normal', 'BENIGN', 'Normal', 'Benign', 'benign', '0']) expect(isBenignWord(w), w).toBe(true);
    expect(binaryOf('neptune')).toBe('attack');
    expect(binaryOf('Web Attack - XSS')).toBe('attack');
    expect(binaryOf('1')).toBe('attack');
    expect(binaryOf('C&C', 'Malicious')).toBe('attack');
  });
});

describe('buildTargets / countTargets', () => {
  it('builds the three maps, names unknown labels, and counts rows per class', () => {
    const { targets, unknown } = buildTargets('label', ['normal', 'neptune', 'mscan', 'zeroday'], 'nsl-kdd');
    expect(unknown).toEqual(['zeroday']);
    expect(targets.category).toEqual({ normal: 'normal', neptune: 'DoS', mscan: 'Probe', zeroday: 'zeroday' });
    expect(targets.binary).toEqual({ normal: 'benign', neptune: 'attack', mscan: 'attack', zeroday: 'attack' });
    const counts = countTargets(targets, [10, 5, 2, 1]);
    expect(counts.label).toEqual({ normal: 10, neptune: 5, mscan: 2, zeroday: 1 });
    expect(counts.category).toEqual({ normal: 10, DoS: 5, Probe: 2, zeroday: 1 });
    expect(counts.binary).toEqual({ benign: 10, attack: 8 });
  });
  it('uses the category override (IoT-23 detailed label -> base label)', () => {
    const { targets } = buildTargets('label', ['Benign', 'C&C-FileDownload'], 'iot-23', { 'C&C-FileDownload': 'Malicious' });
    expect(targets.category['C&C-FileDownload']).toBe('Malicious');
    expect(targets.binary['C&C-FileDownload']).toBe('attack');
    expect(targets.binary.Benign).toBe('benign');
  });
});
