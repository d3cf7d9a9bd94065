// The neural benchmark (FLOWSIGHT_BENCH=neural), side by side in one run on this machine:
//  1. speed: Flowsight's dnn / cnn trained through the CLI (`flowsight train ... --json`) with the
//     PyTorch peer's exact architecture and schedule, against the peer's own script
//     (../shared/peers/bench_torch.py, Debian's python3-torch), interleaved run by run;
//  2. accuracy: Flowsight's neural kinds with their default parameters against the peers' stored
//     figures (../shared/peers/results.jsonl) and the targets they must reach.
// Datasets are imported through the CLI into a temporary workspace, as a user would.
// FLOWSIGHT_BENCH_NEURAL picks rows (default: all; `speed` and `accuracy` name the two groups).
// FLOWSIGHT_BENCH_NEURAL_SET="key=value,..." adds parameters to the speed rows' training (for
// instance validation=0.02: Flowsight holds back a validation share, 0.1 by default, the peer none).
// FLOWSIGHT_BENCH_TORCH_1T=1 also times the peer with one thread (its 2-thread pool stalls badly
// when other work shares the cores); the ratio is then against the faster of the two.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const cli = join(root, 'bin/flowsight.js');

/** the PyTorch peer's training, as bench_torch.py runs it: 20 epochs, Adam 1e-3, batch 256, no early stopping */
const TORCH_SCHEDULE = { batchSize: 256, epochs: 20, patience: 0, lrSchedule: 'constant', learningRate: 0.001 };

export const SPEED_ROWS = {
  dnn: { title: 'dnn 256-128-64, dropout 0.2', arch: 'dnn', params: { units: 256, layers: 3, batchNorm: false, dropout: 0.2, ...TORCH_SCHEDULE } },
  cnn: { title: 'cnn conv 32, 64, dense 128', arch: 'cnn', params: { filters: 32, units: 128, dropout: 0.2, ...TORCH_SCHEDULE } },
};

const NSL_BINARY = { data: 'nsl', target: 'binary', title: 'NSL-KDD binary' };
export const ACCURACY_ROWS = {
  'dnn-default': { ...NSL_BINARY, model: 'dnn', metric: 'accuracy', min: 0.78, peer: { bench: 'torch', dataset: 'nsl-kdd', task: 'binary', model: 'torch-DNN', field: 'accuracy', name: 'PyTorch DNN' } },
  'cnn-default': { ...NSL_BINARY, model: 'cnn', metric: 'accuracy', min: 0.769, peer: { bench: 'torch', dataset: 'nsl-kdd', task: 'binary', model: 'torch-CNN', field: 'accuracy', name: 'PyTorch CNN' } },
  'mlp-default': { ...NSL_BINARY, model: 'mlp', metric: 'accuracy', min: 0.762, peer: { bench: 'supervised', dataset: 'nsl-kdd', task: 'binary', model: 'MLP', field: 'accuracy', name: 'sklearn MLP' } },
  'cicids-dnn': { data: 'cicids', target: 'label', title: 'CICIDS2017 sample, 16 classes, 70/30', model: 'dnn', metric: 'macroF1', min: 0.95, peer: { bench: 'torch', dataset: 'cicids2017', task: 'multiclass', model: 'torch-DNN', field: 'macro_f1', name: 'PyTorch DNN' } },
  autoencoder: { ...NSL_BINARY, model: 'autoencoder', metric: 'rocAuc', min: 0.93, peer: { bench: 'iforest', dataset: 'nsl-kdd', task: 'binary', model: 'IsolationForest', field: 'roc_auc', name: 'IsolationForest' } },
};

/** FLOWSIGHT_BENCH_NEURAL: comma-separated row keys, or the groups `speed` and `accuracy`. */
export function selectRows(spec) {
  const all = [...Object.keys(SPEED_ROWS), ...Object.keys(ACCURACY_ROWS)];
  if (!spec?.trim()) return all;
  const picked = new Set();
  for (const w of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (w === 'speed') Object.keys(SPEED_ROWS).forEach((k) => picked.add(k));
    else if (w === 'accuracy') Object.keys(ACCURACY_ROWS).forEach((k) => picked.add(k));
    else if (all.includes(w)) picked.add(w);
    else throw new Error(`FLOWSIGHT_BENCH_NEURAL: unknown row '${w}'; use speed, accuracy or some of ${all.join(', ')}`);
  }
  return all.filter((k) => picked.has(k));
}

/** The peers' stored figures: the last results.jsonl line of each (bench, dataset, task, model). */
export function readPeerFigures(peersDir) {
  const file = join(peersDir, 'results.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}
export function peerFigure(lines, p) {
  const hit = lines.filter((l) => l.bench === p.bench && l.dataset === p.dataset && l.task === p.task && l.model === p.model).pop();
  return typeof hit?.[p.field] === 'number' ? hit[p.field] : null;
}

/**
 * Runs a command and returns its JSON: the whole of stdout when it is one document (the CLI's
 * pretty-printed --json), else the last stdout line that is one (the peers' scripts); or { error }.
 */
export function runJson(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, cwd: root });
  const out = (r.stdout ?? '').trim();
  if (r.status === 0) {
    try {
      return JSON.parse(out);
    } catch {
      const line = out.split('\n').filter((l) => l.startsWith('{')).pop();
      if (line) return JSON.parse(line);
    }
  }
  const why = (r.stderr || r.stdout || r.error?.message || `${cmd} exited ${r.status}`).trim().split('\n').slice(-3).join(' ');
  return { error: why };
}

/** `flowsight train` arguments: --set key=value for each parameter */
export function trainArgs({ workspace, datasetId, model, target, testDatasetId, testSize, params = {} }) {
  const args = [cli, 'train', '--workspace', workspace, '--dataset', String(datasetId), '--model', model, '--target', target, '--seed', '42', '--json'];
  if (testDatasetId !== undefined) args.push('--test-dataset', String(testDatasetId));
  else args.push('--test-size', String(testSize));
  for (const [k, v] of Object.entries(params)) args.push('--set', `${k}=${v}`);
  return args;
}

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (!s.length) return null;
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const fmt = (x, d = 3) => (typeof x === 'number' ? x.toFixed(d) : '—');

/** rows of cells as aligned columns: the first and last columns left-aligned, the others right-aligned */
export function columns(header, rows) {
  const all = [header, ...rows];
  const width = header.map((_, c) => Math.max(...all.map((r) => String(r[c] ?? '').length)));
  return all.map((r) => '  ' + r.map((cell, c) => (c === 0 || c === r.length - 1 ? String(cell ?? '').padEnd(width[c]) : String(cell ?? '').padStart(width[c]))).join(' | ').trimEnd()).join('\n');
}

/** The speed table: one row per architecture; ratio = Flowsight's median s/epoch over PyTorch's. */
export function speedTable(rows) {
  return columns(
    ['model', 'Flowsight s/epoch', 'acc', 'backend', 'PyTorch s/epoch', '1 thread', 'acc', 'ours/torch', 'target <= 3x', 'runs, s/epoch: ours; torch'],
    rows.map((r) => {
      const best = median([r.torch.epochSeconds, r.torch.epochSeconds1t].filter((x) => typeof x === 'number').sort((a, b) => a - b).slice(0, 1));
      const ratio = typeof r.ours.epochSeconds === 'number' && typeof best === 'number' ? r.ours.epochSeconds / best : null;
      const runs = (side) => (side.runs.length ? side.runs.map((x) => fmt(x)).join(', ') : (side.error ?? '—'));
      return [r.title, fmt(r.ours.epochSeconds), fmt(r.ours.accuracy), r.ours.backend ?? '—', fmt(r.torch.epochSeconds), fmt(r.torch.epochSeconds1t), fmt(r.torch.accuracy),
        ratio === null ? '—' : `${ratio.toFixed(2)}x`, ratio === null ? '—' : ratio <= 3 ? 'pass' : 'FAIL', `${runs(r.ours)}; ${runs(r.torch)}`];
    }),
  );
}

/** The accuracy table: Flowsight's default parameters against the peers' figure and the target. */
export function accuracyTable(rows) {
  return columns(
    ['model, data', 'metric', 'Flowsight', 'epochs run/kept', 'fit s', 'peer (results.jsonl)', 'target', ''],
    rows.map((r) => [
      `${r.model}, ${r.title}`, r.metric, fmt(r.value, 4), r.epochsRun ? `${r.epochsRun}/${r.bestEpoch ?? '—'}` : '—', fmt(r.fitSeconds, 1),
      `${r.peerName} ${fmt(r.peer)}`, `>= ${r.min}`,
      typeof r.value === 'number' ? (r.value >= r.min ? 'pass' : 'FAIL') : (r.error ?? 'not run'),
    ]),
  );
}

/** FLOWSIGHT_BENCH_NEURAL_SET: "key=value,key=value" */
export function extraParams(spec) {
  const out = {};
  for (const item of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = item.indexOf('=');
    if (eq < 1) throw new Error(`FLOWSIGHT_BENCH_NEURAL_SET: '${item}' is not key=value`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

export function runNeuralBench({ py, peersDir, datasets, runs = 1, rows: spec = process.env.FLOWSIGHT_BENCH_NEURAL, set = process.env.FLOWSIGHT_BENCH_NEURAL_SET, torch1t = process.env.FLOWSIGHT_BENCH_TORCH_1T === '1' }) {
  const keys = selectRows(spec);
  const extra = extraParams(set);
  const dir = mkdtempSync(join(tmpdir(), 'flowsight-neural-'));
  const workspace = join(dir, 'bench.db');
  const ids = {};
  // imported once each, through the CLI, when a row first needs them
  const dataset = (name) => {
    if (ids[name] !== undefined) return ids[name];
    const paths = name === 'cicids'
      ? readdirSync(join(datasets, 'cicids2017-improved-sample')).filter((f) => f.endsWith('.csv')).sort().map((f) => join(datasets, 'cicids2017-improved-sample', f))
      : [join(datasets, 'nsl-kdd', name === 'nsl' ? 'KDDTrain+_20Percent.txt' : 'KDDTest+.txt')];
    const r = runJson(process.execPath, [cli, 'import', ...paths, '--workspace', workspace, '--json']);
    if (r.error) throw new Error(`import of ${name} failed: ${r.error}`);
    console.error(`imported ${name}: dataset ${r.id}, ${r.rows} rows`);
    return (ids[name] = r.id);
  };
  // the 1-minute load average at the end of each measurement: a shared machine's other work shows here
  const loads = [];
  const noteLoad = () => loads.push(loadavg()[0]);
  const train = (model, data, target, params) => {
    const split = data === 'nsl' ? { testDatasetId: dataset('nsl-test') } : { testSize: 0.3 };
    const r = runJson(process.execPath, trainArgs({ workspace, datasetId: dataset(data), model, target, params, ...split }));
    noteLoad();
    console.log(JSON.stringify({ bench: 'neural', side: 'flowsight', model, data, params, load1: loadavg()[0], ...(r.error ? r : { modelId: r.modelId, fitSeconds: r.fitSeconds, epochSeconds: r.epochSeconds, backend: r.backend, accuracy: r.metrics?.accuracy, macroF1: r.metrics?.macroF1 }) }));
    return r;
  };
  const details = (modelIds) => {
    const r = spawnSync(process.execPath, [join(root, 'tests/bench/model-detail.mjs'), workspace, ...modelIds.map(String)], { encoding: 'utf8', cwd: root });
    return (r.stdout ?? '').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  };

  const haveTorch = spawnSync(py, ['-c', 'import torch, sklearn, pandas, threadpoolctl'], { encoding: 'utf8' }).status === 0;
  const torchScript = join(peersDir, 'bench_torch.py');
  const speed = [];
  const accuracy = [];
  try {
    for (const key of keys.filter((k) => SPEED_ROWS[k])) {
      const row = SPEED_ROWS[key];
      const ours = [];
      const torch = [];
      const runTorch = () => {
        if (!haveTorch || !existsSync(torchScript)) return torch.push({ error: `PyTorch peer not runnable (${py}: apt-get install python3-torch python3-sklearn python3-pandas)` });
        const t = runJson(py, [torchScript, '--dataset', 'nsl-kdd', '--task', 'binary', '--arch', row.arch, ...(torch1t ? [] : ['--no-fit-1t'])]);
        noteLoad();
        console.log(JSON.stringify({ ...t, load1: loadavg()[0] }));
        torch.push(t);
      };
      const runOurs = () => ours.push(train(row.arch, 'nsl', 'binary', { ...row.params, ...extra }));
      // alternate who goes first, so drifting load on a shared machine hits both alike
      for (let i = 0; i < runs; i++) (i % 2 ? [runOurs, runTorch] : [runTorch, runOurs]).forEach((f) => f());
      const ok = (xs) => xs.filter((x) => !x.error);
      const firstError = (xs) => xs.find((x) => x.error)?.error;
      speed.push({
        key, title: row.title,
        ours: { epochSeconds: median(ok(ours).map((o) => o.epochSeconds)), accuracy: median(ok(ours).map((o) => o.metrics?.accuracy)), backend: ok(ours)[0]?.backend, runs: ok(ours).map((o) => o.epochSeconds), error: firstError(ours) },
        torch: { epochSeconds: median(ok(torch).map((t) => t.epoch_s)), epochSeconds1t: median(ok(torch).map((t) => t.epoch_s_1t)), accuracy: median(ok(torch).map((t) => t.accuracy)), runs: ok(torch).map((t) => t.epoch_s), error: firstError(torch) },
      });
    }

    const peerLines = readPeerFigures(peersDir);
    const trained = [];
    for (const key of keys.filter((k) => ACCURACY_ROWS[k])) {
      const row = ACCURACY_ROWS[key];
      const r = train(row.model, row.data, row.target, {});
      trained.push({ key, row, r });
    }
    const detail = details(trained.filter((t) => !t.r.error).map((t) => t.r.modelId));
    for (const { key, row, r } of trained) {
      const d = detail.find((x) => x.id === r.modelId);
      if (d) console.log(JSON.stringify(d));
      const value = row.metric === 'rocAuc' ? d?.rocAuc : r.metrics?.[row.metric];
      accuracy.push({
        key, model: row.model, title: row.title, metric: row.metric, min: row.min, value: r.error ? null : value,
        error: r.error ?? (typeof value === 'number' ? undefined : `no ${row.metric} in the stored model`),
        epochsRun: d?.neural?.epochsRun, bestEpoch: d?.neural?.bestEpoch, fitSeconds: r.fitSeconds, backend: r.backend,
        peer: peerFigure(peerLines, row.peer), peerName: row.peer.name,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const cores = availableParallelism();
  if (loads.length) {
    const busy = Math.max(...loads) > cores + 1;
    console.log(`\n1-minute load average after each training: ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)} on ${cores} cores (the bench itself adds 1-2)${busy ? '; other work shared the cores, so the timings below say little (PyTorch suffers most: its threads wait on each other)' : ''}.`);
  }
  if (speed.length) {
    console.log('\nNeural networks, Flowsight (TensorFlow.js, `flowsight train`) vs PyTorch (CPU, bench_torch.py), NSL-KDD binary,');
    console.log(`KDDTrain+_20Percent -> KDDTest+; 20 epochs, batch 256, Adam 1e-3, no early stopping; same machine, same run;`);
    const added = Object.entries(extra).map(([k, v]) => `${k}=${v}`).join(' ');
    console.log(`s/epoch = median epoch of a training, then the median over ${runs} interleaved run(s) a side${added ? `; Flowsight also --set ${added}` : ''}${torch1t ? '; ours/torch against the faster of PyTorch\'s 2-thread and 1-thread figures' : ''}:`);
    console.log(speedTable(speed));
  }
  if (accuracy.length) {
    console.log('\nFlowsight neural models with their default parameters (NSL-KDD tested on KDDTest+), against the peers\' stored figures:');
    console.log(accuracyTable(accuracy));
  }
  return { speed, accuracy };
}
