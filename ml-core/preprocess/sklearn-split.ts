/**
 * The stratified hold-out split of scikit-learn (`train_test_split(..., stratify=y,
 * random_state=seed)`, i.e. StratifiedShuffleSplit on NumPy's legacy RandomState), reproduced row
 * for row: given the same labels in the same row order and the same seed, the test rows are the
 * ones scikit-learn picks. Flowsight's hold-out uses it so that its figures and the reference
 * stack's are measured on identical rows.
 *
 * Pieces: MT19937 seeded like `RandomState(seed)` (init_genrand), NumPy's bounded integers by
 * masked rejection (`random_interval`), its Fisher-Yates `permutation`, `choice(replace=False)`
 * as a permutation prefix, and scikit-learn's `_approximate_mode`.
 */

const N = 624;
const M = 397;

/** NumPy's legacy MT19937 stream (RandomState). */
export class NumpyRandomState {
  private readonly mt = new Uint32Array(N);
  private pos = N;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in 0..2^32-1, got ${seed}`);
    let s = seed >>> 0;
    for (let i = 0; i < N; i++) {
      this.mt[i] = s;
      // 1812433253 * (s ^ (s >>> 30)) + i + 1, modulo 2^32
      s = (Math.imul(1812433253, s ^ (s >>> 30)) + i + 1) >>> 0;
    }
  }

  private refill(): void {
    const mt = this.mt;
    for (let k = 0; k < N; k++) {
      const y = (mt[k]! & 0x80000000) | (mt[(k + 1) % N]! & 0x7fffffff);
      mt[k] = mt[(k + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.pos = 0;
  }

  nextU32(): number {
    if (this.pos >= N) this.refill();
    let y = this.mt[this.pos++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** uniform integer in [0, max] (max < 2^32), by masked rejection */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    for (;;) {
      const v = (this.nextU32() & mask) >>> 0;
      if (v <= max) return v;
    }
  }

  /** np.random.RandomState.permutation(n) */
  permutation(n: number): Int32Array {
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++) a[i] = i;
    for (let i = n - 1; i >= 1; i--) {
      const j = this.interval(i);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    return a;
  }
}

/** scikit-learn's _approximate_mode: how many of n draws each class gets. */
export function approximateMode(classCounts: Float64Array, nDraws: number, rng: NumpyRandomState): Float64Array {
  let total = 0;
  for (const c of classCounts) total += c;
  const k = classCounts.length;
  const continuous = new Float64Array(k);
  const floored = new Float64Array(k);
  let flooredSum = 0;
  for (let i = 0; i < k; i++) {
    continuous[i] = (classCounts[i]! / total) * nDraws;
    floored[i] = Math.floor(continuous[i]!);
    flooredSum += floored[i]!;
  }
  let need = Math.trunc(nDraws - flooredSum);
  if (need > 0) {
    const remainder = Array.from(continuous, (c, i) => c - floored[i]!);
    const values = [...new Set(remainder)].sort((a, b) => b - a);
    for (const value of values) {
      const inds: number[] = [];
      remainder.forEach((r, i) => {
        if (r === value) inds.push(i);
      });
      const addNow = Math.min(inds.length, need);
      const perm = rng.permutation(inds.length);
      for (let j = 0; j < addNow; j++) floored[inds[perm[j]!]!]! += 1;
      need -= addNow;
      if (need === 0) break;
    }
  }
  return floored;
}

/**
 * Stratified split with scikit-learn's row choice. `rows` (default: all rows of y) are the rows
 * split, in order, as if they were the whole array. Returns sorted train and test row indices.
 */
export function sklearnStratifiedSplit(
  y: Int32Array,
  testSize: number,
  seed: number,
  rows: Int32Array | null = null,
): { train: Int32Array; test: Int32Array } {
  const n = rows ? rows.length : y.length;
  if (!(testSize > 0 && testSize < 1)) throw new RangeError(`testSize must be in (0, 1), got ${testSize}`);
  const nTest = Math.ceil(testSize * n);
  const nTrain = n - nTest;
  const label = (i: number) => y[rows ? rows[i]! : i]!;
  // np.unique(y): present classes in ascending order; members of each in row order (stable argsort)
  const present = [...new Set(Array.from({ length: n }, (_, i) => label(i)))].sort((a, b) => a - b);
  const classOf = new Map(present.map((c, k) => [c, k]));
  const members: number[][] = present.map(() => []);
  for (let i = 0; i < n; i++) members[classOf.get(label(i))!]!.push(i);
  const counts = Float64Array.from(members, (m) => m.length);
  if (nTrain < present.length || nTest < present.length) {
    throw new RangeError(`a stratified split of ${n} rows into ${nTrain} and ${nTest} cannot hold each of ${present.length} classes`);
  }
  const rng = new NumpyRandomState(seed);
  const nI = approximateMode(counts, nTrain, rng);
  const remaining = Float64Array.from(counts, (c, i) => c - nI[i]!);
  const tI = approximateMode(remaining, nTest, rng);
  const train: number[] = [];
  const test: number[] = [];
  for (let k = 0; k < present.length; k++) {
    const perm = rng.permutation(counts[k]!);
    const m = members[k]!;
    for (let j = 0; j < nI[k]!; j++) train.push(m[perm[j]!]!);
    for (let j = nI[k]!; j < nI[k]! + tI[k]!; j++) test.push(m[perm[j]!]!);
  }
  const map = (xs: number[]) => {
    const out = Int32Array.from(xs, (i) => (rows ? rows[i]! : i));
    return out.sort();
  };
  return { train: map(train), test: map(test) };
}
