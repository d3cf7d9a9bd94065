import { describe, expect, it } from 'vitest';
import { bestValues, isBest, nextModelSort, sortModels } from './compare.js';
import { summaryOf } from './test-fixtures.js';

const a = summaryOf({ id: 1, name: 'Alpha', kind: 'random-forest', accuracy: 0.95, macroF1: 0.7, falsePositiveRate: 0.02, detectionRate: 0.9, fitSeconds: 10, createdAt: '2025-11-20T10:00:00.000Z' });
const b = summaryOf({ id: 2, name: 'bravo', kind: 'gradient-boosting', accuracy: 0.99, macroF1: 0.8, falsePositiveRate: 0.005, detectionRate: null, fitSeconds: 30, createdAt: '2025-11-21T10:00:00.000Z' });
const c = summaryOf({ id: 3, name: 'Charlie', kind: 'isolation-forest', accuracy: 0.9, macroF1: 0.85, falsePositiveRate: null, detectionRate: 0.95, fitSeconds: 1, createdAt: '2025-11-22T10:00:00.000Z', evaluation: { kind: 'folds', folds: 5 } });
const ids = (ms: { id: number }[]) => ms.map((m) => m.id);

describe('models comparison', () => {
  it('sorts by metrics both ways, missing values last', () => {
    expect(ids(sortModels([a, b, c], { key: 'accuracy', dir: 'desc' }))).toEqual([2, 1, 3]);
    expect(ids(sortModels([a, b, c], { key: 'accuracy', dir: 'asc' }))).toEqual([3, 1, 2]);
    expect(ids(sortModels([a, b, c], { key: 'detectionRate', dir: 'desc' }))).toEqual([3, 1, 2]);
    expect(ids(sortModels([a, b, c], { key: 'detectionRate', dir: 'asc' }))).toEqual([1, 3, 2]);
    expect(ids(sortModels([a, b, c], { key: 'falsePositiveRate', dir: 'asc' }))).toEqual([2, 1, 3]);
  });

  it('sorts text case-insensitively, dates, and fit time', () => {
    expect(ids(sortModels([c, b, a], { key: 'name', dir: 'asc' }))).toEqual([1, 2, 3]);
    expect(ids(sortModels([a, b, c], { key: 'createdAt', dir: 'desc' }))).toEqual([3, 2, 1]);
    expect(ids(sortModels([a, b, c], { key: 'fitSeconds', dir: 'asc' }))).toEqual([3, 1, 2]);
    expect(ids(sortModels([a, b, c], { key: 'evaluation', dir: 'asc' }))).toEqual([2, 1, 3]); // "30% hold-out" < "5-fold"; ties newest first
  });

  it('a new metric column starts best first (FPR lowest first); the same column flips', () => {
    expect(nextModelSort({ key: 'createdAt', dir: 'desc' }, 'macroF1')).toEqual({ key: 'macroF1', dir: 'desc' });
    expect(nextModelSort({ key: 'createdAt', dir: 'desc' }, 'falsePositiveRate')).toEqual({ key: 'falsePositiveRate', dir: 'asc' });
    expect(nextModelSort({ key: 'macroF1', dir: 'desc' }, 'macroF1')).toEqual({ key: 'macroF1', dir: 'asc' });
    expect(nextModelSort({ key: 'macroF1', dir: 'desc' }, 'name')).toEqual({ key: 'name', dir: 'asc' });
  });

  it('finds the best value of each metric column (lowest FPR); none for a single model or a column where all agree', () => {
    // weighted-F1 is the same for all three: no best there
    expect(bestValues([a, b, c])).toEqual({ accuracy: 0.99, macroF1: 0.85, detectionRate: 0.95, falsePositiveRate: 0.005 });
    expect(bestValues([a])).toEqual({});
    expect(isBest(0.99, 0.99)).toBe(true);
    expect(isBest(null, 0.99)).toBe(false);
    expect(isBest(0.98, 0.99)).toBe(false);
  });
});
