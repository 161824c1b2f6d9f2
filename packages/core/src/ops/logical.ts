import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { maximum, mul } from './arithmetic.js';
import { cast } from './cast.js';
import { equal, greater, notEqual } from './compare.js';
import { withTensors, type TensorLike } from './convert.js';
import { sum, type Axis } from './reduce.js';

// Boolean logic on bool tensors, as tfjs's logicalAnd, logicalOr, logicalXor, logicalNot, any and
// all: computed on the booleans' 0/1 int32 values, which every backend computes exactly.

function requireBool(op: string, t: Tensor): void {
  if (t.dtype !== 'bool') throw new Error(`${op}: expected bool tensors, got ${t.dtype} ${formatShape(t.shape)}`);
}

function zeroOne(op: string, t: Tensor): Tensor {
  requireBool(op, t);
  return cast(t, 'int32');
}

/** An elementwise op of two bool tensors (broadcasting), `combine` of their 0/1 values. */
function logicalBinary(op: string, a: TensorLike, b: TensorLike, combine: (p: Tensor, q: Tensor) => Tensor): Tensor {
  return withTensors(op, [a, b], (x, y) => tidy(() => combine(zeroOne(op, x), zeroOne(op, y))));
}

/** a && b, elementwise. */
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => logicalBinary('logicalAnd', a, b, (p, q) => notEqual(mul(p, q), 0));

/** a || b, elementwise. */
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => logicalBinary('logicalOr', a, b, (p, q) => notEqual(maximum(p, q), 0));

/** a !== b, elementwise. */
export const logicalXor = (a: TensorLike, b: TensorLike): Tensor => logicalBinary('logicalXor', a, b, notEqual);

/** !x, elementwise. */
export function logicalNot(x: TensorLike): Tensor {
  return withTensors('logicalNot', [x], (t) => tidy(() => equal(zeroOne('logicalNot', t), 0)));
}

/** Whether any value along `axis` (default: all) is true; false over none. */
export function any(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  return withTensors('any', [x], (t) => tidy(() => greater(sum(zeroOne('any', t), axis, keepDims), 0)));
}

/** Whether every value along `axis` (default: all) is true; true over none: no value is false. */
export function all(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  return withTensors('all', [x], (t) => {
    requireBool('all', t);
    return tidy(() => logicalNot(any(logicalNot(t), axis, keepDims)));
  });
}
