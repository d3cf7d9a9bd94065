/** Histogram gradient-boosting classifier: public surface. */
export { fitGbdt } from './gbdt.js';
export { GBDT_DEFAULTS, resolveGbdtParams, type GbdtGrowth, type GbdtParams } from './params.js';
export { buildTree, leafOf, TreeScratch, type GrownTree, type TreeData, type TreeParams } from './tree.js';
export { predictClassNaive, predictProbaNaive, predictRawNaive } from './predict-naive.js';
