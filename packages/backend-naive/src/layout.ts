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
 * array? This returns a function taking the flat index in `shape` to `offset + Σ c_d *
 * strides[d]`, where c_d are the element's coordinates.
 *
 * Most movement kernels are this one idea with different strides: transpose permutes the
 * input's strides, slice adds an offset, broadcasting uses stride 0 for repeated dimensions,
 * and a reduction uses stride 0 for the axes it sums away.
 */
export function stridedIndexer(
  shape: Shape, strides: readonly number[], offset = 0,
): (flatIndex: number) => number {
  return (flatIndex) => {
    let index = offset;
    let rest = flatIndex;
    // Peel coordinates off from the last (fastest-varying) dimension.
    for (let d = shape.length - 1; d >= 0; d--) {
      const coordinate = rest % shape[d];
      rest = (rest - coordinate) / shape[d];
      index += coordinate * strides[d];
    }
    return index;
  };
}
