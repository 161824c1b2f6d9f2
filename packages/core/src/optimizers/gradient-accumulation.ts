import { add, div } from '../ops/arithmetic.js';
import { zerosLike } from '../ops/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { describeValue } from '../util/arguments.js';

/**
 * Keras's `gradient_accumulation_steps`: undefined when off (unset or 0, Keras's falsy value),
 * otherwise an integer of at least 2 (one step would be no accumulation at all).
 */
export function accumulationStepsOf(owner: string, steps: number | undefined): number | undefined {
  if (steps === undefined || steps === 0) return undefined;
  if (!(Number.isInteger(steps) && steps >= 2)) throw new Error(`${owner}: gradientAccumulationSteps must be an integer >= 2, got ${describeValue(steps)}`);
  return steps;
}

/** accumulator += gradient, on the steps that only gather. */
export function accumulate(accumulator: Variable, gradient: Tensor): void {
  accumulator.assign(add(accumulator, gradient));
}

/** (gradient + accumulator) / steps: the mean gradient over the `steps` batches an update spans. */
export function accumulatedMean(gradient: Tensor, accumulator: Variable, steps: number): Tensor {
  return div(add(gradient, accumulator), steps);
}

/** Empties an accumulator once its update is applied. */
export function resetAccumulator(accumulator: Variable): void {
  accumulator.assign(zerosLike(accumulator));
}
