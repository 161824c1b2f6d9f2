import { add, mul } from '../ops/arithmetic.js';
import type { Variable } from '../tensor/variable.js';
import { describeValue, numberArgument, UNIT_INTERVAL } from '../util/arguments.js';

/**
 * Checks Keras's moving-average settings. As in Keras, only when `useEma` is on: they mean
 * nothing otherwise.
 */
export function checkMovingAverage(owner: string, momentum: number, overwriteFrequency: number | undefined): void {
  numberArgument(owner, 'emaMomentum', momentum, UNIT_INTERVAL);
  if (overwriteFrequency !== undefined && !(Number.isInteger(overwriteFrequency) && overwriteFrequency >= 1)) {
    throw new Error(`${owner}: emaOverwriteFrequency must be an integer >= 1 or null, got ${describeValue(overwriteFrequency)}`);
  }
}

/**
 * average = μ·average + (1 − μ)·variable. Keras takes μ = 0 while `iterations` is still 0, so
 * the average starts at the variable rather than at its zero initial value.
 */
export function updateAverage(average: Variable, variable: Variable, momentum: number): void {
  average.assign(add(mul(average, momentum), mul(variable, 1 - momentum)));
}
