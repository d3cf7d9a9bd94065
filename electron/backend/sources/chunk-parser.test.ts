import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { frameOfBatches } from '../training/score-file.js';
import { ChunkParser } from './chunk-parser.js';
import { decodeFlowIds } from './flow-ids.js';
import { FileTail } from './tail.js';

const root = path.resolve(__dirname, '../../..');
const fixture = (p: string) => fs.readFileSync(path.join(root, 'tests/fixtures', p));
const enc = (s: string) => new TextEncoder().encode(s);
const cic = fixture('cicids2017-corrected/DDoS.head6.csv');
const cicText = cic.toString('utf8');
const cicLines = cicText.split('\n').filter((l) => l !== '');

/** rows of a parse, summed */
function rowsOf(r: { summary: { rows: number }; batches: Array<{ nRows: number }> }): number {
  expect(r.batches.reduce((a, b) => a + b.nRows, 0)).toBe(r.summary.rows);
  return r.summary.rows;
}

describe('ChunkParser', () => {
  it('parses a whole CICFlowMeter file and a chunk from the middle with the same columns', () => {
    const p = new ChunkParser();
    const { columns, profile } = p.begin('DDoS.csv', cic, cic.length);
    expect(profile).toBe('cicflowmeter-corrected');
    const whole = p.parse(cic, 0);
    expect(rowsOf(whole)).toBe(cicLines.length - 1);
    expect(whole.summary.columns.map((c) => c.name)).toEqual(columns.map((c) => c.name));
    // the last two records alone, at their offset
    const at = cicText.length - (cicLines.at(-1)!.length + 1) - (cicLines.at(-2)!.length + 1);
    const mid = p.parse(cic.subarray(at), at);
    expect(rowsOf(mid)).toBe(2);
    expect(mid.summary.columns.map((c) => c.name)).toEqual(columns.map((c) => c.name));
    const frame = frameOfBatches(mid.summary, mid.batches);
    expect(frame.nSamples).toBe(2);
    const wholeFrame = frameOfBatches(whole.summary, whole.batches);
    expect(frame.columns.map((c) => c.name)).toEqual(wholeFrame.columns.map((c) => c.name));
    const ids = decodeFlowIds(mid.summary, mid.batches);
    const last = cicLines.at(-1)!.split(',');
    const hdr = cicLines[0].split(',');
    expect(ids.srcIp[1]).toBe(last[hdr.indexOf('Src IP')]);
    expect(ids.dstPort[1]).toBe(Number(last[hdr.indexOf('Dst Port')]));
    expect(ids.protocol[1]).toBe('tcp');
    expect(Number.isFinite(ids.time[1])).toBe(true);
  });

  it('a garbage line among good ones: the good rows are kept and the bad one counted', () => {
    const p = new ChunkParser();
    p.begin('DDoS.csv', cic, cic.length);
    const text = [cicLines[0], cicLines[1], 'this is not, a flow', cicLines[2], cicLines[3]].join('\n') + '\n';
    const r = p.parse(enc(text), 0);
    expect(rowsOf(r)).toBe(3);
    expect(r.skipped.malformedRows).toBe(1);
    expect(r.summary.cleaning.malformedRows).toBe(1);
    expect(r.skipped.samples[0]).toMatchObject({ line: 3, fields: 2 });
  });

  it('a stray quote that never closes: the lines around it are still parsed', () => {
    const p = new ChunkParser();
    p.begin('DDoS.csv', cic, cic.length);
    const body = [cicLines[1], cicLines[2], '"oops,1,2', cicLines[3], cicLines[4]].join('\n') + '\n';
    const at = cicLines[0].length + 1;
    const r = p.parse(enc(body), at);
    expect(rowsOf(r)).toBe(4);
    expect(r.skipped.unreadableLines).toBe(1);
    const ids = decodeFlowIds(r.summary, r.batches);
    const src = (l: string) => l.split(',')[cicLines[0].split(',').indexOf('Src IP')];
    expect(ids.srcIp).toEqual([cicLines[1], cicLines[2], cicLines[3], cicLines[4]].map(src));
  });

  it('a header repeated mid-file (a writer that restarted) is skipped', () => {
    const p = new ChunkParser();
    p.begin('DDoS.csv', cic, cic.length);
    const body = [cicLines[1], cicLines[0], cicLines[2]].join('\n') + '\n';
    const r = p.parse(enc(body), 500);
    expect(rowsOf(r)).toBe(2);
    expect(r.skipped.repeatedHeaderRows).toBe(1);
    expect(r.skipped.malformedRows).toBe(0);
  });

  it('empty, header-only and garbage-only chunks give zero rows, not an error', () => {
    const p = new ChunkParser();
    const { columns } = p.begin('DDoS.csv', cic, cic.length);
    for (const [bytes, start] of [
      [new Uint8Array(0), 0],
      [enc(cicLines[0] + '\n'), 0],
      [enc(cicLines[0] + '\n'), 700],
      [enc('\n\n'), 900],
      [enc('x,y\n'), 900],
      [enc('"never closed\n'), 900],
    ] as const) {
      const r = p.parse(bytes, start);
      expect(r.summary.rows).toBe(0);
      expect(r.batches).toEqual([]);
      expect(r.summary.columns.map((c) => c.name)).toEqual(columns.map((c) => c.name));
      expect(frameOfBatches(r.summary, r.batches).nSamples).toBe(0);
    }
    expect(p.parse(enc('x,y\n'), 900).skipped.malformedRows).toBe(1);
  });

  it('reads a Zeek log with its header block, in chunks, and its #close line', () => {
    const z = fixture('zeek/CTU-Honeypot-Capture-4-1.head60.conn.log.labeled');
    const text = z.toString('utf8');
    const lines = text.split('\n');
    const dataLines = lines.filter((l) => l !== '' && !l.startsWith('#'));
    const p = new ChunkParser();
    const { profile } = p.begin('conn.log.labeled', z, z.length);
    expect(profile).toBe('zeek-tsv');
    // chunks of ~10 lines, cut at line ends, from the start
    let at = 0;
    let rows = 0;
    const times: number[] = [];
    while (at < z.length) {
      let end = at;
      for (let k = 0; k < 10 && end < z.length; k++) end = z.indexOf(10, end) + 1 || z.length;
      const r = p.parse(z.subarray(at, end), at);
      rows += rowsOf(r);
      const ids = decodeFlowIds(r.summary, r.batches);
      times.push(...ids.time);
      expect(r.skipped.malformedRows).toBe(0);
      at = end;
    }
    expect(rows).toBe(dataLines.length);
    expect(times[0]).toBeCloseTo(Number(dataLines[0].split('\t')[0]) * 1000, 0);
    const closed = p.parse(enc('#close\t2018-10-25-15-46-57\n'), z.length);
    expect(closed.summary.rows).toBe(0);
  });

  it('a chunk that starts inside the Zeek preamble skips the rest of it', () => {
    const z = fixture('zeek/horizontal-portscan.conn.log');
    const p = new ChunkParser();
    p.begin('conn.log', z, z.length);
    const whole = p.parse(z, 0).summary.rows;
    const cut = z.indexOf(10) + 1; // after the first '#' line
    const a = p.parse(z.subarray(0, cut), 0).summary.rows;
    const b = p.parse(z.subarray(cut), cut).summary.rows;
    expect(a + b).toBe(whole);
  });

  it('reads Zeek JSON lines from the middle of a file', () => {
    const z = fixture('zeek/vertical-portscan.head30.conn.json.log');
    const p = new ChunkParser();
    expect(p.begin('conn.json.log', z, z.length).profile).toBe('zeek-json');
    const cut = z.indexOf(10, 2000) + 1;
    const a = p.parse(z.subarray(0, cut), 0);
    const b = p.parse(z.subarray(cut), cut);
    expect(a.summary.rows + b.summary.rows).toBe(p.parse(z, 0).summary.rows);
    const ids = decodeFlowIds(b.summary, b.batches);
    expect(ids.srcIp.every((s) => s !== null)).toBe(true);
    expect(ids.time.every((t) => t > 1.6e12)).toBe(true);
  });

  it('reads a CRLF file with a byte-order mark (UNSW-NB15) from the start and the middle', () => {
    const u = fixture('unsw-nb15/UNSW_NB15_testing-set.excerpt.csv');
    const p = new ChunkParser();
    expect(p.begin('unsw.csv', u, u.length).profile).toBe('unsw-nb15');
    const whole = p.parse(u, 0).summary.rows;
    const cut = u.indexOf(10, u.length >> 1) + 1;
    const a = p.parse(u.subarray(0, cut), 0);
    const b = p.parse(u.subarray(cut), cut);
    expect(a.summary.rows + b.summary.rows).toBe(whole);
    expect(b.skipped.malformedRows).toBe(0);
    const ids = decodeFlowIds(b.summary, b.batches);
    expect(ids.protocol.every((s) => s !== null && s === s.toLowerCase())).toBe(true);
  });

  it('parses what a FileTail hands out as a writer appends, half lines included', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-cp-'));
    try {
      const f = path.join(dir, 'live.csv');
      fs.writeFileSync(f, cicLines[0] + '\r\n' + cicLines[1] + '\r\n' + cicLines[2].slice(0, 40));
      const t = new FileTail(f);
      const p = new ChunkParser();
      let rows = 0;
      const pump = () => {
        for (let c = t.read(); c !== null; c = t.read()) {
          if (c.newFile) p.begin('live.csv', c.head!, c.fileSize);
          rows += p.parse(c.bytes, c.start).summary.rows;
        }
      };
      pump();
      expect(rows).toBe(1);
      fs.appendFileSync(f, cicLines[2].slice(40) + '\r\n' + cicLines[3] + '\r\n');
      pump();
      expect(rows).toBe(3);
      t.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses parse() before begin() and a head that is not a flow file', () => {
    const p = new ChunkParser();
    expect(() => p.parse(enc('a\n'), 0)).toThrow(/before begin/);
    expect(() => p.begin('x.csv', new Uint8Array(0), 0)).toThrow();
  });
});

describe('ChunkParser keep', () => {
  it('reads only the columns asked for, without the label', () => {
    const csv = 'Src IP,Dst Port,Flow Duration,Flow ID,Label\n10.0.0.1,80,12,a-b,BENIGN\n10.0.0.2,443,7,c-d,DDoS\n';
    const bytes = new TextEncoder().encode(csv);
    const p = new ChunkParser();
    const { columns } = p.begin('live.csv', bytes, bytes.length, { keep: (all) => new Set(all.filter((c) => c.name !== 'Flow ID').map((c) => c.name)) });
    expect(columns.map((c) => c.name)).not.toContain('Flow ID');
    expect(columns.some((c) => c.role === 'label')).toBe(false);
    const { summary, batches } = p.parse(bytes, 0);
    expect(summary.rows).toBe(2);
    expect(summary.targets).toBeNull();
    const dur = summary.columns.findIndex((c) => c.name === 'Flow Duration');
    expect(Array.from(batches[0]!.columns[dur] as Float32Array)).toEqual([12, 7]);
  });
});

describe('ChunkParser time column', () => {
  it('reads a text time column as ms since the epoch when columns are chosen', () => {
    const csv = 'Src IP,Timestamp,Flow Duration,Label\n10.0.0.1,2017-07-07 12:59:21.5,12,BENIGN\n10.0.0.2,not a time,7,DDoS\n';
    const bytes = new TextEncoder().encode(csv);
    const p = new ChunkParser();
    const { columns } = p.begin('live.csv', bytes, bytes.length, { keep: (all) => new Set(all.map((c) => c.name)) });
    expect(columns.find((c) => c.name === 'Timestamp')?.storage).toBe('f64');
    const { summary, batches } = p.parse(bytes, 0);
    const ids = decodeFlowIds(summary, batches);
    expect(ids.time[0]).toBe(Date.UTC(2017, 6, 7, 12, 59, 21, 500));
    expect(ids.time[1]).toBeNaN();
    expect(ids.srcIp).toEqual(['10.0.0.1', '10.0.0.2']);
  });
});
