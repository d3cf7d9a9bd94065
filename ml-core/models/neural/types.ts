/**
 * Shapes of the neural family (TensorFlow.js). A network is a list of layer specs plus its
 * parameters as plain Float32Arrays, so it trains, saves and predicts without TensorFlow.js
 * variables: tensors exist only inside one step.
 *
 * Dense weights are row-major [in, out] (data[inIdx * out + outIdx]); conv1d kernels are
 * [kernel, inChannels, filters]; activations are row-major [nSamples, width], a conv layer's
 * [nSamples, length, channels].
 */
import type { FitProgress } from '../types.js';

export type NeuralKind = 'ann' | 'mlp' | 'dnn' | 'cnn' | 'autoencoder';

export type LayerSpec =
  /** y = x·W (+ b); activation fused */
  | { type: 'dense'; inputs: number; units: number; bias: boolean; activation: 'relu' | 'linear' }
  /** batch normalisation over the batch (training) or the running statistics (inference) */
  | { type: 'batchnorm'; units: number; epsilon: number; momentum: number }
  | { type: 'relu' }
  | { type: 'dropout'; rate: number }
  /** 'same' padding, stride 1, ReLU; input [n, length, channels] */
  | { type: 'conv1d'; length: number; channels: number; filters: number; kernel: number }
  /** max over windows of 2, stride 2 (a trailing odd step is dropped) */
  | { type: 'maxpool1d'; length: number; channels: number }
  /** [n, features] -> [n, features, 1] */
  | { type: 'expand' }
  | { type: 'flatten' };

/** A parameter tensor: name, shape, and whether it trains (batch-norm running statistics do not). */
export interface ParamSpec {
  name: string;
  shape: number[];
  trainable: boolean;
  /** L2 regularisation applies (weights and kernels, not biases or batch-norm terms) */
  decay: boolean;
}

export interface NeuralArch {
  kind: NeuralKind;
  nInputs: number;
  /** classes (softmax output) or nInputs (autoencoder reconstruction) */
  nOutputs: number;
  layers: LayerSpec[];
  /** in the order of `layers`; layer i's parameters are named `l<i>.<what>` */
  params: ParamSpec[];
  /** 'softmax': cross-entropy over classes; 'reconstruction': mean squared error against the input */
  loss: 'softmax' | 'reconstruction';
}

export interface NeuralHyperParams {
  units: number;
  layers: number;
  filters: number;
  dropout: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  lrSchedule: 'constant' | 'plateau' | 'cosine';
  /** early stopping: epochs without validation improvement (0 = off) */
  patience: number;
  weightDecay: number;
  batchNorm: boolean;
  seed: number;
}

export interface NeuralHistoryPoint {
  round: number;
  train: number;
  valid?: number;
  learningRate: number;
  seconds: number;
}

export interface TrainedNeuralModel {
  kind: NeuralKind;
  family: 'neural';
  params: Record<string, number | string | boolean>;
  nFeatures: number;
  /** classifiers: classes; autoencoder: 2 ([normal, anomaly]) */
  nClasses: number;
  arch: NeuralArch;
  /** one array per arch.params entry, same order */
  weights: Float32Array[];
  /** 'softmax' classifiers; 'anomaly' autoencoders (score from reconstruction error) */
  link: 'softmax' | 'anomaly';
  /** autoencoder: decision threshold on the anomaly score */
  threshold?: number;
  /** autoencoder: score = u / (1 + u), u = ln(1 + error / errorScale), errorScale the benign training error's median */
  errorScale?: number;
  featureImportance: Float64Array;
  history: NeuralHistoryPoint[];
  training: {
    epochsRun: number;
    bestEpoch: number;
    epochSeconds: number;
    finalLearningRate: number;
    parameters: number;
  };
}

export interface NeuralFitProgress extends FitProgress {
  batch?: { current: number; total: number };
  history?: NeuralHistoryPoint[];
}
