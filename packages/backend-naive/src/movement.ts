import type { Shape } from '@perceptron/core';
import { broadcastPositions } from './broadcast.js';
import { sizeOf, stridedPositions, stridesOf } from './layout.js';
import { allocate, type NaiveHandle, type NaiveTensor } from './storage.js';

/*
 * Kernels that move values without computing on them. Each walks one array in row-major
 * order and finds the matching position in the other with `stridedPositions`.
 */

/** Output dimension d is input dimension perm[d]; so is its stride into the input. */
export function transpose(x: NaiveTensor, perm: readonly number[]): NaiveHandle {
  const inStrides = stridesOf(x.shape);
  const outShape = perm.map((axis) => x.shape[axis]);
  const fromInput = stridedPositions(outShape, perm.map((axis) => inStrides[axis]));
  const out = allocate(x.dtype, x.handle.length);
  for (let i = 0; i < out.length; i++) out[i] = x.handle[fromInput[i]];
  return out;
}

/** The box of `size` starting at `begin`: input strides, offset to the box's first corner. */
export function slice(x: NaiveTensor, begin: readonly number[], size: readonly number[]): NaiveHandle {
  // A box of whole rows (a batch of samples, say) is one run of adjacent memory: copy it at once.
  if (isContiguous(x.shape, size)) {
    const start = offsetOf(begin, x.shape);
    return x.handle.slice(start, start + sizeOf(size));
  }
  const fromInput = stridedPositions(size, stridesOf(x.shape), offsetOf(begin, x.shape));
  const out = allocate(x.dtype, sizeOf(size));
  for (let i = 0; i < out.length; i++) out[i] = x.handle[fromInput[i]];
  return out;
}

/**
 * True when a box of `size` is adjacent in memory: after the first dimension it cuts, every
 * dimension is taken whole, and before it every dimension has size 1.
 */
function isContiguous(shape: Shape, size: readonly number[]): boolean {
  const firstCut = size.findIndex((s, d) => s !== shape[d]);
  if (firstCut < 0) return true;
  return size.every((s, d) => (d < firstCut ? s === 1 : d > firstCut ? s === shape[d] : true));
}

/** Repeats size-1 dimensions of `x` to reach `shape` (see broadcast.ts). */
export function broadcastTo(x: NaiveTensor, shape: Shape): NaiveHandle {
  const fromInput = broadcastPositions(x.shape, shape);
  const out = allocate(x.dtype, sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = x.handle[fromInput ? fromInput[i] : i];
  return out;
}

/** Fills the output with `value`, then writes `x` into it after the `before` paddings. */
export function pad(x: NaiveTensor, paddings: readonly (readonly [number, number])[], value: number): NaiveHandle {
  const outShape = x.shape.map((dim, d) => paddings[d][0] + dim + paddings[d][1]);
  const out = allocate(x.dtype, sizeOf(outShape)).fill(value);
  writeBox(out, outShape, x, paddings.map(([before]) => before));
  return out;
}

/** Writes each input after the previous one along `axis`. */
export function concat(xs: readonly NaiveTensor[], axis: number): NaiveHandle {
  const outShape = [...xs[0].shape];
  outShape[axis] = xs.reduce((total, x) => total + x.shape[axis], 0);
  const out = allocate(xs[0].dtype, sizeOf(outShape));
  const corner = outShape.map(() => 0);
  for (const x of xs) {
    writeBox(out, outShape, x, corner);
    corner[axis] += x.shape[axis];
  }
  return out;
}

/** Copies all of `x` into the box of `out` (shape `outShape`) whose first corner is `corner`:
 *  slice in reverse, walking the input and indexing into the output. */
function writeBox(out: NaiveHandle, outShape: Shape, x: NaiveTensor, corner: readonly number[]): void {
  const toOutput = stridedPositions(x.shape, stridesOf(outShape), offsetOf(corner, outShape));
  for (let i = 0; i < x.handle.length; i++) out[toOutput[i]] = x.handle[i];
}

/** Flat index of the element at `coordinates` in a tensor of `shape`. */
function offsetOf(coordinates: readonly number[], shape: Shape): number {
  const strides = stridesOf(shape);
  return coordinates.reduce((offset, c, d) => offset + c * strides[d], 0);
}
