import { describe, expect, it } from 'vitest';
import { NumpyRandomState, sklearnStratifiedSplit } from './sklearn-split.js';

// Expected values printed by scikit-learn 1.2 / NumPy (Debian python3-sklearn):
//   y = [i % 3 if i % 7 else 3 for i in range(40)]
//   train_test_split(np.arange(40), test_size=ts, stratify=y, random_state=seed)
const y = Int32Array.from({ length: 40 }, (_, i) => (i % 7 ? i % 3 : 3));

describe('sklearnStratifiedSplit', () => {
  it('picks the same test rows as scikit-learn', () => {
    expect(Array.from(sklearnStratifiedSplit(y, 0.25, 7).test)).toEqual([0, 11, 15, 20, 24, 25, 29, 31, 33, 37]);
    expect(Array.from(sklearnStratifiedSplit(y, 0.3, 42).test)).toEqual([2, 7, 10, 12, 15, 17, 20, 21, 25, 27, 36, 37]);
    expect(Array.from(sklearnStratifiedSplit(y, 0.5, 0).test)).toEqual([1, 2, 3, 4, 6, 11, 12, 17, 18, 21, 22, 25, 27, 28, 29, 31, 32, 33, 35, 37]);
  });

  it('splits a subset of rows as if it were the whole array, returning row indices', () => {
    const rows = Int32Array.from({ length: 40 }, (_, i) => i * 2 + 1);
    const y2 = new Int32Array(81).fill(-1);
    rows.forEach((r, i) => (y2[r] = y[i]!));
    const s = sklearnStratifiedSplit(y2, 0.3, 42, rows);
    expect(Array.from(s.test)).toEqual([2, 7, 10, 12, 15, 17, 20, 21, 25, 27, 36, 37].map((i) => i * 2 + 1));
    expect(s.train.length + s.test.length).toBe(40);
  });

  it('reproduces NumPy RandomState.permutation', () => {
    // np.random.RandomState(5).permutation(10)
    expect(Array.from(new NumpyRandomState(5).permutation(10))).toEqual([9, 5, 2, 4, 7, 1, 0, 8, 6, 3]);
  });
});
