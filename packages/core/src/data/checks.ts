import { describeValue, type Requirement } from '../util/arguments.js';

// Requirements on the numeric arguments of Dataset methods, in util/arguments.ts's wording.
export const INTEGER: Requirement = ['an integer', (x) => Number.isInteger(x)];
export const POSITIVE_INTEGER: Requirement = ['a positive integer', (x) => x > 0 && Number.isInteger(x)];

/** Throws, naming `owner` and `argument`, unless `value` is a function: at call time, not mid-iteration. */
export function checkFunction(owner: string, argument: string, value: unknown): void {
  if (typeof value !== 'function') throw new Error(`${owner}: ${argument} must be a function, got ${describeValue(value)}`);
}
