import { div, maximum, mul } from '../ops/arithmetic.js';
import { clipByValue } from '../ops/clip.js';
import { sum } from '../ops/reduce.js';
import { sqrt, square } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';

/** g · clipnorm / max(‖g‖₂, clipnorm): rescales one variable's gradient to norm ≤ clipnorm, as Keras's clipnorm. */
export function clipByNorm(gradient: Tensor, clipnorm: number): Tensor {
  return div(mul(gradient, clipnorm), maximum(sqrt(sum(square(gradient))), clipnorm));
}

/** Limits every gradient element to [−clipvalue, clipvalue], as Keras's clipvalue. */
export function clipElements(gradient: Tensor, clipvalue: number): Tensor {
  return clipByValue(gradient, -clipvalue, clipvalue);
}
