import { describe, expect, it } from 'vitest';
import { loadTf, requestedBackend, TF_BACKENDS } from './tf-runtime.js';

describe('TensorFlow.js runtime', () => {
  it('takes the fastest backend that loads and says why the others were skipped', async () => {
    const rt = await loadTf('auto');
    expect(TF_BACKENDS).toContain(rt.backend);
    expect(rt.tf.getBackend()).toBe(rt.backend === 'tensorflow-gpu' ? 'tensorflow' : rt.backend);
    // every backend before the one in use was tried and has a reason
    expect(rt.skipped.map((s) => s.backend)).toEqual(TF_BACKENDS.slice(0, TF_BACKENDS.indexOf(rt.backend)));
    for (const s of rt.skipped) expect(s.reason.length).toBeGreaterThan(0);
    expect(rt.version).toMatch(/^\d+\.\d+/);
    expect(rt.label.length).toBeGreaterThan(0);
  });

  it('refuses an unknown backend name and names the choices', () => {
    expect(() => requestedBackend('tpu')).toThrow(/Unknown TensorFlow.js backend "tpu"; use auto, tensorflow-gpu, tensorflow, wasm, cpu/);
    expect(requestedBackend(' WASM ')).toBe('wasm');
    expect(requestedBackend('')).toBe('auto');
  });

  it('multiplies with transposed operands on WebAssembly exactly as the plain JavaScript backend does', async () => {
    const rt = await loadTf('wasm');
    expect(rt.backend).toBe('wasm');
    const tf = rt.tf;
    const a = [
      [2, -1, 0.5],
      [0, 3, 1],
    ];
    const b = [
      [1, 2],
      [-2, 0.25],
      [4, -1],
    ];
    const cases: Array<[number[][], number[][], boolean, boolean]> = [
      [a, b, false, false],
      [tf.transpose(tf.tensor2d(a)).arraySync() as number[][], b, true, false],
      [a, tf.transpose(tf.tensor2d(b)).arraySync() as number[][], false, true],
      [tf.transpose(tf.tensor2d(a)).arraySync() as number[][], tf.transpose(tf.tensor2d(b)).arraySync() as number[][], true, true],
    ];
    const want = tf.matMul(tf.tensor2d(a), tf.tensor2d(b)).arraySync() as number[][];
    for (const [x, y, ta, tb] of cases) {
      expect(tf.matMul(tf.tensor2d(x), tf.tensor2d(y), ta, tb).arraySync()).toEqual(want);
    }
    // batched, fused with bias and relu, and the gradient of a dense layer (transposes inside)
    const xs = tf.tensor3d([a, a.map((r) => r.map((v) => -v))]);
    const ys = tf.tensor3d([b, b]);
    const batched = tf.matMul(xs, tf.transpose(ys, [0, 2, 1]), false, true).arraySync() as number[][][];
    expect(batched[0]).toEqual(want);
    const fused = tf.fused.matMul({ a: tf.tensor2d(a), b: tf.transpose(tf.tensor2d(b)), transposeB: true, bias: tf.tensor1d([1, -100]), activation: 'relu' }).arraySync();
    expect(fused).toEqual(want.map((r) => [Math.max(0, r[0]! + 1), Math.max(0, r[1]! - 100)]));
    const grads = tf.grads((x: import('@tensorflow/tfjs').Tensor, w: import('@tensorflow/tfjs').Tensor) => tf.sum(tf.matMul(x, w)))([tf.tensor2d(a), tf.tensor2d(b)]);
    // d/dx sum(x·w) = 1·wᵀ ; d/dw = xᵀ·1
    expect(grads[0]!.arraySync()).toEqual([
      [3, -1.75, 3],
      [3, -1.75, 3],
    ]);
    expect(grads[1]!.arraySync()).toEqual([
      [2, 2],
      [2, 2],
      [1.5, 1.5],
    ]);
    const cpu = await loadTf('cpu');
    expect(cpu.backend).toBe('cpu');
    expect(cpu.tf.matMul(tf.tensor2d(a), tf.transpose(tf.tensor2d(b)), false, true).arraySync()).toEqual(want);
  });

  it('fails with the reason when a forced backend cannot load', async () => {
    let native = true;
    try {
      await import('@tensorflow/tfjs-node' as string);
    } catch {
      native = false;
    }
    if (native) return; // installed here: nothing to refuse
    await expect(loadTf('tensorflow')).rejects.toThrow(/The tensorflow TensorFlow.js backend could not be loaded \(tensorflow: .+\)/);
  });
});
