import { describe, expect, it } from 'vitest';
import { StringDictionary } from './dictionary.js';

const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const intern = (d: StringDictionary, s: string | Uint8Array): number => {
  const b = typeof s === 'string' ? utf8(s) : s;
  // intern from the middle of a larger buffer
  const buf = new Uint8Array(b.length + 4);
  buf.set(b, 2);
  return d.intern(buf, 2, 2 + b.length);
};

describe('StringDictionary', () => {
  it('gives one code per distinct string, in first-seen order', () => {
    const d = new StringDictionary();
    expect(intern(d, 'BENIGN')).toBe(0);
    expect(intern(d, 'DDoS')).toBe(1);
    expect(intern(d, 'BENIGN')).toBe(0);
    expect(intern(d, '')).toBe(2);
    expect(d.internString('DDoS')).toBe(1);
    expect(d.internString('PortScan')).toBe(3);
    expect(intern(d, 'PortScan')).toBe(3);
    expect(d.values).toEqual(['BENIGN', 'DDoS', '', 'PortScan']);
    expect(d.size).toBe(4);
    expect(d.repaired).toBe(0);
  });

  it('repairs cp1252 bytes, counts every repaired occurrence, and merges with the UTF-8 spelling', () => {
    const d = new StringDictionary();
    const cp = Uint8Array.from([...utf8('Web Attack '), 0x96, ...utf8(' Brute Force')]);
    expect(intern(d, cp)).toBe(0);
    expect(intern(d, cp)).toBe(0);
    expect(intern(d, 'Web Attack – Brute Force')).toBe(0);
    expect(d.values).toEqual(['Web Attack – Brute Force']);
    expect(d.repaired).toBe(2);
  });

  it('keeps codes right through many growths and hash collisions of similar strings', () => {
    const d = new StringDictionary();
    const n = 50_000;
    for (let i = 0; i < n; i++) expect(intern(d, `192.168.${i >> 8}.${i & 255}`)).toBe(i);
    for (let i = n - 1; i >= 0; i -= 7) expect(intern(d, `192.168.${i >> 8}.${i & 255}`)).toBe(i);
    expect(d.size).toBe(n);
    expect(d.values[12345]).toBe(`192.168.${12345 >> 8}.${12345 & 255}`);
    // long values (arena growth)
    const long = 'x'.repeat(100_000);
    expect(intern(d, long)).toBe(n);
    expect(intern(d, long + 'y')).toBe(n + 1);
    expect(intern(d, long)).toBe(n);
  });

  it('keeps one code per string whichever way it arrives (strings, UTF-8 bytes, cp1252 bytes)', () => {
    const d = new StringDictionary();
    expect(d.internString('café')).toBe(0);
    expect(intern(d, 'café')).toBe(0);
    expect(intern(d, Uint8Array.of(0x63, 0x61, 0x66, 0xe9))).toBe(0); // cp1252 é
    expect(d.repaired).toBe(1);
    expect(d.internString('\ud800x')).toBe(1); // lone surrogate: no UTF-8 form, still one code
    expect(d.internString('\ud800x')).toBe(1);
    expect(intern(d, '\ufffdx')).toBe(2);
    expect(d.internString('😀')).toBe(3);
    expect(intern(d, '😀')).toBe(3);
    expect(d.values).toEqual(['café', '\ud800x', '\ufffdx', '😀']);
  });
});
