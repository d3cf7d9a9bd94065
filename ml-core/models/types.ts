/**
 * Shared shapes of the model families. Training data is column-major (binning and split search
 * walk one feature at a time); prediction input is row-major (a tree walk reads one row's
 * features). Preprocessing (ml-core/preprocess) produces the column-major matrix; `toRowMajor`
 * in ./matrix.ts transposes it.
 */

export type TreeModelKind = 'isolation-forest' | 'extra-trees' | 'random-forest' | 'gradient-boosting';

/** Column-major: data[featureIdx * nSamples + sampleIdx]. */
export interface ColMatrix {
  data: Float32Array;
  nSamples: number;
  nFeatures: number;
}

/** Row-major: data[sampleIdx * nFeatures + featureIdx]. */
export interface RowMatrix {
  data: Float32Array;
  nSamples: number;
  nFeatures: number;
}

/** A supervised training set. y holds class indices 0..nClasses-1. */
export interface TrainSet {
  X: ColMatrix;
  y: Int32Array;
  nClasses: number;
  /** optional per-sample weights (class weights are folded in here by the caller) */
  sampleWeight?: Float32Array;
}

export interface FitProgress {
  /** 'binning' | 'trees' | 'boosting' | ... */
  phase: string;
  current: number;
  total: number;
  /** live validation metric (boosting: validation loss per round) */
  metric?: { name: string; value: number };
}

/** How a fit reports progress and learns it must stop. */
export interface FitControl {
  onProgress?(p: FitProgress): void;
  /** polled between trees / rounds; when it returns true the fit throws FitCancelled */
  isCancelled?(): boolean;
}

export class FitCancelled extends Error {
  constructor() {
    super('training was cancelled');
    this.name = 'FitCancelled';
  }
}

/**
 * A trained tree ensemble in flat arrays: every model family ends as one of these, and one
 * predictor (./flat/predict.ts) serves them all.
 *
 * Node n of the whole forest: feature[n] (-1 for a leaf), threshold[n] (go left when
 * x <= threshold; NaN goes right), left[n] / right[n] (absolute node indices),
 * value[n * nOutputs .. + nOutputs) (leaf output; unused on internal nodes).
 */
export interface FlatForest {
  nFeatures: number;
  /** values per leaf: nClasses for 'mean' forests, 1 for boosting trees and isolation trees */
  nOutputs: number;
  /** outputs of the whole forest: nClasses ('mean'), nClasses or 1 ('sum'), 1 ('isolation') */
  nResults: number;
  nTrees: number;
  /** root node index of each tree */
  treeRoot: Int32Array;
  /** 'sum' forests: the result slot each tree adds to (boosting: class of the tree); else null */
  treeResult: Int32Array | null;
  feature: Int32Array;
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  value: Float32Array;
  /**
   * mean: result = average over trees of the leaf's value vector (random forest class probabilities)
   * sum: result = base + sum of leaf values per result slot (boosting raw scores)
   * isolation: result = 2^(-mean(path length incl. leaf value correction) / c(subsample))
   */
  aggregate: 'mean' | 'sum' | 'isolation';
  /** 'sum': initial raw score per result slot; 'isolation': [c(subsampleSize)]; else empty */
  base: Float32Array;
  /** optional: weighted training samples that reached each node (path-dependent tree explainers use it) */
  cover?: Float32Array;
}

/** Raw output → class probabilities. */
export type OutputLink = 'identity' | 'softmax' | 'sigmoid' | 'anomaly';

/** A trained model as the rest of the app sees it: the forest plus what it means. */
export interface TrainedTreeModel {
  kind: TreeModelKind;
  /** the parameters actually used, defaults filled in */
  params: Record<string, number | string | boolean>;
  nFeatures: number;
  /** number of classes the model outputs probabilities for (isolation forest: 2, [normal, anomaly]) */
  nClasses: number;
  forest: FlatForest;
  /**
   * identity: results are probabilities ('mean' forests)
   * softmax: results are nClasses raw scores; sigmoid: one raw score for class 1 (binary boosting)
   * anomaly: one anomaly score in (0,1); class 1 when score >= threshold
   */
  link: OutputLink;
  /** anomaly models: decision threshold on the anomaly score */
  threshold?: number;
  /** importance per feature, sums to 1 (0 everywhere when no split was made) */
  featureImportance: Float64Array;
  /** random forest / extra trees with bootstrap: out-of-bag accuracy */
  oobScore?: number;
  /** boosting: per-round training and validation loss; best round kept after early stopping */
  history?: Array<{ round: number; train: number; valid?: number }>;
}
