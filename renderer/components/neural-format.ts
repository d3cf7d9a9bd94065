/** Words for the TensorFlow.js runtime the neural models train on (status bar, Train page, Results). */
import type { NeuralBackend, NeuralRuntimeInfo } from '../../electron/contract/index.js';

const BACKEND_NAMES: Record<NeuralBackend, string> = {
  'tensorflow-gpu': 'TensorFlow native (GPU)',
  tensorflow: 'TensorFlow native (CPU)',
  wasm: 'WebAssembly',
  cpu: 'JavaScript (CPU)',
};

/** "WebAssembly" for 'wasm'; an unknown id as it is. */
export function backendName(backend: NeuralBackend | string): string {
  return BACKEND_NAMES[backend as NeuralBackend] ?? backend;
}

/** The slow fallback: plain JavaScript trains roughly four times slower than WebAssembly. */
export function isSlowBackend(backend: NeuralBackend | null): boolean {
  return backend === 'cpu';
}

/** What the status bar shows after "Neural:". */
export function neuralRuntimeText(info: NeuralRuntimeInfo): string {
  return info.backend ? info.label || backendName(info.backend) : 'unavailable';
}

/**
 * The longer explanation (status-bar tooltip): the backend and version, whether it was forced, and
 * each faster backend that was skipped with its reason; or why none could be loaded.
 */
export function neuralRuntimeDetails(info: NeuralRuntimeInfo): string {
  const lines: string[] = [];
  if (info.backend) {
    lines.push(`Neural networks train on ${info.label || backendName(info.backend)}${info.version ? ` (TensorFlow.js ${info.version})` : ''}.`);
  } else {
    lines.push(`Neural networks cannot be trained here: ${sentence(info.error ?? 'no TensorFlow.js backend could be loaded')}`);
  }
  if (info.requested && info.requested !== 'auto') lines.push(`Backend forced by FLOWSIGHT_TF_BACKEND=${info.requested}.`);
  if (info.skipped.length > 0) {
    lines.push(info.backend ? 'Faster backends skipped:' : 'Backends tried:');
    for (const s of info.skipped) lines.push(`• ${backendName(s.backend)}: ${sentence(s.reason)}`);
  }
  if (isSlowBackend(info.backend)) lines.push('Plain JavaScript is slow; WebAssembly or the native TensorFlow packages train several times faster.');
  return lines.join('\n');
}

/** Ends a message with one full stop. */
function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
