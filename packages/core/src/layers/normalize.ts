import { add, div, mul, sub } from '../ops/arithmetic.js';
import { mean } from '../ops/reduce.js';
import { sqrt, square } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';

/** The statistics both normalization layers compute, with the reduced axes kept as 1s. */
export interface CenteredMoments {
  mean: Tensor;
  /** Biased (divided by the count, not count − 1), as Keras's `ops.moments`. */
  variance: Tensor;
  /** x − mean: the variance is built from it, and normalizing reuses it. */
  centered: Tensor;
}

/**
 * Mean and variance of `x` over `axes`. Two passes (the mean first, then the mean square of
 * x − mean) rather than E[x²] − E[x]², which cancels catastrophically in float32 when the
 * mean is large against the spread.
 */
export function centeredMoments(x: Tensor, axes: readonly number[]): CenteredMoments {
  const average = mean(x, axes, true);
  const centered = sub(x, average);
  return { mean: average, variance: mean(square(centered), axes, true), centered };
}

/**
 * centered / sqrt(variance + epsilon) · gamma + beta, each operand broadcasting against
 * `centered`; gamma and beta are skipped when null. Gamma joins the inverse deviation before
 * it meets `centered`: for BatchNormalization both are per channel, so after centering the
 * full-size work is one product and one sum.
 */
export function normalizeCentered(centered: Tensor, variance: Tensor, epsilon: number, gamma: Tensor | null, beta: Tensor | null): Tensor {
  const inverseDeviation = div(1, sqrt(add(variance, epsilon)));
  const scaled = mul(centered, gamma ? mul(inverseDeviation, gamma) : inverseDeviation);
  return beta ? add(scaled, beta) : scaled;
}
