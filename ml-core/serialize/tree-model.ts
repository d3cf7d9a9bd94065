/**
 * TrainedTreeModel <-> model file content (manifest + arrays). Every tree family (forests,
 * boosting, isolation forest) round-trips bit for bit: the arrays are stored as they are.
 * The caller may add its own fields to the manifest (feature schema, preprocessing) before
 * encoding; treeModelFromFile ignores what it does not know.
 */
import { packForest } from '../models/flat/pack.js';
import type { FlatForest, OutputLink, TrainedTreeModel, TreeModelKind } from '../models/types.js';
import { ModelFileError, decodeModelFile, encodeModelFile, type ModelArray, type ModelFileContent } from './model-file.js';

/** manifest.type of a tree model */
export const TREE_MODEL_TYPE = 'tree-model';
/** Version of the tree-model manifest layout (inside format version 1 files). */
export const TREE_MODEL_VERSION = 1;

const KINDS: readonly TreeModelKind[] = ['isolation-forest', 'extra-trees', 'random-forest', 'gradient-boosting'];
const LINKS: readonly OutputLink[] = ['identity', 'softmax', 'sigmoid', 'anomaly'];
const AGGREGATES: readonly FlatForest['aggregate'][] = ['mean', 'sum', 'isolation'];

/** Manifest and arrays of a tree model, ready for encodeModelFile. */
export function treeModelToFile(model: TrainedTreeModel): { manifest: Record<string, unknown>; arrays: Record<string, ModelArray> } {
  const f = model.forest;
  const manifest: Record<string, unknown> = {
    type: TREE_MODEL_TYPE,
    version: TREE_MODEL_VERSION,
    kind: model.kind,
    params: model.params,
    nFeatures: model.nFeatures,
    nClasses: model.nClasses,
    link: model.link,
    forest: { nFeatures: f.nFeatures, nOutputs: f.nOutputs, nResults: f.nResults, nTrees: f.nTrees, aggregate: f.aggregate },
  };
  if (model.threshold !== undefined) manifest.threshold = model.threshold;
  if (model.oobScore !== undefined) manifest.oobScore = model.oobScore;
  if (model.history !== undefined) manifest.history = model.history;
  const arrays: Record<string, ModelArray> = {
    treeRoot: f.treeRoot,
    feature: f.feature,
    threshold: f.threshold,
    left: f.left,
    right: f.right,
    value: f.value,
    base: f.base,
    featureImportance: model.featureImportance,
  };
  if (f.treeResult) arrays.treeResult = f.treeResult;
  if (f.cover) arrays.cover = f.cover;
  return { manifest, arrays };
}

function bad(message: string): never {
  throw new ModelFileError(`invalid tree model: ${message}`);
}

function int(v: unknown, name: string, min = 0): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) bad(`${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return v;
}

function arr<T extends ModelArray>(arrays: Record<string, ModelArray>, name: string, ctor: abstract new (...a: never[]) => T, length?: number): T {
  const a = arrays[name];
  if (!(a instanceof ctor)) bad(`array '${name}' is missing or has the wrong type`);
  if (length !== undefined && a.length !== length) bad(`array '${name}' has ${a.length} values, expected ${length}`);
  return a as T;
}

/** Rebuilds a TrainedTreeModel from decoded file content, checking every shape and index. */
export function treeModelFromFile(content: ModelFileContent): TrainedTreeModel {
  const { manifest: m, arrays } = content;
  if (m.type !== TREE_MODEL_TYPE) bad(`manifest type is ${JSON.stringify(m.type)}, expected '${TREE_MODEL_TYPE}'`);
  const version = int(m.version, 'version', 1);
  if (version > TREE_MODEL_VERSION) {
    throw new ModelFileError(`this tree model uses layout version ${version}, newer than the ${TREE_MODEL_VERSION} this version of Flowsight reads; update Flowsight to open it`);
  }
  if (!KINDS.includes(m.kind as TreeModelKind)) bad(`unknown kind ${JSON.stringify(m.kind)}`);
  if (!LINKS.includes(m.link as OutputLink)) bad(`unknown link ${JSON.stringify(m.link)}`);
  const fm = m.forest as Record<string, unknown> | undefined;
  if (!fm || typeof fm !== 'object') bad('the manifest has no forest description');
  if (!AGGREGATES.includes(fm.aggregate as FlatForest['aggregate'])) bad(`unknown aggregate ${JSON.stringify(fm.aggregate)}`);
  const nFeatures = int(m.nFeatures, 'nFeatures', 1);
  const nClasses = int(m.nClasses, 'nClasses', 1);
  if (int(fm.nFeatures, 'forest.nFeatures', 1) !== nFeatures) bad('forest.nFeatures differs from nFeatures');
  const nOutputs = int(fm.nOutputs, 'forest.nOutputs', 1);
  const nResults = int(fm.nResults, 'forest.nResults', 1);
  const nTrees = int(fm.nTrees, 'forest.nTrees', 1);
  const params = m.params;
  if (!params || typeof params !== 'object' || Array.isArray(params)) bad('params must be an object');

  const feature = arr(arrays, 'feature', Int32Array);
  const nNodes = feature.length;
  const forest: FlatForest = {
    nFeatures,
    nOutputs,
    nResults,
    nTrees,
    treeRoot: arr(arrays, 'treeRoot', Int32Array, nTrees),
    treeResult: arrays.treeResult ? arr(arrays, 'treeResult', Int32Array, nTrees) : null,
    feature,
    threshold: arr(arrays, 'threshold', Float32Array, nNodes),
    left: arr(arrays, 'left', Int32Array, nNodes),
    right: arr(arrays, 'right', Int32Array, nNodes),
    value: arr(arrays, 'value', Float32Array, nNodes * nOutputs),
    aggregate: fm.aggregate as FlatForest['aggregate'],
    base: arr(arrays, 'base', Float32Array),
  };
  if (arrays.cover) forest.cover = arr(arrays, 'cover', Float32Array, nNodes);
  if (forest.aggregate === 'mean' && nOutputs < nResults) bad(`a 'mean' forest needs nOutputs >= nResults`);
  if (forest.aggregate === 'sum' && forest.base.length !== nResults) bad(`a 'sum' forest needs ${nResults} base values`);
  if (forest.aggregate === 'isolation' && (forest.base.length !== 1 || nResults !== 1)) bad(`an 'isolation' forest has one result and one base value`);
  if (forest.treeResult) for (const s of forest.treeResult) if (!(s >= 0 && s < nResults)) bad(`treeResult slot ${s} is outside 0..${nResults - 1}`);
  for (let g = 0; g < nNodes; g++) {
    const f = feature[g]!;
    if (f >= nFeatures || f < -1) bad(`node ${g} splits on feature ${f} of ${nFeatures}`);
  }
  // children in range, every tree a tree (no cycles or shared nodes): the packer checks and caches
  try {
    packForest(forest);
  } catch (e) {
    bad((e as Error).message);
  }
  const model: TrainedTreeModel = {
    kind: m.kind as TreeModelKind,
    params: params as TrainedTreeModel['params'],
    nFeatures,
    nClasses,
    forest,
    link: m.link as OutputLink,
    featureImportance: arr(arrays, 'featureImportance', Float64Array, nFeatures),
  };
  if (typeof m.threshold === 'number') model.threshold = m.threshold;
  if (typeof m.oobScore === 'number') model.oobScore = m.oobScore;
  if (Array.isArray(m.history)) model.history = m.history as TrainedTreeModel['history'];
  return model;
}

/** One-call save: the model as model-file bytes (extra manifest fields, e.g. a feature schema, merged in). */
export function saveTreeModel(model: TrainedTreeModel, extra: Record<string, unknown> = {}): Uint8Array {
  const { manifest, arrays } = treeModelToFile(model);
  return encodeModelFile({ ...extra, ...manifest }, arrays);
}

/** One-call load of bytes written by saveTreeModel (or encodeModelFile(treeModelToFile(...))). */
export function loadTreeModel(bytes: Uint8Array): TrainedTreeModel {
  return treeModelFromFile(decodeModelFile(bytes));
}
