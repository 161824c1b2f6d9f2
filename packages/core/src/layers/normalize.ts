import { add, div, mul, sub } from '../ops/arithmetic.js';
import { broadcastTo } from '../ops/broadcast-to.js';
import { mean, sum } from '../ops/reduce.js';
import { sqrt, square } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { describeValue } from '../util/arguments.js';
import { formatShape } from '../util/shape.js';
import { withUnknownBatch } from './symbolic-shape.js';

/** The `axis` option of `owner` (default -1): an integer or a non-empty array of them, copied; else an error naming what was given. */
export function axisOption(owner: string, given: unknown): number | number[] {
  const axis = given ?? -1;
  if (Number.isInteger(axis)) return axis as number;
  if (Array.isArray(axis) && axis.length > 0 && axis.every((a) => Number.isInteger(a))) return [...axis] as number[];
  throw new Error(`${owner}: axis must be an integer or a non-empty array of integers, got ${describeValue(given)}`);
}

/**
 * The feature axes `axis` (one or several, negative counting from the end) names in inputs of
 * `inputShape`, sorted, or an error naming `label`: the batch axis 0 holds no feature, and
 * weights sized by it would tie the layer to one batch size.
 */
export function featureAxes(label: string, axis: number | readonly number[], inputShape: Shape): number[] {
  const rank = inputShape.length;
  const given = typeof axis === 'number' ? [axis] : [...axis];
  if (rank < 2) throw new Error(`${label}: expected inputs of rank >= 2 (batch first), got shape ${formatShape(inputShape)}`);
  const resolved = given.map((a) => (a < 0 ? a + rank : a));
  const outside = given.find((_, i) => resolved[i]! < 1 || resolved[i]! >= rank);
  if (outside !== undefined) {
    throw new Error(
      `${label}: axis ${outside} is out of range for inputs of shape ${formatShape(inputShape)}; `
      + `expected 1 <= axis <= ${rank - 1} or ${1 - rank} <= axis <= -1 (axis 0 is the batch)`,
    );
  }
  if (new Set(resolved).size !== resolved.length) throw new Error(`${label}: axis ${JSON.stringify(axis)} names the same input axis twice for inputs of rank ${rank}`);
  return resolved.sort((a, b) => a - b);
}

/** The shape that lines a weight spanning input `axes` (sorted) up with inputs of `inputShape`, or null when it already does (trailing axes). */
export function weightBroadcastShape(axes: readonly number[], inputShape: Shape): number[] | null {
  const trailing = axes.every((a, i) => a === inputShape.length - axes.length + i);
  return trailing ? null : inputShape.map((d, i) => (axes.includes(i) ? d : 1));
}

/** Throws, naming `label`, unless inputs of `shape` have the rank and the dimensions at `axes` of `built`, which weights spanning `axes` were made for. */
export function checkWeightAxes(label: string, axes: readonly number[], shape: Shape, built: Shape): void {
  if (shape.length !== built.length || axes.some((a) => shape[a] !== built[a])) {
    const dims = axes.map((a) => `${a}: ${built[a]}`).join(', ');
    throw new Error(`${label}: expected inputs of rank ${built.length} with dimensions {${dims}} (it was built for shape ${formatShape(withUnknownBatch(built).map((d) => d ?? -1))}, -1: any), got shape ${formatShape(shape)}`);
  }
}

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

/** Keras's epsilon in a weighted mean's count: a count of 0 gives 0, not NaN. */
const COUNT_EPSILON = 1e-7;

/**
 * The moments of the entries of `x` that `weights` (1s and 0s, broadcast against x) keep, as
 * Keras's BatchNormalization computes them for a masked input; `centered` is every entry less
 * that mean.
 */
export function weightedCenteredMoments(x: Tensor, axes: readonly number[], weights: Tensor): CenteredMoments {
  const spread = broadcastTo(weights, x.shape);
  const count = add(sum(spread, axes, true), COUNT_EPSILON);
  const average = div(sum(mul(x, spread), axes, true), count);
  const centered = sub(x, average);
  return { mean: average, variance: div(sum(mul(square(centered), spread), axes, true), count), centered };
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
