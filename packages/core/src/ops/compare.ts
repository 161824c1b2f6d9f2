import type { Tensor } from '../tensor/tensor.js';
import { binaryOp } from './arithmetic.js';
import type { TensorLike } from './convert.js';

// Comparisons give bool tensors and carry no gradient.

/** a = b elementwise, broadcasting: a bool tensor. */
export function equal(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('equal', a, b, 'not-differentiable', 'bool');
}
/** a ≠ b elementwise, broadcasting: a bool tensor. */
export function notEqual(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('notEqual', a, b, 'not-differentiable', 'bool');
}
/** a < b elementwise, broadcasting: a bool tensor. */
export function less(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('less', a, b, 'not-differentiable', 'bool');
}
/** a ≤ b elementwise, broadcasting: a bool tensor. */
export function lessEqual(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('lessEqual', a, b, 'not-differentiable', 'bool');
}
/** a > b elementwise, broadcasting: a bool tensor. */
export function greater(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('greater', a, b, 'not-differentiable', 'bool');
}
/** a ≥ b elementwise, broadcasting: a bool tensor. */
export function greaterEqual(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('greaterEqual', a, b, 'not-differentiable', 'bool');
}
