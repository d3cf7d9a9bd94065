export * from './types.js';
export { DEFAULT_PREPROCESS, SchemaMismatchError, checkSchema, fitPreprocessor, transform, transformInto, type SchemaCheck } from './pipeline.js';
export { stratifiedSplit, trainValidTestSplit, stratifiedKFold, subsetByClass } from './split.js';
export { classWeights, sampleWeightsFor, randomOversample, smote, type OversampleOptions, type SmoteOptions } from './balance.js';
