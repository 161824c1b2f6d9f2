import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { add } from './arithmetic.js';
import { greaterEqual } from './compare.js';
import { withTensors, type TensorLike } from './convert.js';
import { log1p } from './log1p.js';
import { exp, neg } from './unary.js';
import { where } from './where.js';

/**
 * softplus(x)'s two parts, max(x, 0) and log1p(exp(−|x|)), kept apart for a caller that
 * subtracts something close to the first (sigmoid cross-entropy's x·z) before adding the small
 * tail, which would otherwise be lost to the rounding of the sum. Both pick their branch with
 * `where` on x >= 0, as TensorFlow's sigmoid cross-entropy does, so the gradient at x = 0 is
 * sigmoid(0) = 0.5 (relu and abs would each give 0 there).
 */
export function softplusParts(x: Tensor): [positivePart: Tensor, tail: Tensor] {
  const nonNegative = greaterEqual(x, 0);
  return [where(nonNegative, x, 0), log1p(exp(where(nonNegative, neg(x), x)))];
}

/** log(1 + exp(x)), stably: large |x| cannot overflow and the tail below 0 keeps its digits. */
export function softplus(x: TensorLike): Tensor {
  return withTensors('softplus', [x], (t) => tidy(() => add(...softplusParts(t))));
}
