// The model benchmark, side by side in one run: the peers' own script (scikit-learn / XGBoost,
// ../shared/peers/bench_supervised.py and bench_iforest.py) and Flowsight (tests/bench/models-bench.mjs,
// on dist/), alternating case by case so drifting load on a shared machine hits both alike.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

function jsonLines(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, cwd: root, env: { ...process.env, ...env } });
  const lines = (r.stdout ?? '').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  if (r.status !== 0 && !lines.length) return { error: (r.stderr || r.stdout || `${cmd} failed`).trim().split('\n').slice(-3).join(' ') };
  for (const l of lines) console.log(JSON.stringify(l));
  return { lines };
}

const PEER_MODELS = { 'extra-trees': 'ExtraTrees', 'random-forest': 'RandomForest', 'gradient-boosting': 'XGBoost' };

export function runModelBench({ py, peersDir, runs = 3 }) {
  const haveSklearn = spawnSync(py, ['-c', 'import sklearn, xgboost'], { encoding: 'utf8' }).status === 0;
  const cases = [
    { name: 'cicids-label', peer: ['--dataset', 'cicids2017', '--task', 'multiclass'], title: 'CICIDS2017 sample, 16 classes, stratified 70/30' },
    { name: 'nsl-binary', peer: ['--dataset', 'nsl-kdd', '--task', 'binary'], title: 'NSL-KDD binary, KDDTrain+_20Percent -> KDDTest+' },
  ];
  const table = [];
  for (const c of cases) {
    let peers = [];
    if (haveSklearn && existsSync(join(peersDir, 'bench_supervised.py'))) {
      const p = jsonLines(py, [join(peersDir, 'bench_supervised.py'), ...c.peer, '--models', 'ExtraTrees,RandomForest,XGBoost', '--no-fit-1t']);
      peers = p.lines ?? [];
      if (c.name === 'nsl-binary') {
        const g = jsonLines(py, [join(peersDir, 'bench_supervised.py'), ...c.peer, '--models', 'GradientBoosting', '--no-fit-1t']);
        peers.push(...(g.lines ?? []));
      }
    }
    const ours = jsonLines(process.execPath, [join(root, 'tests/bench/models-bench.mjs'), c.name, String(runs)]);
    for (const o of ours.lines ?? []) {
      const peer = peers.find((p) => p.model === PEER_MODELS[o.model]);
      table.push({ case: c.title, ours: o, peer });
      if (o.model === 'gradient-boosting' && c.name === 'nsl-binary') {
        const gbc = peers.find((p) => p.model === 'GradientBoosting');
        if (gbc) table.push({ case: c.title, ours: o, peer: gbc });
      }
    }
    if (ours.error) console.log(`  ${c.name}: ${ours.error}`);
  }
  if (!haveSklearn) console.log('\n(scikit-learn / XGBoost not importable by %s: apt-get install python3-sklearn python3-xgboost to compare)', py);
  const f = (x, d = 3) => (typeof x === 'number' ? x.toFixed(d) : '—');
  const n = (x) => (typeof x === 'number' ? Math.round(x).toLocaleString('en-US') : '—');
  console.log('\nModels, Flowsight vs the reference stack (same machine, same run; fit = median wall seconds, all cores):');
  let last = '';
  for (const r of table) {
    if (r.case !== last) {
      console.log(`\n  ${r.case}`);
      console.log('  model               | Flowsight acc  macroF1  fit s | peer                acc  macroF1  fit s | fit ratio | predict rows/s Flowsight / peer (all cores)');
      last = r.case;
    }
    const o = r.ours;
    const p = r.peer;
    const ratio = p ? o.fitSeconds / p.fit_s : NaN;
    const pr = p ? o.predictRowsPerSecond / p.pred_rps_all : NaN;
    console.log(
      `  ${o.model.padEnd(19)} | ${f(o.accuracy).padStart(12)} ${f(o.macroF1).padStart(8)} ${f(o.fitSeconds, 2).padStart(6)} | ${(p?.model ?? '—').padEnd(16)} ${f(p?.accuracy).padStart(6)} ${f(p?.macro_f1).padStart(8)} ${f(p?.fit_s, 2).padStart(6)} | ${Number.isFinite(ratio) ? ratio.toFixed(2) + 'x' : '—'.padStart(5)} | ${n(o.predictRowsPerSecond)} / ${n(p?.pred_rps_all)}${Number.isFinite(pr) ? ` = ${pr.toFixed(1)}x` : ''}`,
    );
  }
  return table;
}
