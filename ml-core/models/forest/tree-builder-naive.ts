/**
 * The slow, obviously correct tree grower the fast TreeBuilder is tested against: recursion,
 * plain arrays of row indices (ascending), class counts recomputed from scratch for every
 * candidate split, brute-force search over every threshold for best splits. It follows the same
 * scikit-learn feature-draw rules and random draws in the same order, so on integer weights with
 * the gini criterion it grows exactly the same tree.
 */
import type { Rng } from '../../rng.js';
import type { ColMatrix } from '../types.js';
import { FEATURE_THRESHOLD, type TrainedTree, type TreeConfig } from './tree-builder.js';

interface Node {
  feature: number;
  threshold: number;
  left: Node | null;
  right: Node | null;
  counts: number[];
  w: number;
  impurity: number;
}

export function buildTreeNaive(X: ColMatrix, y: Int32Array, rows: Int32Array, weights: ArrayLike<number> | null, cfg: TreeConfig, rng: Rng): TrainedTree {
  const k = cfg.nClasses;
  const nF = X.nFeatures;
  const x = (f: number, r: number): number => X.data[f * X.nSamples + r]!;
  const wOf = (r: number): number => (weights ? weights[r]! : 1);
  const features = Array.from({ length: nF }, (_, f) => f);
  const constFeatures = new Array<number>(nF).fill(0);
  const maxDepth = cfg.maxDepth > 0 ? cfg.maxDepth : Infinity;

  const countsOf = (rs: number[]): number[] => {
    const c = new Array<number>(k).fill(0);
    // per class, rows ascending (the order the fast builder sums in)
    for (let cl = 0; cl < k; cl++) for (const r of rs) if (y[r] === cl) c[cl]! += wOf(r);
    return c;
  };
  const sum = (a: number[]): number => a.reduce((s, v) => s + v, 0);
  const impurity = (c: number[], w: number): number => {
    if (w <= 0) return 0;
    if (cfg.criterion === 'gini') return 1 - c.reduce((s, v) => s + (v / w) * (v / w), 0);
    return -c.reduce((s, v) => (v > 0 ? s + (v / w) * Math.log2(v / w) : s), 0);
  };
  const proxy = (cl: number[], cr: number[]): number => {
    const wl = sum(cl);
    const wr = sum(cr);
    if (cfg.criterion === 'gini') return cl.reduce((s, v) => s + v * v, 0) / wl + cr.reduce((s, v) => s + v * v, 0) / wr;
    const e = (c: number[], w: number): number => c.reduce((s, v) => (v > 0 ? s + v * Math.log(v) : s), 0) - w * Math.log(w);
    return e(cl, wl) + e(cr, wr);
  };

  const grow = (rs: number[], depth: number, nKnownConst: number): Node => {
    const counts = countsOf(rs);
    const w = sum(counts);
    const imp = impurity(counts, w);
    const node: Node = { feature: -1, threshold: 0, left: null, right: null, counts, w, impurity: imp };
    if (depth >= maxDepth || rs.length < cfg.minSamplesSplit || rs.length < 2 * cfg.minSamplesLeaf || imp <= 2.220446049250313e-16) return node;

    let fI = nF;
    let nDrawnConst = 0;
    let nFoundConst = 0;
    let nTotalConst = nKnownConst;
    let nVisited = 0;
    let best: { f: number; thr: number; proxy: number } | null = null;
    while (fI > nTotalConst && (nVisited < cfg.maxFeatures || nVisited <= nFoundConst + nDrawnConst)) {
      nVisited++;
      let fJ = nDrawnConst + rng.int(fI - nFoundConst - nDrawnConst);
      if (fJ < nKnownConst) {
        [features[nDrawnConst], features[fJ]] = [features[fJ]!, features[nDrawnConst]!];
        nDrawnConst++;
        continue;
      }
      fJ += nFoundConst;
      const f = features[fJ]!;
      const vals = rs.map((r) => x(f, r));
      const mn = Math.min(...vals);
      const mx = Math.max(...vals);
      if (!(mx > mn + FEATURE_THRESHOLD)) {
        features[fJ] = features[nTotalConst]!;
        features[nTotalConst] = f;
        nFoundConst++;
        nTotalConst++;
        continue;
      }
      fI--;
      [features[fI], features[fJ]] = [features[fJ]!, features[fI]!];

      const candidates: number[] = [];
      if (cfg.splitter === 'random') {
        let thr = Math.fround(mn + (mx - mn) * rng.next());
        if (thr >= mx) thr = mn;
        candidates.push(thr);
      } else {
        const distinct = [...vals].sort((a, b) => a - b);
        for (let i = 0; i + 1 < distinct.length; i++) {
          const a = distinct[i]!;
          const b = distinct[i + 1]!;
          if (!(b > a + FEATURE_THRESHOLD)) continue;
          let thr = Math.fround(a / 2 + b / 2);
          if (thr >= b || !Number.isFinite(thr)) thr = a;
          candidates.push(thr);
        }
      }
      let featBest: { thr: number; proxy: number } | null = null;
      for (const thr of candidates) {
        const l = rs.filter((r) => x(f, r) <= thr);
        if (l.length < cfg.minSamplesLeaf || rs.length - l.length < cfg.minSamplesLeaf) continue;
        const cl = countsOf(l);
        const cr = counts.map((v, c) => v - cl[c]!);
        const p = proxy(cl, cr);
        if (!featBest || p > featBest.proxy) featBest = { thr, proxy: p };
      }
      if (featBest && (!best || featBest.proxy > best.proxy)) best = { f, thr: featBest.thr, proxy: featBest.proxy };
    }
    for (let i = 0; i < nKnownConst; i++) features[i] = constFeatures[i]!;
    for (let i = 0; i < nFoundConst; i++) constFeatures[nKnownConst + i] = features[nKnownConst + i]!;
    if (!best) return node;
    node.feature = best.f;
    node.threshold = best.thr;
    const l = rs.filter((r) => x(best.f, r) <= best.thr);
    const r = rs.filter((q) => !(x(best.f, q) <= best.thr));
    node.left = grow(l, depth + 1, nTotalConst);
    node.right = grow(r, depth + 1, nTotalConst);
    return node;
  };

  const root = grow(Array.from(rows), 0, 0);
  // flatten in preorder
  const flat: Node[] = [];
  const visit = (n: Node): void => {
    flat.push(n);
    if (n.left) visit(n.left);
    if (n.right) visit(n.right);
  };
  visit(root);
  const index = new Map(flat.map((n, i) => [n, i]));
  const m = flat.length;
  const importance = new Float64Array(nF);
  for (const n of flat) {
    if (n.left && n.right) importance[n.feature]! += n.w * n.impurity - n.left.w * n.left.impurity - n.right.w * n.right.impurity;
  }
  const total = importance.reduce((s, v) => s + Math.max(0, v / root.w), 0);
  for (let f = 0; f < nF; f++) importance[f] = m > 1 && total > 0 ? Math.max(0, importance[f]! / root.w) / total : 0;
  return {
    nNodes: m,
    feature: Int32Array.from(flat, (n) => n.feature),
    threshold: Float32Array.from(flat, (n) => n.threshold),
    left: Int32Array.from(flat, (n) => (n.left ? index.get(n.left)! : -1)),
    right: Int32Array.from(flat, (n) => (n.right ? index.get(n.right)! : -1)),
    value: Float32Array.from(flat.flatMap((n) => n.counts.map((v) => (n.w > 0 ? v * (1 / n.w) : 0)))),
    cover: Float32Array.from(flat, (n) => n.w),
    importance,
  };
}
