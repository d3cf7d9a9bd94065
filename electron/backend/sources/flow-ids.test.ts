import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ColumnSpec } from '../../../ml-core/data/types.js';
import { ChunkParser } from './chunk-parser.js';
import { decodeFlowIds, flowIdColumns, parsePort, protocolName } from './flow-ids.js';

const root = path.resolve(__dirname, '../../..');
function parseFixture(p: string) {
  const b = fs.readFileSync(path.join(root, 'tests/fixtures', p));
  const parser = new ChunkParser();
  parser.begin(path.basename(p), b, b.length);
  const r = parser.parse(b, 0);
  return { ...r, text: b.toString('utf8') };
}
const col = (name: string, storage: ColumnSpec['storage'] = 'dict', role: ColumnSpec['role'] = 'identifier'): ColumnSpec => ({ name, sourceName: name, role, storage });

describe('flowIdColumns', () => {
  it('finds the identifiers under the names of every format', () => {
    expect(flowIdColumns([col('Flow ID'), col('Source IP'), col('Source Port', 'f32'), col('Destination IP'), col('Destination Port', 'f32', 'numeric'), col('Protocol', 'f32', 'numeric'), col('Timestamp')])).toEqual({
      srcIp: 1, srcPort: 2, dstIp: 3, dstPort: 4, protocol: 5, time: 6,
    });
    expect(flowIdColumns([col('srcip'), col('sport', 'f32'), col('dstip'), col('dsport', 'f32'), col('proto'), col('stime', 'f64')])).toEqual({
      srcIp: 0, srcPort: 1, dstIp: 2, dstPort: 3, protocol: 4, time: 5,
    });
    expect(flowIdColumns([col('ts', 'f64'), col('uid'), col('id.orig_h'), col('id.orig_p', 'f32'), col('id.resp_h'), col('id.resp_p', 'f32'), col('proto')])).toEqual({
      time: 0, srcIp: 2, srcPort: 3, dstIp: 4, dstPort: 5, protocol: 6,
    });
    expect(flowIdColumns([col('duration', 'f32', 'numeric'), col('protocol_type', 'dict', 'categorical'), col('label', 'dict', 'label')])).toEqual({ protocol: 1 });
    expect(flowIdColumns([col('src_ip'), col('dst_port', 'f32')])).toEqual({ srcIp: 0, dstPort: 1 });
  });

  it('protocol numbers and port cells', () => {
    expect([protocolName(6), protocolName(17), protocolName(1), protocolName(0)]).toEqual(['tcp', 'udp', 'icmp', '0']);
    expect([parsePort('80'), parsePort('0x0050'), parsePort('-'), parsePort(''), parsePort('70000'), parsePort('abc')]).toEqual([80, 80, -1, -1, -1, -1]);
  });
});

describe('decodeFlowIds', () => {
  it('CICFlowMeter corrected: IPs, ports, protocol number and timestamp of every row', () => {
    const { summary, batches, text } = parseFixture('cicids2017-corrected/DDoS.head6.csv');
    const lines = text.trim().split('\n').map((l) => l.replace(/\r$/, '').split(','));
    const h = lines[0];
    const ids = decodeFlowIds(summary, batches);
    expect(ids.time.length).toBe(lines.length - 1);
    lines.slice(1).forEach((f, i) => {
      expect(ids.srcIp[i]).toBe(f[h.indexOf('Src IP')]);
      expect(ids.dstIp[i]).toBe(f[h.indexOf('Dst IP')]);
      expect(ids.srcPort[i]).toBe(Number(f[h.indexOf('Src Port')]));
      expect(ids.dstPort[i]).toBe(Number(f[h.indexOf('Dst Port')]));
      expect(ids.protocol[i]).toBe(protocolName(Number(f[h.indexOf('Protocol')])));
      expect(ids.time[i]).toBeCloseTo(Date.parse(f[h.indexOf('Timestamp')].replace(' ', 'T') + 'Z'), -1);
    });
  });

  it('Zeek TSV: epoch-second ts and the id.* fields; NSL-KDD: protocol only', () => {
    const z = parseFixture('zeek/CTU-Honeypot-Capture-4-1.head60.conn.log.labeled');
    const first = z.text.split('\n').find((l) => l !== '' && !l.startsWith('#'))!.split('\t');
    const ids = decodeFlowIds(z.summary, z.batches);
    expect(ids.time[0]).toBeCloseTo(Number(first[0]) * 1000, 0);
    expect([ids.srcIp[0], ids.srcPort[0], ids.dstIp[0], ids.dstPort[0], ids.protocol[0]]).toEqual([first[2], Number(first[3]), first[4], Number(first[5]), first[6]]);

    const k = parseFixture('nsl-kdd/KDDTest+.excerpt.txt');
    const kid = decodeFlowIds(k.summary, k.batches);
    const kFirst = k.text.split('\n')[0].split(',');
    expect(kid.protocol[0]).toBe(kFirst[1]);
    expect(Number.isNaN(kid.time[0])).toBe(true);
    expect(kid.srcIp[0]).toBeNull();
    expect(kid.dstPort[0]).toBe(-1);
  });

  it('UNSW-NB15 raw layout (no header): srcip, sport, dstip, dsport proto, stime', () => {
    const rows = [
      '59.166.0.0,0x0566,149.171.126.6,53,udp,CON,0.001055,132,164,31,29,0,0,dns,500473.9375,621800.9375,2,2,0,0,0,0,66,82,0,0,0,0,1421927414,1421927414,0.017,0.013,0,0,0,0,0,0,0,0,3,7,1,3,1,1,1,,0',
      '175.45.176.3,0x000b,149.171.126.16,80,tcp,FIN,0.5,1000,300,254,252,1,1,http,1,1,10,8,255,255,1,1,100,37,0,0,1,1,1421927415,1421927416,0.1,0.1,0.1,0.1,0,0,0,0,0,0,1,1,1,1,1,1,1,Exploits,1',
    ];
    const bytes = new TextEncoder().encode(rows.join('\n') + '\n');
    const p = new ChunkParser();
    expect(p.begin('UNSW-NB15_1.csv', bytes, bytes.length).profile).toBe('unsw-nb15-raw');
    const r = p.parse(bytes, 0);
    const ids = decodeFlowIds(r.summary, r.batches);
    expect(ids.srcIp).toEqual(['59.166.0.0', '175.45.176.3']);
    expect(Array.from(ids.dstPort)).toEqual([53, 80]);
    // the importer stores sport as f32 whatever the sample holds: hex cells arrive as missing (-1 here);
    // a port column stored as text ('dict') would be read, hex included (parsePort)
    expect(r.summary.columns.find((c) => c.name === 'sport')!.storage).toBe('f32');
    expect(Array.from(ids.srcPort)).toEqual([-1, -1]);
    expect(ids.protocol).toEqual(['udp', 'tcp']);
    expect(Array.from(ids.time)).toEqual([1421927414000, 1421927415000]);
  });
});
