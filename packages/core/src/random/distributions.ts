import type { Tensor } from '../tensor/tensor.js';
import type { DType, Shape } from '../types.js';
import { checkFunction, numberArgument, FINITE, INTEGER, POSITIVE } from '../util/arguments.js';
import type { RandomGenerator } from './generator.js';
import { draw, randomNormal, randomUniform } from './random.js';

// tfjs's other random ops on core's seeded generator: the same seed draws the same values on
// every backend, as randomUniform's do.

/** tf.rand: a tensor of `shape` whose values are `randFunction()` in order (int32 stores truncate). */
export function rand(shape: Shape, randFunction: () => number, dtype: DType = 'float32'): Tensor {
  checkFunction('rand', 'randFunction', randFunction);
  return draw('rand', shape, dtype, undefined, () => randFunction());
}

/** tf.randomStandardNormal: normal values of mean 0 and standard deviation 1. */
export function randomStandardNormal(shape: Shape, dtype: 'float32' | 'int32' = 'float32', seed?: number): Tensor {
  if (dtype !== 'float32' && dtype !== 'int32') throw new Error(`randomStandardNormal: dtype must be 'float32' or 'int32', got ${JSON.stringify(dtype)}`);
  return randomNormal(shape, 0, 1, dtype, seed);
}

/** tf.randomUniformInt: int32 values uniform over the integers minval, …, maxval − 1. */
export function randomUniformInt(shape: Shape, minval: number, maxval: number, seed?: number): Tensor {
  numberArgument('randomUniformInt', 'minval', minval, INTEGER);
  numberArgument('randomUniformInt', 'maxval', maxval, INTEGER);
  if (!(minval < maxval)) throw new Error(`randomUniformInt: minval (${minval}) must be < maxval (${maxval})`);
  return randomUniform(shape, minval, maxval, 'int32', seed);
}

/**
 * One Gamma(alpha, 1) draw by Marsaglia and Tsang's method, as tfjs's RandGamma: for alpha < 1,
 * a Gamma(alpha + 1) draw times u^(1/alpha).
 */
function gammaDraw(g: RandomGenerator, alpha: number): number {
  const d = alpha < 1 ? alpha + 2 / 3 : alpha - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = g.nextNormal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = g.nextFloat();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
      return alpha < 1 ? d * v * g.nextFloat() ** (1 / alpha) : d * v;
    }
  }
}

/** One Beta(a, b) draw, as X / (X + Y) of Gamma(a) and Gamma(b) draws (MixUp's and CutMix's mixing weights). */
export function betaDraw(g: RandomGenerator, a: number, b: number): number {
  const x = gammaDraw(g, a);
  const y = gammaDraw(g, b);
  // Both underflow to 0 for a, b near 0, where Beta(a, b) tends to a coin toss between 0 and 1.
  return x + y > 0 ? x / (x + y) : Number(g.nextFloat() < a / (a + b));
}

/**
 * tf.randomGamma: Gamma(alpha, beta) values, beta the rate (inverse scale) as TensorFlow's
 * random.gamma takes it, so their mean is alpha / beta. int32 values are rounded, as tfjs's.
 */
export function randomGamma(shape: Shape, alpha: number, beta = 1, dtype: 'float32' | 'int32' = 'float32', seed?: number): Tensor {
  numberArgument('randomGamma', 'alpha', alpha, POSITIVE);
  numberArgument('randomGamma', 'beta', beta, POSITIVE);
  if (dtype !== 'float32' && dtype !== 'int32') throw new Error(`randomGamma: dtype must be 'float32' or 'int32', got ${JSON.stringify(dtype)}`);
  if (seed !== undefined) numberArgument('randomGamma', 'seed', seed, FINITE);
  return draw('randomGamma', shape, dtype, seed, (g) => {
    const value = gammaDraw(g, alpha) / beta;
    return dtype === 'int32' ? Math.round(value) : value;
  });
}
