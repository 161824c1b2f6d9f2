import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { add, div, mul, sub } from './arithmetic.js';
import { scalar, withTensors, type TensorLike } from './convert.js';
import { sqrt } from './unary.js';

/**
 * tf.batchNorm: (x − mean) · scale / sqrt(variance + varianceEpsilon) + offset, the statistics,
 * offset and scale broadcast against `x` (as tfjs: each of x's rank or rank 1, the channels).
 * Made of elementwise ops, so its gradients to every operand are theirs.
 */
export function batchNorm(
  x: TensorLike, mean: TensorLike, variance: TensorLike, offset?: TensorLike, scale?: TensorLike, varianceEpsilon = 0.001,
): Tensor {
  const op = 'batchNorm';
  const operands = [x, mean, variance, ...(offset === undefined ? [] : [offset]), ...(scale === undefined ? [] : [scale])];
  return withTensors(op, operands, (input, m, v, ...rest) => {
    const names = ['mean', 'variance', ...(offset === undefined ? [] : ['offset']), ...(scale === undefined ? [] : ['scale'])];
    [m, v, ...rest].forEach((t, i) => {
      // Rank 1 spans the channels (the last axis); x's rank, any axis, where of size 1 broadcast.
      const aligned = input.shape.slice(input.rank - t!.rank);
      if ((t!.rank !== input.rank && t!.rank !== 1) || t!.shape.some((d, k) => d !== 1 && d !== aligned[k])) {
        throw new Error(`${op}: ${names[i]} must be of rank 1 or of x's rank ${input.rank}, each size 1 or x's, got shape ${formatShape(t!.shape)} for x ${formatShape(input.shape)}`);
      }
    });
    if (!(varianceEpsilon >= 0)) throw new Error(`${op}: varianceEpsilon must be a non-negative number, got ${varianceEpsilon}`);
    const o = offset === undefined ? undefined : rest[0];
    const s = scale === undefined ? undefined : rest[offset === undefined ? 0 : 1];
    return tidy(() => {
      const normalized = div(sub(input, m!), sqrt(add(v!, scalar(varianceEpsilon))));
      const scaled = s === undefined ? normalized : mul(normalized, s);
      return o === undefined ? scaled : add(scaled, o);
    });
  });
}
