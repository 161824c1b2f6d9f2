import type { BinaryKernelName } from '../backend/backend.js';
import type { Tensor } from '../tensor/tensor.js';
import type { DType } from '../types.js';
import { broadcastShapes, formatShape } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { cast } from './cast.js';
import { greater, greaterEqual, less, lessEqual } from './compare.js';
import { runOp, type GradientFn } from './run-op.js';
import { unbroadcast } from './unbroadcast.js';
import { log, neg, square } from './unary.js';
import { where } from './where.js';
import { onesLike, zerosLike } from './creation.js';

/**
 * Runs a broadcasting binary kernel. Both operands must share a dtype; a literal operand takes
 * the dtype of the tensor one.
 */
export function binaryOp(
  name: BinaryKernelName, a: TensorLike, b: TensorLike,
  gradient: GradientFn | 'not-differentiable', outDType?: DType,
): Tensor {
  return withTensors(name, [a, b], (x, y) => {
    if (x.dtype !== y.dtype) {
      throw new Error(`${name}: operands must share a dtype, got ${x.dtype} ${formatShape(x.shape)} and ${y.dtype} ${formatShape(y.shape)}; cast one first`);
    }
    if (x.dtype === 'bool' && outDType !== 'bool') {
      throw new Error(`${name}: arithmetic needs float32 or int32 operands, got bool ${formatShape(x.shape)} and bool ${formatShape(y.shape)}; cast them first`);
    }
    const shape = broadcastShapes(name, x.shape, y.shape);
    return runOp({ name, inputs: [x, y], shape, dtype: outDType ?? x.dtype, kernel: (backend) => backend[name](x, y, shape), gradient });
  });
}

/** Casts a bool mask to float32 so it can scale a gradient. */
function maskOf(mask: Tensor): Tensor {
  return cast(mask, 'float32');
}

export function add(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('add', a, b, (dy, { inputs: [x, y] }) => [unbroadcast(dy, x!.shape), unbroadcast(dy, y!.shape)]);
}

export function sub(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('sub', a, b, (dy, { inputs: [x, y] }) => [unbroadcast(dy, x!.shape), unbroadcast(neg(dy), y!.shape)]);
}

export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('mul', a, b, (dy, { inputs: [x, y] }) => [
    unbroadcast(mul(dy, y!), x!.shape),
    unbroadcast(mul(dy, x!), y!.shape),
  ]);
}

/** Elementwise division; for int32 it rounds towards negative infinity, as tfjs does. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('div', a, b, (dy, { inputs: [x, y] }) => [
    unbroadcast(div(dy, y!), x!.shape),
    unbroadcast(neg(div(mul(dy, x!), square(y!))), y!.shape),
  ]);
}

/** `a ** b` elementwise. d/db uses log(a) where a > 0 and 0 elsewhere, as TensorFlow does. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('pow', a, b, (dy, { inputs: [x, y], output }) => {
    const dx = mul(dy, mul(y!, pow(x!, sub(y!, 1))));
    const positive = greater(x!, 0);
    const safeLog = where(positive, log(where(positive, x!, onesLike(x!))), zerosLike(x!));
    return [unbroadcast(dx, x!.shape), unbroadcast(mul(dy, mul(output, safeLog)), y!.shape)];
  });
}

/** The larger of a and b; ties send the gradient to a. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('maximum', a, b, (dy, { inputs: [x, y] }) => [
    unbroadcast(mul(dy, maskOf(greaterEqual(x!, y!))), x!.shape),
    unbroadcast(mul(dy, maskOf(less(x!, y!))), y!.shape),
  ]);
}

/** The smaller of a and b; ties send the gradient to a. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('minimum', a, b, (dy, { inputs: [x, y] }) => [
    unbroadcast(mul(dy, maskOf(lessEqual(x!, y!))), x!.shape),
    unbroadcast(mul(dy, maskOf(greater(x!, y!))), y!.shape),
  ]);
}
