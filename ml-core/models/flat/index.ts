export {
  forestRaw,
  forestRawRange,
  predictProba,
  predictProbaRange,
  predictClass,
  predictClassRange,
  attackScore,
  attackScoreRange,
} from './predict.js';
export { forestRawNaive, leafOf } from './naive.js';
export { packForest, floatKey, thresholdKey, type PackedForest } from './pack.js';
