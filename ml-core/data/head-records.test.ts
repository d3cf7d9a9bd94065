import { parse as csvParse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parseHeadRecords } from './head-records.js';

const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

describe('parseHeadRecords', () => {
  it('parses quotes, doubled quotes, newlines in quotes, CRLF and a BOM', () => {
    const data = Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8('id,"Flow ID",Label\r\n1,"a,""b""\r\nc",BENIGN\r\n\r\n2,,"DDoS"\r\n')]);
    expect(parseHeadRecords(data, { delimiter: 0x2c, quote: 0x22 })).toEqual([
      ['id', 'Flow ID', 'Label'],
      ['1', 'a,"b"\r\nc', 'BENIGN'],
      ['2', '', 'DDoS'],
    ]);
  });
  it('drops a cut last line unless complete, and stops at maxRecords', () => {
    const data = utf8('a\tb\n1\t2\n3\t4');
    expect(parseHeadRecords(data, { delimiter: 9, quote: null })).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseHeadRecords(data, { delimiter: 9, quote: null, complete: true })).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
    expect(parseHeadRecords(data, { delimiter: 9, quote: null, maxRecords: 1 })).toEqual([['a', 'b']]);
    // cut inside a quoted field: the open record is dropped
    expect(parseHeadRecords(utf8('x,y\n1,"abc\n'), { delimiter: 0x2c, quote: 0x22 })).toEqual([['x', 'y']]);
  });
  it('quotes are literal in TSV and repairs cp1252 cells', () => {
    const data = Uint8Array.from([...utf8('"a\tWeb Attack '), 0x96, ...utf8(' XSS\n')]);
    expect(parseHeadRecords(data, { delimiter: 9, quote: null })).toEqual([['"a', 'Web Attack – XSS']]);
  });
  it('agrees with csv-parse on RFC 4180 text', () => {
    const text = 'h1,h2,h3\n"x","y ""q""",z\n,"",\n"multi\nline",é,"😀,"\n';
    expect(parseHeadRecords(utf8(text), { delimiter: 0x2c, quote: 0x22 })).toEqual(csvParse(text, { relax_column_count: true }));
  });
});
