import type { RandomGenerator } from '../random/generator.js';
import { describeValue } from '../util/arguments.js';

/** A factor as Keras takes it: f for [−f, f], or [lower, upper]. */
export type Factor = number | readonly [number, number];

/** `value` as [lower, upper] (a number f in [0, limit] is [−f, f]), both within [lowest, limit]; else an error naming the layer and option. */
export function factorRange(owner: string, option: string, value: unknown, limit: number, lowest = -limit): [number, number] {
  const range = typeof value === 'number' && value >= 0 && value <= limit ? [-value, value] : value;
  if (!Array.isArray(range) || range.length !== 2 || !range.every((v) => typeof v === 'number' && v >= lowest && v <= limit) || range[0] > range[1]) {
    const floor = lowest < 0 ? `−${-lowest}` : `${lowest}`;
    throw new Error(`${owner}: ${option} must be a number in [0, ${limit}] or [lower, upper] with ${floor} ≤ lower ≤ upper ≤ ${limit}, got ${describeValue(value)}`);
  }
  return [range[0] as number, range[1] as number];
}

/**
 * `value` as [lower, upper] where a number f in [0, limit] means [0, f], as Keras documents its
 * colour layers' factors; a pair lies within [lowest, limit]. Else an error naming the layer and option.
 */
export function zeroBasedRange(owner: string, option: string, value: unknown, limit: number, lowest = 0): [number, number] {
  return factorRange(owner, option, typeof value === 'number' && value >= 0 && value <= limit ? [0, value] : value, limit, lowest);
}

/** Whether a random layer's first argument is its whole config, rather than its factor (a number or a [lower, upper] pair). */
export function isConfig<C extends object>(first: Factor | C): first is C {
  return typeof first === 'object' && !Array.isArray(first);
}

/** A draw uniform in [lower, upper). */
export const uniform = (generator: RandomGenerator, [lower, upper]: readonly [number, number]): number => lower + (upper - lower) * generator.nextFloat();
