import type { Shape } from '@perceptron/core';
import { stridedPositions, stridesOf } from './layout.js';

/**
 * NumPy broadcasting: line the two shapes up at their last dimension; a missing leading
 * dimension or a dimension of size 1 is stretched to the output's size by repeating the
 * input. For example [2, 3] + [3] adds the row to both rows, and [2, 1] + [1, 3] gives
 * [2, 3] with out[i][j] = a[i][0] + b[0][j].
 *
 * Repeating is just never moving: a stretched dimension gets stride 0, so every output
 * coordinate along it reads the same input element. Returns where each output element reads
 * the input, or null when the shapes are equal and it reads the same position.
 */
export function broadcastPositions(inShape: Shape, outShape: Shape): Int32Array | null {
  const sameShape = inShape.length === outShape.length && inShape.every((dim, d) => dim === outShape[d]);
  if (sameShape) return null;

  const inStrides = stridesOf(inShape);
  const missing = outShape.length - inShape.length;
  const strides = outShape.map((_, d) => {
    const inDim = d - missing;
    return inDim < 0 || inShape[inDim] === 1 ? 0 : inStrides[inDim];
  });
  return stridedPositions(outShape, strides);
}
