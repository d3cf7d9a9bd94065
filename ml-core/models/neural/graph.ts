/**
 * The forward pass of any architecture in TensorFlow.js ops: inference (running batch-norm
 * statistics, no dropout), and training (batch statistics, given dropout masks) for the
 * automatic-differentiation path. Must be called inside tf.tidy or tf.grads.
 */
import { layerParamIndex } from './arch.js';
import type { Tensor, Tensor2D, Tensor3D, Tf } from './tf-types.js';
import type { NeuralArch } from './types.js';

export interface ForwardTraining {
  /** dropout masks (already scaled by 1 / (1 - rate)), by layer index */
  masks: Map<number, Tensor>;
  /** filled with each batch-norm layer's batch mean and variance, by layer index */
  batchStats: Map<number, { mean: Tensor; variance: Tensor }>;
}

/** Parameters as tensors, in arch.params order; training = null for inference. */
export function forward(tf: Tf, arch: NeuralArch, params: Tensor[], x: Tensor2D, training: ForwardTraining | null): Tensor2D {
  const pIdx = layerParamIndex(arch);
  let h: Tensor = x;
  arch.layers.forEach((l, i) => {
    const p = pIdx[i]!;
    switch (l.type) {
      case 'dense':
        h = tf.fused.matMul({
          a: h as Tensor2D,
          b: params[p] as Tensor2D,
          ...(l.bias ? { bias: params[p + 1]! } : {}),
          activation: l.activation === 'relu' ? 'relu' : 'linear',
        });
        break;
      case 'batchnorm': {
        const [gamma, beta, mean, variance] = [params[p]!, params[p + 1]!, params[p + 2]!, params[p + 3]!];
        if (training) {
          const m = tf.moments(h, 0);
          training.batchStats.set(i, { mean: m.mean, variance: m.variance });
          h = tf.batchNorm(h, m.mean, m.variance, beta, gamma, l.epsilon);
        } else h = tf.batchNorm(h, mean, variance, beta, gamma, l.epsilon);
        break;
      }
      case 'relu':
        h = tf.relu(h);
        break;
      case 'dropout':
        if (training) h = tf.mul(h, training.masks.get(i)!);
        break;
      case 'expand':
        h = tf.expandDims(h, 2);
        break;
      case 'conv1d':
        h = conv1dSame(tf, h as Tensor3D, params[p]!, params[p + 1]!, l.kernel);
        break;
      case 'maxpool1d': {
        // pairs of steps side by side, [n, half, 2 * channels], and the larger of the two halves:
        // elementwise maximum differentiates cheaply (a max reduction's gradient broadcasts an
        // equality test, measured 0.5 s per CNN step on WebAssembly)
        const half = Math.floor(l.length / 2);
        const n = h.shape[0]!;
        let t = h as Tensor3D;
        if (l.length % 2) t = tf.slice(t, [0, 0, 0], [n, half * 2, l.channels]);
        const pairs = tf.reshape(t, [n, half, 2 * l.channels]);
        h = tf.maximum(tf.slice(pairs, [0, 0, 0], [n, half, l.channels]), tf.slice(pairs, [0, 0, l.channels], [n, half, l.channels]));
        break;
      }
      case 'flatten':
        h = tf.reshape(h, [h.shape[0]!, -1]);
        break;
    }
  });
  return h as Tensor2D;
}

/**
 * 'same'-padded stride-1 1-D convolution + bias + ReLU as one matrix product over the unrolled
 * windows (im2col): [n, length, channels] -> [n * length, kernel * channels] · [kernel * channels,
 * filters]. Every backend differentiates it (the WebAssembly backend has no convolution
 * gradient kernels) and the product runs on the fast GEMM kernel.
 */
function conv1dSame(tf: Tf, x: Tensor3D, w: Tensor, bias: Tensor, kernel: number): Tensor3D {
  const [n, length, channels] = x.shape;
  const filters = w.shape[2]!;
  const before = Math.floor((kernel - 1) / 2);
  const padded = tf.pad(x, [[0, 0], [before, kernel - 1 - before], [0, 0]]);
  const windows: Tensor3D[] = [];
  for (let q = 0; q < kernel; q++) windows.push(tf.slice(padded, [0, q, 0], [n, length, channels]));
  // a column of ones carries the bias through the product, so its gradient is part of the
  // product's too (a bias add's gradient is an axis-0 sum over n * length rows: slow on WebAssembly)
  windows.push(tf.ones([n, length, 1]));
  const cols = tf.reshape(tf.concat(windows, 2), [n * length, kernel * channels + 1]) as Tensor2D;
  const wb = tf.concat([tf.reshape(w, [kernel * channels, filters]), tf.reshape(bias, [1, filters])], 0) as Tensor2D;
  const out = tf.relu(tf.matMul(cols, wb));
  return tf.reshape(out, [n, length, filters]) as Tensor3D;
}

/** Targets of one batch: classifiers get weighted one-hot rows and row weights; autoencoders reconstruct x. */
export interface BatchTargets {
  /** [n, K]: sample weight at the true class, 0 elsewhere */
  weightedOneHot?: Tensor2D;
  /** [n, 1] sample weights */
  weight?: Tensor2D;
}

/**
 * The batch loss: weighted cross-entropy summed over rows / n (Keras' class_weight semantics), or
 * the mean squared reconstruction error over rows and features.
 */
export function lossOf(tf: Tf, arch: NeuralArch, out: Tensor2D, x: Tensor2D, t: BatchTargets): Tensor {
  const n = out.shape[0];
  if (arch.loss === 'reconstruction') return tf.div(tf.sum(tf.square(tf.sub(out, x))), n * arch.nOutputs);
  return tf.div(tf.neg(tf.sum(tf.mul(t.weightedOneHot!, tf.logSoftmax(out)))), n);
}
