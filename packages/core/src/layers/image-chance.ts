import type { RandomGenerator } from '../random/generator.js';
import { uniform, zeroBasedRange } from './factor-range.js';

/**
 * Keras's `factor` of the image layers that act on each image by chance (RandomPerspective,
 * RandomGaussianBlur, RandomErasing): a range of probabilities within [0, 1], a number f being
 * [0, f] as Keras's code reads it. So f = 1 acts on about half the images, [1, 1] on every one
 * (Keras's docs say both that f = 1 always acts and that a number f draws the probability from [0, f]).
 */
export const chanceRange = (owner: string, value: unknown): [number, number] => zeroBasedRange(owner, 'factor', value, 1);

/** Whether one image is acted on: a probability drawn from `range`, then a uniform draw below it, as Keras draws them. */
export function drawChance(generator: RandomGenerator, range: readonly [number, number]): boolean {
  const probability = uniform(generator, range);
  return generator.nextFloat() < probability;
}
