/**
 * Speed of the tree models on the real datasets, next to the scikit-learn peer figures
 * (../shared/peers/tables.md, same 2-core machine kind). Runs only with FLOWSIGHT_BENCH=1:
 *
 *   FLOWSIGHT_BENCH=1 npx vitest run ml-core/models/forest/forest.bench.test.ts
 *
 * Times are CPU seconds of this thread (the machines are shared and noisy); each figure is the
 * best of a few runs. "two parts" fits trees 0..49 and 50..99 as two workers would and reports
 * the slower part: the wall time two threads would need.
 */
import { beforeAll, describe, it } from 'vitest';
import { datasetsDir } from '../../../tests/support/flow-import.js';
import { Rng } from '../../rng.js';
import { realData } from '../../../tests/support/ml-data.js';
import { forestRaw, predictClass } from '../flat/predict.js';
import { fitIsolationForest } from '../iforest/isolation.js';
import { toRowMajor } from '../matrix.js';
import type { ColMatrix } from '../types.js';
import { cicidsSklearnSplit } from './cicids-split.fixture.js';
import { combineForestParts, fitForestPart } from './forest.js';
import type { ForestKind } from './params.js';
import { frameMatrix, pick } from './test-data.js';

function cpuSeconds(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1e6;
}

function best(runs: number, fn: () => void): number {
  let b = Infinity;
  for (let i = 0; i < runs; i++) b = Math.min(b, cpuSeconds(fn));
  return b;
}

/** scikit-learn 1.2 figures from ../shared/peers/tables.md: fit s (2 cores / 1 thread), predict rows/s (1 thread / 2 cores) */
const PEERS: Record<string, { fit2: number; fit1: number; pred1: number; pred2: number }> = {
  'cicids extra-trees': { fit2: 0.44, fit1: 0.9, pred1: 111_610, pred2: 175_505 },
  'cicids random-forest': { fit2: 1.36, fit1: 2.69, pred1: 137_111, pred2: 201_133 },
  'nsl extra-trees': { fit2: 0.81, fit1: 1.44, pred1: 152_463, pred2: 248_010 },
  'nsl random-forest': { fit2: 0.63, fit1: 1.23, pred1: 183_120, pred2: 270_486 },
};

describe.skipIf(!process.env.FLOWSIGHT_BENCH || !datasetsDir())('tree model speed', () => {
  // loaded when the suite runs (collection happens even when it is skipped, and the data may be absent)
  const sets = new Map<string, { name: string; X: ColMatrix; y: Int32Array; nClasses: number; Xte: ColMatrix }>();
  beforeAll(() => {
    const cic = realData.cicids('label')!;
    const split = cicidsSklearnSplit();
    // scikit-learn's test part comes shuffled; score ours in a shuffled order too
    const testOrder = new Rng(42, 1).shuffle(Int32Array.from(split.test));
    sets.set('cicids', { name: 'cicids', X: frameMatrix(cic.frame, split.train), y: pick(cic.y, split.train), nClasses: cic.classes.length, Xte: frameMatrix(cic.frame, testOrder) });
    const a = realData.nslTrain('binary')!;
    const b = realData.nslTest('binary')!;
    sets.set('nsl', { name: 'nsl', X: frameMatrix(a.frame), y: a.y, nClasses: 2, Xte: frameMatrix(b.frame, null, a.frame) });
  });

  for (const setName of ['cicids', 'nsl']) {
    for (const kind of ['extra-trees', 'random-forest'] as ForestKind[]) {
      it(`${setName} ${kind}`, () => {
        const set = sets.get(setName)!;
        const train = { X: set.X, y: set.y, nClasses: set.nClasses };
        const params = { kind, nTrees: 100, seed: 42 };
        const fit1 = best(3, () => void fitForestPart(train, params, { start: 0, count: 100 }));
        const half0 = best(3, () => void fitForestPart(train, params, { start: 0, count: 50 }));
        const half1 = best(3, () => void fitForestPart(train, params, { start: 50, count: 50 }));
        const model = combineForestParts([fitForestPart(train, params, { start: 0, count: 100 })], set.y);
        const Xr = toRowMajor(set.Xte);
        const out = new Float32Array(Xr.nSamples * model.forest.nResults);
        forestRaw(model.forest, Xr, out);
        const pred = best(7, () => void predictClass(model, Xr));
        const peer = PEERS[`${set.name} ${kind}`]!;
        const rps = Xr.nSamples / pred;
        console.log(
          `${set.name} ${kind} (${set.X.nSamples} × ${set.X.nFeatures}, ${model.forest.feature.length} nodes): ` +
            `fit ${fit1.toFixed(2)} s one thread (sklearn ${peer.fit1}), two parts ${Math.max(half0, half1).toFixed(2)} s (sklearn 2 cores ${peer.fit2}); ` +
            `predict ${Math.round(rps).toLocaleString('en-US')} rows/s one thread (sklearn ${peer.pred1.toLocaleString('en-US')}; 2 cores ${peer.pred2.toLocaleString('en-US')})`,
        );
      });
    }
  }

  it('nsl isolation forest', () => {
    const a = realData.nslTrain('binary')!;
    const b = realData.nslTest('binary')!;
    const benign = Int32Array.from(Array.from(a.y.keys()).filter((i) => a.y[i] === a.benign));
    const X = frameMatrix(a.frame);
    const fit = best(5, () => void fitIsolationForest(X, benign, {}));
    const m = fitIsolationForest(X, benign, {});
    const Xr = toRowMajor(frameMatrix(b.frame, null, a.frame));
    const pred = best(7, () => void forestRaw(m.forest, Xr));
    console.log(`nsl isolation forest: fit ${fit.toFixed(3)} s (sklearn 0.085), score ${Math.round(Xr.nSamples / pred).toLocaleString('en-US')} rows/s (sklearn 61,453)`);
  });
});
