import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, mul, sub } from './arithmetic.js';
import { withTensors, type TensorLike } from './convert.js';
import { floor } from './unary.js';

/**
 * floor(a / b) elementwise, as tf.floorDiv: int32 division floors already; a float32 quotient is
 * floored, so its gradient is zero.
 */
export function floorDiv(a: TensorLike, b: TensorLike): Tensor {
  return withTensors('floorDiv', [a, b], (x, y) => tidy(() => (x.dtype === 'int32' ? div(x, y) : floor(div(x, y)))));
}

/**
 * a − floorDiv(a, b)·b elementwise, as tf.mod and TensorFlow's floormod: the remainder takes the
 * sign of b (−7 mod 3 is 2). Its gradient is 1 for a and −floor(a / b) for b, as TensorFlow's.
 */
export function mod(a: TensorLike, b: TensorLike): Tensor {
  return withTensors('mod', [a, b], (x, y) => tidy(() => sub(x, mul(floorDiv(x, y), y))));
}
