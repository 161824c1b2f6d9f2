import { tidy } from '../engine/memory.js';
import { randomUniform } from '../random/random.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { formatShape } from '../util/shape.js';
import { add, div, mul } from './arithmetic.js';
import { withTensors, type TensorLike } from './convert.js';
import { clone } from './reshape.js';
import { floor } from './unary.js';

/** tfjs's getNoiseShape: a noiseShape of x's rank takes x's size where it leaves one out (null). */
function noiseShapeOf(op: string, x: Tensor, noiseShape: readonly (number | null)[] | undefined): Shape {
  if (noiseShape === undefined) return [...x.shape];
  const shape = noiseShape.length === x.rank ? noiseShape.map((d, i) => d ?? x.shape[i]!) : noiseShape;
  if (shape.some((d) => d === null)) throw new Error(`${op}: noiseShape ${JSON.stringify(noiseShape)} leaves out sizes but has not x's rank ${x.rank} (shape ${formatShape(x.shape)})`);
  const fits = shape.length <= x.rank && shape.every((d, i) => d === 1 || d === x.shape[x.rank - shape.length + i]);
  if (!fits) throw new Error(`${op}: noiseShape ${JSON.stringify(noiseShape)} must broadcast to x's shape ${formatShape(x.shape)} (each size 1 or x's)`);
  return shape as Shape;
}

/**
 * tf.dropout: each element of `x` (or each slice along the dimensions of size 1 in
 * `noiseShape`, which must broadcast to x's shape) kept with probability 1 − rate and scaled by
 * 1 / (1 − rate), else 0; the draws are core's seeded randomUniform (the global generator unless
 * `seed`). The mask is a constant, so the gradient is dy times it.
 */
export function dropout(x: TensorLike, rate: number, noiseShape?: readonly (number | null)[], seed?: number): Tensor {
  const op = 'dropout';
  return withTensors(op, [x], (input) => {
    if (input.dtype !== 'float32') throw new Error(`${op}: x must be float32, got ${input.dtype}`);
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new Error(`${op}: rate must be a number in [0, 1), got ${rate}`);
    if (rate === 0) return clone(input);
    const shape = noiseShapeOf(op, input, noiseShape);
    const keep = 1 - rate;
    return tidy(() => {
      // floor(u + keep) is 1 with probability keep, as tfjs draws it.
      const kept = floor(add(randomUniform(shape, 0, 1, 'float32', seed), keep));
      return mul(input, div(kept, keep));
    });
  });
}
