/**
 * CICFlowMeter CSVs. Two naming schemes map to ONE canonical set of names so that a model trained on
 * one can score the other:
 *  - original CICIDS2017 "MachineLearningCVE" files: names with leading spaces, ' Fwd Header Length'
 *    twice (or 'Fwd Header Length.1' after a pandas re-save), Infinity/NaN in the rate columns;
 *  - corrected CICIDS2017 (Engelen et al. 2021) and CSE-CIC-IDS2018: abbreviated names
 *    ('Tot Fwd Pkts', 'Dst Port'), identifiers (id, Flow ID, Src IP, ...) and 'Attempted Category'.
 * Canonical names are the original CICIDS2017 names, trimmed (and 'CWE Flag Count' spelled
 * 'CWR Flag Count', the TCP flag it counts); `sourceName` keeps what the file said.
 */
import type { ColumnRole, LayoutPlan, StorageType } from '../types.js';
import {
  cleanHeader,
  column,
  dataRecords,
  delimitedPlan,
  fieldValues,
  isNumericCell,
  notThisFormat,
  setLabel,
  shareOf,
  squash,
  type HeadSample,
  type ProfileOptions,
} from './common.js';

/**
 * Canonical name, then its other spellings. In each row the canonical (original CICIDS2017) name
 * comes first; later entries are corrected-CICIDS2017 (CICFlowMeter 4) and CSE-CIC-IDS2018 names.
 */
const NAME_TABLE: ReadonlyArray<readonly string[]> = [
  ['id'],
  ['Flow ID'],
  ['Source IP', 'Src IP'],
  ['Source Port', 'Src Port'],
  ['Destination IP', 'Dst IP'],
  ['Destination Port', 'Dst Port'],
  ['Protocol'],
  ['Timestamp'],
  ['Flow Duration'],
  ['Total Fwd Packets', 'Total Fwd Packet', 'Tot Fwd Pkts'],
  ['Total Backward Packets', 'Total Bwd packets', 'Tot Bwd Pkts'],
  ['Total Length of Fwd Packets', 'Total Length of Fwd Packet', 'TotLen Fwd Pkts'],
  ['Total Length of Bwd Packets', 'Total Length of Bwd Packet', 'TotLen Bwd Pkts'],
  ['Fwd Packet Length Max', 'Fwd Pkt Len Max'],
  ['Fwd Packet Length Min', 'Fwd Pkt Len Min'],
  ['Fwd Packet Length Mean', 'Fwd Pkt Len Mean'],
  ['Fwd Packet Length Std', 'Fwd Pkt Len Std'],
  ['Bwd Packet Length Max', 'Bwd Pkt Len Max'],
  ['Bwd Packet Length Min', 'Bwd Pkt Len Min'],
  ['Bwd Packet Length Mean', 'Bwd Pkt Len Mean'],
  ['Bwd Packet Length Std', 'Bwd Pkt Len Std'],
  ['Flow Bytes/s', 'Flow Byts/s'],
  ['Flow Packets/s', 'Flow Pkts/s'],
  ['Flow IAT Mean'],
  ['Flow IAT Std'],
  ['Flow IAT Max'],
  ['Flow IAT Min'],
  ['Fwd IAT Total', 'Fwd IAT Tot'],
  ['Fwd IAT Mean'],
  ['Fwd IAT Std'],
  ['Fwd IAT Max'],
  ['Fwd IAT Min'],
  ['Bwd IAT Total', 'Bwd IAT Tot'],
  ['Bwd IAT Mean'],
  ['Bwd IAT Std'],
  ['Bwd IAT Max'],
  ['Bwd IAT Min'],
  ['Fwd PSH Flags'],
  ['Bwd PSH Flags'],
  ['Fwd URG Flags'],
  ['Bwd URG Flags'],
  ['Fwd RST Flags'],
  ['Bwd RST Flags'],
  ['Fwd Header Length', 'Fwd Header Len'],
  ['Bwd Header Length', 'Bwd Header Len'],
  ['Fwd Packets/s', 'Fwd Pkts/s'],
  ['Bwd Packets/s', 'Bwd Pkts/s'],
  ['Min Packet Length', 'Packet Length Min', 'Pkt Len Min'],
  ['Max Packet Length', 'Packet Length Max', 'Pkt Len Max'],
  ['Packet Length Mean', 'Pkt Len Mean'],
  ['Packet Length Std', 'Pkt Len Std'],
  ['Packet Length Variance', 'Pkt Len Var'],
  ['FIN Flag Count', 'FIN Flag Cnt'],
  ['SYN Flag Count', 'SYN Flag Cnt'],
  ['RST Flag Count', 'RST Flag Cnt'],
  ['PSH Flag Count', 'PSH Flag Cnt'],
  ['ACK Flag Count', 'ACK Flag Cnt'],
  ['URG Flag Count', 'URG Flag Cnt'],
  ['CWR Flag Count', 'CWE Flag Count', 'CWR Flag Cnt', 'CWE Flag Cnt'],
  ['ECE Flag Count', 'ECE Flag Cnt'],
  ['Down/Up Ratio'],
  ['Average Packet Size', 'Pkt Size Avg', 'Packet Size Avg'],
  ['Avg Fwd Segment Size', 'Fwd Segment Size Avg', 'Fwd Seg Size Avg'],
  ['Avg Bwd Segment Size', 'Bwd Segment Size Avg', 'Bwd Seg Size Avg'],
  ['Fwd Avg Bytes/Bulk', 'Fwd Bytes/Bulk Avg', 'Fwd Byts/b Avg'],
  ['Fwd Avg Packets/Bulk', 'Fwd Packet/Bulk Avg', 'Fwd Pkts/b Avg'],
  ['Fwd Avg Bulk Rate', 'Fwd Bulk Rate Avg', 'Fwd Blk Rate Avg'],
  ['Bwd Avg Bytes/Bulk', 'Bwd Bytes/Bulk Avg', 'Bwd Byts/b Avg'],
  ['Bwd Avg Packets/Bulk', 'Bwd Packet/Bulk Avg', 'Bwd Pkts/b Avg'],
  ['Bwd Avg Bulk Rate', 'Bwd Bulk Rate Avg', 'Bwd Blk Rate Avg'],
  ['Subflow Fwd Packets', 'Subflow Fwd Pkts'],
  ['Subflow Fwd Bytes', 'Subflow Fwd Byts'],
  ['Subflow Bwd Packets', 'Subflow Bwd Pkts'],
  ['Subflow Bwd Bytes', 'Subflow Bwd Byts'],
  ['Init_Win_bytes_forward', 'FWD Init Win Bytes', 'Init Fwd Win Byts', 'Init Fwd Win Bytes'],
  ['Init_Win_bytes_backward', 'Bwd Init Win Bytes', 'Init Bwd Win Byts', 'Init Bwd Win Bytes'],
  ['act_data_pkt_fwd', 'Fwd Act Data Pkts', 'Fwd Act Data Packets'],
  ['min_seg_size_forward', 'Fwd Seg Size Min', 'Fwd Segment Size Min'],
  ['Active Mean'],
  ['Active Std'],
  ['Active Max'],
  ['Active Min'],
  ['Idle Mean'],
  ['Idle Std'],
  ['Idle Max'],
  ['Idle Min'],
  ['ICMP Code'],
  ['ICMP Type'],
  ['Total TCP Flow Time'],
  ['Label'],
  ['Attempted Category'],
];

/** squashed spelling -> canonical name */
const CANONICAL = new Map<string, string>();
/** squashed spellings of the newer schemes (corrected CICIDS2017, CSE-CIC-IDS2018) */
const NEWER_ONLY = new Set<string>();
for (const row of NAME_TABLE) {
  const keys = row.map(squash);
  for (const k of keys) CANONICAL.set(k, row[0]);
  for (const k of keys.slice(1)) if (k !== keys[0]) NEWER_ONLY.add(k);
}
NEWER_ONLY.delete(squash('CWE Flag Count')); // the original spelling, kept by CSE-CIC-IDS2018 too
/** spellings only the original CICIDS2017 files (MachineLearningCVE / GeneratedLabelledFlows) use */
const ORIGINAL_ONLY = new Set(
  [
    'Total Fwd Packets', 'Total Backward Packets', 'Total Length of Fwd Packets', 'Total Length of Bwd Packets',
    'Min Packet Length', 'Max Packet Length', 'Avg Fwd Segment Size', 'Avg Bwd Segment Size', 'Fwd Avg Bytes/Bulk',
    'Fwd Avg Packets/Bulk', 'Fwd Avg Bulk Rate', 'Bwd Avg Bytes/Bulk', 'Bwd Avg Packets/Bulk', 'Bwd Avg Bulk Rate',
    'Init_Win_bytes_forward', 'Init_Win_bytes_backward', 'act_data_pkt_fwd', 'min_seg_size_forward', 'Source IP',
    'Source Port', 'Destination IP', 'Destination Port',
  ].map(squash),
);

/** Every canonical CICFlowMeter name. */
export const CICFLOWMETER_CANONICAL_NAMES: readonly string[] = NAME_TABLE.map((r) => r[0]);

/** Canonical name of a CICFlowMeter column (either scheme), or null when the name is not known. */
export function canonicalCicName(name: string): string | null {
  return CANONICAL.get(squash(name)) ?? null;
}

const IDENTIFIERS: Record<string, StorageType> = {
  id: 'f64',
  'Flow ID': 'dict',
  'Source IP': 'dict',
  'Source Port': 'f32',
  'Destination IP': 'dict',
  Timestamp: 'dict',
};
// 'Destination Port' and 'Protocol' stay features: they name the service a flow targets (as NSL-KDD's
// service/protocol_type and UNSW-NB15's service/proto do), unlike the ephemeral source port.

/** Plan for a CICFlowMeter CSV, or null when the head does not look like one (throws when forced). */
export function detectCicFlowMeter(sample: HeadSample, opts: ProfileOptions): LayoutPlan | null {
  const fail = (why: string): null => {
    if (opts.forced) throw notThisFormat(sample, 'a CICFlowMeter CSV', why);
    return null;
  };
  if (sample.records.length === 0) return fail('it holds no records');
  const header = sample.records[0];
  let known = 0;
  let original = 0;
  let newer = 0;
  let leadingSpaces = 0;
  for (const h of header) {
    const k = squash(h);
    if (CANONICAL.has(k)) known++;
    if (ORIGINAL_ONLY.has(k)) original++;
    if (NEWER_ONLY.has(k)) newer++;
    if (/^\s/.test(h)) leadingSpaces++;
  }
  if (known < 20 || known < header.length * 0.6) {
    return fail(`only ${known} of its ${header.length} column names are CICFlowMeter names`);
  }
  if (!header.some((h) => squash(h) === 'flowduration')) return fail("it has no 'Flow Duration' column");
  const isOriginal = original + (leadingSpaces > 0 ? 1 : 0) > newer;
  const plan = delimitedPlan(sample, isOriginal ? 'cicflowmeter-original' : 'cicflowmeter-corrected', 'cicflowmeter', {
    nFields: header.length,
    hasHeader: true,
    labelScheme: 'cicids',
  });
  const cleaned = cleanHeader(header, canonicalCicName);
  plan.renamedHeaders = cleaned.renamedHeaders;
  plan.duplicateColumns = cleaned.duplicateColumns;
  plan.notes.push(...cleaned.notes);

  const rows = dataRecords(sample, true);
  for (const f of cleaned.kept) {
    let role: ColumnRole = 'numeric';
    let storage: StorageType = 'f32';
    const values = fieldValues(rows, f.index);
    const numeric = values.length === 0 || shareOf(values, isNumericCell, new Set()) >= 0.95;
    if (f.name in IDENTIFIERS) {
      role = 'identifier';
      storage = IDENTIFIERS[f.name];
      if (f.name === 'Timestamp' && numeric && values.length > 0) storage = 'f64';
      if (storage !== 'dict' && !numeric) storage = 'dict';
    } else if (f.name === 'Label') {
      role = 'label';
      storage = 'dict';
    } else if (f.name === 'Attempted Category') {
      role = 'ignored';
      storage = numeric ? 'f32' : 'dict';
    } else if (!numeric) {
      role = 'categorical';
      storage = 'dict';
    }
    plan.columns.push(column(f.name, f.source, role, storage, f.index));
  }
  const label = plan.columns.find((c) => c.role === 'label');
  if (label) setLabel(plan, label.name);
  else plan.notes.push(`${sample.fileName} has no Label column; imported as unlabelled flows.`);
  const ids = plan.columns.filter((c) => c.role === 'identifier').map((c) => c.name);
  if (ids.length > 0) {
    plan.notes.push(`Kept ${ids.join(', ')} for review but not as features (they identify a flow, not its behaviour).`);
  }
  if (plan.columns.some((c) => c.name === 'Attempted Category')) {
    plan.notes.push(
      "Kept 'Attempted Category' for review but never as a feature: it is written from the label (leakage).",
    );
  }
  const unknown = plan.columns.filter((c) => canonicalCicName(c.name) === null).map((c) => c.name);
  if (unknown.length > 0) {
    plan.notes.push(`${unknown.length} column name(s) are not CICFlowMeter names and were kept as they are: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', ...' : ''}.`);
  }
  return plan;
}
