/**
 * A FlatForest repacked once for fast batch prediction (cached per forest object; a forest is
 * treated as immutable once it has been predicted with).
 *
 * Layout, node g of the forest is four int32 words at nodes[4g ..]: [featureIdx, threshold as an
 * order-preserving int32 key (see floatKey), 4 × left, 4 × right]; a walk carries the word offset
 * 4g, and the next offset is nodes[4g | 2 | (key > thresholdKey)]. A leaf is [0, 0, 4g, 4g]: both
 * children point back at the leaf, so a walk that reaches a leaf stays there whatever it reads,
 * and several rows can walk one tree in lockstep with no branch per row.
 */
import type { FlatForest } from '../types.js';

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** int32 key of an input value: x <= t exactly when floatKey(x) <= thresholdKey(t); NaN above everything. */
export function floatKey(v: number): number {
  if (v !== v) return 0x7fffffff;
  f32[0] = v === 0 ? 0 : v; // -0 -> +0
  const b = i32[0]!;
  return b ^ ((b >> 31) & 0x7fffffff);
}

/** int32 key of a threshold (NaN: below every input key, so everything goes right, as x <= NaN is false). */
export function thresholdKey(t: number): number {
  return t !== t ? -0x80000000 : floatKey(t);
}

export interface PackedForest {
  /** 4 int32 words per node (see the file comment) */
  nodes: Int32Array;
  /**
   * 'mean' forests: per node, the class c when the leaf's value vector is exactly one-hot at c
   * (the usual fully grown leaf), else -1 (add the whole vector)
   */
  leafClass: Int32Array;
  /** 'sum': value[g * nOutputs]; 'isolation': depth of g + value[g * nOutputs]; else empty */
  leafScalar: Float64Array;
}

const cache = new WeakMap<FlatForest, PackedForest>();

/** The packed form of `forest`, built on first use and cached. */
export function packForest(forest: FlatForest): PackedForest {
  let p = cache.get(forest);
  if (!p) {
    p = buildPacked(forest);
    cache.set(forest, p);
  }
  return p;
}

function buildPacked(forest: FlatForest): PackedForest {
  const { feature, threshold, left, right, value, nOutputs, nTrees, treeRoot } = forest;
  const nNodes = feature.length;
  if (threshold.length < nNodes || left.length < nNodes || right.length < nNodes || value.length < nNodes * nOutputs) {
    throw new RangeError('forest arrays are shorter than its node count');
  }
  if (forest.nFeatures < 1) throw new RangeError('a forest needs at least one feature');
  if (!(nTrees >= 1) || treeRoot.length < nTrees) throw new RangeError(`a forest needs at least one tree and a root per tree (nTrees ${nTrees}, ${treeRoot.length} roots)`);
  const agg = forest.aggregate;
  if (agg !== 'mean' && agg !== 'sum' && agg !== 'isolation') throw new RangeError(`unknown aggregate '${String(agg)}'`);
  if (agg === 'mean' && nOutputs < forest.nResults) throw new RangeError(`a 'mean' forest needs nOutputs (${nOutputs}) >= nResults (${forest.nResults})`);
  if (agg === 'sum' && forest.base.length < forest.nResults) throw new RangeError(`a 'sum' forest needs ${forest.nResults} base values, it has ${forest.base.length}`);
  if (agg === 'isolation' && (forest.base.length < 1 || forest.nResults !== 1)) throw new RangeError(`an 'isolation' forest has one result and base [c(subsample)]`);
  if (forest.treeResult) {
    if (forest.treeResult.length < nTrees) throw new RangeError(`treeResult has ${forest.treeResult.length} slots for ${nTrees} trees`);
    for (let t = 0; t < nTrees; t++) {
      const slot = forest.treeResult[t]!;
      if (!(slot >= 0 && slot < forest.nResults)) throw new RangeError(`tree ${t} adds into result ${slot} of ${forest.nResults}`);
    }
  }
  if (nNodes >= 0x20000000) throw new RangeError(`a forest of ${nNodes} nodes is too large to pack`);
  const nodes = new Int32Array(4 * nNodes);
  for (let g = 0; g < nNodes; g++) {
    const f = feature[g]!;
    const o = 4 * g;
    if (f < 0) {
      nodes[o + 2] = o;
      nodes[o + 3] = o;
      continue;
    }
    if (f >= forest.nFeatures) throw new RangeError(`node ${g} splits on feature ${f} of ${forest.nFeatures}`);
    const l = left[g]!;
    const r = right[g]!;
    if (!(l >= 0 && l < nNodes && r >= 0 && r < nNodes && l !== g && r !== g)) {
      throw new RangeError(`node ${g} has children ${l} / ${r} outside the forest`);
    }
    nodes[o] = f;
    nodes[o + 1] = thresholdKey(threshold[g]!);
    nodes[o + 2] = 4 * l;
    nodes[o + 3] = 4 * r;
  }
  // every tree must be a tree (each node reached once from its root): a cycle would never end a walk
  const depth = new Int32Array(nNodes);
  const seen = new Uint8Array(nNodes);
  const stack: number[] = [];
  for (let t = 0; t < nTrees; t++) {
    const root = treeRoot[t]!;
    if (!(root >= 0 && root < nNodes)) throw new RangeError(`tree ${t} has root ${root} outside the forest`);
    stack.push(root);
    depth[root] = 0;
    while (stack.length) {
      const g = stack.pop()!;
      if (seen[g]) throw new RangeError(`tree ${t} reaches node ${g} twice: not a tree`);
      seen[g] = 1;
      if (feature[g]! < 0) continue;
      depth[left[g]!] = depth[g]! + 1;
      depth[right[g]!] = depth[g]! + 1;
      stack.push(right[g]!, left[g]!);
    }
  }

  let leafClass = new Int32Array(0);
  let leafScalar = new Float64Array(0);
  if (forest.aggregate === 'mean') {
    leafClass = new Int32Array(nNodes).fill(-1);
    for (let g = 0; g < nNodes; g++) {
      if (feature[g]! >= 0) continue;
      const vo = g * nOutputs;
      let hot = -1;
      let ok = true;
      for (let c = 0; c < nOutputs; c++) {
        const v = value[vo + c]!;
        if (v === 1 && hot < 0) hot = c;
        else if (v !== 0) {
          ok = false;
          break;
        }
      }
      // adding exactly 1 to slot c equals adding the one-hot vector (the zeros change nothing)
      if (ok && hot >= 0) leafClass[g] = hot;
    }
  } else {
    leafScalar = new Float64Array(nNodes);
    for (let g = 0; g < nNodes; g++) leafScalar[g] = value[g * nOutputs]!;
    if (forest.aggregate === 'isolation') {
      // path length = depth of the leaf + its stored correction
      for (let g = 0; g < nNodes; g++) if (feature[g]! < 0) leafScalar[g] = depth[g]! + value[g * nOutputs]!;
    }
  }
  return { nodes, leafClass, leafScalar };
}
