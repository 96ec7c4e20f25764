import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

let ready: Promise<typeof tf> | undefined;

/**
 * Selects the TensorFlow.js WebAssembly back-end (SIMD when the CPU has it) once per
 * thread and returns the `tf` namespace. `tfjs-node` cannot be installed here and the
 * pure-JS CPU back-end is several times slower.
 */
export function tensorflow(): Promise<typeof tf> {
  ready ??= (async () => {
    if (tf.getBackend() !== 'wasm') {
      const ok = await tf.setBackend('wasm');
      if (!ok) throw new Error('TensorFlow.js WebAssembly back-end failed to initialise');
    }
    await tf.ready();
    return tf;
  })();
  return ready;
}
