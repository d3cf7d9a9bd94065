/**
 * Slow, obviously correct predictor of a 'sum' FlatForest (boosting): one row at a time, one tree
 * at a time. It serves the gbdt tests and is the reference the shared fast predictor
 * (../flat/predict.ts) can be checked against.
 */
import type { FlatForest, RowMatrix, TrainedTreeModel } from '../types.js';

/** Raw scores, row-major: out[sampleIdx * nResults + resultIdx] = base + sum of the leaf values of that slot's trees. */
export function predictRawNaive(forest: FlatForest, X: RowMatrix): Float64Array {
  if (forest.aggregate !== 'sum') throw new Error(`predictRawNaive handles 'sum' forests, got '${forest.aggregate}'`);
  if (X.nFeatures !== forest.nFeatures) throw new Error(`expected ${forest.nFeatures} features, got ${X.nFeatures}`);
  const R = forest.nResults;
  const out = new Float64Array(X.nSamples * R);
  for (let sampleIdx = 0; sampleIdx < X.nSamples; sampleIdx++) {
    const row = X.data.subarray(sampleIdx * X.nFeatures, (sampleIdx + 1) * X.nFeatures);
    for (let r = 0; r < R; r++) out[sampleIdx * R + r] = forest.base[r]!;
    for (let t = 0; t < forest.nTrees; t++) {
      let n = forest.treeRoot[t]!;
      while (forest.feature[n]! >= 0) {
        const x = row[forest.feature[n]!]!;
        n = x <= forest.threshold[n]! ? forest.left[n]! : forest.right[n]!; // NaN goes right
      }
      const slot = forest.treeResult ? forest.treeResult[t]! : 0;
      out[sampleIdx * R + slot] += forest.value[n * forest.nOutputs]!;
    }
  }
  return out;
}

/** Class probabilities, row-major out[sampleIdx * nClasses + classIdx], through the model's link. */
export function predictProbaNaive(model: TrainedTreeModel, X: RowMatrix): Float64Array {
  const raw = predictRawNaive(model.forest, X);
  const K = model.nClasses;
  const out = new Float64Array(X.nSamples * K);
  for (let i = 0; i < X.nSamples; i++) {
    if (model.link === 'sigmoid') {
      const p = 1 / (1 + Math.exp(-raw[i]!));
      out[i * 2] = 1 - p;
      out[i * 2 + 1] = p;
    } else if (model.link === 'softmax') {
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, raw[i * K + k]!);
      let sum = 0;
      for (let k = 0; k < K; k++) sum += out[i * K + k] = Math.exp(raw[i * K + k]! - max);
      for (let k = 0; k < K; k++) out[i * K + k] = out[i * K + k]! / sum;
    } else throw new Error(`predictProbaNaive handles softmax and sigmoid links, got '${model.link}'`);
  }
  return out;
}

/** Most probable class of each row. */
export function predictClassNaive(model: TrainedTreeModel, X: RowMatrix): Int32Array {
  const proba = predictProbaNaive(model, X);
  const K = model.nClasses;
  const out = new Int32Array(X.nSamples);
  for (let i = 0; i < X.nSamples; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (proba[i * K + k]! > proba[i * K + best]!) best = k;
    out[i] = best;
  }
  return out;
}
