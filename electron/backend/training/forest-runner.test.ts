import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../ml-core/rng.js';
import { FitCancelled, type TrainSet, type TrainedTreeModel } from '../../../ml-core/models/types.js';
import { CancelFlag } from '../jobs/cancel.js';
import { ForestPool, inlineForests, threadedForests } from './forest-runner.js';

/** Three noisy classes on four features, one of them two-valued. */
function data(n: number, seed: number): TrainSet {
  const rng = new Rng(seed);
  const nFeatures = 4;
  const X = new Float32Array(n * nFeatures);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(3);
    y[i] = c;
    X[i] = c + rng.normal();
    X[n + i] = c * 0.5 + rng.normal();
    X[2 * n + i] = Math.round(rng.normal() * 2);
    X[3 * n + i] = +(rng.next() < 0.3 * c);
  }
  return { X: { data: X, nSamples: n, nFeatures }, y, nClasses: 3 };
}

function expectSame(a: TrainedTreeModel, b: TrainedTreeModel): void {
  expect(a.forest.treeRoot).toEqual(b.forest.treeRoot);
  expect(a.forest.feature).toEqual(b.forest.feature);
  expect(a.forest.threshold).toEqual(b.forest.threshold);
  expect(a.forest.value).toEqual(b.forest.value);
  expect(a.featureImportance).toEqual(b.featureImportance);
}

const train = data(600, 1);
const params = { kind: 'extra-trees', nTrees: 12, seed: 7 };

describe('forests across threads', () => {
  const pool = new ForestPool(2);
  afterAll(() => pool.close());

  it('grows the same forest on the pool as in this thread, for job after job on the same threads', async () => {
    const here = await inlineForests.fit(train, params, {});
    const progress: number[] = [];
    for (let job = 0; job < 2; job++) {
      const runner = threadedForests({ cancel: new CancelFlag().buffer, ports: pool.connect(), minWork: 0 });
      runner.prewarm?.('extra-trees');
      const model = await runner.fit(train, params, { onProgress: (p) => progress.push(p.current) });
      await runner.close?.();
      expectSame(model, here);
    }
    expect(progress.at(-1)).toBe(12);
    const rf = { kind: 'random-forest', nTrees: 6, seed: 3 };
    const runner = threadedForests({ cancel: new CancelFlag().buffer, ports: pool.connect(), minWork: 0 });
    const model = await runner.fit(train, rf, {});
    await runner.close?.();
    expectSame(model, await inlineForests.fit(train, rf, {}));
    expect(model.oobScore).toBe((await inlineForests.fit(train, rf, {})).oobScore);
  });

  it('starts threads of its own without ports, and stops them on close', async () => {
    const runner = threadedForests({ cancel: new CancelFlag().buffer, threads: 2, minWork: 0 });
    runner.prewarm?.('random-forest');
    const model = await runner.fit(train, params, {});
    await runner.close?.();
    expectSame(model, await inlineForests.fit(train, params, {}));
  });

  it('stops on the job cancel flag', async () => {
    const cancel = new CancelFlag();
    cancel.cancel();
    const runner = threadedForests({ cancel: cancel.buffer, ports: pool.connect(), minWork: 0 });
    await expect(runner.fit(train, params, {})).rejects.toBeInstanceOf(FitCancelled);
    await runner.close?.();
  });

  it('reports a forest thread that dies mid-fit, and the pool replaces it', async () => {
    const own = new ForestPool(2);
    const runner = threadedForests({ cancel: new CancelFlag().buffer, ports: own.connect(), minWork: 0 });
    const big = data(20_000, 2);
    const fit = runner.fit(big, { kind: 'extra-trees', nTrees: 200, seed: 1 }, {});
    setTimeout(() => void own.close(), 50);
    await expect(fit).rejects.toThrow(/training thread stopped unexpectedly/);
    await runner.close?.();
    const again = threadedForests({ cancel: new CancelFlag().buffer, ports: own.connect(), minWork: 0 });
    expectSame(await again.fit(train, params, {}), await inlineForests.fit(train, params, {}));
    await again.close?.();
    await own.close();
  });
});
