export * from './types.js';
export { confusionMatrix, classificationMetrics } from './classification.js';
export { rocCurve, prCurve, rocAuc, averagePrecision, curveSets, sortFloat32, MAX_CLASS_CURVES } from './curves.js';
export { thresholdForFpr, thresholdForBudget, nextUpFloat32 } from './threshold.js';
