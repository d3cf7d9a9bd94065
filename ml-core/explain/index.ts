export { ExplanationUnavailable, treeShap, type TreeShapResult } from './tree-shap.js';
export { bruteForceShapley, REFERENCE_MAX_FEATURES } from './shapley-reference.js';
export { neuralAttribution, type NeuralAttribution } from './neural.js';
