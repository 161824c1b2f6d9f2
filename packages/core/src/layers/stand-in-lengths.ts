import type { Shape } from '../types.js';
import type { SymbolicShape } from './symbolic-shape.js';

/**
 * Lengths a dry run gives the unknown non-batch dimensions of a symbolic shape (`Input({shape:
 * [null, 8]})`: sequences of any length). Long enough for a 'valid' convolution or pooling
 * window, and twice apart so that a dimension which follows the length (even through a stride)
 * differs between the two runs while one that does not stays equal.
 */
export const STAND_IN_LENGTHS = [16, 32] as const;

/** A concrete shape for a dry run: an unknown batch becomes 1, any other unknown dimension `length`. */
export function standInShape(shape: SymbolicShape, length: number = STAND_IN_LENGTHS[0]): number[] {
  return shape.map((d, i) => d ?? (i === 0 ? 1 : length));
}

/** Whether a dimension other than the batch is unknown. */
export function hasUnknownLength(shape: SymbolicShape): boolean {
  return shape.some((d, i) => i > 0 && d === null);
}

/**
 * The symbolic output shape from the outputs of dry runs at the two stand-in lengths: the
 * batch is `batch`, and a dimension that differs between the runs follows the unknown length,
 * so it is unknown (null) too.
 */
export function unknownWhereDiffering(batch: number | null, short: Shape, long: Shape): SymbolicShape {
  return short.map((d, i) => (i === 0 ? batch : d === long[i] ? d : null));
}
