import { describe, expect, it } from 'vitest';
import { StringDictionary } from './dictionary.js';
import { JsonLinesReader, type JsonLinesColumn } from './json-lines-reader.js';
import type { ColumnBatch } from './types.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

// Real lines of vertical-portscan.conn.json.log (Zeek JSON conn log); the first has no "service".
const ZEEK_JSON = [
  '{"ts":1700828217.314165,"uid":"CfykLO1IT1nVRJhLA3","id.orig_h":"192.168.1.9","id.orig_p":50820,"id.resp_h":"45.33.32.156","id.resp_p":443,"proto":"tcp","duration":0.20696377754211426,"orig_bytes":0,"resp_bytes":0,"conn_state":"REJ","local_orig":true,"local_resp":false,"missed_bytes":0,"history":"Sr","orig_pkts":1,"orig_ip_bytes":60,"resp_pkts":1,"resp_ip_bytes":40,"orig_l2_addr":"c4:23:60:3d:fd:d3","resp_l2_addr":"50:78:b3:b0:08:ec"}',
  '{"ts":1700828217.313984,"uid":"Cbv8yQ1SWqf3kRDvie","id.orig_h":"192.168.1.9","id.orig_p":42982,"id.resp_h":"45.33.32.156","id.resp_p":80,"proto":"tcp","duration":0.20723414421081543,"orig_bytes":0,"resp_bytes":0,"conn_state":"RSTO","local_orig":true,"local_resp":false,"missed_bytes":0,"history":"ShAR","orig_pkts":3,"orig_ip_bytes":164,"resp_pkts":1,"resp_ip_bytes":60,"orig_l2_addr":"c4:23:60:3d:fd:d3","resp_l2_addr":"50:78:b3:b0:08:ec"}',
  '{"ts":1700828213.098448,"uid":"CJe5v63syDEJP2Dsh6","id.orig_h":"192.168.1.9","id.orig_p":60471,"id.resp_h":"192.168.1.1","id.resp_p":53,"proto":"udp","service":"dns","duration":0.8103499412536621,"orig_bytes":48,"resp_bytes":112,"conn_state":"SF","local_orig":true,"local_resp":true,"missed_bytes":0,"history":"Dd","orig_pkts":1,"orig_ip_bytes":76,"resp_pkts":1,"resp_ip_bytes":140,"orig_l2_addr":"c4:23:60:3d:fd:d3","resp_l2_addr":"50:78:b3:b0:08:ec"}',
  '{"ts":1700828216.271032,"uid":"C0TWms4B2erdeieCel","id.orig_h":"192.168.1.9","id.orig_p":46414,"id.resp_h":"185.199.110.133","id.resp_p":443,"proto":"tcp","service":"ssl","duration":1.7514169216156006,"orig_bytes":799,"resp_bytes":256288,"conn_state":"SF","local_orig":true,"local_resp":false,"missed_bytes":0,"history":"ShADadFRf","orig_pkts":115,"orig_ip_bytes":6763,"resp_pkts":224,"resp_ip_bytes":267944,"orig_l2_addr":"c4:23:60:3d:fd:d3","resp_l2_addr":"50:78:b3:b0:08:ec"}',
];

function run(cols: JsonLinesColumn[], data: Uint8Array, cuts: number[], batchRows = 3) {
  const reader = new JsonLinesReader({ columns: cols, batchRows });
  const batches: ColumnBatch[] = [];
  let prev = 0;
  for (const cut of [...cuts, data.length]) {
    reader.push(data.slice(prev, cut));
    batches.push(...reader.takeBatches());
    prev = cut;
  }
  reader.end();
  batches.push(...reader.takeBatches());
  const rows: Array<Array<number | string | null>> = [];
  for (const b of batches) {
    for (let i = 0; i < b.nRows; i++) {
      rows.push(cols.map((c, k) => (c.storage === 'dict' ? (b.columns[k][i] < 0 ? null : c.dictionary!.values[b.columns[k][i]]) : b.columns[k][i])));
    }
  }
  return { reader, rows };
}

const zeekCols = (): JsonLinesColumn[] => [
  { key: 'ts', storage: 'f64' },
  { key: 'id.orig_h', storage: 'dict', dictionary: new StringDictionary() },
  { key: 'id.resp_p', storage: 'f32' },
  { key: 'proto', storage: 'dict', dictionary: new StringDictionary() },
  { key: 'service', storage: 'dict', dictionary: new StringDictionary() },
  { key: 'duration', storage: 'f32' },
  { key: 'local_resp', storage: 'f32' },
  { key: 'resp_ip_bytes', storage: 'f32' },
  { key: 'not_there', storage: 'f32' },
];

describe('JsonLinesReader on real Zeek JSON lines', () => {
  it('reads the selected keys, absent keys as missing, booleans as 1/0, at every split position', () => {
    const data = utf8(ZEEK_JSON.join('\n') + '\n');
    const want = [
      [1700828217.314165, '192.168.1.9', 443, 'tcp', null, Math.fround(0.20696377754211426), 0, 40, NaN],
      [1700828217.313984, '192.168.1.9', 80, 'tcp', null, Math.fround(0.20723414421081543), 0, 60, NaN],
      [1700828213.098448, '192.168.1.9', 53, 'udp', 'dns', Math.fround(0.8103499412536621), 1, 140, NaN],
      [1700828216.271032, '192.168.1.9', 443, 'tcp', 'ssl', Math.fround(1.7514169216156006), 0, 267944, NaN],
    ];
    for (let cut = 0; cut <= data.length; cut += 7) {
      const { reader, rows } = run(zeekCols(), data, [cut]);
      expect(rows).toEqual(want);
      expect(Array.from(reader.counters.missing)).toEqual([0, 0, 0, 0, 2, 0, 0, 0, 4]);
      expect(reader.counters.records).toBe(4);
      expect(reader.counters.malformed).toBe(0);
    }
    const { reader } = run(zeekCols(), data, []);
    expect(Array.from(reader.codeCounts(4))).toEqual([1, 1]);
    const st = reader.stats(7)!.result(0, 0, 0);
    expect(st.max).toBe(267944);
    expect(st.min).toBe(40);
  });

  it('counts lines that are not one object as malformed, with line numbers; blank lines are blank', () => {
    const text = [ZEEK_JSON[0], '', 'not json', '[1,2]', '{"ts":1', '{"ts":1}}', '{"ts":2} x', '  ', ZEEK_JSON[2], '{}'].join('\r\n');
    const { reader, rows } = run([{ key: 'ts', storage: 'f64' }], utf8(text), [50]);
    expect(rows).toEqual([[1700828217.314165], [1700828213.098448], [NaN]]);
    const c = reader.counters;
    expect(c.malformed).toBe(5);
    expect(c.blankLines).toBe(2);
    expect(c.records).toBe(8);
    expect(c.malformedSamples.map((s) => s.line)).toEqual([3, 4, 5, 6, 7]);
  });
});

describe('JsonLinesReader vs JSON.parse on generated lines', () => {
  const KEYS = ['a', 'b', 'c\\"q', 'd', 'ts', 'é'];
  const STRINGS = ['x', '', 'tcp', 'caf\\u00e9', 'tab\\there', 'q\\"uote', 'back\\\\slash', '\\ud83d\\ude00', 'é中', '[not array]', 'a,b}'];
  const NUMBERS = ['0', '-1', '1.5', '1e3', '-2.5E-3', '12345.678901234567', '1700828217.314165', '0.1'];

  function genValue(r: () => number): string {
    const x = r();
    if (x < 0.3) return `"${STRINGS[Math.floor(r() * STRINGS.length)]}"`;
    if (x < 0.6) return NUMBERS[Math.floor(r() * NUMBERS.length)];
    if (x < 0.7) return r() < 0.5 ? 'true' : 'false';
    if (x < 0.8) return 'null';
    if (x < 0.9) return '["a", 1, {"z": "]"}]';
    return '{"n": [1, "}"]}';
  }

  it('matches a JSON.parse oracle at random split positions', () => {
    const r = rng(5150);
    for (let k = 0; k < 300; k++) {
      const nLines = Math.floor(r() * 6);
      const lines: string[] = [];
      for (let i = 0; i < nLines; i++) {
        const keys = KEYS.filter(() => r() < 0.7);
        const ws = (): string => (r() < 0.2 ? ' ' : '');
        lines.push('{' + ws() + keys.map((key) => `"${key}"${ws()}:${ws()}${genValue(r)}`).join(',' + ws()) + ws() + '}');
      }
      const text = lines.join(r() < 0.5 ? '\n' : '\r\n') + (r() < 0.5 ? '\n' : '');
      const cols: JsonLinesColumn[] = [
        { key: 'a', storage: 'dict', dictionary: new StringDictionary() },
        { key: 'b', storage: 'f32' },
        { key: 'c"q', storage: 'dict', dictionary: new StringDictionary() },
        { key: 'ts', storage: 'f64' },
        { key: 'é', storage: 'f32' },
        { key: 'b', storage: 'dict', dictionary: new StringDictionary() },
      ];
      const want = lines.map((line) => {
        const obj = JSON.parse(line) as Record<string, unknown>;
        return cols.map((c) => {
          const v = obj[c.key];
          if (v === undefined || v === null) return c.storage === 'dict' ? null : NaN;
          if (c.storage === 'dict') {
            if (typeof v === 'string') return v === '' ? null : v;
            if (typeof v === 'object') return Array.isArray(v) ? '["a", 1, {"z": "]"}]' : '{"n": [1, "}"]}';
            const src = JSON.stringify(c.key).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
            return line.match(new RegExp(`${src}\\s*:\\s*([^,}\\s]+)`))![1]; // raw text of a number / boolean
          }
          if (typeof v === 'boolean') return v ? 1 : 0;
          if (typeof v === 'number') return c.storage === 'f32' ? Math.fround(v) : v;
          if (typeof v === 'string' && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) return c.storage === 'f32' ? Math.fround(Number(v)) : Number(v);
          return NaN;
        });
      });
      const data = utf8(text);
      const cut = Math.floor(r() * (data.length + 1));
      const { reader, rows } = run(cols, data, [cut], 2);
      expect(rows, text).toEqual(want);
      expect(reader.counters.malformed).toBe(0);
    }
  });

  it('refuses a line longer than maxRecordBytes', () => {
    const reader = new JsonLinesReader({ columns: [{ key: 'ts', storage: 'f64' }], maxRecordBytes: 500 });
    reader.push(utf8(ZEEK_JSON[0] + '\n'));
    expect(() => {
      for (let k = 0; k < 20; k++) reader.push(utf8('{"ts":' + '1'.repeat(40)));
    }).toThrow(/line 2 is longer than 500 bytes/);
  });
});
