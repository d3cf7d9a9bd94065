/**
 * The obviously correct forest predictor: one row at a time, one tree at a time, straight from
 * the FlatForest arrays. The fast kernels in ./predict.ts are tested against it bit for bit.
 */
import type { FlatForest, RowMatrix } from '../types.js';

/** Leaf of tree `t` reached by row-major sample `row` (x <= threshold goes left; NaN goes right) and its depth. */
export function leafOf(forest: FlatForest, t: number, X: RowMatrix, row: number): { leaf: number; depth: number } {
  let node = forest.treeRoot[t]!;
  let depth = 0;
  const base = row * X.nFeatures;
  while (forest.feature[node]! >= 0) {
    const x = X.data[base + forest.feature[node]!]!;
    node = x <= forest.threshold[node]! ? forest.left[node]! : forest.right[node]!;
    depth++;
  }
  return { leaf: node, depth };
}

/**
 * Raw forest output for rows [rowStart, rowEnd) of X, row-major (rowEnd - rowStart) × nResults:
 * - mean: sum over trees (in tree order, float64) of the leaf value vectors, divided by nTrees
 * - sum: base[slot] + sum over trees (in tree order, float64) of value[leaf * nOutputs] into slot treeResult[t]
 * - isolation: 2^(-(sum over trees of depth + value[leaf]) / nTrees / base[0])
 */
export function forestRawNaive(forest: FlatForest, X: RowMatrix, rowStart = 0, rowEnd = X.nSamples): Float32Array {
  const { nTrees, nResults, nOutputs, value } = forest;
  const n = rowEnd - rowStart;
  const out = new Float32Array(n * nResults);
  const acc = new Float64Array(nResults);
  for (let r = 0; r < n; r++) {
    const row = rowStart + r;
    if (forest.aggregate === 'sum') for (let j = 0; j < nResults; j++) acc[j] = forest.base[j]!;
    else acc.fill(0);
    for (let t = 0; t < nTrees; t++) {
      const { leaf, depth } = leafOf(forest, t, X, row);
      if (forest.aggregate === 'mean') {
        for (let j = 0; j < nResults; j++) acc[j]! += value[leaf * nOutputs + j]!;
      } else if (forest.aggregate === 'sum') {
        const slot = forest.treeResult ? forest.treeResult[t]! : 0;
        acc[slot]! += value[leaf * nOutputs]!;
      } else {
        acc[0]! += depth + value[leaf * nOutputs]!;
      }
    }
    for (let j = 0; j < nResults; j++) {
      let v = acc[j]!;
      if (forest.aggregate === 'mean') v /= nTrees;
      else if (forest.aggregate === 'isolation') v = Math.pow(2, -(v / nTrees) / forest.base[0]!);
      out[r * nResults + j] = v;
    }
  }
  return out;
}
