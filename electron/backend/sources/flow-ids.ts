/**
 * The flow identifiers (time, addresses, ports, protocol) of parsed columns, found by name across
 * the formats the importer reads and decoded per row:
 *
 *   CICFlowMeter (original and corrected; the importer canonicalises 'Src IP' -> 'Source IP' ...):
 *     Source IP, Source Port, Destination IP, Destination Port, Protocol (number), Timestamp
 *   UNSW-NB15 raw: srcip, sport, dstip, dsport, proto, stime (epoch s); the partitioned sets only proto
 *   Zeek conn (TSV or JSON): ts (epoch s), id.orig_h, id.orig_p, id.resp_h, id.resp_p, proto
 *   NSL-KDD: protocol_type only
 *   generic CSV: common spellings (src_ip, dst_port, saddr, ...)
 *
 * A column may be stored as a dictionary (strings) or as f32/f64 numbers; both are read.
 * Memory layout: one typed array (or array of strings) of summary.rows entries per identifier.
 */
import type { ColumnBatch, ColumnSpec, ImportSummary } from '../../../ml-core/data/types.js';
import { epochToMs, parseFlowTimes } from './flow-time.js';

export interface FlowIds {
  /** ms since the epoch, NaN when the file has no time column or the cell is empty */
  time: Float64Array;
  srcIp: Array<string | null>;
  dstIp: Array<string | null>;
  /** -1 unknown */
  srcPort: Int32Array;
  dstPort: Int32Array;
  protocol: Array<string | null>;
}

export interface FlowIdColumns {
  time?: number;
  srcIp?: number;
  dstIp?: number;
  srcPort?: number;
  dstPort?: number;
  protocol?: number;
}

type Key = keyof FlowIdColumns;

/** names squashed (lower case, no spaces, '_', '-' or '.'), by preference */
const NAMES: Record<Key, string[]> = {
  time: ['timestamp', 'ts', 'stime', 'starttime', 'flowstarttime', 'flowstart', 'time', 'firstseen', 'date'],
  srcIp: ['sourceip', 'srcip', 'idorigh', 'saddr', 'srcaddr', 'sourceaddress', 'srcaddress', 'ipv4srcaddr', 'ipsrc'],
  dstIp: ['destinationip', 'dstip', 'idresph', 'daddr', 'dstaddr', 'destinationaddress', 'dstaddress', 'ipv4dstaddr', 'ipdst'],
  srcPort: ['sourceport', 'srcport', 'sport', 'idorigp', 'l4srcport', 'tcpsrcport'],
  dstPort: ['destinationport', 'dstport', 'dsport', 'dport', 'idrespp', 'l4dstport', 'tcpdstport'],
  protocol: ['protocol', 'proto', 'protocoltype', 'ipproto', 'protocolname'],
};

const squash = (s: string): string => s.toLowerCase().replace(/[\s_.\-]+/g, '');

/** Indexes (in `columns`) of the flow identifier columns found; absent keys: no such column. */
export function flowIdColumns(columns: ColumnSpec[]): FlowIdColumns {
  const byName = new Map<string, number>();
  columns.forEach((c, i) => {
    for (const n of [c.name, c.sourceName]) {
      const k = squash(n);
      if (k !== '' && !byName.has(k)) byName.set(k, i);
    }
  });
  const out: FlowIdColumns = {};
  for (const key of Object.keys(NAMES) as Key[]) {
    for (const n of NAMES[key]) {
      const i = byName.get(n);
      if (i !== undefined && columns[i].role !== 'label') {
        out[key] = i;
        break;
      }
    }
  }
  return out;
}

const PROTOCOLS: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'ipv6-icmp', 2: 'igmp', 47: 'gre', 50: 'esp', 132: 'sctp' };

/** An IP protocol number -> its name (6 tcp, 17 udp, 1 icmp, a few others), else the number as text. */
export function protocolName(n: number): string {
  return PROTOCOLS[n] ?? String(n);
}

/** A port cell -> 0..65535, -1 when empty or unreadable ('0x0050' hex is read, as UNSW-NB15 writes some). */
export function parsePort(s: string): number {
  const t = s.trim();
  if (t === '' || t === '-') return -1;
  const v = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : /^\d+(\.0*)?$/.test(t) ? Number(t) : NaN;
  return Number.isInteger(v) && v >= 0 && v <= 65535 ? v : -1;
}

type Col = Float32Array | Float64Array | Int32Array;

/** one column of all batches, row i at index i */
function gather(batches: ColumnBatch[], idx: number, n: number, storage: string): Col {
  const out: Col = storage === 'dict' ? new Int32Array(n).fill(-1) : storage === 'f64' ? new Float64Array(n).fill(NaN) : new Float32Array(n).fill(NaN);
  const base = batches.length > 0 ? batches[0].rowStart : 0;
  for (const b of batches) out.set(b.columns[idx] as never, b.rowStart - base);
  return out;
}

/** The flow identifiers of every row of parsed batches (as ChunkParser.parse returns them). */
export function decodeFlowIds(summary: ImportSummary, batches: ColumnBatch[]): FlowIds {
  const n = summary.rows;
  const cols = flowIdColumns(summary.columns);
  const ids: FlowIds = {
    time: new Float64Array(n).fill(NaN),
    srcIp: new Array<string | null>(n).fill(null),
    dstIp: new Array<string | null>(n).fill(null),
    srcPort: new Int32Array(n).fill(-1),
    dstPort: new Int32Array(n).fill(-1),
    protocol: new Array<string | null>(n).fill(null),
  };
  const column = (idx: number) => {
    const spec = summary.columns[idx];
    return { values: gather(batches, idx, n, spec.storage), dict: spec.storage === 'dict' ? (spec.dictionary ?? []) : null };
  };

  if (cols.time !== undefined) {
    const { values, dict } = column(cols.time);
    if (dict) {
      const parsed = parseFlowTimes(dict);
      for (let i = 0; i < n; i++) {
        const c = values[i];
        ids.time[i] = c >= 0 ? parsed[c] : NaN;
      }
    } else {
      for (let i = 0; i < n; i++) ids.time[i] = epochToMs(values[i]);
    }
  }
  const strings = (idx: number | undefined, out: Array<string | null>, map?: (s: string) => string) => {
    if (idx === undefined) return;
    const { values, dict } = column(idx);
    if (dict) {
      const mapped = map ? dict.map(map) : dict;
      for (let i = 0; i < n; i++) {
        const c = values[i];
        out[i] = c >= 0 && mapped[c] !== '' && mapped[c] !== '-' ? mapped[c] : null;
      }
    } else {
      const memo = new Map<number, string>();
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (Number.isNaN(v)) continue;
        let s = memo.get(v);
        if (s === undefined) {
          s = map ? map(String(v)) : String(v);
          memo.set(v, s);
        }
        out[i] = s;
      }
    }
  };
  strings(cols.srcIp, ids.srcIp);
  strings(cols.dstIp, ids.dstIp);
  strings(cols.protocol, ids.protocol, (s) => {
    const t = s.trim();
    return /^\d+$/.test(t) ? protocolName(Number(t)) : t.toLowerCase();
  });
  const ports = (idx: number | undefined, out: Int32Array) => {
    if (idx === undefined) return;
    const { values, dict } = column(idx);
    if (dict) {
      const parsed = Int32Array.from(dict, parsePort);
      for (let i = 0; i < n; i++) {
        const c = values[i];
        out[i] = c >= 0 ? parsed[c] : -1;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const v = values[i];
        out[i] = v >= 0 && v <= 65535 && Number.isInteger(v) ? v : -1;
      }
    }
  };
  ports(cols.srcPort, ids.srcPort);
  ports(cols.dstPort, ids.dstPort);
  return ids;
}
