import { sizeOf, stridesOf, type Shape } from '@perceptron/core';

/*
 * Row-major layout: a tensor of shape [d0, d1, ..., dn] is stored flat, last dimension
 * fastest. The element at coordinates [c0, ..., cn] lives at Σ c_i * strides[i], where
 * strides[i] is the product of the dimensions after i.
 */

// sizeOf (the product of the dimensions) and stridesOf (the products after each dimension) come
// from core, which computes them for its own shape checks.
export { sizeOf, stridesOf };

/**
 * Walking a tensor of `shape` in row-major order, where does each element sit in another
 * array? positions[i] = offset + Σ c_d · strides[d], where c_d are the coordinates of the
 * element at flat index i.
 *
 * Most movement kernels are this one idea with different strides: transpose permutes the
 * input's strides, slice adds an offset, broadcasting uses stride 0 for repeated dimensions,
 * and a reduction uses stride 0 for the axes it sums away.
 *
 * The positions are counted up like an odometer rather than divided out of each flat index:
 * a row of the last dimension at a time, then the next coordinate up moves one step.
 */
export function stridedPositions(shape: Shape, strides: readonly number[], offset = 0): Int32Array {
  const positions = new Int32Array(sizeOf(shape));
  if (positions.length === 0) return positions;
  const last = shape.length - 1;
  if (last < 0) {
    positions[0] = offset;
    return positions;
  }
  const rowLength = shape[last];
  const rowStride = strides[last];
  const coordinates = new Array<number>(last).fill(0);
  let rowStart = offset;
  for (let i = 0; i < positions.length; i += rowLength) {
    for (let k = 0; k < rowLength; k++) positions[i + k] = rowStart + k * rowStride;
    for (let d = last - 1; d >= 0; d--) {
      rowStart += strides[d];
      if (++coordinates[d] < shape[d]) break;
      rowStart -= strides[d] * shape[d];
      coordinates[d] = 0;
    }
  }
  return positions;
}
