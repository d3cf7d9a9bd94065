/** Tests' TensorFlow.js: the plain JavaScript backend (always available, deterministic). */
import { createRequire } from 'node:module';
import type { Tf } from '../../ml-core/models/neural/tf-types.js';

const require = createRequire(import.meta.url);

let ready: Promise<Tf> | null = null;

export function testTf(backend: 'cpu' | 'wasm' = 'cpu'): Promise<Tf> {
  ready ??= (async () => {
    const tf = require('@tensorflow/tfjs') as Tf;
    tf.env().set('PROD', true);
    await tf.setBackend(backend);
    await tf.ready();
    return tf;
  })();
  return ready;
}
