import { describe, expect, it } from 'vitest';
import { epochNumber, jobPhaseText, metricLabel, progressDetail, progressUnit, trainFraction } from './progress.js';

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

  it('counts epochs and the batch within the running one', () => {
    expect(jobPhaseText('epochs')).toBe('Training');
    expect(jobPhaseText('fold 2/5: epochs')).toBe('Fold 2/5 · Training');
    expect(progressUnit('epochs', 'dnn')).toBe('epochs');
    // two epochs finished, the third at batch 12 of 99
    expect(progressDetail({ phase: 'epochs', current: 2, total: 40, batch: { current: 12, total: 99 } }, 'dnn')).toBe('Epoch 3 of 40 · batch 12 of 99');
    // the end of epoch 3: its last batch done
    expect(progressDetail({ phase: 'epochs', current: 3, total: 40, batch: { current: 99, total: 99 } }, 'dnn')).toBe('Epoch 3 of 40 · batch 99 of 99');
    expect(progressDetail({ phase: 'epochs', current: 0, total: 6 }, 'mlp')).toBe('Epoch 1 of 6');
    expect(progressDetail({ phase: 'epochs', current: 1200, total: 2000, batch: { current: 1, total: 1500 } }, 'ann')).toBe('Epoch 1,201 of 2,000 · batch 1 of 1,500');
    expect(epochNumber({ phase: 'epochs', current: 40, total: 40, batch: { current: 5, total: 99 } })).toBe(40);
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

  it('moves within an epoch by batch, never past the epoch being run', () => {
    expect(trainFraction({ phase: 'epochs', current: 0, total: 4 }, null)).toBe(0);
    expect(trainFraction({ phase: 'epochs', current: 1, total: 4, batch: { current: 50, total: 100 } }, null)).toBeCloseTo(0.375);
    expect(trainFraction({ phase: 'epochs', current: 1, total: 4, batch: { current: 99, total: 100 } }, null)).toBeLessThan(0.5);
    // the last batch of an epoch counts as that epoch finished, not as the next one begun
    expect(trainFraction({ phase: 'epochs', current: 2, total: 4, batch: { current: 100, total: 100 } }, null)).toBe(0.5);
    // a single epoch still moves
    expect(trainFraction({ phase: 'epochs', current: 0, total: 1, batch: { current: 25, total: 100 } }, null)).toBe(0.25);
    expect(trainFraction({ phase: 'fold 2/4: epochs', current: 5, total: 10, batch: { current: 1, total: 2 } }, 4)).toBeCloseTo((1 + 0.55) / 5);
  });

  it('spans the folds and the final model of cross-validation, only forward', () => {
    expect(trainFraction({ phase: 'fold 1/4: trees', current: 50, total: 100 }, 4)).toBeCloseTo(0.1);
    expect(trainFraction({ phase: 'fold 3/4: binning', current: 1, total: 1 }, 4)).toBeCloseTo(0.4);
    expect(trainFraction({ phase: 'fold 4/4: trees', current: 100, total: 100 }, 4)).toBeCloseTo(0.8);
    expect(trainFraction({ phase: 'final model: trees', current: 50, total: 100 }, 4)).toBeCloseTo(0.9);
  });
});
