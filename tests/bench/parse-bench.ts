/**
 * Parse throughput of the streaming DelimitedReader on a big CICFlowMeter CSV.
 * usage: npx tsx tests/bench/parse-bench.ts [path] [--repeat N] [--chunk BYTES]
 * Build the default input with /work/shared/peers/make_ingest_csv.py (or any equivalent
 * concatenation of the CICIDS sample CSVs). Prints one JSON line per run:
 * {bench:'parse', mb, seconds, mbPerSecond, rowsPerSecond, rows, ...} (wall clock; cpuSeconds and
 * mbPerCpuSecond too, which a busy machine disturbs less). Not a vitest test.
 */
import fs from 'node:fs';
import { DelimitedReader, type ReaderColumn } from '../../ml-core/data/delimited-reader.js';
import { StringDictionary } from '../../ml-core/data/dictionary.js';
import { parseHeadRecords } from '../../ml-core/data/head-records.js';

const args = process.argv.slice(2);
const flag = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = Number(args[i + 1]);
  args.splice(i, 2);
  return v;
};
const repeat = flag('--repeat', 1);
const chunkBytes = flag('--chunk', 1 << 20);
const path = args[0] ?? '/tmp/cicids_ingest_300mb.csv';
if (!fs.existsSync(path)) {
  console.error(`no input at ${path}: build it with make_ingest_csv.py (see the file header)`);
  process.exit(2);
}

// layout from the head: fields that hold non-numbers in the first records are dictionary columns
const fd = fs.openSync(path, 'r');
const head = Buffer.alloc(1 << 18);
const headLen = fs.readSync(fd, head, 0, head.length, 0);
const records = parseHeadRecords(head.subarray(0, headLen), { delimiter: 0x2c, quote: 0x22, maxRecords: 500 });
const header = records[0];
const nFields = header.length;
const isNumber = (s: string): boolean => s.trim() === '' || /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$|^\s*[-+]?(inf|infinity|nan)\s*$/i.test(s);
const columns: ReaderColumn[] = header.map((_, f) => {
  const numeric = records.slice(1).every((r) => isNumber(r[f] ?? ''));
  return numeric ? { fieldIndex: f, storage: 'f32' as const } : { fieldIndex: f, storage: 'dict' as const, dictionary: new StringDictionary() };
});

for (let run = 0; run < repeat; run++) {
  for (const c of columns) if (c.dictionary) c.dictionary = new StringDictionary();
  const reader = new DelimitedReader({ delimiter: 0x2c, quote: 0x22, commentByte: null, nFields, columns, skipFirstRecord: true });
  const buf = new Uint8Array(chunkBytes);
  let offset = 0;
  let bytes = 0;
  let batches = 0;
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  for (;;) {
    const got = fs.readSync(fd, buf, 0, buf.length, offset);
    if (got === 0) break;
    offset += got;
    bytes += got;
    reader.push(got === buf.length ? buf : buf.subarray(0, got));
    batches += reader.takeBatches().length; // handed off (dropped here)
  }
  reader.end();
  batches += reader.takeBatches().length;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6; // this process only: less sensitive to a busy machine
  const rows = reader.counters.rows;
  const mb = bytes / 1e6;
  console.log(
    JSON.stringify({
      bench: 'parse',
      mb: +mb.toFixed(1),
      seconds: +seconds.toFixed(3),
      mbPerSecond: +(mb / seconds).toFixed(1),
      rowsPerSecond: Math.round(rows / seconds),
      rows,
      cpuSeconds: +cpuSeconds.toFixed(3),
      mbPerCpuSecond: +(mb / cpuSeconds).toFixed(1),
      batches,
      dictColumns: columns.filter((c) => c.storage === 'dict').length,
      f32Columns: columns.filter((c) => c.storage === 'f32').length,
      malformed: reader.counters.malformed,
    }),
  );
}
fs.closeSync(fd);
