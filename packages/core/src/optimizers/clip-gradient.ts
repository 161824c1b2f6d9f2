import { add, div, maximum, mul } from '../ops/arithmetic.js';
import { clipByValue } from '../ops/clip.js';
import { sum } from '../ops/reduce.js';
import { sqrt, square } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * g · clipnorm / max(‖gradients‖₂, clipnorm) for each g, the norm taken over all of them
 * together: their joint norm becomes ≤ clipnorm and their directions stay. One gradient is
 * Keras's clipnorm; all of a step's is its global_clipnorm (tf.clip_by_global_norm).
 */
export function clipByNorm(gradients: readonly Tensor[], clipnorm: number): Tensor[] {
  const norm = sqrt(gradients.map((g) => sum(square(g))).reduce((total, squares) => add(total, squares)));
  const scale = div(clipnorm, maximum(norm, clipnorm));
  return gradients.map((g) => mul(g, scale));
}

/** Limits every gradient element to [−clipvalue, clipvalue], as Keras's clipvalue. */
export function clipElements(gradient: Tensor, clipvalue: number): Tensor {
  return clipByValue(gradient, -clipvalue, clipvalue);
}
