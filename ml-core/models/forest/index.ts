export {
  FOREST_DEFAULTS,
  resolveForestParams,
  featuresPerNode,
  type ForestParams,
  type ForestKind,
  type MaxFeatures,
  type ClassWeightMode,
} from './params.js';
export {
  fitForest,
  fitForestPart,
  combineForestParts,
  type ForestPart,
  type ForestParamsInput,
} from './forest.js';
export { type TrainedTree } from './tree-builder.js';
