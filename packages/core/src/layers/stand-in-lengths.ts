import { tidy } from '../engine/memory.js';
import { zeros } from '../ops/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import type { LayerOutput, OutputShape } from './call-signature.js';
import { asDryRun } from './dry-run.js';
import { isShapeList, type SymbolicShape } from './symbolic-shape.js';

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

/**
 * The output shape `run` gives on zeros of `inputShape` (a list for a layer of several outputs),
 * the batch the input's: what a layer's default computeOutputShape learns by running. With an
 * unknown length it runs at both stand-ins, and what differs between them is unknown (null).
 */
export function outputShapeByDryRun(inputShape: SymbolicShape | readonly SymbolicShape[], run: (inputs: Tensor | Tensor[]) => LayerOutput): OutputShape {
  const shapes = isShapeList(inputShape) ? inputShape : [inputShape];
  let asList = false;
  const outputShapes = (length: number): Shape[] => asDryRun(() => tidy(() => {
    const inputs = shapes.map((s) => zeros(standInShape(s, length)));
    const output = run(isShapeList(inputShape) ? inputs : inputs[0]!);
    asList = Array.isArray(output);
    return [output].flat().map((t) => t.shape);
  }));
  const short = outputShapes(STAND_IN_LENGTHS[0]);
  const long = shapes.some(hasUnknownLength) ? outputShapes(STAND_IN_LENGTHS[1]) : short;
  const batch = shapes[0]?.[0] ?? null;
  const result = short.map((s, i) => unknownWhereDiffering(batch, s, long[i]!));
  return asList ? result : result[0]!;
}
