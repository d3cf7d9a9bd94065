/**
 * The slow, obviously correct Shapley values of a tree ensemble that ./tree-shap.ts is tested
 * against: every coalition S of the features is enumerated (2^nFeatures of them, so only for
 * small models), its value is the path-dependent expectation E[f(x) | x_S] (at a split on a
 * feature in S follow the row, else average both children weighted by their share of the node's
 * cover), and each feature gets the Shapley-weighted sum of its marginal contributions.
 */
import type { FlatForest, TrainedTreeModel } from '../models/types.js';
import { coverRatio, outputSpec, type TreeOutputSpec, type TreeShapResult } from './tree-shap.js';

/** Most features the reference enumerates coalitions of. */
export const REFERENCE_MAX_FEATURES = 16;

function conditional(f: FlatForest, spec: TreeOutputSpec, x: Float32Array, inS: Uint8Array, n: number, depth: number): number {
  const feat = f.feature[n]!;
  if (feat < 0) {
    const v = f.value[n * f.nOutputs + spec.slot]!;
    return spec.addDepth ? depth + v : v;
  }
  const l = f.left[n]!;
  const r = f.right[n]!;
  if (inS[feat]) return conditional(f, spec, x, inS, x[feat]! <= f.threshold[n]! ? l : r, depth + 1);
  return coverRatio(f.cover!, n, l) * conditional(f, spec, x, inS, l, depth + 1) + coverRatio(f.cover!, n, r) * conditional(f, spec, x, inS, r, depth + 1);
}

/** Value of coalition `inS` (1 = feature known): offset + sum over trees of scale × E[leaf | x_S]. */
export function coalitionValue(model: TrainedTreeModel, x: Float32Array, classIdx: number, inS: Uint8Array): number {
  const spec = outputSpec(model, classIdx);
  const f = model.forest;
  let v = spec.offset;
  for (let t = 0; t < f.nTrees; t++) {
    const s = spec.treeScale[t]!;
    if (s !== 0) v += s * conditional(f, spec, x, inS, f.treeRoot[t]!, 0);
  }
  return v;
}

/** Shapley values by enumerating every coalition (nFeatures <= REFERENCE_MAX_FEATURES). */
export function bruteForceShapley(model: TrainedTreeModel, x: Float32Array, classIdx: number): TreeShapResult {
  const M = model.forest.nFeatures;
  if (M > REFERENCE_MAX_FEATURES) throw new RangeError(`the brute-force reference enumerates 2^${M} coalitions; use at most ${REFERENCE_MAX_FEATURES} features`);
  const spec = outputSpec(model, classIdx);
  const nSets = 1 << M;
  const value = new Float64Array(nSets);
  const inS = new Uint8Array(M);
  for (let mask = 0; mask < nSets; mask++) {
    for (let j = 0; j < M; j++) inS[j] = (mask >> j) & 1;
    value[mask] = coalitionValue(model, x, classIdx, inS);
  }
  // weight of a coalition of size s not holding i: s! (M - s - 1)! / M!
  const fact = new Float64Array(M + 1);
  fact[0] = 1;
  for (let k = 1; k <= M; k++) fact[k] = fact[k - 1]! * k;
  const phi = new Float64Array(M);
  for (let mask = 0; mask < nSets; mask++) {
    let s = 0;
    for (let j = 0; j < M; j++) s += (mask >> j) & 1;
    for (let i = 0; i < M; i++) {
      if ((mask >> i) & 1) continue;
      const w = (fact[s]! * fact[M - s - 1]!) / fact[M]!;
      phi[i]! += w * (value[mask | (1 << i)]! - value[mask]!);
    }
  }
  return { base: value[0]!, values: phi, output: value[nSets - 1]!, outputName: spec.outputName };
}
