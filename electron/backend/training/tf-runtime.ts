/**
 * TensorFlow.js for the neural models: the fastest backend this machine can load, in the order
 * tfjs-node-gpu (libtensorflow with CUDA), tfjs-node (libtensorflow on the CPU), WebAssembly
 * (XNNPACK kernels, SIMD), plain JavaScript. The two native packages are optional dependencies:
 * where they could not be installed (no download allowed, no matching binary) they are skipped
 * and the reason is kept, for `flowsight doctor` and the status bar. FLOWSIGHT_TF_BACKEND (or the
 * `force` option) picks one backend and fails, naming why, when it cannot load.
 *
 * On the WebAssembly backend a matrix product with a transposed operand runs a slow generic loop:
 * measured 2.1 GFLOP/s against 22 GFLOP/s for the same 256×117 by 117×256 product untransposed.
 * Training multiplies by transposes in every backward pass (dW = xᵀ·g, dx = g·Wᵀ), so a dense
 * 117-256-128-64-2 network on NSL-KDD took 3.3 s per epoch. The kernel is wrapped here to
 * transpose explicitly (a cheap copy) and then multiply untransposed: 0.85 s per epoch, same
 * results up to float rounding.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Tf from '@tensorflow/tfjs';
import type * as TfWasm from '@tensorflow/tfjs-backend-wasm';
import { unpackedPath } from '../jobs/worker-host.js';

// Every TensorFlow.js package is loaded through Node's require, so they all share the one
// CommonJS build of @tensorflow/tfjs-core (its ES build cannot run in Node, and two copies of
// the engine would not see each other's backends and kernels).
const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs') as typeof Tf;
const tfWasm = require('@tensorflow/tfjs-backend-wasm') as typeof TfWasm;
// production mode: no debug checks, and no console advice about installing other packages (the
// backend chosen and why is reported by Flowsight itself)
tf.env().set('PROD', true);

export type TfBackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** Tried in this order unless one is forced. */
export const TF_BACKENDS: readonly TfBackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export interface TfRuntime {
  tf: typeof Tf;
  /** the backend in use */
  backend: TfBackendName;
  /** a human name of it, for the UI */
  label: string;
  /** backends tried before it, with why each could not be used */
  skipped: Array<{ backend: TfBackendName; reason: string }>;
  /** TensorFlow.js version */
  version: string;
}

const LABELS: Record<TfBackendName, string> = {
  'tensorflow-gpu': 'TensorFlow (GPU)',
  tensorflow: 'TensorFlow (native CPU)',
  wasm: 'WebAssembly (SIMD)',
  cpu: 'JavaScript (CPU)',
};

function message(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  // module-not-found messages end with a long require stack
  return m.split('\n')[0]!.slice(0, 300);
}

/** Loads a native package; it registers the 'tensorflow' backend in the shared tfjs-core. */
function loadNative(pkg: string): void {
  require(pkg);
  if (!tf.findBackendFactory('tensorflow')) {
    throw new Error(`${pkg} loaded but registered its backend with another copy of @tensorflow/tfjs-core`);
  }
}

let wasmPatched = false;

/** See the file comment: matMul with a transposed operand, transposed explicitly first on WebAssembly. */
function patchWasmMatMul(): void {
  if (wasmPatched) return;
  wasmPatched = true;
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) return;
  for (const name of ['BatchMatMul', '_FusedMatMul']) {
    const kernel = tf.getKernel(name, 'wasm');
    if (!kernel) continue;
    const original = kernel.kernelFunc;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({
      ...kernel,
      kernelFunc: (args: Tf.KernelConfig['kernelFunc'] extends (a: infer A) => unknown ? A : never) => {
        const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean };
        if (!attrs.transposeA && !attrs.transposeB) return original(args);
        const inputs = args.inputs as Record<string, Tf.TensorInfo>;
        const temps: Tf.TensorInfo[] = [];
        const swap = (t: Tf.TensorInfo): Tf.TensorInfo => {
          const rank = t.shape.length;
          const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
          const out = transpose.kernelFunc({ inputs: { x: t }, attrs: { perm }, backend: args.backend }) as Tf.TensorInfo;
          temps.push(out);
          return out;
        };
        const a = attrs.transposeA ? swap(inputs.a!) : inputs.a!;
        const b = attrs.transposeB ? swap(inputs.b!) : inputs.b!;
        try {
          return original({ ...args, inputs: { ...inputs, a, b }, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
        } finally {
          for (const t of temps) (args.backend as Tf.KernelBackend).disposeData(t.dataId);
        }
      },
    });
  }
}

async function tryBackend(name: TfBackendName): Promise<void> {
  if (name === 'tensorflow-gpu') loadNative('@tensorflow/tfjs-node-gpu');
  else if (name === 'tensorflow') loadNative('@tensorflow/tfjs-node');
  else if (name === 'wasm') {
    // the .wasm files sit next to the package's entry (unpacked from app.asar in the packaged app)
    const dir = unpackedPath(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')));
    tfWasm.setWasmPaths(dir.endsWith(path.sep) ? dir : dir + path.sep);
  }
  const backendName = name === 'tensorflow-gpu' ? 'tensorflow' : name;
  const ok = await tf.setBackend(backendName);
  if (!ok) throw new Error(`the ${backendName} backend did not initialise`);
  await tf.ready();
  if (name === 'wasm') patchWasmMatMul();
}

let loaded: Promise<TfRuntime> | null = null;
let loadedFor: string | null = null;

/** The requested backend: the option, else FLOWSIGHT_TF_BACKEND, else 'auto'. */
export function requestedBackend(force?: string): TfBackendName | 'auto' {
  const want = (force ?? process.env.FLOWSIGHT_TF_BACKEND ?? 'auto').trim().toLowerCase();
  if (want === '' || want === 'auto') return 'auto';
  if ((TF_BACKENDS as readonly string[]).includes(want)) return want as TfBackendName;
  throw new Error(`Unknown TensorFlow.js backend "${want.slice(0, 40)}"; use auto, ${TF_BACKENDS.join(', ')}.`);
}

/**
 * TensorFlow.js on the fastest backend that loads (or the forced one), once per thread: later
 * calls with the same request share the first load.
 */
export function loadTf(force?: string): Promise<TfRuntime> {
  const want = requestedBackend(force);
  if (loaded && loadedFor === want) return loaded;
  loadedFor = want;
  loaded = (async () => {
    const order = want === 'auto' ? TF_BACKENDS : [want];
    const skipped: TfRuntime['skipped'] = [];
    for (const name of order) {
      try {
        await tryBackend(name);
        return { tf, backend: name, label: LABELS[name], skipped, version: tf.version_core };
      } catch (err) {
        skipped.push({ backend: name, reason: message(err) });
      }
    }
    const why = skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
    throw new Error(want === 'auto' ? `No TensorFlow.js backend could be loaded (${why}).` : `The ${want} TensorFlow.js backend could not be loaded (${why}).`);
  })();
  // a failed load may be retried (another request, or after the cause was fixed)
  loaded.catch(() => {
    loaded = null;
    loadedFor = null;
  });
  return loaded;
}
