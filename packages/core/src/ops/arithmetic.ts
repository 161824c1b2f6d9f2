import type { BinaryKernelName } from '../backend/backend.js';
import type { Tensor } from '../tensor/tensor.js';
import type { DType } from '../types.js';
import { broadcastShapes, formatShape } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { cast } from './cast.js';
import { greater, greaterEqual, less, lessEqual } from './compare.js';
import { runOp, type GradientFn, type SavedValues } from './run-op.js';
import { unbroadcast } from './unbroadcast.js';
import { log, neg, square } from './unary.js';
import { where } from './where.js';
import { onesLike, zerosLike } from './creation.js';

/**
 * d/da or d/db of a broadcasting op, shaped like its output: `binaryOp` sums it over the axes
 * that operand was broadcast along.
 */
type OperandGradient = (dy: Tensor, saved: SavedValues) => Tensor;

/**
 * Runs a broadcasting binary kernel. Both operands must share a dtype; a literal operand takes
 * the dtype of the tensor one. Of the two operand gradients, only those a tape needs are
 * computed: the other operand is often a constant (the bound of a clip, a target).
 */
export function binaryOp(
  name: BinaryKernelName, a: TensorLike, b: TensorLike,
  gradients: readonly [OperandGradient, OperandGradient] | 'not-differentiable', outDType?: DType,
): Tensor {
  return withTensors(name, [a, b], (x, y) => {
    if (x.dtype !== y.dtype) {
      throw new Error(`${name}: operands must share a dtype, got ${x.dtype} ${formatShape(x.shape)} and ${y.dtype} ${formatShape(y.shape)}; cast one first`);
    }
    if (x.dtype === 'bool' && outDType !== 'bool') {
      throw new Error(`${name}: arithmetic needs float32 or int32 operands, got bool ${formatShape(x.shape)} and bool ${formatShape(y.shape)}; cast them first`);
    }
    const shape = broadcastShapes(name, x.shape, y.shape);
    const gradient: GradientFn | 'not-differentiable' = gradients === 'not-differentiable'
      ? gradients
      : (dy, saved, needed) => gradients.map((operandGradient, i) => (needed[i] ? unbroadcast(operandGradient(dy, saved), saved.inputs[i]!.shape) : null));
    return runOp({ name, inputs: [x, y], shape, dtype: outDType ?? x.dtype, kernel: (backend) => backend[name](x, y, shape), gradient });
  });
}

/** Casts a bool mask to float32 so it can scale a gradient. */
function maskOf(mask: Tensor): Tensor {
  return cast(mask, 'float32');
}

/** a + b elementwise, broadcasting NumPy-style. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('add', a, b, [(dy) => dy, (dy) => dy]);
}

/** a − b elementwise, broadcasting NumPy-style. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('sub', a, b, [(dy) => dy, (dy) => neg(dy)]);
}

/** a · b elementwise, broadcasting NumPy-style. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('mul', a, b, [
    (dy, { inputs: [, y] }) => mul(dy, y!),
    (dy, { inputs: [x] }) => mul(dy, x!),
  ]);
}

/** Elementwise division; for int32 it rounds towards negative infinity, as tfjs does. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('div', a, b, [
    (dy, { inputs: [, y] }) => div(dy, y!),
    (dy, { inputs: [x, y] }) => neg(div(mul(dy, x!), square(y!))),
  ]);
}

/** `a ** b` elementwise. d/db uses log(a) where a > 0 and 0 elsewhere, as TensorFlow does. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('pow', a, b, [
    (dy, { inputs: [x, y] }) => mul(dy, mul(y!, pow(x!, sub(y!, 1)))),
    (dy, { inputs: [x], output }) => {
      const positive = greater(x!, 0);
      const safeLog = where(positive, log(where(positive, x!, onesLike(x!))), zerosLike(x!));
      return mul(dy, mul(output, safeLog));
    },
  ]);
}

/** The larger of a and b; ties send the gradient to a. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('maximum', a, b, [
    (dy, { inputs: [x, y] }) => mul(dy, maskOf(greaterEqual(x!, y!))),
    (dy, { inputs: [x, y] }) => mul(dy, maskOf(less(x!, y!))),
  ]);
}

/** The smaller of a and b; ties send the gradient to a. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('minimum', a, b, [
    (dy, { inputs: [x, y] }) => mul(dy, maskOf(lessEqual(x!, y!))),
    (dy, { inputs: [x, y] }) => mul(dy, maskOf(greater(x!, y!))),
  ]);
}
