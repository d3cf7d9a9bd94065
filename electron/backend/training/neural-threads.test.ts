import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../ml-core/rng.js';
import { buildArch, denseStep, initParams, type StepBatch } from '../../../ml-core/models/neural/index.js';
import { ParallelStepper } from './neural-threads.js';
import { loadTf, type TfRuntime } from './tf-runtime.js';

let rt: TfRuntime;
const started: ParallelStepper[] = [];

beforeAll(async () => {
  rt = await loadTf('wasm');
}, 60_000);

afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
});

function batchOf(n: number, d: number, k: number, widths: Map<number, number>): StepBatch {
  const rng = new Rng(5);
  const x = Float32Array.from({ length: n * d }, () => rng.normal());
  const weight = Float32Array.from({ length: n }, (_, i) => 1 + (i % 3));
  const weightedOneHot = new Float32Array(n * k);
  for (let i = 0; i < n; i++) weightedOneHot[i * k + (i % k)] = weight[i]!;
  const masks = new Map<number, Float32Array>();
  for (const [layer, w] of widths) masks.set(layer, Float32Array.from({ length: n * w }, () => (rng.next() < 0.2 ? 0 : 1.25)));
  return { x, n, weight, weightedOneHot, masks };
}

describe('ParallelStepper', () => {
  it('splits a batch across threads and returns the whole batch gradient', async () => {
    const arch = buildArch('mlp', 10, 3, { units: 32, layers: 2, filters: 4, dropout: 0.2, batchNorm: false });
    const w = initParams(arch, 3);
    const widths = new Map<number, number>();
    arch.layers.forEach((l, i) => l.type === 'dropout' && widths.set(i, (arch.layers[i - 1] as { units: number }).units));
    const b = batchOf(200, 10, 3, widths);
    const par = await ParallelStepper.start(arch, 200, 2, rt.backend);
    started.push(par);
    expect(par.threads).toBe(2);
    const ref = denseStep(rt.tf, arch, w, b);
    const got = par.step(rt.tf, arch, w, b, denseStep);
    expect(got.loss).toBeCloseTo(ref.loss, 5);
    got.grads.forEach((g, i) => {
      const r = ref.grads[i]!;
      const scale = Math.max(1e-4, ...Array.from(r, Math.abs));
      for (let j = 0; j < r.length; j++) expect(Math.abs(g![j]! - r[j]!) / scale).toBeLessThan(1e-4);
    });
    // a second step reuses the same threads
    const again = par.step(rt.tf, arch, w, b, denseStep);
    expect(again.loss).toBeCloseTo(ref.loss, 5);
  }, 60_000);

  it('pools batch-norm statistics over the shares', async () => {
    const arch = buildArch('dnn', 6, 2, { units: 16, layers: 2, filters: 4, dropout: 0, batchNorm: true });
    const w = initParams(arch, 4);
    const b = batchOf(128, 6, 2, new Map());
    const par = await ParallelStepper.start(arch, 128, 2, rt.backend);
    started.push(par);
    const ref = denseStep(rt.tf, arch, w, b);
    const got = par.step(rt.tf, arch, w, b, denseStep);
    expect([...got.batchStats.keys()]).toEqual([...ref.batchStats.keys()]);
    // the first batch-norm layer sees the same inputs either way (later ones follow each share's
    // own normalisation, so their statistics differ a little)
    const first = Math.min(...ref.batchStats.keys());
    {
      const s = ref.batchStats.get(first)!;
      const g = got.batchStats.get(first)!;
      for (let j = 0; j < s.mean.length; j++) {
        expect(g.mean[j]).toBeCloseTo(s.mean[j]!, 4);
        expect(g.variance[j]).toBeCloseTo(s.variance[j]!, 3);
      }
    }
  }, 60_000);

  it('keeps small batches in the calling thread', async () => {
    const arch = buildArch('ann', 4, 2, { units: 8, layers: 1, filters: 4, dropout: 0, batchNorm: false });
    const par = await ParallelStepper.start(arch, 64, 2, rt.backend);
    started.push(par);
    let local = 0;
    const b = batchOf(20, 4, 2, new Map());
    par.step(rt.tf, arch, initParams(arch, 1), b, (...a) => {
      local++;
      return denseStep(...a);
    });
    expect(local).toBe(1);
  }, 60_000);
});
