import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { minimum, mul } from './arithmetic.js';
import { greater, greaterEqual, less } from './compare.js';
import { withTensors, type TensorLike } from './convert.js';
import { checkBinaryOperands, checkNumeric } from './elementwise-operands.js';
import { expm1 } from './expm1.js';
import { softplus } from './softplus.js';
import { neg, relu } from './unary.js';
import { where } from './where.js';

// The activation ops tfjs exposes, with TensorFlow's gradients at their kinks (from the branch
// `where` picks there). The Keras activations (layers/activations.ts) call these.

// SELU's constants, from Klambauer et al. (2017), as Keras and TensorFlow have them.
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

/** e^x − 1 below 0, for ELU and SELU; above 0 it sees 0, so e^x cannot overflow into a gradient. */
const expm1BelowZero = (x: Tensor): Tensor => expm1(minimum(x, 0));

/** Runs `body` on x after checking it is float32 (or int32 where tfjs's op takes it). */
function activation(op: string, x: TensorLike, body: (t: Tensor) => Tensor, allowInt32 = false): Tensor {
  return withTensors(op, [x], (t) => {
    checkNumeric(op, t, allowInt32);
    return tidy(() => body(t));
  });
}

/** x above 0, e^x − 1 below; the slope at 0 is 1, as TensorFlow's EluGrad (it tests the output < 0). */
export function elu(x: TensorLike): Tensor {
  return activation('elu', x, (t) => where(less(t, 0), expm1BelowZero(t), t));
}

/** scale · (x above 0, α(e^x − 1) below); the slope at 0 is scale, as TensorFlow's SeluGrad. */
export function selu(x: TensorLike): Tensor {
  return activation('selu', x, (t) => where(less(t, 0), mul(expm1BelowZero(t), SELU_ALPHA * SELU_SCALE), mul(t, SELU_SCALE)));
}

/** min(max(x, 0), 6); the slope is 0 at both 0 and 6, as TensorFlow's Relu6Grad (0 < x < 6). */
export function relu6(x: TensorLike): Tensor {
  return activation('relu6', x, (t) => where(greaterEqual(t, 6), 6, relu(t)), true);
}

/** x above 0, alpha · x at and below 0 (so the slope at 0 is alpha, as TensorFlow's LeakyReluGrad). */
export function leakyRelu(x: TensorLike, alpha = 0.2): Tensor {
  return activation('leakyRelu', x, (t) => where(greater(t, 0), t, mul(t, alpha)));
}

/** leakyRelu with a learned slope `alpha`, broadcast against x; both get gradients (alpha's is x at and below 0). */
export function prelu(x: TensorLike, alpha: TensorLike): Tensor {
  return withTensors('prelu', [x, alpha], (t, a) => {
    checkBinaryOperands('prelu', t, a);
    return tidy(() => where(greater(t, 0), t, mul(t, a)));
  });
}

/** log(sigmoid(x)) = −softplus(−x), which neither overflows nor rounds to log(0) for very negative x. */
export function logSigmoid(x: TensorLike): Tensor {
  return activation('logSigmoid', x, (t) => neg(softplus(neg(t))));
}
