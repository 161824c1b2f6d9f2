import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul, sub } from './arithmetic.js';
import { withTensors, type TensorLike } from './convert.js';
import { atan2Value } from './arctangent.js';
import { compositeKernel } from './composite.js';
import { checkBinaryOperands } from './elementwise-operands.js';
import { runOp } from './run-op.js';
import { unaryComposite } from './unary-composite.js';
import { unbroadcast } from './unbroadcast.js';
import { cos, neg, sin, sqrt, square } from './unary.js';
import { broadcastShapes } from '../util/shape.js';

// tan and the inverse trigonometric ops. Each gradient is TensorFlow's formula in x, so it is
// ±∞ where TensorFlow's is (asin and acos at ±1) and NaN for atan2 at (0, 0).

/** The tangent, in radians. */
export function tan(x: TensorLike): Tensor {
  return unaryComposite('tan', x, (t) => div(sin(t), cos(t)), (dy, { inputs: [t] }) => [div(dy, square(cos(t!)))]);
}

/** 1 / √(1 − x²), the slope of asin (and minus that of acos). */
const asinSlope = (x: Tensor): Tensor => div(1, sqrt(sub(1, square(x))));

/** asin(x) = atan2(x, √((1 − x)(1 + x))): 1 − x is exact near 1, where 1 − x² would cancel. NaN beyond ±1. */
export function asin(x: TensorLike): Tensor {
  return unaryComposite('asin', x, (t) => atan2Value(t, sqrt(mul(sub(1, t), add(1, t)))), (dy, { inputs: [t] }) => [mul(dy, asinSlope(t!))]);
}

/** acos(x) = 2·atan2(√(1 − x), √(1 + x)), accurate near both ends (acos(1 − ε) is small). NaN beyond ±1. */
export function acos(x: TensorLike): Tensor {
  return unaryComposite('acos', x, (t) => mul(atan2Value(sqrt(sub(1, t)), sqrt(add(1, t))), 2), (dy, { inputs: [t] }) => [neg(mul(dy, asinSlope(t!)))]);
}

/** The arctangent, in (−π/2, π/2). */
export function atan(x: TensorLike): Tensor {
  return unaryComposite('atan', x, (t) => atan2Value(t, 1), (dy, { inputs: [t] }) => [div(dy, add(1, square(t!)))]);
}

/**
 * The angle of the point (b, a) from the x axis, in (−π, π], broadcasting; atan2(0, 0) = 0.
 * Its gradient is TensorFlow's: dy·b / (a² + b²) for a and −dy·a / (a² + b²) for b, which is
 * NaN at the origin, as there.
 */
export function atan2(a: TensorLike, b: TensorLike): Tensor {
  return withTensors('atan2', [a, b], (y, x) => {
    checkBinaryOperands('atan2', y, x);
    return runOp({
      name: 'atan2', inputs: [y, x], shape: broadcastShapes('atan2', y.shape, x.shape), dtype: 'float32',
      kernel: (backend) => compositeKernel(backend, () => atan2Value(y, x)),
      gradient: (dy, { inputs: [ya, xb] }, needed) => {
        const scaled = div(dy, add(square(ya!), square(xb!)));
        return [
          needed[0] ? unbroadcast(mul(scaled, xb!), ya!.shape) : null,
          needed[1] ? unbroadcast(neg(mul(scaled, ya!)), xb!.shape) : null,
        ];
      },
    });
  });
}
