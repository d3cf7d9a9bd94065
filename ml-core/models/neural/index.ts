export { buildArch, countParameters, hiddenWidths, initParams } from './arch.js';
export { Adam, cosineRate, PlateauSchedule } from './adam.js';
export { anomalyScore, predictNeural, reconstructionErrors, softmaxProba } from './predict.js';
export { datasetLoss, fitNeural, gradientImportance, stepFor, type NeuralData, type NeuralFitOptions, type Stepper } from './train.js';
export { autodiffStep, denseStep, isDenseArch, type StepBatch, type StepResult } from './step.js';
export { naiveForward } from './naive.js';
export type { Tf } from './tf-types.js';
export type * from './types.js';
