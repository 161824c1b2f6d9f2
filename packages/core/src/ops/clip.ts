import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { maximum, minimum } from './arithmetic.js';
import { withTensors, type TensorLike } from './convert.js';

/**
 * Limits values to `[min, max]`. Written as minimum(maximum(x, min), max), whose gradients pass
 * dy through where min <= x <= max and 0 elsewhere, as TensorFlow's clip_by_value does.
 */
export function clipByValue(x: TensorLike, min: number, max: number): Tensor {
  if (!(min <= max)) throw new Error(`clipByValue: min (${min}) must be <= max (${max})`);
  return withTensors('clipByValue', [x], (t) => tidy(() => minimum(maximum(t, min), max)));
}
