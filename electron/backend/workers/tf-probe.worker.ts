/**
 * Loads TensorFlow.js the way a neural training thread does (training/tf-runtime.ts) and reports
 * which backend it got, then ends: the backend answers app.doctor and the status bar from this,
 * without loading TensorFlow.js into its own thread.
 */
import { parentPort } from 'node:worker_threads';
import type { NeuralRuntimeInfo } from '../../contract/dto.js';
import { loadTf, requestedBackend } from '../training/tf-runtime.js';

async function probe(): Promise<NeuralRuntimeInfo> {
  let requested = 'auto';
  try {
    requested = requestedBackend();
    const rt = await loadTf();
    return { backend: rt.backend, label: rt.label, requested, skipped: rt.skipped, version: rt.version };
  } catch (err) {
    return { backend: null, label: 'unavailable', requested, skipped: [], version: null, error: (err as Error).message ?? String(err) };
  }
}

parentPort!.postMessage(await probe());
