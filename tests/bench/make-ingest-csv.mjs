#!/usr/bin/env node
// Builds the CSV-ingest benchmark file exactly as ../shared/peers/make_ingest_csv.py does (same bytes):
// the corrected-CICIDS2017 sample CSVs sorted by name, one header, data rows repeated in the same order
// until the file reaches --mb megabytes (10^6 bytes). Usage: make-ingest-csv.mjs [--mb 300] [--out FILE]
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export function buildIngestCsv({ mb = 300, out = '/tmp/cicids_ingest_300mb.csv', datasets }) {
  const dir = join(datasets, 'cicids2017-improved-sample');
  const files = readdirSync(dir).filter((f) => f.endsWith('.csv')).sort();
  let header = null;
  const parts = [];
  let rows = 0;
  for (const f of files) {
    let buf = readFileSync(join(dir, f));
    if (buf[buf.length - 1] !== 0x0a) buf = Buffer.concat([buf, Buffer.from('\n')]);
    const nl = buf.indexOf(0x0a);
    const head = buf.subarray(0, nl + 1);
    if (header === null) header = head;
    else if (!head.equals(header)) throw new Error(`header differs in ${f}`);
    const body = buf.subarray(nl + 1);
    for (const b of body) if (b === 0x0a) rows++;
    parts.push(body);
  }
  const block = Buffer.concat(parts);
  const target = Math.floor(mb * 1e6);
  const md5 = createHash('md5');
  const fd = openSync(out, 'w');
  writeSync(fd, header);
  md5.update(header);
  let size = header.length;
  let copies = 0;
  while (size < target) {
    writeSync(fd, block);
    md5.update(block);
    size += block.length;
    copies++;
  }
  closeSync(fd);
  return { path: out, bytes: size, rows: copies * rows, copies, rowsPerCopy: rows, md5: md5.digest('hex') };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { mb: { type: 'string', default: '300' }, out: { type: 'string', default: '/tmp/cicids_ingest_300mb.csv' }, datasets: { type: 'string' } } });
  const datasets = resolve(values.datasets ?? process.env.FLOWSIGHT_DATASETS ?? '../shared/datasets');
  console.log(JSON.stringify({ bench: 'ingest-build', ...buildIngestCsv({ mb: Number(values.mb), out: values.out, datasets }) }));
}
