#!/usr/bin/env node
// npm run bench: Flowsight against the reference stack, side by side, in one run on this machine.
// Reads ../shared/datasets (or FLOWSIGHT_DATASETS). Prints JSON lines, then a table of ratios.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildIngestCsv } from '../tests/bench/make-ingest-csv.mjs';
import { runModelBench } from '../tests/bench/models-compare.mjs';
import { runNeuralBench } from '../tests/bench/neural-bench.mjs';
import { runReplayBench } from '../tests/bench/replay-bench.mjs';

// FLOWSIGHT_BENCH=ingest,models,neural,replay (default: all four)
const parts = new Set((process.env.FLOWSIGHT_BENCH ?? 'ingest,models,neural,replay').split(','));

const datasets = resolve(process.env.FLOWSIGHT_DATASETS ?? '../shared/datasets');
if (!existsSync(datasets)) {
  console.error(`The benchmarks need the real datasets: ${datasets} is missing (set FLOWSIGHT_DATASETS).`);
  process.exit(1);
}
const ingestFile = process.env.FLOWSIGHT_INGEST_CSV ?? '/tmp/cicids_ingest_300mb.csv';
if ((parts.has('ingest') || parts.has('replay')) && !existsSync(ingestFile)) {
  console.error(`building ${ingestFile} ...`);
  console.log(JSON.stringify({ bench: 'ingest-build', ...buildIngestCsv({ mb: 300, out: ingestFile, datasets }) }));
}

function runJson(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    return { error: (r.stderr || r.stdout || `${cmd} failed`).trim().split('\n').slice(-3).join(' ') };
  }
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  return line ? JSON.parse(line) : { error: 'no output' };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const results = {};
const py = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

if (parts.has('ingest')) {
// 1. Flowsight parser alone (bytes -> typed columns), in-process
results.parse = runJson(process.execPath, ['--import', 'tsx', 'tests/bench/parse-bench.ts', ingestFile]);
console.log(JSON.stringify(results.parse));

// 2. pandas.read_csv (the peer) and the Flowsight import end to end (worker parse + SQLite write in
// one transaction, fresh workspace each time), interleaved run by run so that drifting load on a
// shared machine hits both alike; medians of RUNS each. Each pandas run follows an untimed warm-up
// run in the same interpreter (as the peers' medians do); each Flowsight import is a cold process.
const RUNS = Number(process.env.FLOWSIGHT_BENCH_RUNS ?? 5);
const pandasRuns = [];
const importRuns = [];
for (let i = 0; i < RUNS; i++) {
  const p = runJson(py, ['tests/bench/pandas_ingest.py', ingestFile, '1', '1']);
  console.log(JSON.stringify(p));
  if (p.error) {
    results.pandas = { error: `pandas not available (apt-get install python3-pandas): ${p.error}` };
  } else pandasRuns.push(p);
  const r = runJson(process.execPath, ['tests/bench/import-bench.mjs', ingestFile]);
  console.log(JSON.stringify(r));
  if (r.error) {
    results.import = r;
    break;
  }
  importRuns.push(r);
}
function summarise(runs) {
  const s = median(runs.map((r) => r.seconds));
  return { ...runs[0], seconds: s, mbPerSecond: runs[0].mb / s, rowsPerSecond: runs[0].rows / s,
    peakRssMB: runs[0].peakRssMB === undefined ? undefined : Math.max(...runs.map((r) => r.peakRssMB)),
    runs: runs.map((r) => +r.seconds.toFixed(3)) };
}
if (pandasRuns.length) results.pandas = summarise(pandasRuns);
if (importRuns.length) results.import = summarise(importRuns);

const f = (x, d = 1) => (typeof x === 'number' ? x.toFixed(d) : '—');
console.log('\nIngest of a %s MB CICFlowMeter CSV (%s rows), medians:', f(results.pandas.mb ?? results.import?.mb, 0), results.import?.rows ?? '?');
console.log('  engine                      seconds    MB/s    rows/s   peak RSS');
for (const [name, r] of [['pandas.read_csv (C engine)', results.pandas], ['Flowsight parser only', results.parse], ['Flowsight import, end to end', results.import]]) {
  if (!r || r.error) { console.log(`  ${name.padEnd(28)} ${r?.error ?? 'not run'}`); continue; }
  console.log(`  ${name.padEnd(28)} ${f(r.seconds, 2).padStart(7)} ${f(r.mbPerSecond).padStart(7)} ${Math.round(r.rowsPerSecond).toLocaleString('en-US').padStart(9)} ${r.peakRssMB ? f(r.peakRssMB, 0) + ' MB' : ''}`);
}
if (results.import && results.pandas?.seconds) {
  const ratio = results.pandas.seconds / results.import.seconds;
  const ratios = results.import.runs.map((t, i) => (results.pandas.runs[i] ?? NaN) / t).filter(Number.isFinite);
  console.log(`  import speed vs pandas: ${ratio.toFixed(2)}x of the medians (target >= 2x); run by run ${ratios.map((x) => x.toFixed(2)).join(', ')}`);
  console.log(`  peak RSS of the import ${f(results.import.peakRssMB, 0)} MB (target < 1536 MB)`);
}
}

if (parts.has('models')) {
  runModelBench({ py, peersDir: resolve(datasets, '../peers'), runs: Number(process.env.FLOWSIGHT_BENCH_FIT_RUNS ?? 3) });
}

if (parts.has('neural')) {
  // FLOWSIGHT_BENCH_NEURAL picks rows (dnn, cnn, dnn-default, ...; see tests/bench/neural-bench.mjs)
  runNeuralBench({ py, peersDir: resolve(datasets, '../peers'), datasets, runs: Number(process.env.FLOWSIGHT_BENCH_FIT_RUNS ?? 1) });
}

if (parts.has('replay')) {
  // live scoring end to end: the ingest file replayed at full speed through extra trees, stored as alerts
  const r = runReplayBench({ file: ingestFile, runs: Number(process.env.FLOWSIGHT_BENCH_RUNS ?? 3), datasets });
  console.log('\nReplay of the %s-flow CSV at full speed through extra trees (parse, preprocess, score, store):', r.flows.toLocaleString('en-US'));
  console.log('  flows/s per run: %s; median %s (target >= 100,000); every flagged flow stored: %s', r.runs.map((x) => x.toLocaleString('en-US')).join(', '), r.medianFlowsPerSecond.toLocaleString('en-US'), r.allFlaggedStored ? 'yes' : 'NO');
  // the reference stack on the same file: pandas.read_csv + scikit-learn ExtraTrees(100).predict (no storing)
  const peer = runJson(py, ['tests/bench/sklearn_replay.py', datasets, ingestFile, String(process.env.FLOWSIGHT_BENCH_RUNS ?? 3)]);
  console.log(JSON.stringify(peer));
  if (peer.error) console.log('  pandas + scikit-learn: not run (apt-get install python3-pandas python3-sklearn): %s', peer.error);
  else {
    console.log('  pandas.read_csv + ExtraTrees.predict (no storing), median: %s flows/s -> Flowsight %sx', Math.round(peer.flowsPerSecond).toLocaleString('en-US'), (r.medianFlowsPerSecond / peer.flowsPerSecond).toFixed(2));
  }
}
