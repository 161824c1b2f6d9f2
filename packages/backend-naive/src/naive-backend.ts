import type { Backend, Conv2DGeometry, DataArray, DType, Pool2DGeometry, Shape } from '@perceptron/core';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from './convolution.js';
import { binary, cast, unary, where } from './elementwise.js';
import { gather, unsortedSegmentSum } from './gather.js';
import { matMul } from './matmul.js';
import { broadcastTo, concat, pad, slice, transpose } from './movement.js';
import { oneHot } from './one-hot.js';
import { avgPool2d, avgPool2dBackprop, maxPool2d, maxPool2dBackprop } from './pooling.js';
import { adamUpdate, type AdamAttributes } from './adam.js';
import { argMax, reduce } from './reduce.js';
import { cumsum } from './cumsum.js';
import { topkIndices } from './topk.js';
import { allocate, type NaiveHandle, type NaiveTensor as T } from './storage.js';

/**
 * The reference backend: every kernel is a plain loop over typed arrays (see the files it
 * imports). Of the optional fused kernels it offers `adamUpdate`, the six convolutions (full and
 * depthwise, each with its two gradients) and the four poolings, each a readable loop (a
 * convolution or a pooling is what its formula says, which im2col and the composites' gathers
 * hide); softmax, logSoftmax, softmaxCrossEntropy and fusedMatMul are left to core's composite
 * fallbacks, so those run and get tested.
 */
export class NaiveBackend implements Backend<NaiveHandle> {
  readonly name: string = 'naive';
  readonly floatPrecision = 32;

  // Storage. The caller may reuse the arrays it passes in and gets back, so both directions copy.
  upload(values: DataArray, _shape: Shape, dtype: DType): NaiveHandle {
    const stored = allocate(dtype, values.length);
    stored.set(values);
    return stored;
  }
  read(x: T): DataArray { return x.handle.slice(); }
  async readAsync(x: T): Promise<DataArray> { return this.read(x); }
  /** Nothing to free: the typed array is garbage-collected once no tensor refers to it. */
  disposeHandle(_handle: NaiveHandle): void {}

  neg(x: T): NaiveHandle { return unary('neg', x); }
  abs(x: T): NaiveHandle { return unary('abs', x); }
  sign(x: T): NaiveHandle { return unary('sign', x); }
  exp(x: T): NaiveHandle { return unary('exp', x); }
  log(x: T): NaiveHandle { return unary('log', x); }
  sqrt(x: T): NaiveHandle { return unary('sqrt', x); }
  square(x: T): NaiveHandle { return unary('square', x); }
  relu(x: T): NaiveHandle { return unary('relu', x); }
  sigmoid(x: T): NaiveHandle { return unary('sigmoid', x); }
  tanh(x: T): NaiveHandle { return unary('tanh', x); }
  sin(x: T): NaiveHandle { return unary('sin', x); }
  cos(x: T): NaiveHandle { return unary('cos', x); }
  floor(x: T): NaiveHandle { return unary('floor', x); }
  ceil(x: T): NaiveHandle { return unary('ceil', x); }
  round(x: T): NaiveHandle { return unary('round', x); }

  add(a: T, b: T, outShape: Shape): NaiveHandle { return binary('add', a, b, outShape); }
  sub(a: T, b: T, outShape: Shape): NaiveHandle { return binary('sub', a, b, outShape); }
  mul(a: T, b: T, outShape: Shape): NaiveHandle { return binary('mul', a, b, outShape); }
  div(a: T, b: T, outShape: Shape): NaiveHandle { return binary('div', a, b, outShape); }
  pow(a: T, b: T, outShape: Shape): NaiveHandle { return binary('pow', a, b, outShape); }
  maximum(a: T, b: T, outShape: Shape): NaiveHandle { return binary('maximum', a, b, outShape); }
  minimum(a: T, b: T, outShape: Shape): NaiveHandle { return binary('minimum', a, b, outShape); }
  equal(a: T, b: T, outShape: Shape): NaiveHandle { return binary('equal', a, b, outShape); }
  notEqual(a: T, b: T, outShape: Shape): NaiveHandle { return binary('notEqual', a, b, outShape); }
  less(a: T, b: T, outShape: Shape): NaiveHandle { return binary('less', a, b, outShape); }
  lessEqual(a: T, b: T, outShape: Shape): NaiveHandle { return binary('lessEqual', a, b, outShape); }
  greater(a: T, b: T, outShape: Shape): NaiveHandle { return binary('greater', a, b, outShape); }
  greaterEqual(a: T, b: T, outShape: Shape): NaiveHandle { return binary('greaterEqual', a, b, outShape); }

  where(condition: T, a: T, b: T, outShape: Shape): NaiveHandle { return where(condition, a, b, outShape); }
  cast(x: T, dtype: DType): NaiveHandle { return cast(x, dtype); }

  sum(x: T, axes: readonly number[]): NaiveHandle { return reduce('sum', x, axes); }
  max(x: T, axes: readonly number[]): NaiveHandle { return reduce('max', x, axes); }
  min(x: T, axes: readonly number[]): NaiveHandle { return reduce('min', x, axes); }
  argMax(x: T, axis: number): NaiveHandle { return argMax(x, axis); }
  cumsum(x: T, axis: number, exclusive: boolean, reverse: boolean): NaiveHandle { return cumsum(x, axis, exclusive, reverse); }
  topkIndices(x: T, k: number): NaiveHandle { return topkIndices(x, k); }

  matMul(a: T, b: T, transposeA: boolean, transposeB: boolean): NaiveHandle {
    return matMul(a, b, transposeA, transposeB);
  }

  /** Same values, new shape: row-major order is unchanged, and handles are never written, so
   *  the output can share the input's array. */
  reshape(x: T, _shape: Shape): NaiveHandle { return x.handle; }
  transpose(x: T, perm: readonly number[]): NaiveHandle { return transpose(x, perm); }
  slice(x: T, begin: readonly number[], size: readonly number[]): NaiveHandle { return slice(x, begin, size); }
  concat(xs: readonly T[], axis: number): NaiveHandle { return concat(xs, axis); }
  pad(x: T, paddings: readonly (readonly [number, number])[], value: number): NaiveHandle {
    return pad(x, paddings, value);
  }
  broadcastTo(x: T, shape: Shape): NaiveHandle { return broadcastTo(x, shape); }
  gather(x: T, indices: T, axis: number): NaiveHandle { return gather(x, indices, axis); }
  unsortedSegmentSum(x: T, segmentIds: T, numSegments: number): NaiveHandle {
    return unsortedSegmentSum(x, segmentIds, numSegments);
  }
  oneHot(indices: T, depth: number, onValue: number, offValue: number): NaiveHandle {
    return oneHot(indices, depth, onValue, offValue);
  }

  // An optimizer step in a single pass.
  adamUpdate(variable: T, gradient: T, m: T, v: T, attrs: AdamAttributes): [NaiveHandle, NaiveHandle, NaiveHandle] {
    return adamUpdate(variable, gradient, m, v, attrs);
  }

  // The convolutions, full and depthwise, and their gradients as the loops of their formulas (convolution.ts).
  conv2d(x: T, filter: T, geometry: Conv2DGeometry): NaiveHandle { return conv2d(x, filter, geometry, 'full'); }
  conv2dBackpropInput(dy: T, filter: T, geometry: Conv2DGeometry): NaiveHandle { return conv2dBackpropInput(dy, filter, geometry, 'full'); }
  conv2dBackpropFilter(x: T, dy: T, geometry: Conv2DGeometry): NaiveHandle { return conv2dBackpropFilter(x, dy, geometry, 'full'); }
  depthwiseConv2d(x: T, filter: T, geometry: Conv2DGeometry): NaiveHandle { return conv2d(x, filter, geometry, 'depthwise'); }
  depthwiseConv2dBackpropInput(dy: T, filter: T, geometry: Conv2DGeometry): NaiveHandle { return conv2dBackpropInput(dy, filter, geometry, 'depthwise'); }
  depthwiseConv2dBackpropFilter(x: T, dy: T, geometry: Conv2DGeometry): NaiveHandle { return conv2dBackpropFilter(x, dy, geometry, 'depthwise'); }

  // Max and average pooling and their gradients, walking the same windows (pooling.ts).
  maxPool2d(x: T, geometry: Pool2DGeometry): NaiveHandle { return maxPool2d(x, geometry); }
  maxPool2dBackprop(dy: T, x: T, geometry: Pool2DGeometry): NaiveHandle { return maxPool2dBackprop(dy, x, geometry); }
  avgPool2d(x: T, geometry: Pool2DGeometry): NaiveHandle { return avgPool2d(x, geometry); }
  avgPool2dBackprop(dy: T, geometry: Pool2DGeometry): NaiveHandle { return avgPool2dBackprop(dy, geometry); }
}
