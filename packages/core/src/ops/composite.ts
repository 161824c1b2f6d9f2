import type { Backend } from '../backend/backend.js';
import { ENGINE } from '../engine/engine.js';
import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Computes an op's forward value from other ops when the backend has no fused kernel for it,
 * and returns the result's storage handle. Nothing is recorded on tapes or shown to tracers (the
 * op appears as itself, with its own gradient) and every intermediate tensor is freed.
 */
export function compositeKernel(backend: Backend, compute: () => Tensor): unknown {
  const tapes = ENGINE.tapes.splice(0);
  const observers = ENGINE.observers.splice(0);
  try {
    const result = tidy(compute);
    const handle = backend.reshape(result, result.shape);
    result.dispose();
    return handle;
  } finally {
    ENGINE.tapes.push(...tapes);
    ENGINE.observers.push(...observers);
  }
}
