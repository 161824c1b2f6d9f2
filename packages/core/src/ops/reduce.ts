import type { Backend, ReduceKernelName } from '../backend/backend.js';
import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { refuseBool } from '../util/dtype.js';
import { formatShape, normalizeAxes, normalizeAxis, sizeOf } from '../util/shape.js';
import { add, div, mul } from './arithmetic.js';
import { broadcastTo } from './broadcast-to.js';
import { cast } from './cast.js';
import { equal, less, notEqual } from './compare.js';
import { zerosLike } from './creation.js';
import { where } from './where.js';
import { withTensors, type TensorLike } from './convert.js';
import { reshape } from './reshape.js';
import { runOp, type GradientFn } from './run-op.js';

export type Axis = number | readonly number[];

/** Shape after reducing `axes`: removed, or kept as 1s. */
function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  return keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

/** Runs a reduction kernel, then restores reduced axes as 1s when `keepDims`. */
function reduceKernel(backend: Backend, name: ReduceKernelName, x: Tensor, axes: number[], shape: number[]): unknown {
  const reduced = backend[name](x, axes);
  if (shape.length === x.rank - axes.length) return reduced;
  const kept = backend.reshape({ handle: reduced, shape: reducedShape(x.shape, axes, false), dtype: x.dtype }, shape);
  backend.disposeHandle(reduced);
  return kept;
}

function reduceOp(name: ReduceKernelName, x: TensorLike, axis: Axis | undefined, keepDims: boolean, gradient: (axes: number[]) => GradientFn): Tensor {
  return withTensors(name, [x], (t) => {
    refuseBool(name, t.dtype);
    const axes = normalizeAxes(name, axis, t.rank);
    if (name !== 'sum' && axes.some((a) => t.shape[a] === 0)) {
      throw new Error(`${name}: cannot reduce an empty dimension of shape ${formatShape(t.shape)}`);
    }
    const shape = reducedShape(t.shape, axes, keepDims);
    return runOp({ name, inputs: [t], shape, dtype: t.dtype, attrs: { axes, keepDims }, kernel: (backend) => reduceKernel(backend, name, t, axes, shape), gradient: gradient(axes) });
  });
}

/** `dy` reshaped to the kept-dims shape and broadcast back over the reduced axes. */
function spread(dy: Tensor, input: Tensor, axes: number[]): Tensor {
  return broadcastTo(reshape(dy, reducedShape(input.shape, axes, true)), input.shape);
}

/** Sum over `axis` (all axes when omitted). */
export function sum(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  return reduceOp('sum', x, axis, keepDims, (axes) => (dy, { inputs: [t] }) => [spread(dy, t!, axes)]);
}

/** Mean over `axis` (all axes when omitted). */
export function mean(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  return withTensors('mean', [x], (t) => {
    const axes = normalizeAxes('mean', axis, t.rank);
    const count = sizeOf(axes.map((a) => t.shape[a]!));
    // tidy frees the sum when no tape holds it (as every op frees its intermediates).
    return tidy(() => (t.dtype === 'int32' ? truncatedDiv(sum(t, axes, keepDims), count) : div(sum(t, axes, keepDims), count)));
  });
}

/**
 * int32 a / n for n >= 0, rounded towards zero as TensorFlow's integer mean is (int32 div
 * floors): the floor, plus one where a negative a leaves a remainder. No negation, so -2^31
 * cannot wrap.
 */
function truncatedDiv(a: Tensor, n: number): Tensor {
  const floored = div(a, n);
  const remainder = notEqual(mul(floored, n), a);
  return add(floored, cast(where(less(a, 0), remainder, zerosLike(remainder)), 'int32'));
}

/**
 * The gradient of max/min: it flows to the elements equal to the result, shared equally among
 * ties, as TensorFlow does.
 */
function extremumGradient(axes: number[]): GradientFn {
  return (dy, { inputs: [t], output }) => {
    const hits = cast(equal(t!, spread(output, t!, axes)), 'float32');
    const count = spread(sum(hits, axes), t!, axes);
    return [div(mul(spread(dy, t!, axes), hits), count)];
  };
}

/** The largest element over `axis` (every axis when left out). Ties share the gradient equally, as in TensorFlow. */
export function max(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  return reduceOp('max', x, axis, keepDims, extremumGradient);
}

/** The smallest element over `axis` (every axis when left out). Ties share the gradient equally, as in TensorFlow. */
export function min(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  return reduceOp('min', x, axis, keepDims, extremumGradient);
}

/** The axis an arg-reduction (argMax, argMin) runs along, checked: it must hold a value. */
export function argAxis(op: string, t: Tensor, axis: number): number {
  const at = normalizeAxis(op, axis, t.rank);
  if (t.shape[at] === 0) throw new Error(`${op}: axis ${at} of shape ${formatShape(t.shape)} is empty`);
  return at;
}

/** Index (int32) of the largest value along `axis` (default 0); no gradient. */
export function argMax(x: TensorLike, axis = 0): Tensor {
  return withTensors('argMax', [x], (t) => {
    const at = argAxis('argMax', t, axis);
    return runOp({
      name: 'argMax', inputs: [t], shape: t.shape.filter((_, i) => i !== at), dtype: 'int32', attrs: { axis: at },
      kernel: (backend) => backend.argMax(t, at), gradient: 'not-differentiable',
    });
  });
}
