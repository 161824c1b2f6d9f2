import type { Shape } from '../types.js';

/**
 * Fan-in and fan-out of a weight of `shape`, as Keras's `compute_fans`: a scalar counts 1 and 1,
 * a vector its length for both, a matrix [in, out]; a convolution kernel
 * [...receptiveField, in, out] multiplies both by the receptive field size.
 */
export function computeFans(shape: Shape): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  const receptiveField = shape.slice(0, -2).reduce((a, d) => a * d, 1);
  return { fanIn: shape[shape.length - 2]! * receptiveField, fanOut: shape[shape.length - 1]! * receptiveField };
}
