export {
  ISOLATION_DEFAULTS,
  resolveIsolationParams,
  averagePathLength,
  isolationSubsample,
  fitIsolationForest,
  fitIsolationPart,
  combineIsolationParts,
  setAnomalyThreshold,
  type IsolationParams,
  type IsolationPart,
  type IsolationTree,
} from './isolation.js';
