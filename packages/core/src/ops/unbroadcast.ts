import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { broadcastedAxes } from '../util/shape.js';
import { reshape } from './reshape.js';
import { sum } from './reduce.js';

/**
 * Sums a gradient over the axes along which an input of `shape` was broadcast, so the gradient
 * has the input's shape again.
 */
export function unbroadcast(dy: Tensor, shape: Shape): Tensor {
  const axes = broadcastedAxes(shape, dy.shape);
  if (axes.length === 0) return dy;
  return reshape(sum(dy, axes), shape);
}
