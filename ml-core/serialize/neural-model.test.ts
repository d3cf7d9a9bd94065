import { describe, expect, it } from 'vitest';
import { buildArch, initParams } from '../models/neural/arch.js';
import type { TrainedNeuralModel } from '../models/neural/types.js';
import { decodeModelFile, encodeModelFile } from './model-file.js';
import { ModelFileError } from './model-file.js';
import { neuralModelFromFile, neuralModelToFile } from './neural-model.js';

function model(): TrainedNeuralModel {
  const arch = buildArch('dnn', 5, 3, { units: 8, layers: 2, filters: 4, dropout: 0.1, batchNorm: true });
  return {
    kind: 'dnn',
    family: 'neural',
    params: { units: 8, layers: 2 },
    nFeatures: 5,
    nClasses: 3,
    arch,
    weights: initParams(arch, 9),
    link: 'softmax',
    featureImportance: Float64Array.of(0.1, 0.2, 0.3, 0.15, 0.25),
    history: [{ round: 1, train: 0.9, valid: 0.8, learningRate: 0.001, seconds: 0.5 }],
    training: { epochsRun: 1, bestEpoch: 1, epochSeconds: 0.5, finalLearningRate: 0.001, parameters: 200 },
  };
}

describe('neural model file', () => {
  it('round-trips bit for bit through the model file', () => {
    const m = { ...model(), link: 'anomaly' as const, threshold: 0.42, errorScale: 1.5 };
    const f = neuralModelToFile(m);
    const back = neuralModelFromFile(decodeModelFile(encodeModelFile(f.manifest, f.arrays)) as never);
    expect(back.arch).toEqual(m.arch);
    back.weights.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(m.weights[i]!)));
    expect(Array.from(back.featureImportance)).toEqual(Array.from(m.featureImportance));
    expect(back).toMatchObject({ kind: 'dnn', link: 'anomaly', threshold: 0.42, errorScale: 1.5, history: m.history, training: m.training });
  });

  it('refuses a file whose parameter has the wrong size, naming it', () => {
    const f = neuralModelToFile(model());
    f.arrays.p0 = new Float32Array(3);
    expect(() => neuralModelFromFile(f as never)).toThrow(ModelFileError);
    expect(() => neuralModelFromFile(f as never)).toThrow(/l0\.w/);
  });

  it('refuses a newer layout', () => {
    const f = neuralModelToFile(model());
    expect(() => neuralModelFromFile({ ...f, manifest: { ...f.manifest, version: 99 } } as never)).toThrow(/newer/);
  });
});
