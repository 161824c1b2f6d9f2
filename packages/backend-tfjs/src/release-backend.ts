import * as tf from '@tensorflow/tfjs-core';
import type { TfjsBackendName } from './tfjs-backend.js';

/**
 * Frees tfjs's `tfName` backend: on webgl its textures and programs, on wasm its module and
 * threads (the module's memory is reclaimed once tfjs's wasm kernels, which keep references to
 * it, are set up on another). tfjs's removeBackend also forgets how to make the backend, so its
 * factory is registered again, and a later createTfjsBackend makes a fresh one. Refuses while
 * tfjs tensors live on it: core checks its adapter's, but tfjs code beside it may hold others.
 */
export function releaseTfjsBackend(tfName: TfjsBackendName): void {
  const held = tf.engine().findBackend(tfName)?.numDataIds() ?? 0;
  if (held > 0) throw new Error(`tfjs's '${tfName}' backend still holds ${held} tensor${held === 1 ? '' : 's'}, made by tfjs code outside Perceptron`);
  const { factory, priority } = tf.engine().registryFactory[tfName]!;
  tf.removeBackend(tfName);
  tf.registerBackend(tfName, factory, priority);
}
