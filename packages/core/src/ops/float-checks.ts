import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { equal, less, notEqual } from './compare.js';
import { withTensors, type TensorLike } from './convert.js';
import { fill } from './creation.js';
import { checkNumeric } from './elementwise-operands.js';
import { abs } from './unary.js';

// Which floats are NaN, infinite or finite: bool tensors, with no gradient (comparisons have none).
// int32 values are always finite, so those answers are constant.

/** True where x is NaN: NaN is the one value not equal to itself. */
export function isNaN(x: TensorLike): Tensor {
  return withTensors('isNaN', [x], (t) => {
    checkNumeric('isNaN', t, true);
    return t.dtype === 'int32' ? fill(t.shape, false) : notEqual(t, t);
  });
}

/** True where x is +∞ or −∞. */
export function isInf(x: TensorLike): Tensor {
  return withTensors('isInf', [x], (t) => {
    checkNumeric('isInf', t, true);
    return t.dtype === 'int32' ? fill(t.shape, false) : tidy(() => equal(abs(t), Infinity));
  });
}

/** True where x is neither NaN nor infinite (NaN fails every comparison). */
export function isFinite(x: TensorLike): Tensor {
  return withTensors('isFinite', [x], (t) => {
    checkNumeric('isFinite', t, true);
    return t.dtype === 'int32' ? fill(t.shape, true) : tidy(() => less(abs(t), Infinity));
  });
}
