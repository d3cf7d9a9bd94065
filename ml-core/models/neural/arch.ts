/**
 * The five architectures as layer lists, and their initial parameters.
 *
 * Hidden widths: `units` for the first layer, each next one half as wide (at least 8), so a dnn
 * with units 256 and 3 layers is 256-128-64 (the PyTorch peer's network).
 */
import { Rng } from '../../rng.js';
import type { LayerSpec, NeuralArch, NeuralHyperParams, NeuralKind, ParamSpec } from './types.js';

export function hiddenWidths(units: number, layers: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < layers; i++) out.push(Math.max(8, Math.floor(units / 2 ** i)));
  return out;
}

/** Builds the layer list of `kind` for nInputs features and nClasses classes. */
export function buildArch(kind: NeuralKind, nInputs: number, nClasses: number, hp: Pick<NeuralHyperParams, 'units' | 'layers' | 'filters' | 'dropout' | 'batchNorm'>): NeuralArch {
  const layers: LayerSpec[] = [];
  let width = nInputs;
  const dense = (units: number, activation: 'relu' | 'linear', bias = true) => {
    layers.push({ type: 'dense', inputs: width, units, bias, activation });
    width = units;
  };
  const dropout = () => {
    if (hp.dropout > 0) layers.push({ type: 'dropout', rate: hp.dropout });
  };
  const nOutputs = kind === 'autoencoder' ? nInputs : nClasses;
  switch (kind) {
    case 'ann':
    case 'mlp':
      for (const u of hiddenWidths(hp.units, kind === 'ann' ? 1 : 2)) {
        dense(u, 'relu');
        dropout();
      }
      dense(nOutputs, 'linear');
      break;
    case 'dnn':
      for (const u of hiddenWidths(hp.units, hp.layers)) {
        if (hp.batchNorm) {
          // the batch norm's shift replaces the dense bias
          dense(u, 'linear', false);
          layers.push({ type: 'batchnorm', units: u, epsilon: 1e-5, momentum: 0.1 });
          layers.push({ type: 'relu' });
        } else dense(u, 'relu');
        dropout();
      }
      dense(nOutputs, 'linear');
      break;
    case 'autoencoder': {
      const enc = hiddenWidths(hp.units, hp.layers);
      for (const u of [...enc, ...enc.slice(0, -1).reverse()]) {
        dense(u, 'relu');
        dropout();
      }
      dense(nOutputs, 'linear');
      break;
    }
    case 'cnn': {
      const f1 = hp.filters;
      const f2 = hp.filters * 2;
      layers.push({ type: 'expand' });
      let length = nInputs;
      layers.push({ type: 'conv1d', length, channels: 1, filters: f1, kernel: 3 });
      layers.push({ type: 'maxpool1d', length, channels: f1 });
      length = Math.floor(length / 2);
      if (length < 1) throw new Error(`A 1-D CNN needs at least 2 input features; this data has ${nInputs}.`);
      layers.push({ type: 'conv1d', length, channels: f1, filters: f2, kernel: 3 });
      layers.push({ type: 'maxpool1d', length, channels: f2 });
      length = Math.floor(length / 2);
      layers.push({ type: 'flatten' });
      width = Math.max(1, length) * f2;
      if (length < 1) throw new Error(`A 1-D CNN needs at least 4 input features; this data has ${nInputs}.`);
      dense(hp.units, 'relu');
      dropout();
      dense(nOutputs, 'linear');
      break;
    }
  }
  return { kind, nInputs, nOutputs, layers, params: paramSpecs(layers), loss: kind === 'autoencoder' ? 'reconstruction' : 'softmax' };
}

function paramSpecs(layers: LayerSpec[]): ParamSpec[] {
  const out: ParamSpec[] = [];
  layers.forEach((l, i) => {
    if (l.type === 'dense') {
      out.push({ name: `l${i}.w`, shape: [l.inputs, l.units], trainable: true, decay: true });
      if (l.bias) out.push({ name: `l${i}.b`, shape: [l.units], trainable: true, decay: false });
    } else if (l.type === 'conv1d') {
      out.push({ name: `l${i}.w`, shape: [l.kernel, l.channels, l.filters], trainable: true, decay: true });
      out.push({ name: `l${i}.b`, shape: [l.filters], trainable: true, decay: false });
    } else if (l.type === 'batchnorm') {
      out.push({ name: `l${i}.gamma`, shape: [l.units], trainable: true, decay: false });
      out.push({ name: `l${i}.beta`, shape: [l.units], trainable: true, decay: false });
      out.push({ name: `l${i}.mean`, shape: [l.units], trainable: false, decay: false });
      out.push({ name: `l${i}.var`, shape: [l.units], trainable: false, decay: false });
    }
  });
  return out;
}

/** Values per row each layer outputs (a conv layer's length × channels); dropout masks are sized by it. */
export function layerWidths(arch: NeuralArch): number[] {
  const out: number[] = [];
  let w = arch.nInputs;
  for (const l of arch.layers) {
    if (l.type === 'dense' || l.type === 'batchnorm') w = l.units;
    else if (l.type === 'conv1d') w = l.length * l.filters;
    else if (l.type === 'maxpool1d') w = Math.floor(l.length / 2) * l.channels;
    out.push(w);
  }
  return out;
}

/** Index into arch.params of each layer's first parameter (-1 for layers without any). */
export function layerParamIndex(arch: NeuralArch): number[] {
  const idx: number[] = [];
  let p = 0;
  for (const l of arch.layers) {
    const n = l.type === 'dense' ? (l.bias ? 2 : 1) : l.type === 'conv1d' ? 2 : l.type === 'batchnorm' ? 4 : 0;
    idx.push(n ? p : -1);
    p += n;
  }
  return idx;
}

export function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function countParameters(arch: NeuralArch): number {
  return arch.params.filter((p) => p.trainable).reduce((s, p) => s + sizeOf(p.shape), 0);
}

/**
 * Initial parameters: He-uniform for layers followed by ReLU, Glorot-uniform for the output
 * layer, zero biases, batch norm gamma 1, beta 0, running mean 0 and variance 1.
 */
export function initParams(arch: NeuralArch, seed: number): Float32Array[] {
  const rng = new Rng(seed, 0x6e6e);
  const lastDense = arch.layers.map((l) => l.type).lastIndexOf('dense');
  return arch.params.map((p) => {
    const a = new Float32Array(sizeOf(p.shape));
    const [layer, what] = p.name.slice(1).split('.') as [string, string];
    const l = arch.layers[Number(layer)]!;
    if (what === 'w') {
      const fanIn = l.type === 'dense' ? l.inputs : l.type === 'conv1d' ? l.kernel * l.channels : 1;
      const fanOut = l.type === 'dense' ? l.units : l.type === 'conv1d' ? l.kernel * l.filters : 1;
      const limit = Number(layer) === lastDense ? Math.sqrt(6 / (fanIn + fanOut)) : Math.sqrt(6 / fanIn);
      for (let i = 0; i < a.length; i++) a[i] = rng.uniform(-limit, limit);
    } else if (what === 'gamma' || what === 'var') a.fill(1);
    return a;
  });
}
