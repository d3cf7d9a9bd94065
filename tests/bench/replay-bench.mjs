#!/usr/bin/env node
// Live scoring end to end: the ~300 MB CICFlowMeter CSV replayed at full speed through an
// extra-trees model (default parameters, trained on the corrected CICIDS2017 sample) with
// `flowsight replay --json` in a fresh process per run: parse, preprocess, score, aggregate, store.
// Checks that every flow the model flagged is counted in the stored alerts. Prints JSON lines.
// Usage: node tests/bench/replay-bench.mjs [--file FILE] [--runs N] [--datasets DIR]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildIngestCsv } from './make-ingest-csv.mjs';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');

export function runReplayBench({ file = '/tmp/cicids_ingest_300mb.csv', runs = 3, datasets = resolve('../shared/datasets'), speed = 'max' } = {}) {
  if (!existsSync(file)) console.log(JSON.stringify({ bench: 'ingest-build', ...buildIngestCsv({ mb: 300, out: file, datasets }) }));
  const dir = mkdtempSync(join(tmpdir(), 'flowsight-replay-'));
  const ws = join(dir, 'workspace.sqlite');
  const cli = (args) => {
    const r = spawnSync(process.execPath, ['bin/flowsight.js', ...args, '--workspace', ws, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`flowsight ${args[0]} failed: ${r.stderr.trim()}`);
    // import / train print one pretty document, replay one line
    const out = r.stdout.trim();
    try {
      return JSON.parse(out);
    } catch {
      return JSON.parse(out.split('\n').filter((l) => l.startsWith('{')).pop() ?? out);
    }
  };
  try {
    const ds = cli(['import', join(datasets, 'cicids2017-improved-sample')]);
    const model = cli(['train', '--dataset', String(ds.id), '--model', 'extra-trees']);
    const out = [];
    for (let i = 0; i < runs; i++) {
      const r = cli(['replay', '--model', String(model.modelId), '--file', file, '--speed', String(speed)]);
      const db = new Database(ws, { readonly: true });
      const stored = db.prepare('SELECT count(*) AS alerts, coalesce(sum(count), 0) AS flows FROM alerts WHERE monitor_id = ?').get(r.monitorId);
      db.close();
      const line = { bench: 'replay', engine: 'flowsight', model: 'extra-trees', file, ...r, storedAlerts: stored.alerts, storedFlows: stored.flows, allFlaggedStored: stored.flows === r.flaggedFlows };
      console.log(JSON.stringify(line));
      out.push(line);
    }
    const sorted = [...out].sort((a, b) => a.flowsPerSecond - b.flowsPerSecond);
    const med = sorted[Math.floor(sorted.length / 2)];
    const summary = { bench: 'replay-summary', runs: out.map((r) => r.flowsPerSecond), medianFlowsPerSecond: med.flowsPerSecond, flows: med.flows, medianSeconds: med.seconds, allFlaggedStored: out.every((r) => r.allFlaggedStored), target: 100000 };
    console.log(JSON.stringify(summary));
    return summary;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { file: { type: 'string' }, runs: { type: 'string', default: '3' }, datasets: { type: 'string' }, speed: { type: 'string', default: 'max' } } });
  runReplayBench({
    ...(values.file ? { file: values.file } : {}),
    runs: Number(values.runs),
    datasets: resolve(values.datasets ?? process.env.FLOWSIGHT_DATASETS ?? '../shared/datasets'),
    speed: values.speed,
  });
}
