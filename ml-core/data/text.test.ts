import { describe, expect, it } from 'vitest';
import { decodeUtf8OrCp1252, encodeUtf8, isValidUtf8, sniffEncoding } from './text.js';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

describe('decodeUtf8OrCp1252', () => {
  it('decodes valid UTF-8 as is, including a BOM inside the cell', () => {
    const b = utf8('xWeb Attack – Brute Force 中 😀y');
    expect(decodeUtf8OrCp1252(b, 1, b.length - 1)).toEqual({ text: 'Web Attack – Brute Force 中 😀', repaired: false });
    const bom = bytes(0xef, 0xbb, 0xbf, 0x61);
    expect(decodeUtf8OrCp1252(bom, 0, 4).text).toBe('\ufeffa');
  });
  it('decodes invalid UTF-8 as cp1252 and says so', () => {
    const b = Uint8Array.from([...utf8('Web Attack '), 0x96, ...utf8(' XSS')]);
    expect(decodeUtf8OrCp1252(b, 0, b.length)).toEqual({ text: 'Web Attack – XSS', repaired: true });
    expect(decodeUtf8OrCp1252(bytes(0x80, 0x93, 0x94, 0x81, 0xe9, 0xff), 0, 6).text).toBe('€“”\u0081éÿ');
  });
  it('rejects overlongs, surrogates, truncated and out-of-range sequences', () => {
    for (const bad of [[0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x80], [0xf8], [0x80]]) {
      expect(isValidUtf8(Uint8Array.from(bad), 0, bad.length), String(bad)).toBe(false);
      // agrees with Node's strict decoder
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bad))).toThrow();
    }
    for (const good of ['', 'a', 'é', '€', '𐍈', '\u07ff', '\uffff', '\u{10ffff}']) {
      const b = utf8(good);
      expect(isValidUtf8(b, 0, b.length), good).toBe(true);
    }
  });
  it('agrees with Node strict UTF-8 on random byte strings', () => {
    let seed = 1;
    const rnd = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) / (1 << 24);
    const td = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    for (let k = 0; k < 20000; k++) {
      const b = Uint8Array.from({ length: Math.floor(rnd() * 6) }, () => (rnd() < 0.5 ? 0x80 + Math.floor(rnd() * 0x80) : Math.floor(rnd() * 256)));
      let want: string | null;
      try {
        want = td.decode(b);
      } catch {
        want = null;
      }
      const got = decodeUtf8OrCp1252(b, 0, b.length);
      expect(got.repaired, Array.from(b).join(',')).toBe(want === null);
      if (want !== null) expect(got.text).toBe(want);
    }
  });
  it('encodeUtf8 round-trips', () => {
    for (const s of ['', 'abc', 'é中😀', '\ud800x']) expect(Buffer.from(encodeUtf8(s)).toString('utf8')).toBe(Buffer.from(s, 'utf8').toString('utf8'));
  });
});

describe('sniffEncoding', () => {
  it('recognises BOMs', () => {
    expect(sniffEncoding(bytes(0xef, 0xbb, 0xbf, 0x61))).toBe('utf-8');
    expect(sniffEncoding(bytes(0xff, 0xfe, 0x61, 0))).toBe('utf-16le');
    expect(sniffEncoding(bytes(0xfe, 0xff, 0, 0x61))).toBe('utf-16be');
  });
  it('recognises BOM-less UTF-16 by where the NULs are', () => {
    expect(sniffEncoding(new Uint8Array(Buffer.from('id,label\r\n1,BENIGN\r\n', 'utf16le')))).toBe('utf-16le');
    expect(sniffEncoding(new Uint8Array(Buffer.from('id,label\r\n1,BENIGN\r\n', 'utf16le').swap16()))).toBe('utf-16be');
  });
  it('calls text with cp1252 bytes utf-8, and pcap / random bytes binary', () => {
    expect(sniffEncoding(utf8('a,b\n1,2\n'))).toBe('utf-8');
    expect(sniffEncoding(Uint8Array.from([...utf8('Label\nWeb Attack '), 0x96, ...utf8(' XSS\n')]))).toBe('utf-8');
    expect(sniffEncoding(new Uint8Array(0))).toBe('utf-8');
    const pcap = Uint8Array.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0, 0x45, 0x10, 0x5a, 0x4b]);
    expect(sniffEncoding(pcap)).toBe('binary');
    let x = 7;
    const random = Uint8Array.from({ length: 4096 }, () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) >>> 24));
    expect(sniffEncoding(random)).toBe('binary');
  });
});
