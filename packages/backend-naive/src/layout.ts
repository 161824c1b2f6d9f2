import type { Shape } from '@perceptron/core';

/*
 * Row-major layout: a tensor of shape [d0, d1, ..., dn] is stored flat, last dimension
 * fastest. The element at coordinates [c0, ..., cn] lives at Σ c_i * strides[i], where
 * strides[i] is the product of the dimensions after i.
 */

/** Number of elements in a tensor of `shape` (1 for a scalar, 0 if any dimension is 0). */
export function sizeOf(shape: Shape): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

/** Row-major strides of `shape`: how far apart consecutive entries of each dimension are. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = stride;
    stride *= shape[d];
  }
  return strides;
}

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
