import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './cast.js';
import { equal } from './compare.js';
import { withTensors, type TensorLike } from './convert.js';
import { argAxis, argMax, min } from './reduce.js';

/**
 * Index (int32) of the smallest value along `axis` (default 0), the first of equal ones; no
 * gradient. It is argMax of where the minimum lies, exact for every dtype (argMax of −x would
 * overflow on the smallest int32).
 */
export function argMin(x: TensorLike, axis = 0): Tensor {
  return withTensors('argMin', [x], (t) => {
    const at = argAxis('argMin', t, axis);
    return tidy(() => argMax(cast(equal(t, min(t, at, true)), 'int32'), at));
  });
}
