import { sizeOf, stridesOf, type KernelTensor, type Shape } from '@perceptron/core';
import type { Float32Source } from './array-pool.js';

/** Runs this short are copied by a loop: a `subarray` and a `set` cost more than the copy. */
const SHORT_RUN = 32;

/**
 * Copies the box `box` (a shape) of the row-major array `from` (shape `fromShape`), whose first
 * corner there is `fromCorner`, into `to` (shape `toShape`) at `toCorner`, a run of adjacent
 * memory at a time: the box's last dimension and the whole dimensions before it (whole in both
 * arrays) are one run, and only the coordinates above them are walked. The naive kernels
 * compute an index per value instead, which made the slices of a recurrent layer's steps, and
 * their gradients (pads), a large part of its training step.
 */
function copyBox(from: Float32Array, fromShape: Shape, fromCorner: readonly number[], to: Float32Array, toShape: Shape, toCorner: readonly number[], box: Shape): void {
  const rank = box.length;
  if (sizeOf(box) === 0) return;
  // Dimensions from `runFrom` on make one run; the one before it may be cut, the rest are whole.
  let runFrom = Math.max(rank - 1, 0);
  while (runFrom > 0 && box[runFrom]! === fromShape[runFrom] && box[runFrom]! === toShape[runFrom]) runFrom--;
  const run = box.slice(runFrom).reduce((a, b) => a * b, 1);
  const fromStrides = stridesOf(fromShape);
  const toStrides = stridesOf(toShape);
  const offset = (corner: readonly number[], strides: readonly number[]) => corner.reduce((sum, c, d) => sum + c * strides[d]!, 0);

  const walk = (dim: number, fromAt: number, toAt: number): void => {
    if (dim === runFrom) {
      if (run <= SHORT_RUN) for (let k = 0; k < run; k++) to[toAt + k] = from[fromAt + k]!;
      else to.set(from.subarray(fromAt, fromAt + run), toAt);
      return;
    }
    for (let i = 0; i < box[dim]!; i++) walk(dim + 1, fromAt + i * fromStrides[dim]!, toAt + i * toStrides[dim]!);
  };
  walk(0, offset(fromCorner, fromStrides), offset(toCorner, toStrides));
}

const origin = (rank: number): number[] => new Array<number>(rank).fill(0);

/** The float32 box of `size` from `begin` of `x`, or null for other dtypes. */
export function slice(x: KernelTensor, begin: readonly number[], size: Shape, float32: Float32Source): Float32Array | null {
  if (x.dtype !== 'float32') return null;
  const out = float32(sizeOf(size));
  copyBox(x.handle as Float32Array, x.shape, begin, out, size, origin(size.length), size);
  return out;
}

/** Float32 `x` with `paddings[d] = [before, after]` values of `value` around each dimension, or null for other dtypes. */
export function pad(x: KernelTensor, paddings: readonly (readonly [number, number])[], value: number, float32: Float32Source): Float32Array | null {
  if (x.dtype !== 'float32') return null;
  const outShape = x.shape.map((dim, d) => paddings[d]![0] + dim + paddings[d]![1]);
  const out = float32(sizeOf(outShape)).fill(value);
  copyBox(x.handle as Float32Array, x.shape, origin(x.shape.length), out, outShape, paddings.map(([before]) => before), x.shape);
  return out;
}

/** Float32 tensors joined along `axis`, or null for other dtypes. */
export function concat(xs: readonly KernelTensor[], axis: number, float32: Float32Source): Float32Array | null {
  if (xs[0]!.dtype !== 'float32') return null;
  const outShape = [...xs[0]!.shape];
  outShape[axis] = xs.reduce((total, x) => total + x.shape[axis]!, 0);
  const out = float32(sizeOf(outShape));
  const corner = origin(outShape.length);
  for (const x of xs) {
    copyBox(x.handle as Float32Array, x.shape, origin(x.shape.length), out, outShape, corner, x.shape);
    corner[axis]! += x.shape[axis]!;
  }
  return out;
}
