import { describe, expect, it } from 'vitest';
import { jobPhaseText, metricLabel, progressDetail, progressUnit, trainFraction } from './progress.js';

describe('training progress words', () => {
  it('names phases, with the fold or final-model step of cross-validation', () => {
    expect(jobPhaseText('boosting')).toBe('Boosting');
    expect(jobPhaseText('binning')).toBe('Binning features');
    expect(jobPhaseText('fold 2/5: trees')).toBe('Fold 2/5 · Growing trees');
    expect(jobPhaseText('final model: preprocessing')).toBe('Final model · Preprocessing');
    expect(jobPhaseText('something-new')).toBe('Something new');
  });

  it('counts trees or rounds by phase and kind', () => {
    expect(progressUnit('fold 1/5: boosting', 'gradient-boosting')).toBe('rounds');
    expect(progressUnit('trees', 'random-forest')).toBe('trees');
    expect(progressUnit('loading', 'random-forest')).toBe('');
    expect(progressDetail({ phase: 'trees', current: 40, total: 100 }, 'extra-trees')).toBe('40 of 100 trees');
    expect(progressDetail({ phase: 'loading', current: 0, total: 0, rows: 3000 }, 'extra-trees')).toBe('3,000 rows');
    expect(progressDetail({ phase: 'evaluating', current: 0, total: 0 }, 'extra-trees')).toBe('');
  });

  it('spells metric names out', () => {
    expect(metricLabel('valid logloss')).toBe('validation log-loss');
    expect(metricLabel('train logloss')).toBe('train log-loss');
    expect(metricLabel('validLoss')).toBe('validation loss');
  });
});

describe('training progress fraction', () => {
  it('is indeterminate for uncounted and one-step phases', () => {
    expect(trainFraction(null, null)).toBeNull();
    expect(trainFraction({ phase: 'loading', current: 0, total: 0 }, null)).toBeNull();
    expect(trainFraction({ phase: 'binning', current: 1, total: 1 }, null)).toBeNull();
    expect(trainFraction({ phase: 'boosting', current: 50, total: 200 }, null)).toBe(0.25);
  });

  it('spans the folds and the final model of cross-validation, only forward', () => {
    expect(trainFraction({ phase: 'fold 1/4: trees', current: 50, total: 100 }, 4)).toBeCloseTo(0.1);
    expect(trainFraction({ phase: 'fold 3/4: binning', current: 1, total: 1 }, 4)).toBeCloseTo(0.4);
    expect(trainFraction({ phase: 'fold 4/4: trees', current: 100, total: 100 }, 4)).toBeCloseTo(0.8);
    expect(trainFraction({ phase: 'final model: trees', current: 50, total: 100 }, 4)).toBeCloseTo(0.9);
  });
});
