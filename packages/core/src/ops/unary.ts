import type { UnaryKernelName } from '../backend/backend.js';
import type { Tensor } from '../tensor/tensor.js';
import { withTensors, type TensorLike } from './convert.js';
import { div, mul, sub } from './arithmetic.js';
import { cast } from './cast.js';
import { greater } from './compare.js';
import { zerosLike } from './creation.js';
import { runOp, type GradientFn } from './run-op.js';

/** Ops whose results are not integers: int32 inputs must be cast to float32 first. */
const FLOAT_ONLY: ReadonlySet<UnaryKernelName> = new Set(['exp', 'log', 'sqrt', 'sigmoid', 'tanh', 'sin', 'cos', 'floor', 'ceil', 'round']);

/** Runs an elementwise unary kernel; the output keeps the input's shape and dtype. */
function unaryOp(name: UnaryKernelName, x: TensorLike, gradient: GradientFn | 'not-differentiable'): Tensor {
  return withTensors(name, [x], (t) => {
    const allowed = FLOAT_ONLY.has(name) ? t.dtype === 'float32' : t.dtype !== 'bool';
    if (!allowed) throw new Error(`${name}: expected a ${FLOAT_ONLY.has(name) ? 'float32' : 'float32 or int32'} tensor, got ${t.dtype}; cast it first`);
    return runOp({ name, inputs: [t], shape: t.shape, dtype: t.dtype, kernel: (backend) => backend[name](t), gradient });
  });
}

/** The gradient of a step (sign and the rounding ops): zero wherever it exists, as in TensorFlow. */
const zeroGradient: GradientFn = (dy) => [zerosLike(dy)];

/** −x. */
export function neg(x: TensorLike): Tensor {
  return unaryOp('neg', x, (dy) => [neg(dy)]);
}

/** |x|. Its gradient at 0 is 0 (sign(0)), as in TensorFlow. */
export function abs(x: TensorLike): Tensor {
  return unaryOp('abs', x, (dy, { inputs: [t] }) => [mul(dy, sign(t!))]);
}

/** -1, 0 or 1. Its gradient is zero everywhere, as in TensorFlow. */
export function sign(x: TensorLike): Tensor {
  return unaryOp('sign', x, zeroGradient);
}

/** eˣ. */
export function exp(x: TensorLike): Tensor {
  return unaryOp('exp', x, (dy, { output }) => [mul(dy, output)]);
}

/** The natural logarithm: −∞ at 0, NaN below it. */
export function log(x: TensorLike): Tensor {
  return unaryOp('log', x, (dy, { inputs: [t] }) => [div(dy, t!)]);
}

/** √x: NaN below 0. */
export function sqrt(x: TensorLike): Tensor {
  return unaryOp('sqrt', x, (dy, { output }) => [div(dy, mul(output, 2))]);
}

/** x². */
export function square(x: TensorLike): Tensor {
  return unaryOp('square', x, (dy, { inputs: [t] }) => [mul(dy, mul(t!, 2))]);
}

/** max(x, 0). The gradient at 0 is 0, as in TensorFlow and tfjs. */
export function relu(x: TensorLike): Tensor {
  return unaryOp('relu', x, (dy, { inputs: [t] }) => [mul(dy, cast(greater(t!, 0), 'float32'))]);
}

/** 1 / (1 + e⁻ˣ). */
export function sigmoid(x: TensorLike): Tensor {
  return unaryOp('sigmoid', x, (dy, { output }) => [mul(dy, mul(output, sub(1, output)))]);
}

/** The hyperbolic tangent. */
export function tanh(x: TensorLike): Tensor {
  return unaryOp('tanh', x, (dy, { output }) => [mul(dy, sub(1, square(output)))]);
}

/** The sine, in radians. */
export function sin(x: TensorLike): Tensor {
  return unaryOp('sin', x, (dy, { inputs: [t] }) => [mul(dy, cos(t!))]);
}

/** The cosine, in radians. */
export function cos(x: TensorLike): Tensor {
  return unaryOp('cos', x, (dy, { inputs: [t] }) => [mul(dy, neg(sin(t!)))]);
}

/** The largest integer ≤ x. Its gradient is zero, as in TensorFlow. */
export function floor(x: TensorLike): Tensor {
  return unaryOp('floor', x, zeroGradient);
}

/** The smallest integer ≥ x. Its gradient is zero, as in TensorFlow. */
export function ceil(x: TensorLike): Tensor {
  return unaryOp('ceil', x, zeroGradient);
}

/** The nearest integer, halves to the even one (2.5 → 2), as TensorFlow's round. */
export function round(x: TensorLike): Tensor {
  return unaryOp('round', x, zeroGradient);
}
