/**
 * Grows one classification tree (extra-trees random splits or random-forest best splits) on a
 * column-major training matrix, depth first with an explicit stack, the way scikit-learn's
 * DepthFirstTreeBuilder + RandomSplitter / BestSplitter do.
 *
 * Node samples live in one Int32Array `idx` partitioned in place; `ys` (class) and `ws` (weight)
 * are kept in the same order so the counting loops read them contiguously. One builder is
 * reused for every tree of a part: its scratch arrays are sized once to the training set.
 */
import type { Rng } from '../../rng.js';
import type { ColMatrix } from '../types.js';

/** Values closer than this count as equal (scikit-learn's FEATURE_THRESHOLD). */
export const FEATURE_THRESHOLD = 1e-7;
/** A node whose impurity is at most this is pure (scikit-learn's EPSILON). */
const EPSILON = 2.220446049250313e-16;

/**
 * One trained tree. Nodes are in depth-first preorder, so an internal node's left child is
 * node + 1. Node n: feature[n] (-1 on leaves), threshold[n] (left when x <= threshold, NaN right),
 * left[n] / right[n] (-1 on leaves), value[n * nClasses + c] (weighted class fraction of the
 * node's training samples, on every node), cover[n] (weighted training samples in the node).
 */
export interface TrainedTree {
  nNodes: number;
  feature: Int32Array;
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  value: Float32Array;
  cover: Float32Array;
  /** MDI importance per feature (weighted impurity decrease), normalised to sum 1 (all 0 for a stump) */
  importance: Float64Array;
}

export interface TreeConfig {
  splitter: 'random' | 'best';
  criterion: 'gini' | 'entropy';
  /** features to visit per node (non-constant ones, as scikit-learn counts them) */
  maxFeatures: number;
  /** 0 = unlimited */
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  nClasses: number;
}

/** Largest node that the packed-key sort handles (local index in 21 bits). */
const PACKED_SORT_MAX = 1 << 21;
const TWO21 = 2097152;

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** Order-preserving uint32 key of a float32 (negative values flipped). */
function orderKey(v: number): number {
  f32Scratch[0] = v;
  const b = u32Scratch[0]!;
  return b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
}

export class TreeBuilder {
  private readonly data: Float32Array;
  private readonly nSamples: number;
  private readonly nFeatures: number;
  private readonly y: Int32Array;
  private readonly cfg: TreeConfig;
  private readonly gini: boolean;

  // per-sample scratch, in node order: idx = sample index, ys = class, ws = weight
  private idx: Int32Array;
  private ys: Int32Array;
  private ws: Float64Array;
  private xs: Float32Array;
  private xsBest: Float32Array;
  private sortKeys: Float64Array | null = null;
  private sortPerm: Int32Array | null = null;

  // per-class scratch
  private readonly cnt: Float64Array;
  private readonly cntL: Float64Array;
  private readonly cntR: Float64Array;

  // feature bookkeeping (scikit-learn's features / constant_features)
  private readonly features: Int32Array;
  private readonly constFeatures: Int32Array;

  // growing tree; stack entries: [start, end, depth, parent, isLeft, nConstant]
  private cap = 0;
  private nNodes = 0;
  private feature = new Int32Array(0);
  private threshold = new Float32Array(0);
  private left = new Int32Array(0);
  private right = new Int32Array(0);
  private value = new Float32Array(0);
  private cover = new Float32Array(0);
  private stack = new Int32Array(6 * 64);
  private importance: Float64Array;

  // result of the last split search
  private splitFeature = -1;
  private splitThreshold = 0;
  private splitPos = 0;
  private splitNConst = 0;

  constructor(X: ColMatrix, y: Int32Array, cfg: TreeConfig) {
    this.data = X.data;
    this.nSamples = X.nSamples;
    this.nFeatures = X.nFeatures;
    this.y = y;
    this.cfg = cfg;
    this.gini = cfg.criterion === 'gini';
    const n = X.nSamples;
    this.idx = new Int32Array(n);
    this.ys = new Int32Array(n);
    this.ws = new Float64Array(n);
    this.xs = new Float32Array(n);
    this.xsBest = new Float32Array(n);
    const k = cfg.nClasses;
    this.cnt = new Float64Array(k);
    this.cntL = new Float64Array(k);
    this.cntR = new Float64Array(k);
    this.features = new Int32Array(this.nFeatures);
    this.constFeatures = new Int32Array(this.nFeatures);
    this.importance = new Float64Array(this.nFeatures);
    this.grow(1024);
  }

  private grow(minCap: number): void {
    let cap = Math.max(this.cap * 2, 1024);
    while (cap < minCap) cap *= 2;
    const k = this.cfg.nClasses;
    const g32 = <T extends Int32Array | Float32Array>(old: T, make: (n: number) => T, per = 1): T => {
      const a = make(cap * per);
      a.set(old.subarray(0, this.nNodes * per));
      return a;
    };
    this.feature = g32(this.feature, (m) => new Int32Array(m));
    this.threshold = g32(this.threshold, (m) => new Float32Array(m));
    this.left = g32(this.left, (m) => new Int32Array(m));
    this.right = g32(this.right, (m) => new Int32Array(m));
    this.value = g32(this.value, (m) => new Float32Array(m), k);
    this.cover = g32(this.cover, (m) => new Float32Array(m));
    this.cap = cap;
  }

  /**
   * Grows a tree on the samples `rows` (each with weight `weights[row]`, or 1 when null; rows
   * with weight 0 should be left out by the caller). Random draws come from `rng` in a fixed
   * order, so the same rng state gives the same tree.
   */
  build(rows: Int32Array, weights: Float64Array | Float32Array | null, rng: Rng): TrainedTree {
    const n = rows.length;
    if (n === 0) throw new RangeError('cannot grow a tree on zero samples');
    const { idx, ys, ws, y } = this;
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      idx[i] = r;
      ys[i] = y[r]!;
      ws[i] = weights ? weights[r]! : 1;
    }
    const unit = weights === null;
    const nF = this.nFeatures;
    for (let f = 0; f < nF; f++) this.features[f] = f;
    this.importance.fill(0);
    this.nNodes = 0;

    const { cfg, cnt } = this;
    const k = cfg.nClasses;
    const maxDepth = cfg.maxDepth > 0 ? cfg.maxDepth : 0x7fffffff;
    let sp = 0;
    this.stack[0] = 0;
    this.stack[1] = n;
    this.stack[2] = 0;
    this.stack[3] = -1;
    this.stack[4] = 0;
    this.stack[5] = 0;
    sp = 1;
    while (sp > 0) {
      sp--;
      const s = this.stack;
      const o = sp * 6;
      const start = s[o]!;
      const end = s[o + 1]!;
      const depth = s[o + 2]!;
      const parent = s[o + 3]!;
      const isLeft = s[o + 4]!;
      const nConst = s[o + 5]!;

      if (this.nNodes >= this.cap) this.grow(this.nNodes + 1);
      const node = this.nNodes++;
      if (parent >= 0) {
        if (isLeft) this.left[parent] = node;
        else this.right[parent] = node;
      }

      // class counts, weight and impurity of the node
      cnt.fill(0);
      let w = 0;
      if (unit) {
        for (let i = start; i < end; i++) cnt[ys[i]!]! += 1;
        w = end - start;
      } else {
        for (let i = start; i < end; i++) cnt[ys[i]!]! += ws[i]!;
        for (let c = 0; c < k; c++) w += cnt[c]!;
      }
      const imp = this.impurity(cnt, w);
      const vo = node * k;
      const inv = w > 0 ? 1 / w : 0;
      for (let c = 0; c < k; c++) this.value[vo + c] = cnt[c]! * inv;
      this.cover[node] = w;
      if (parent >= 0) this.importance[this.feature[parent]!]! -= w * imp;

      const nNode = end - start;
      let leaf =
        depth >= maxDepth || nNode < cfg.minSamplesSplit || nNode < 2 * cfg.minSamplesLeaf || imp <= EPSILON;
      if (!leaf) {
        if (cfg.splitter === 'random') this.randomSplit(start, end, nConst, rng, unit);
        else this.bestSplit(start, end, nConst, rng, w);
        leaf = this.splitFeature < 0;
      }
      if (leaf) {
        this.feature[node] = -1;
        this.threshold[node] = 0;
        this.left[node] = -1;
        this.right[node] = -1;
        continue;
      }
      const f = this.splitFeature;
      this.feature[node] = f;
      this.threshold[node] = this.splitThreshold;
      this.importance[f]! += w * imp;
      const pos = this.splitPos;
      const childConst = this.splitNConst;
      if ((sp + 2) * 6 > this.stack.length) {
        const bigger = new Int32Array(this.stack.length * 2);
        bigger.set(this.stack);
        this.stack = bigger;
      }
      const t = this.stack;
      // right first so the left child is popped next (preorder, left = node + 1)
      let q = sp * 6;
      t[q] = pos;
      t[q + 1] = end;
      t[q + 2] = depth + 1;
      t[q + 3] = node;
      t[q + 4] = 0;
      t[q + 5] = childConst;
      q += 6;
      t[q] = start;
      t[q + 1] = pos;
      t[q + 2] = depth + 1;
      t[q + 3] = node;
      t[q + 4] = 1;
      t[q + 5] = childConst;
      sp += 2;
    }
    return this.finish();
  }

  private finish(): TrainedTree {
    const m = this.nNodes;
    const k = this.cfg.nClasses;
    const importance = new Float64Array(this.nFeatures);
    const rootW = this.cover[0]!;
    let sum = 0;
    if (m > 1 && rootW > 0) {
      for (let f = 0; f < this.nFeatures; f++) {
        const v = Math.max(0, this.importance[f]! / rootW);
        importance[f] = v;
        sum += v;
      }
      if (sum > 0) for (let f = 0; f < this.nFeatures; f++) importance[f]! /= sum;
      else importance.fill(0);
    }
    return {
      nNodes: m,
      feature: this.feature.slice(0, m),
      threshold: this.threshold.slice(0, m),
      left: this.left.slice(0, m),
      right: this.right.slice(0, m),
      value: this.value.slice(0, m * k),
      cover: this.cover.slice(0, m),
      importance,
    };
  }

  private impurity(counts: Float64Array, w: number): number {
    if (w <= 0) return 0;
    const k = this.cfg.nClasses;
    if (this.gini) {
      let sq = 0;
      for (let c = 0; c < k; c++) {
        const p = counts[c]! / w;
        sq += p * p;
      }
      return 1 - sq;
    }
    let h = 0;
    for (let c = 0; c < k; c++) {
      const cc = counts[c]!;
      if (cc > 0) {
        const p = cc / w;
        h -= p * Math.log2(p);
      }
    }
    return h;
  }

  /** scikit-learn's proxy_impurity_improvement for a split into counts L and R (larger is better). */
  private proxy(cL: Float64Array, cR: Float64Array): number {
    const k = this.cfg.nClasses;
    let wL = 0;
    let wR = 0;
    if (this.gini) {
      let sqL = 0;
      let sqR = 0;
      for (let c = 0; c < k; c++) {
        const l = cL[c]!;
        const r = cR[c]!;
        wL += l;
        wR += r;
        sqL += l * l;
        sqR += r * r;
      }
      return sqL / wL + sqR / wR;
    }
    let eL = 0;
    let eR = 0;
    for (let c = 0; c < k; c++) {
      const l = cL[c]!;
      const r = cR[c]!;
      wL += l;
      wR += r;
      if (l > 0) eL += l * Math.log(l);
      if (r > 0) eR += r * Math.log(r);
    }
    return eL - wL * Math.log(wL) + eR - wR * Math.log(wR);
  }

  /** Gathers feature f of the node's samples into xs[start, end) and their min / max; false when constant. */
  private gather(f: number, start: number, end: number): boolean {
    const { data, idx, xs } = this;
    const off = f * this.nSamples;
    let mn = Infinity;
    let mx = -Infinity;
    for (let i = start; i < end; i++) {
      const v = data[off + idx[i]!]!;
      xs[i] = v;
      if (v < mn) mn = v;
      if (v > mx) mx = v;
    }
    this.gMin = mn;
    this.gMax = mx;
    return mx > mn + FEATURE_THRESHOLD;
  }
  private gMin = 0;
  private gMax = 0;

  /**
   * Extra-trees split (Geurts et al. 2006; scikit-learn RandomSplitter): features are drawn
   * without replacement until maxFeatures non-constant ones were tried; each gets one threshold
   * uniform in the node's [min, max); the best by impurity decrease wins. Leaves the samples
   * partitioned (left first) and sets splitFeature (-1 when no split), splitThreshold, splitPos.
   */
  private randomSplit(start: number, end: number, nKnownConst: number, rng: Rng, unit: boolean): void {
    const { features, cfg, cnt, cntL, cntR } = this;
    const k = cfg.nClasses;
    const minLeaf = cfg.minSamplesLeaf;
    const nNode = end - start;
    let fI = this.nFeatures;
    let nDrawnConst = 0;
    let nFoundConst = 0;
    let nTotalConst = nKnownConst;
    let nVisited = 0;
    let bestProxy = -Infinity;
    let bestF = -1;
    let bestThr = 0;
    while (fI > nTotalConst && (nVisited < cfg.maxFeatures || nVisited <= nFoundConst + nDrawnConst)) {
      nVisited++;
      let fJ = nDrawnConst + rng.int(fI - nFoundConst - nDrawnConst);
      if (fJ < nKnownConst) {
        const t = features[nDrawnConst]!;
        features[nDrawnConst] = features[fJ]!;
        features[fJ] = t;
        nDrawnConst++;
        continue;
      }
      fJ += nFoundConst;
      const f = features[fJ]!;
      if (!this.gather(f, start, end)) {
        features[fJ] = features[nTotalConst]!;
        features[nTotalConst] = f;
        nFoundConst++;
        nTotalConst++;
        continue;
      }
      fI--;
      features[fJ] = features[fI]!;
      features[fI] = f;

      const mn = this.gMin;
      const mx = this.gMax;
      let thr = Math.fround(mn + (mx - mn) * rng.next());
      if (thr >= mx) thr = mn;

      const xs = this.xs;
      const ys = this.ys;
      cntL.fill(0);
      let nL = 0;
      if (unit) {
        for (let i = start; i < end; i++) {
          if (xs[i]! <= thr) cntL[ys[i]!]! += 1;
        }
        for (let c = 0; c < k; c++) nL += cntL[c]!;
      } else {
        const ws = this.ws;
        for (let i = start; i < end; i++) {
          if (xs[i]! <= thr) {
            cntL[ys[i]!]! += ws[i]!;
            nL++;
          }
        }
      }
      if (nL < minLeaf || nNode - nL < minLeaf) continue;
      for (let c = 0; c < k; c++) cntR[c] = cnt[c]! - cntL[c]!;
      const proxy = this.proxy(cntL, cntR);
      if (proxy > bestProxy) {
        bestProxy = proxy;
        bestF = f;
        bestThr = thr;
        this.xs = this.xsBest;
        this.xsBest = xs;
      }
    }
    this.finishSplit(start, end, nKnownConst, nFoundConst, nTotalConst, bestF, bestThr);
  }

  /**
   * Random-forest split (scikit-learn BestSplitter): the same feature draws, each feature's
   * samples sorted, every boundary between distinct values (more than FEATURE_THRESHOLD apart)
   * tried with the threshold at the midpoint.
   */
  private bestSplit(start: number, end: number, nKnownConst: number, rng: Rng, wNode: number): void {
    const { features, cfg, cnt, cntL, cntR } = this;
    const k = cfg.nClasses;
    const minLeaf = cfg.minSamplesLeaf;
    const nNode = end - start;
    const gini = this.gini;
    let fI = this.nFeatures;
    let nDrawnConst = 0;
    let nFoundConst = 0;
    let nTotalConst = nKnownConst;
    let nVisited = 0;
    let bestProxy = -Infinity;
    let bestF = -1;
    let bestThr = 0;
    // node-level sums for the incremental criterion
    let sqNode = 0;
    let entNode = 0;
    for (let c = 0; c < k; c++) {
      const v = cnt[c]!;
      sqNode += v * v;
      if (v > 0) entNode += v * Math.log(v);
    }
    while (fI > nTotalConst && (nVisited < cfg.maxFeatures || nVisited <= nFoundConst + nDrawnConst)) {
      nVisited++;
      let fJ = nDrawnConst + rng.int(fI - nFoundConst - nDrawnConst);
      if (fJ < nKnownConst) {
        const t = features[nDrawnConst]!;
        features[nDrawnConst] = features[fJ]!;
        features[fJ] = t;
        nDrawnConst++;
        continue;
      }
      fJ += nFoundConst;
      const f = features[fJ]!;
      if (!this.gather(f, start, end)) {
        features[fJ] = features[nTotalConst]!;
        features[nTotalConst] = f;
        nFoundConst++;
        nTotalConst++;
        continue;
      }
      fI--;
      features[fJ] = features[fI]!;
      features[fI] = f;

      const order = this.sortNode(start, end);
      const xs = this.xs;
      const ys = this.ys;
      const ws = this.ws;
      cntL.fill(0);
      cntR.set(cnt);
      let wL = 0;
      let wR = wNode;
      let sqL = 0;
      let sqR = sqNode;
      let entL = 0;
      let entR = entNode;
      let featBestProxy = -Infinity;
      let featBestP = -1;
      for (let p = 0; p < nNode - 1; p++) {
        const i = start + order[p]!;
        const c = ys[i]!;
        const wi = ws[i]!;
        const l = cntL[c]!;
        const r = cntR[c]!;
        if (gini) {
          sqL += wi * (2 * l + wi);
          sqR += wi * (wi - 2 * r);
        } else {
          entL += (l + wi) * Math.log(l + wi) - (l > 0 ? l * Math.log(l) : 0);
          const r2 = r - wi;
          entR += (r2 > 0 ? r2 * Math.log(r2) : 0) - r * Math.log(r);
        }
        cntL[c] = l + wi;
        cntR[c] = r - wi;
        wL += wi;
        wR -= wi;
        const xa = xs[i]!;
        const xb = xs[start + order[p + 1]!]!;
        if (!(xb > xa + FEATURE_THRESHOLD)) continue;
        const nL = p + 1;
        if (nL < minLeaf || nNode - nL < minLeaf) continue;
        const proxy = gini ? sqL / wL + sqR / wR : entL - wL * Math.log(wL) + entR - wR * Math.log(wR);
        if (proxy > featBestProxy) {
          featBestProxy = proxy;
          featBestP = p;
        }
      }
      if (featBestP >= 0 && featBestProxy > bestProxy) {
        const xa = xs[start + order[featBestP]!]!;
        const xb = xs[start + order[featBestP + 1]!]!;
        let thr = Math.fround(xa / 2 + xb / 2);
        if (thr >= xb || !Number.isFinite(thr)) thr = xa;
        bestProxy = featBestProxy;
        bestF = f;
        bestThr = thr;
        this.xs = this.xsBest;
        this.xsBest = xs;
      }
    }
    this.finishSplit(start, end, nKnownConst, nFoundConst, nTotalConst, bestF, bestThr);
  }

  /** Positions (relative to start) of the node's samples sorted by xs (ties in any order). */
  private sortNode(start: number, end: number): Int32Array {
    const n = end - start;
    if (!this.sortPerm || this.sortPerm.length < n) this.sortPerm = new Int32Array(Math.max(n, 256));
    const perm = this.sortPerm;
    const xs = this.xs;
    if (n <= PACKED_SORT_MAX) {
      if (!this.sortKeys || this.sortKeys.length < n) this.sortKeys = new Float64Array(Math.max(n, 256));
      const keys = this.sortKeys.subarray(0, n);
      for (let i = 0; i < n; i++) keys[i] = orderKey(xs[start + i]!) * TWO21 + i;
      keys.sort();
      for (let i = 0; i < n; i++) perm[i] = keys[i]! % TWO21;
      return perm;
    }
    for (let i = 0; i < n; i++) perm[i] = i;
    const sub = perm.subarray(0, n);
    sub.sort((a, b) => {
      const va = xs[start + a]!;
      const vb = xs[start + b]!;
      return va < vb ? -1 : va > vb ? 1 : a - b;
    });
    return perm;
  }

  /** Partitions the node by the chosen split and restores scikit-learn's constant-feature invariant. */
  private finishSplit(
    start: number,
    end: number,
    nKnownConst: number,
    nFoundConst: number,
    nTotalConst: number,
    bestF: number,
    bestThr: number,
  ): void {
    const { features, constFeatures } = this;
    for (let i = 0; i < nKnownConst; i++) features[i] = constFeatures[i]!;
    for (let i = 0; i < nFoundConst; i++) constFeatures[nKnownConst + i] = features[nKnownConst + i]!;
    this.splitFeature = bestF;
    this.splitNConst = nTotalConst;
    if (bestF < 0) return;
    this.splitThreshold = bestThr;
    const { idx, ys, ws } = this;
    const xb = this.xsBest;
    let p = start;
    let e = end;
    while (p < e) {
      if (xb[p]! <= bestThr) p++;
      else {
        e--;
        const ti = idx[p]!;
        idx[p] = idx[e]!;
        idx[e] = ti;
        const ty = ys[p]!;
        ys[p] = ys[e]!;
        ys[e] = ty;
        const tw = ws[p]!;
        ws[p] = ws[e]!;
        ws[e] = tw;
        const tx = xb[p]!;
        xb[p] = xb[e]!;
        xb[e] = tx;
      }
    }
    this.splitPos = p;
  }
}

/** Leaf reached by column-major sample `row` in `tree` (NaN goes right). */
export function treeLeaf(tree: TrainedTree, X: ColMatrix, row: number): number {
  let node = 0;
  for (;;) {
    const f = tree.feature[node]!;
    if (f < 0) return node;
    const v = X.data[f * X.nSamples + row]!;
    node = v <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  }
}
