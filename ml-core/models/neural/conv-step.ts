/**
 * The 1-D CNN's training step with the convolution part written out: windows are unrolled
 * (im2col) and folded back (col2im), max-pooling and its routing of gradients done in plain loops
 * over typed arrays, and only the matrix products sent to TensorFlow.js — where the WebAssembly
 * backend's GEMM is fast and its slicing, padding and concatenation kernels (what automatic
 * differentiation of the same network spends most of a step in) are not. The dense layers after
 * the flatten reuse the hand-written dense pass. Tested against automatic differentiation.
 *
 * Layout: a conv layer's activations are row-major [n, length, channels]; its unrolled windows
 * [n * length, kernel * channels + 1], the last column ones (the bias rides along in the product).
 */
import { layerParamIndex } from './arch.js';
import { denseCoreFrom, type StepBatch, type StepResult } from './step.js';
import type { Tf } from './tf-types.js';
import type { LayerSpec, NeuralArch } from './types.js';

type Conv = Extract<LayerSpec, { type: 'conv1d' }>;
type Pool = Extract<LayerSpec, { type: 'maxpool1d' }>;

/** expand, then conv1d / maxpool1d layers, then flatten, then layers the dense pass trains. */
export function isConvArch(arch: NeuralArch): boolean {
  const L = arch.layers;
  if (L[0]?.type !== 'expand') return false;
  let i = 1;
  while (i < L.length && (L[i]!.type === 'conv1d' || L[i]!.type === 'maxpool1d')) i++;
  if (L[i]?.type !== 'flatten' || i === 1) return false;
  return L.slice(i + 1).every((l) => l.type === 'dense' || l.type === 'batchnorm' || l.type === 'relu' || l.type === 'dropout');
}

/** [rows, cols] row-major -> [cols, rows] row-major */
function transpose(a: Float32Array, rows: number, cols: number, out: Float32Array): Float32Array {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[o + c]!;
  }
  return out;
}

/** Unrolled windows of h [n, length, channels] with 'same' padding, plus a ones column. */
function im2col(h: Float32Array, n: number, l: Conv): Float32Array {
  const { length, channels: C, kernel: k } = l;
  const width = k * C + 1;
  const cols = new Float32Array(n * length * width);
  const pad = Math.floor((k - 1) / 2);
  for (let r = 0; r < n; r++) {
    for (let t = 0; t < length; t++) {
      const o = (r * length + t) * width;
      for (let q = 0; q < k; q++) {
        const src = t + q - pad;
        if (src < 0 || src >= length) continue;
        const from = (r * length + src) * C;
        for (let c = 0; c < C; c++) cols[o + q * C + c] = h[from + c]!;
      }
      cols[o + width - 1] = 1;
    }
  }
  return cols;
}

/** Gradient of the windows [n * length, kernel * channels] folded back onto the input [n, length, channels]. */
function col2im(gCols: Float32Array, n: number, l: Conv): Float32Array {
  const { length, channels: C, kernel: k } = l;
  const width = k * C;
  const g = new Float32Array(n * length * C);
  const pad = Math.floor((k - 1) / 2);
  for (let r = 0; r < n; r++) {
    for (let t = 0; t < length; t++) {
      const o = (r * length + t) * width;
      for (let q = 0; q < k; q++) {
        const src = t + q - pad;
        if (src < 0 || src >= length) continue;
        const to = (r * length + src) * C;
        for (let c = 0; c < C; c++) g[to + c]! += gCols[o + q * C + c]!;
      }
    }
  }
  return g;
}

interface ConvSaved {
  layer: number;
  spec: Conv;
  cols: Float32Array;
  /** ReLU output [n, length, filters] */
  out: Float32Array;
}

interface PoolSaved {
  layer: number;
  spec: Pool;
  /** 1 where the second of the pair won */
  second: Uint8Array;
}

export function convStep(tf: Tf, arch: NeuralArch, params: Float32Array[], b: StepBatch): StepResult {
  const pIdx = layerParamIndex(arch);
  const n = b.n;
  const grads: Array<Float32Array | null> = arch.params.map(() => null);
  const batchStats: StepResult['batchStats'] = new Map();
  const saved: Array<ConvSaved | PoolSaved> = [];
  let h = b.x.subarray(0, n * arch.nInputs);
  let flat = 0;
  // forward through the convolutions
  for (let i = 1; i < arch.layers.length; i++) {
    const l = arch.layers[i]!;
    if (l.type === 'flatten') {
      flat = i;
      break;
    }
    if (l.type === 'conv1d') {
      const p = pIdx[i]!;
      const cols = im2col(h, n, l);
      const width = l.kernel * l.channels + 1;
      const wb = new Float32Array(width * l.filters);
      wb.set(params[p]!);
      wb.set(params[p + 1]!, (width - 1) * l.filters);
      // (a typed array must not be tf.tidy's return value: it would be walked element by element)
      let out: Float32Array = new Float32Array(0);
      tf.tidy(() => {
        out = tf.relu(tf.matMul(tf.tensor2d(cols, [n * l.length, width]), tf.tensor2d(wb, [width, l.filters]))).dataSync() as Float32Array;
      });
      saved.push({ layer: i, spec: l, cols, out });
      h = out;
    } else if (l.type === 'maxpool1d') {
      const half = Math.floor(l.length / 2);
      const C = l.channels;
      const pooled = new Float32Array(n * half * C);
      const second = new Uint8Array(n * half * C);
      for (let r = 0; r < n; r++) {
        for (let t = 0; t < half; t++) {
          const a = (r * l.length + 2 * t) * C;
          const o = (r * half + t) * C;
          for (let c = 0; c < C; c++) {
            const u = h[a + c]!;
            const v = h[a + C + c]!;
            if (v > u) {
              pooled[o + c] = v;
              second[o + c] = 1;
            } else pooled[o + c] = u;
          }
        }
      }
      saved.push({ layer: i, spec: l, second });
      h = pooled;
    }
  }
  // the dense layers, with the gradient at their input
  const width = h.length / n;
  let loss = 0;
  let g: Float32Array = new Float32Array(0);
  tf.tidy(() => {
    const P = arch.params.map((p, i) => tf.tensor(params[i]!, p.shape, 'float32'));
    const x = tf.tensor2d(b.x.subarray(0, n * arch.nInputs), [n, arch.nInputs]);
    const r = denseCoreFrom(tf, arch, P, flat + 1, tf.tensor2d(h, [n, width]), x, b, grads, batchStats, true);
    loss = r.loss;
    g = r.inputGrad!.dataSync() as Float32Array;
  });
  // backward through the convolutions
  for (let s = saved.length - 1; s >= 0; s--) {
    const sv = saved[s]!;
    if (sv.spec.type === 'maxpool1d') {
      const l = sv.spec;
      const half = Math.floor(l.length / 2);
      const C = l.channels;
      const second = (sv as PoolSaved).second;
      const up = new Float32Array(n * l.length * C);
      for (let r = 0; r < n; r++) {
        for (let t = 0; t < half; t++) {
          const o = (r * half + t) * C;
          const a = (r * l.length + 2 * t) * C;
          for (let c = 0; c < C; c++) up[a + (second[o + c]! ? C : 0) + c] = g[o + c]!;
        }
      }
      g = up;
    } else {
      const { spec: l, cols, out, layer } = sv as ConvSaved;
      const p = pIdx[layer]!;
      const rows = n * l.length;
      const cw = l.kernel * l.channels + 1;
      for (let j = 0; j < g.length; j++) if (!(out[j]! > 0)) g[j] = 0;
      const colsT = transpose(cols, rows, cw, new Float32Array(cols.length));
      const first = s === 0;
      const wT = first ? null : transpose(params[p]!, l.kernel * l.channels, l.filters, new Float32Array(params[p]!.length));
      const gz = g;
      let r: { dWb: Float32Array; gCols: Float32Array | null } = { dWb: new Float32Array(0), gCols: null };
      tf.tidy(() => {
        const gzT = tf.tensor2d(gz, [rows, l.filters]);
        const dWb = tf.matMul(tf.tensor2d(colsT, [cw, rows]), gzT).dataSync() as Float32Array;
        const gCols = wT ? (tf.matMul(gzT, tf.tensor2d(wT, [l.filters, cw - 1])).dataSync() as Float32Array) : null;
        r = { dWb, gCols };
      });
      grads[p] = r.dWb.slice(0, (cw - 1) * l.filters);
      grads[p + 1] = r.dWb.slice((cw - 1) * l.filters);
      if (r.gCols) g = col2im(r.gCols, n, l);
    }
  }
  return { loss, grads, batchStats };
}
