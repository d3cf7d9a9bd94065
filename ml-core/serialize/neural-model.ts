/**
 * TrainedNeuralModel <-> model file content: the architecture, history and training facts in the
 * manifest; each parameter tensor as a Float32Array named `p<i>` (arch.params order), and the
 * feature importances. Round-trips bit for bit.
 */
import { sizeOf } from '../models/neural/arch.js';
import type { NeuralArch, NeuralKind, TrainedNeuralModel } from '../models/neural/types.js';
import { ModelFileError, type ModelArray } from './model-file.js';

export const NEURAL_MODEL_TYPE = 'neural-model';
export const NEURAL_MODEL_VERSION = 1;

const KINDS: readonly NeuralKind[] = ['ann', 'mlp', 'dnn', 'cnn', 'autoencoder'];

export function neuralModelToFile(model: TrainedNeuralModel): { manifest: Record<string, unknown>; arrays: Record<string, ModelArray> } {
  const manifest: Record<string, unknown> = {
    type: NEURAL_MODEL_TYPE,
    version: NEURAL_MODEL_VERSION,
    kind: model.kind,
    params: model.params,
    nFeatures: model.nFeatures,
    nClasses: model.nClasses,
    link: model.link,
    arch: model.arch,
    history: model.history,
    training: model.training,
  };
  if (model.threshold !== undefined) manifest.threshold = model.threshold;
  if (model.errorScale !== undefined) manifest.errorScale = model.errorScale;
  const arrays: Record<string, ModelArray> = { featureImportance: model.featureImportance };
  model.weights.forEach((w, i) => (arrays[`p${i}`] = w));
  return { manifest, arrays };
}

export function neuralModelFromFile(content: { manifest: Record<string, unknown>; arrays: Record<string, ModelArray> }): TrainedNeuralModel {
  const m = content.manifest;
  if (m.type !== NEURAL_MODEL_TYPE) throw new ModelFileError(`not a neural model (type ${JSON.stringify(m.type)})`);
  if (typeof m.version !== 'number' || m.version > NEURAL_MODEL_VERSION) throw new ModelFileError(`neural model layout ${String(m.version)} is newer than this version reads (${NEURAL_MODEL_VERSION})`);
  if (!KINDS.includes(m.kind as NeuralKind)) throw new ModelFileError(`unknown neural model kind ${JSON.stringify(m.kind)}`);
  const arch = m.arch as NeuralArch;
  if (!arch || !Array.isArray(arch.layers) || !Array.isArray(arch.params)) throw new ModelFileError('the neural model has no architecture');
  const weights = arch.params.map((p, i) => {
    const a = content.arrays[`p${i}`];
    if (!(a instanceof Float32Array) || a.length !== sizeOf(p.shape)) {
      throw new ModelFileError(`parameter ${p.name} is missing or has the wrong size (expected ${sizeOf(p.shape)} float32 values)`);
    }
    return a;
  });
  const imp = content.arrays.featureImportance;
  const nFeatures = Number(m.nFeatures);
  if (!(imp instanceof Float64Array) || imp.length !== nFeatures) throw new ModelFileError('feature importances are missing or have the wrong size');
  const model: TrainedNeuralModel = {
    kind: m.kind as NeuralKind,
    family: 'neural',
    params: (m.params ?? {}) as TrainedNeuralModel['params'],
    nFeatures,
    nClasses: Number(m.nClasses),
    arch,
    weights,
    link: m.link === 'anomaly' ? 'anomaly' : 'softmax',
    featureImportance: imp,
    history: (m.history ?? []) as TrainedNeuralModel['history'],
    training: m.training as TrainedNeuralModel['training'],
  };
  if (typeof m.threshold === 'number') model.threshold = m.threshold;
  if (typeof m.errorScale === 'number') model.errorScale = m.errorScale;
  return model;
}
