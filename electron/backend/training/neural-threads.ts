/**
 * Data-parallel training steps for the neural models: a batch is split into shares, the calling
 * thread computes the first and helper threads (workers/neural-step.worker.ts, each with its own
 * TensorFlow.js on the same backend) the others, at once; gradients and losses are combined
 * weighted by share size, which is the gradient of the whole batch's loss. Batch-norm layers
 * normalise each share by its own statistics ("ghost" batch norm); their running statistics get
 * the pooled batch mean and variance.
 *
 * Why: the WebAssembly backend runs one thread in Node, and its matrix products are the floor of
 * an epoch (see tf-runtime.ts); a 2-core machine trains the 256-128-64 network in about half the
 * time with a second thread. The native TensorFlow backends thread (or use the GPU) themselves
 * and are left alone.
 *
 * Hand-off without messages: parameters, inputs and outputs live in SharedArrayBuffers; a
 * generation counter wakes the helpers (Atomics.notify) and a done counter wakes the caller.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { layerWidths, sizeOf } from '../../../ml-core/models/neural/arch.js';
import type { StepBatch, StepResult, Stepper, Tf } from '../../../ml-core/models/neural/index.js';
import type { NeuralArch } from '../../../ml-core/models/neural/types.js';
import { spawnWorker } from '../jobs/worker-host.js';
import type { TfBackendName } from './tf-runtime.js';

/** ctrl words */
export const GEN = 0;
export const DONE = 1;
export const SHUTDOWN = 2;
/** per helper: rows of its share at CTRL_ROWS + k, status at CTRL_STATUS + k (1 ok, -1 failed) */
export const CTRL_ROWS = 4;
export const CTRL_STATUS = 12;
const MAX_HELPERS = 7;

/** Fewer rows than this per share and the batch runs in the calling thread alone. */
const MIN_SHARE_ROWS = 32;

export interface ShareLayout {
  nInputs: number;
  nOutputs: number;
  maxRows: number;
  /** dropout layers and their widths, in layer order */
  dropouts: Array<{ layer: number; width: number }>;
  /** batch-norm layers and their widths */
  batchNorms: Array<{ layer: number; units: number }>;
  /** offset of each parameter in the flat parameter / gradient buffers */
  paramOffsets: number[];
  paramTotal: number;
}

export function shareLayout(arch: NeuralArch, maxRows: number): ShareLayout {
  const dropouts: ShareLayout['dropouts'] = [];
  const batchNorms: ShareLayout['batchNorms'] = [];
  const widths = layerWidths(arch);
  arch.layers.forEach((l, i) => {
    if (l.type === 'dropout' && l.rate > 0) dropouts.push({ layer: i, width: widths[i]! });
    if (l.type === 'batchnorm') batchNorms.push({ layer: i, units: l.units });
  });
  const paramOffsets: number[] = [];
  let total = 0;
  for (const p of arch.params) {
    paramOffsets.push(total);
    total += sizeOf(p.shape);
  }
  return { nInputs: arch.nInputs, nOutputs: arch.nOutputs, maxRows, dropouts, batchNorms, paramOffsets, paramTotal: total };
}

/** One helper's shared buffers, as typed views. */
export interface ShareBuffers {
  x: Float32Array;
  weightedOneHot: Float32Array;
  weight: Float32Array;
  masks: Float32Array[];
  grads: Float32Array;
  /** [loss] */
  loss: Float64Array;
  /** per batch-norm layer: mean then variance */
  stats: Float32Array;
  /** UTF-8 error message of a failed step */
  error: Uint8Array;
}

export interface ShareSabs {
  input: SharedArrayBuffer;
  output: SharedArrayBuffer;
}

export function allocShare(l: ShareLayout): ShareSabs {
  const inFloats = l.maxRows * (l.nInputs + l.nOutputs + 1) + l.dropouts.reduce((s, d) => s + d.width * l.maxRows, 0);
  const statFloats = l.batchNorms.reduce((s, b) => s + 2 * b.units, 0);
  return {
    input: new SharedArrayBuffer(inFloats * 4),
    output: new SharedArrayBuffer(8 + (l.paramTotal + statFloats) * 4 + 1024),
  };
}

export function shareViews(l: ShareLayout, s: ShareSabs): ShareBuffers {
  let o = 0;
  const take = (n: number) => {
    const v = new Float32Array(s.input, o * 4, n);
    o += n;
    return v;
  };
  const x = take(l.maxRows * l.nInputs);
  const weightedOneHot = take(l.maxRows * l.nOutputs);
  const weight = take(l.maxRows);
  const masks = l.dropouts.map((d) => take(l.maxRows * d.width));
  const statFloats = l.batchNorms.reduce((a, b) => a + 2 * b.units, 0);
  return {
    x,
    weightedOneHot,
    weight,
    masks,
    loss: new Float64Array(s.output, 0, 1),
    grads: new Float32Array(s.output, 8, l.paramTotal),
    stats: new Float32Array(s.output, 8 + l.paramTotal * 4, statFloats),
    error: new Uint8Array(s.output, 8 + (l.paramTotal + statFloats) * 4, 1024),
  };
}

export interface NeuralStepWorkerData {
  arch: NeuralArch;
  backend: TfBackendName;
  index: number;
  ctrl: SharedArrayBuffer;
  params: SharedArrayBuffer;
  share: ShareSabs;
  maxRows: number;
  gradients: 'auto' | 'dense' | 'autodiff';
}

/** Threads for neural training on this backend: every core (at most 8) on WebAssembly / JavaScript, else 1. */
export function neuralThreads(backend: TfBackendName): number {
  const forced = Number(process.env.FLOWSIGHT_NEURAL_THREADS);
  if (Number.isInteger(forced) && forced >= 1) return Math.min(forced, MAX_HELPERS + 1);
  if (backend !== 'wasm' && backend !== 'cpu') return 1;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, MAX_HELPERS + 1));
}

/** Spins this long (loads of the word) before sleeping: a sleeping thread takes a while to wake. */
const SPIN = 20_000;

/**
 * Waits until ctrl[index] satisfies `ready`: spins first (the other side is usually a few
 * milliseconds away), then sleeps with Atomics.wait.
 */
export function awaitChange(ctrl: Int32Array, index: number, ready: (v: number) => boolean, timeoutMs: number, timeoutMessage: string): number {
  for (let i = 0; i < SPIN; i++) {
    const v = Atomics.load(ctrl, index);
    if (ready(v)) return v;
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = Atomics.load(ctrl, index);
    if (ready(v)) return v;
    const left = deadline - Date.now();
    if (left <= 0 || Atomics.wait(ctrl, index, v, left) === 'timed-out') {
      if (ready(Atomics.load(ctrl, index))) return Atomics.load(ctrl, index);
      throw new Error(timeoutMessage);
    }
  }
}

export class ParallelStepper {
  private readonly ctrl: Int32Array;
  private readonly params: Float32Array;
  private readonly views: ShareBuffers[];
  private readonly layout: ShareLayout;
  private closed = false;

  private constructor(
    private readonly workers: Worker[],
    ctrl: SharedArrayBuffer,
    params: SharedArrayBuffer,
    shares: ShareSabs[],
    layout: ShareLayout,
  ) {
    this.ctrl = new Int32Array(ctrl);
    this.params = new Float32Array(params);
    this.layout = layout;
    this.views = shares.map((s) => shareViews(layout, s));
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  /** Starts threads - 1 helpers with TensorFlow.js on `backend`; resolves when all have loaded it. */
  static async start(arch: NeuralArch, batchSize: number, threads: number, backend: TfBackendName, gradients: NeuralStepWorkerData['gradients'] = 'auto'): Promise<ParallelStepper> {
    const maxRows = Math.ceil(batchSize / threads);
    const layout = shareLayout(arch, maxRows);
    const ctrl = new SharedArrayBuffer(4 * 32);
    const params = new SharedArrayBuffer(layout.paramTotal * 4);
    const shares: ShareSabs[] = [];
    const workers: Worker[] = [];
    const ready: Array<Promise<void>> = [];
    for (let k = 0; k < threads - 1; k++) {
      const share = allocShare(layout);
      shares.push(share);
      const data: NeuralStepWorkerData = { arch, backend, index: k, ctrl, params, share, maxRows, gradients };
      const w = spawnWorker('neural-step', { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
      w.unref();
      workers.push(w);
      ready.push(
        new Promise<void>((resolve, reject) => {
          w.once('message', (m: { ok: boolean; error?: string }) => (m.ok ? resolve() : reject(new Error(m.error ?? 'the helper thread failed to start'))));
          w.once('error', reject);
          w.once('exit', (code) => reject(new Error(`the helper thread stopped (exit code ${code})`)));
        }),
      );
    }
    const stepper = new ParallelStepper(workers, ctrl, params, shares, layout);
    try {
      await Promise.all(ready);
    } catch (err) {
      await stepper.close();
      throw err;
    }
    return stepper;
  }

  /** fitNeural's `stepper`: the batch across threads (small batches stay in this thread). */
  step(tf: Tf, arch: NeuralArch, weights: Float32Array[], b: StepBatch, local: Stepper): StepResult {
    const T = this.workers.length + 1;
    const n = b.n;
    if (this.closed || T === 1 || n < MIN_SHARE_ROWS * T) return local(tf, arch, weights, b);
    const L = this.layout;
    const base = Math.floor(n / T);
    const extra = n % T;
    const sizes = Array.from({ length: T }, (_, k) => base + (k < extra ? 1 : 0));
    const starts: number[] = [];
    let s = 0;
    for (const z of sizes) {
      starts.push(s);
      s += z;
    }
    // parameters for every helper
    weights.forEach((w, i) => this.params.set(w, L.paramOffsets[i]!));
    const d = L.nInputs;
    const k = L.nOutputs;
    for (let h = 0; h < T - 1; h++) {
      const v = this.views[h]!;
      const start = starts[h + 1]!;
      const m = sizes[h + 1]!;
      v.x.set(b.x.subarray(start * d, (start + m) * d));
      if (b.weightedOneHot) {
        v.weightedOneHot.set(b.weightedOneHot.subarray(start * k, (start + m) * k));
        v.weight.set(b.weight!.subarray(start, start + m));
      }
      L.dropouts.forEach((dr, j) => v.masks[j]!.set(b.masks.get(dr.layer)!.subarray(start * dr.width, (start + m) * dr.width)));
      Atomics.store(this.ctrl, CTRL_ROWS + h, m);
      Atomics.store(this.ctrl, CTRL_STATUS + h, 0);
    }
    Atomics.store(this.ctrl, DONE, 0);
    Atomics.add(this.ctrl, GEN, 1);
    Atomics.notify(this.ctrl, GEN);

    // this thread's share: the first rows
    const m0 = sizes[0]!;
    const masks0 = new Map<number, Float32Array>();
    for (const dr of L.dropouts) masks0.set(dr.layer, b.masks.get(dr.layer)!.subarray(0, m0 * dr.width));
    const mine = local(tf, arch, weights, { ...b, n: m0, masks: masks0 });

    awaitChange(this.ctrl, DONE, (v) => v >= T - 1, 120_000, 'a neural training thread did not answer for 2 minutes');
    for (let h = 0; h < T - 1; h++) {
      if (Atomics.load(this.ctrl, CTRL_STATUS + h) !== 1) {
        const bytes = this.views[h]!.error;
        const end = bytes.indexOf(0);
        throw new Error(new TextDecoder().decode(bytes.slice(0, end < 0 ? bytes.length : end)) || 'a neural training thread failed');
      }
    }

    // combine, weighting each share by n_k / n (plain loops: a Float32Array.map with a closure per
    // element cost more than the helper thread saved)
    const f0 = m0 / n;
    let loss = mine.loss * f0;
    const grads = mine.grads.map((g, i) => {
      if (!g) return null;
      const off = L.paramOffsets[i]!;
      // in place: g is this step's own copy
      for (let h = 0; h < T - 1; h++) {
        const f = sizes[h + 1]! / n;
        const src = this.views[h]!.grads;
        const a = h === 0 ? f0 : 1;
        for (let j = 0; j < g.length; j++) g[j] = g[j]! * a + src[off + j]! * f;
      }
      return g;
    });
    const mean2 = new Map<number, { mean: Float32Array; ex2: Float32Array }>();
    for (const [layer, st] of mine.batchStats) {
      const mean = new Float32Array(st.mean.length);
      const ex2 = new Float32Array(st.mean.length);
      for (let j = 0; j < mean.length; j++) {
        mean[j] = st.mean[j]! * f0;
        ex2[j] = (st.variance[j]! + st.mean[j]! * st.mean[j]!) * f0;
      }
      mean2.set(layer, { mean, ex2 });
    }
    for (let h = 0; h < T - 1; h++) {
      const v = this.views[h]!;
      const f = sizes[h + 1]! / n;
      loss += v.loss[0]! * f;
      let so = 0;
      for (const bn of L.batchNorms) {
        const acc = mean2.get(bn.layer);
        for (let j = 0; acc && j < bn.units; j++) {
          const mu = v.stats[so + j]!;
          acc.mean[j]! += mu * f;
          acc.ex2[j]! += (v.stats[so + bn.units + j]! + mu * mu) * f;
        }
        so += 2 * bn.units;
      }
    }
    const batchStats = new Map<number, { mean: Float32Array; variance: Float32Array }>();
    for (const [layer, a] of mean2) batchStats.set(layer, { mean: a.mean, variance: a.ex2.map((e, j) => Math.max(0, e - a.mean[j]! * a.mean[j]!)) });
    return { loss, grads, batchStats };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctrl, SHUTDOWN, 1);
    Atomics.add(this.ctrl, GEN, 1);
    Atomics.notify(this.ctrl, GEN);
    await Promise.all(this.workers.map((w) => w.terminate().catch(() => 0)));
  }
}
