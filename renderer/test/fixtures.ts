/** DTO fixtures for unit tests only. */
import type { CleaningReport, ColumnInfo, DatasetDetail, DatasetSummary, JobInfo } from '../../electron/contract/index.js';

export function cleaning(over: Partial<CleaningReport> = {}): CleaningReport {
  return {
    files: [{ name: 'Wednesday-workingHours.pcap_ISCX.csv', bytes: 225_000_000, rows: 692_703, profile: 'cicflowmeter-original' }],
    rowsRead: 692_703,
    rowsKept: 692_703,
    malformedRows: 0,
    malformedSamples: [],
    repeatedHeaderRows: 0,
    blankLines: 0,
    nonFiniteCells: 0,
    nonFiniteByColumn: {},
    missingCells: 0,
    invalidNumberCells: 0,
    invalidNumberByColumn: {},
    renamedHeaders: [],
    duplicateColumns: [],
    droppedColumns: [],
    repairedLabels: [],
    repairedTextCells: 0,
    notes: [],
    ...over,
  };
}

export function column(index: number, name: string, over: Partial<ColumnInfo> = {}): ColumnInfo {
  return {
    index,
    name,
    sourceName: name,
    role: 'numeric',
    defaultRole: 'numeric',
    type: 'number',
    stats: { count: 100, missing: 0, nonFinite: 0, invalid: 0, min: 0, max: 10, mean: 5, std: 2 },
    ...over,
  };
}

export const summary: DatasetSummary = {
  id: 7,
  name: 'Wednesday',
  format: 'cicflowmeter',
  profile: 'cicflowmeter-original',
  rows: 692_703,
  features: 78,
  classes: 6,
  labelled: true,
  files: 1,
  bytes: 225_000_000,
  createdAt: '2025-11-20T10:15:00.000Z',
};

export function detail(over: Partial<DatasetDetail> = {}): DatasetDetail {
  const columns: ColumnInfo[] = [];
  for (let i = 0; i < 78; i++) columns.push(column(i, `Feature ${i}`));
  columns.push(
    column(78, 'Label', {
      role: 'label',
      defaultRole: 'label',
      type: 'string',
      stats: { count: 692_703, missing: 0, nonFinite: 0, invalid: 0, min: null, max: null, mean: null, std: null, distinct: 6 },
    }),
  );
  return {
    ...summary,
    columns,
    cleaning: cleaning(),
    classCounts: {
      label: [
        { name: 'BENIGN', count: 440_031 },
        { name: 'DoS Hulk', count: 230_124 },
        { name: 'DoS GoldenEye', count: 10_293 },
        { name: 'DoS slowloris', count: 5_796 },
        { name: 'DoS Slowhttptest', count: 5_499 },
        { name: 'Heartbleed', count: 11 },
      ],
      category: [
        { name: 'BENIGN', count: 440_031 },
        { name: 'DoS', count: 251_712 },
        { name: 'Heartbleed', count: 11 },
      ],
      binary: [
        { name: 'benign', count: 440_031 },
        { name: 'attack', count: 251_723 },
      ],
    },
    warnings: [],
    ...over,
  };
}

export function job(over: Partial<JobInfo> = {}): JobInfo {
  return {
    id: 1,
    kind: 'import',
    title: 'Import Wednesday',
    status: 'running',
    progress: { phase: 'reading', current: 0, total: 100 },
    createdAt: '2025-11-20T10:15:00.000Z',
    finishedAt: null,
    result: null,
    error: null,
    ...over,
  };
}
