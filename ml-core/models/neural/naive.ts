/**
 * The inference forward pass in plain loops, one row at a time: slow and obviously correct, the
 * reference the TensorFlow.js paths are tested against. Returns the raw network output
 * (logits, or the reconstruction), row-major [nSamples, nOutputs].
 */
import type { RowMatrix } from '../types.js';
import { layerParamIndex } from './arch.js';
import type { NeuralArch } from './types.js';

export function naiveForward(arch: NeuralArch, weights: Float32Array[], X: RowMatrix): Float64Array {
  const pIdx = layerParamIndex(arch);
  const out = new Float64Array(X.nSamples * arch.nOutputs);
  for (let r = 0; r < X.nSamples; r++) {
    // h: the row's activations; a conv layer's are [length, channels] row-major
    let h: Float64Array = Float64Array.from(X.data.subarray(r * X.nFeatures, (r + 1) * X.nFeatures));
    arch.layers.forEach((l, i) => {
      const p = pIdx[i]!;
      if (l.type === 'dense') {
        const W = weights[p]!;
        const y = new Float64Array(l.units);
        for (let o = 0; o < l.units; o++) {
          let s = l.bias ? weights[p + 1]![o]! : 0;
          for (let j = 0; j < l.inputs; j++) s += h[j]! * W[j * l.units + o]!;
          y[o] = l.activation === 'relu' ? Math.max(0, s) : s;
        }
        h = y;
      } else if (l.type === 'batchnorm') {
        const [g, b, m, v] = [weights[p]!, weights[p + 1]!, weights[p + 2]!, weights[p + 3]!];
        h = h.map((x, j) => ((x - m[j]!) / Math.sqrt(v[j]! + l.epsilon)) * g[j]! + b[j]!);
      } else if (l.type === 'relu') h = h.map((x) => Math.max(0, x));
      else if (l.type === 'conv1d') {
        const W = weights[p]!; // [kernel, channels, filters]
        const bias = weights[p + 1]!;
        const y = new Float64Array(l.length * l.filters);
        const pad = Math.floor((l.kernel - 1) / 2);
        for (let t = 0; t < l.length; t++) {
          for (let f = 0; f < l.filters; f++) {
            let s = bias[f]!;
            for (let q = 0; q < l.kernel; q++) {
              const src = t + q - pad;
              if (src < 0 || src >= l.length) continue;
              for (let c = 0; c < l.channels; c++) s += h[src * l.channels + c]! * W[(q * l.channels + c) * l.filters + f]!;
            }
            y[t * l.filters + f] = Math.max(0, s);
          }
        }
        h = y;
      } else if (l.type === 'maxpool1d') {
        const half = Math.floor(l.length / 2);
        const y = new Float64Array(half * l.channels);
        for (let t = 0; t < half; t++) {
          for (let c = 0; c < l.channels; c++) y[t * l.channels + c] = Math.max(h[2 * t * l.channels + c]!, h[(2 * t + 1) * l.channels + c]!);
        }
        h = y;
      }
      // dropout (inference), expand and flatten leave the row's values as they are
    });
    out.set(h, r * arch.nOutputs);
  }
  return out;
}
