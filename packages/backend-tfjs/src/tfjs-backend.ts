import * as tf from '@tensorflow/tfjs-core';
import type {
  Backend, BinaryKernelName, Conv2DGeometry, DataArray, DType, FusedActivation, KernelTensor, Pool2DGeometry, Shape, UnaryKernelName,
} from '@perceptron/core';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput, fusedConv2d } from './convolution.js';
import { depthwiseConv2d, depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput, fusedDepthwiseConv2d } from './depthwise-convolution.js';
import { avgPool2d, avgPool2dBackprop, maxPool2d, maxPool2dBackprop } from './pooling.js';
import { castTo, ownedArray, withDType } from './dtype.js';
import { BINARY_OPS, UNARY_OPS, isComparison } from './elementwise.js';
import { addBiasAndActivate, biasThenActivation } from './fused-bias.js';
import { gatherIsFasterOnHost, gatherOnHost } from './gather-on-host.js';
import { INT32_FORMULAS, int32OnHost, type Int32Formula } from './int32-on-host.js';
import { blockedMatMul, blockedSum, reducedLength, REDUCTION_BLOCK } from './long-reductions.js';
import { releaseTfjsBackend } from './release-backend.js';
import { sliceFromHeap } from './slice-from-heap.js';

/** The tfjs backends this package adapts. */
export type TfjsBackendName = 'cpu' | 'wasm' | 'webgl';

type T = KernelTensor<tf.Tensor>;
type Reducer = (x: tf.Tensor, axes: number[]) => tf.Tensor;

/** k of a product whose left operand (2-D, or 3-D with a batch) is `a`. */
function innerDimension(a: T, transposeA: boolean): number {
  const rank = a.shape.length;
  return a.shape[transposeA ? rank - 2 : rank - 1]!;
}

/**
 * A Perceptron backend whose handles are tfjs tensors living on one tfjs backend. Built by
 * `createTfjsBackend` once tfjs has initialised that backend.
 */
export class TfjsBackend implements Backend<tf.Tensor> {
  /**
   * The filter gradients of the convolutions, only on tfjs-webgl: tfjs-wasm registers no kernel
   * for them (4.22), and tfjs-cpu's walk every filter tap over the whole batch through
   * TensorBuffer lookups (1.2 s for [32, 13, 13, 16] by a 3×3 filter to 16 channels, against
   * 45 ms for core's im2col and matrix product; 74 ms for its depthwise one), so core composes
   * them there.
   */
  readonly conv2dBackpropFilter?: (x: T, dy: T, geometry: Conv2DGeometry) => tf.Tensor;
  readonly depthwiseConv2dBackpropFilter?: (x: T, dy: T, geometry: Conv2DGeometry) => tf.Tensor;

  /** Left out where tfjs registers no kernel for it (tfjs-wasm 4.22), so that core composes it there. */
  readonly depthwiseConv2dBackpropInput?: (dy: T, filter: T, geometry: Conv2DGeometry) => tf.Tensor;

  /**
   * Only on tfjs-cpu, whose MaxPoolGrad gives a tie to the first maximum of the window, as
   * TensorFlow's does; tfjs-wasm's and tfjs-webgl's give it to the last (they compare with >=,
   * 4.22), so core composes the gradient there.
   */
  readonly maxPool2dBackprop?: (dy: T, x: T, geometry: Pool2DGeometry) => tf.Tensor;

  constructor(
    readonly name: string,
    readonly tfName: TfjsBackendName,
    readonly floatPrecision: 16 | 32,
  ) {
    if (tfName === 'webgl') {
      this.conv2dBackpropFilter = (x, dy, geometry) => this.run(() => conv2dBackpropFilter(x.handle, dy.handle, geometry));
      this.depthwiseConv2dBackpropFilter = (x, dy, geometry) => this.run(() => depthwiseConv2dBackpropFilter(x.handle, dy.handle, geometry));
    }
    if (tf.getKernel(tf.DepthwiseConv2dNativeBackpropInput, tfName)) {
      this.depthwiseConv2dBackpropInput = (dy, filter, geometry) => this.run(() => depthwiseConv2dBackpropInput(dy.handle, filter.handle, geometry));
    }
    if (tfName === 'cpu') this.maxPool2dBackprop = (dy, x, geometry) => this.run(() => maxPool2dBackprop(dy.handle, x.handle, geometry));
  }

  /**
   * Runs tfjs ops on this adapter's tfjs backend and frees their intermediates. All tfjs
   * backends share one global engine whose active backend decides where new tensors go, and
   * another adapter may have switched it since our last call.
   */
  private run<R extends tf.Tensor | tf.Tensor[]>(ops: () => R): R {
    // setBackend only awaits while initialising a backend; create() already did that, so the
    // switch happens synchronously and the returned promise carries nothing.
    if (tf.getBackend() !== this.tfName) void tf.setBackend(this.tfName);
    return tf.tidy(ops);
  }

  // Storage.

  upload(values: DataArray, shape: Shape, dtype: DType): tf.Tensor {
    // tfjs-cpu keeps the very array it is given; copy so the caller may reuse theirs.
    return this.run(() => tf.tensor(values.slice(), [...shape], dtype));
  }

  read(x: T): DataArray {
    return ownedArray(x.handle.dataSync(), x.dtype);
  }

  async readAsync(x: T): Promise<DataArray> {
    return ownedArray(await x.handle.data(), x.dtype);
  }

  disposeHandle(handle: tf.Tensor): void {
    handle.dispose();
  }

  /** Frees tfjs's backend (see releaseTfjsBackend); core's disposeBackend calls this. */
  dispose(): void {
    releaseTfjsBackend(this.tfName);
  }

  // Elementwise: each delegates to the tables in elementwise.ts.

  neg(x: T): tf.Tensor { return this.unary('neg', x); }
  abs(x: T): tf.Tensor { return this.unary('abs', x); }
  sign(x: T): tf.Tensor { return this.unary('sign', x); }
  exp(x: T): tf.Tensor { return this.unary('exp', x); }
  log(x: T): tf.Tensor { return this.unary('log', x); }
  sqrt(x: T): tf.Tensor { return this.unary('sqrt', x); }
  square(x: T): tf.Tensor { return this.unary('square', x); }
  relu(x: T): tf.Tensor { return this.unary('relu', x); }
  sigmoid(x: T): tf.Tensor { return this.unary('sigmoid', x); }
  tanh(x: T): tf.Tensor { return this.unary('tanh', x); }
  sin(x: T): tf.Tensor { return this.unary('sin', x); }
  cos(x: T): tf.Tensor { return this.unary('cos', x); }
  floor(x: T): tf.Tensor { return this.unary('floor', x); }
  ceil(x: T): tf.Tensor { return this.unary('ceil', x); }
  round(x: T): tf.Tensor { return this.unary('round', x); }

  add(a: T, b: T, outShape: Shape): tf.Tensor { return this.binary('add', a, b, outShape); }
  sub(a: T, b: T, outShape: Shape): tf.Tensor { return this.binary('sub', a, b, outShape); }
  mul(a: T, b: T, outShape: Shape): tf.Tensor { return this.binary('mul', a, b, outShape); }
  div(a: T, b: T, outShape: Shape): tf.Tensor { return this.binary('div', a, b, outShape); }
  pow(a: T, b: T, outShape: Shape): tf.Tensor { return this.binary('pow', a, b, outShape); }
  maximum(a: T, b: T, outShape: Shape): tf.Tensor { return this.binary('maximum', a, b, outShape); }
  minimum(a: T, b: T, outShape: Shape): tf.Tensor { return this.binary('minimum', a, b, outShape); }
  equal(a: T, b: T, outShape: Shape): tf.Tensor { return this.binary('equal', a, b, outShape); }
  notEqual(a: T, b: T, outShape: Shape): tf.Tensor { return this.binary('notEqual', a, b, outShape); }
  less(a: T, b: T, outShape: Shape): tf.Tensor { return this.binary('less', a, b, outShape); }
  lessEqual(a: T, b: T, outShape: Shape): tf.Tensor { return this.binary('lessEqual', a, b, outShape); }
  greater(a: T, b: T, outShape: Shape): tf.Tensor { return this.binary('greater', a, b, outShape); }
  greaterEqual(a: T, b: T, outShape: Shape): tf.Tensor { return this.binary('greaterEqual', a, b, outShape); }

  // The tfjs ops may answer another dtype (int32 exp is float32, bool maximum is int32);
  // core's contract is the input's dtype, or bool for comparisons.
  private unary(name: UnaryKernelName, x: T): tf.Tensor {
    const formula = this.int32Formula(name, x.dtype);
    if (formula) return this.run(() => int32OnHost(formula, [x.handle], x.shape));
    return this.run(() => withDType(UNARY_OPS[name](x.handle), x.dtype));
  }

  private binary(name: BinaryKernelName, a: T, b: T, outShape: Shape): tf.Tensor {
    const formula = this.int32Formula(name, a.dtype);
    if (formula) return this.run(() => int32OnHost(formula, [a.handle, b.handle], outShape));
    return this.run(() => withDType(BINARY_OPS[name](a.handle, b.handle), isComparison(name) ? 'bool' : a.dtype));
  }

  /**
   * The host formula for int32 arithmetic, where tfjs's own kernels are not exact (see
   * int32-on-host.ts). Not on tfjs-webgl: it keeps int32 tensors in float32 textures, so the
   * low bits are gone before the host could see them, and reading a texture back stalls the GPU.
   */
  private int32Formula(name: UnaryKernelName | BinaryKernelName, dtype: DType): Int32Formula | undefined {
    return dtype === 'int32' && this.tfName !== 'webgl' ? INT32_FORMULAS[name] : undefined;
  }

  /**
   * tf.where (tfjs 4.22) broadcasts all three inputs itself, so outShape is not needed.
   * tfjs-wasm's Select picks wrong values for bool operands (and can read past its memory), so
   * bool picks run on int32 and cast back.
   */
  where(condition: T, a: T, b: T): tf.Tensor {
    if (a.dtype !== 'bool') return this.run(() => tf.where(condition.handle, a.handle, b.handle));
    return this.run(() => tf.cast(tf.where(condition.handle, tf.cast(a.handle, 'int32'), tf.cast(b.handle, 'int32')), 'bool'));
  }

  cast(x: T, dtype: DType): tf.Tensor {
    return this.run(() => castTo(x.handle, dtype));
  }

  // Reductions.

  sum(x: T, axes: readonly number[]): tf.Tensor {
    if (this.sumsInOneChain(x.dtype, reducedLength(x.shape, axes))) return this.run(() => blockedSum(x.handle, axes));
    return this.reduce(tf.sum, x, axes);
  }
  max(x: T, axes: readonly number[]): tf.Tensor { return this.reduce(tf.max, x, axes); }
  min(x: T, axes: readonly number[]): tf.Tensor { return this.reduce(tf.min, x, axes); }

  private reduce(reducer: Reducer, x: T, axes: readonly number[]): tf.Tensor {
    // No axes means a copy; tfjs would read an empty list differently per op.
    if (axes.length === 0) return this.run(() => tf.clone(x.handle));
    // tfjs-wasm returns uninitialised memory when a reduced axis is empty; core only asks that
    // of sum, whose answer is 0.
    if (axes.some((axis) => x.shape[axis] === 0)) {
      return this.run(() => tf.zeros(x.shape.filter((_, i) => !axes.includes(i)), x.dtype));
    }
    return this.run(() => reducer(x.handle, [...axes]));
  }

  argMax(x: T, axis: number): tf.Tensor { return this.run(() => tf.argMax(x.handle, axis)); }
  cumsum(x: T, axis: number, exclusive: boolean, reverse: boolean): tf.Tensor { return this.run(() => tf.cumsum(x.handle, axis, exclusive, reverse)); }
  topkIndices(x: T, k: number): tf.Tensor { return this.run(() => tf.topk(x.handle, k).indices); }

  matMul(a: T, b: T, transposeA: boolean, transposeB: boolean): tf.Tensor {
    const inner = innerDimension(a, transposeA);
    if (inner === 0) {
      // A sum over nothing: zeros. tfjs-webgl crashes building a sampler for the empty operand.
      const shape = [a.shape[0]!, a.shape[transposeA ? 2 : 1]!, b.shape[transposeB ? 1 : 2]!];
      return this.run(() => tf.zeros(shape));
    }
    return this.run(() => this.product(a, b, transposeA, transposeB));
  }

  /** a·b with the transpose flags, as one tfjs product, or in blocks when tfjs would sum k in one float32 chain. */
  private product(a: T, b: T, transposeA: boolean, transposeB: boolean): tf.Tensor {
    const [left, right, tA, tB] = this.matMulOperands(a.handle, b.handle, transposeA, transposeB);
    if (this.sumsInOneChain(a.dtype, innerDimension(a, transposeA))) {
      // tfjs-wasm's operands are plain by now (matMulOperands transposed them).
      const [a3, b3] = [left, right].map((x) => (x.rank === 3 ? x : tf.expandDims(x, 0)));
      const blocked = blockedMatMul(a3!, b3!);
      return left.rank === 3 ? blocked : tf.squeeze(blocked, [0]);
    }
    return tf.matMul(left, right, tA, tB);
  }

  /**
   * Whether tfjs would add `length` values in one float32 chain long enough to drift: tfjs-wasm
   * does (tfjs-cpu adds JavaScript numbers, float64; tfjs-webgl reduces in a tree of windows).
   */
  private sumsInOneChain(dtype: DType, length: number): boolean {
    return this.tfName === 'wasm' && dtype === 'float32' && length > REDUCTION_BLOCK;
  }

  /**
   * tfjs-wasm multiplies plain operands through XNNPACK (~25 GFLOP/s here) but falls back to a
   * slow loop (~2 GFLOP/s) when a flag asks for a transposed operand, as every backward-pass
   * product does. Transposing the operand first costs one pass over it and keeps the fast path.
   */
  private matMulOperands(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): [tf.Tensor, tf.Tensor, boolean, boolean] {
    if (this.tfName !== 'wasm') return [a, b, transposeA, transposeB];
    const swapLast = (x: tf.Tensor) => tf.transpose(x, x.shape.map((_, i) => (i < x.rank - 2 ? i : 2 * x.rank - 3 - i)));
    return [transposeA ? swapLast(a) : a, transposeB ? swapLast(b) : b, false, false];
  }

  // Movement.

  reshape(x: T, shape: Shape): tf.Tensor {
    return this.run(() => tf.reshape(x.handle, [...shape]));
  }

  transpose(x: T, perm: readonly number[]): tf.Tensor {
    return this.run(() => tf.transpose(x.handle, [...perm]));
  }

  /** tfjs refuses to slice a scalar, which core allows (begin and size []): that slice is a copy. */
  slice(x: T, begin: readonly number[], size: readonly number[]): tf.Tensor {
    if (x.shape.length === 0) return this.run(() => tf.clone(x.handle));
    return this.run(() => (this.tfName === 'wasm' ? sliceFromHeap(x.handle, begin, size) : tf.slice(x.handle, [...begin], [...size])));
  }

  concat(xs: readonly T[], axis: number): tf.Tensor {
    return this.run(() => tf.concat(xs.map((x) => x.handle), axis));
  }

  /**
   * tfjs-wasm's pad kernel takes the value as a float32, so an int32 value float32 cannot hold
   * (beyond 2^24) loses its low bits. Such a value goes in through where, from an exact fill.
   * A scalar (paddings []), which tfjs refuses, is copied.
   */
  pad(x: T, paddings: readonly (readonly [number, number])[], value: number): tf.Tensor {
    if (x.shape.length === 0) return this.run(() => tf.clone(x.handle));
    const pads = paddings.map(([before, after]): [number, number] => [before, after]);
    if (x.dtype !== 'int32' || Math.fround(value) === value) return this.run(() => tf.pad(x.handle, pads, value));
    return this.run(() => {
      const padded = tf.pad(x.handle, pads, 0);
      const inside = tf.cast(tf.pad(tf.onesLike(x.handle), pads, 0), 'bool');
      return tf.where(inside, padded, tf.fill(padded.shape, value, 'int32'));
    });
  }

  broadcastTo(x: T, shape: Shape): tf.Tensor {
    return this.run(() => tf.broadcastTo(x.handle, [...shape]));
  }

  gather(x: T, indices: T, axis: number): tf.Tensor {
    return this.run(() => (gatherIsFasterOnHost(this.tfName, x.shape, indices.handle.size, axis) ? gatherOnHost(x.handle, indices.handle, axis) : tf.gather(x.handle, indices.handle, axis)));
  }

  /**
   * Built on scatterND, which adds duplicate indices, rather than tf.unsortedSegmentSum:
   * tfjs-wasm 4.22 has no UnsortedSegmentSum kernel. The leading (segment-id) dims of x
   * become one row dimension.
   */
  unsortedSegmentSum(x: T, segmentIds: T, numSegments: number): tf.Tensor {
    const rest = x.shape.slice(segmentIds.shape.length);
    return this.run(() => {
      const rows = segmentIds.handle.size;
      // Nothing to add: zeros. tfjs-webgl crashes building a sampler for an empty operand.
      if (rows === 0 || x.handle.size === 0) return tf.zeros([numSegments, ...rest], x.dtype);
      return tf.scatterND(tf.reshape(segmentIds.handle, [rows, 1]), tf.reshape(x.handle, [rows, ...rest]), [numSegments, ...rest]);
    });
  }

  /**
   * tfjs-wasm's OneHot kernel writes int32 whatever dtype is asked for and truncates the
   * on/off values, so build a 0/1 mask and pick the values with where, on the indices
   * flattened: tfjs-webgl's where takes at most rank 4.
   */
  /**
   * tfjs's int32 one-hot, made float32: tfjs-wasm's OneHot writes int32 bits whatever dtype it is
   * asked for, so values other than 1 and 0 are chosen by a where, whose broadcast scalars
   * tfjs-wasm's Select makes slow (26 ms for 346 K values); the 0/1 masks core's composites ask
   * for are a cast.
   */
  oneHot(indices: T, depth: number, onValue: number, offValue: number): tf.Tensor {
    return this.run(() => {
      const flat = tf.reshape(indices.handle, [-1]);
      // tf.oneHot refuses depth 1, whose one column is 1 where the index is 0.
      const mask = depth === 1 ? tf.expandDims(tf.equal(flat, 0), 1) : tf.oneHot(flat, depth);
      const values = onValue === 1 && offValue === 0
        ? tf.cast(mask, 'float32')
        : tf.where(tf.cast(mask, 'bool'), tf.scalar(onValue, 'float32'), tf.scalar(offValue, 'float32'));
      return tf.reshape(values, [...indices.shape, depth]);
    });
  }

  // Fused kernels.

  softmax(logits: T): tf.Tensor {
    return this.run(() => tf.softmax(logits.handle));
  }

  logSoftmax(logits: T): tf.Tensor {
    return this.run(() => tf.logSoftmax(logits.handle));
  }

  softmaxCrossEntropy(labels: T, logits: T): tf.Tensor {
    const rows = logits.shape.slice(0, -1);
    // No classes, no loss; tfjs-wasm would sum uninitialised memory (see reduce).
    if (logits.shape[rows.length] === 0) return this.run(() => tf.zeros(rows));
    return this.run(() => tf.neg(tf.sum(tf.mul(labels.handle, tf.logSoftmax(logits.handle)), -1)));
  }

  fusedMatMul(a: T, b: T, bias: T | null, activation: FusedActivation, transposeA: boolean, transposeB: boolean): tf.Tensor {
    // A product over nothing is zeros: tfjs-wasm's XNNPACK path returns garbage for it.
    if (innerDimension(a, transposeA) === 0) {
      return this.run(() => {
        const z = tf.zeros([a.shape[transposeA ? 1 : 0]!, b.shape[transposeB ? 0 : 1]!]);
        return addBiasAndActivate(z, bias, activation);
      });
    }
    return this.run(() => {
      if (this.sumsInOneChain(a.dtype, innerDimension(a, transposeA))) {
        return addBiasAndActivate(this.product(a, b, transposeA, transposeB), bias, activation);
      }
      const [left, right, tA, tB] = this.matMulOperands(a.handle, b.handle, transposeA, transposeB);
      return biasThenActivation(bias, activation, (fused) => tf.fused.matMul({ a: left, b: right, transposeA: tA, transposeB: tB, bias: fused }));
    });
  }

  fusedConv2d(x: T, filter: T, bias: T | null, activation: FusedActivation, geometry: Conv2DGeometry): tf.Tensor {
    return this.run(() => biasThenActivation(bias, activation, (fused) => fusedConv2d(x.handle, filter.handle, fused, geometry)));
  }

  fusedDepthwiseConv2d(x: T, filter: T, bias: T | null, activation: FusedActivation, geometry: Conv2DGeometry): tf.Tensor {
    return this.run(() => biasThenActivation(bias, activation, (fused) => fusedDepthwiseConv2d(x.handle, filter.handle, fused, geometry)));
  }

  conv2d(x: T, filter: T, geometry: Conv2DGeometry): tf.Tensor {
    return this.run(() => conv2d(x.handle, filter.handle, geometry));
  }

  conv2dBackpropInput(dy: T, filter: T, geometry: Conv2DGeometry): tf.Tensor {
    return this.run(() => conv2dBackpropInput(dy.handle, filter.handle, geometry));
  }

  depthwiseConv2d(x: T, filter: T, geometry: Conv2DGeometry): tf.Tensor {
    return this.run(() => depthwiseConv2d(x.handle, filter.handle, geometry));
  }

  maxPool2d(x: T, geometry: Pool2DGeometry): tf.Tensor {
    return this.run(() => maxPool2d(x.handle, geometry));
  }

  avgPool2d(x: T, geometry: Pool2DGeometry): tf.Tensor {
    return this.run(() => avgPool2d(x.handle, geometry));
  }

  avgPool2dBackprop(dy: T, geometry: Pool2DGeometry): tf.Tensor {
    return this.run(() => avgPool2dBackprop(dy.handle, geometry));
  }

  adamUpdate(variable: T, gradient: T, m: T, v: T, attrs: { lr: number; beta1: number; beta2: number; epsilon: number; step: number }): [tf.Tensor, tf.Tensor, tf.Tensor] {
    const { lr, beta1, beta2, epsilon, step } = attrs;
    const alpha = (lr * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
    const [next, nextM, nextV] = this.run(() => {
      const g = gradient.handle;
      const m1 = tf.add(m.handle, tf.mul(tf.sub(g, m.handle), 1 - beta1));
      const v1 = tf.add(v.handle, tf.mul(tf.sub(tf.square(g), v.handle), 1 - beta2));
      const update = tf.div(tf.mul(m1, alpha), tf.add(tf.sqrt(v1), epsilon));
      return [tf.sub(variable.handle, update), m1, v1];
    });
    return [next!, nextM!, nextV!];
  }
}
