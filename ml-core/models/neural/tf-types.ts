/**
 * The TensorFlow.js surface the neural models use, as a type only: ml-core never loads
 * TensorFlow.js itself. The backend picks and initialises a backend (tfjs-node-gpu, tfjs-node,
 * WebAssembly, plain JavaScript) and hands the namespace in.
 */
import type * as TfNamespace from '@tensorflow/tfjs';

export type Tf = typeof TfNamespace;
export type Tensor = TfNamespace.Tensor;
export type Tensor1D = TfNamespace.Tensor1D;
export type Tensor2D = TfNamespace.Tensor2D;
export type Tensor3D = TfNamespace.Tensor3D;
