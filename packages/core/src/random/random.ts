import type { Tensor } from '../tensor/tensor.js';
import { tensor } from '../ops/convert.js';
import type { DType, Shape } from '../types.js';
import { allocate, checkDType } from '../util/dtype.js';
import { checkShape, sizeOf } from '../util/shape.js';
import { RandomGenerator } from './generator.js';

let globalGenerator = new RandomGenerator((Math.random() * 2 ** 32) >>> 0);

/** Seeds the global generator: every later random draw (initializers, shuffles, dropout) repeats. */
export function setSeed(seed: number): void {
  if (!Number.isFinite(seed)) throw new Error(`setSeed: expected a finite number, got ${seed}`);
  globalGenerator = new RandomGenerator(seed);
}

/** The generator to draw from: a fresh one for an explicit seed, else the global one. */
export function generatorFor(seed?: number): RandomGenerator {
  return seed === undefined ? globalGenerator : new RandomGenerator(seed);
}

/**
 * Where a layer with an optional seed draws at each call: its own generator, made once from the
 * seed (a fresh one per call would repeat the same draws), or else the global one as it is then.
 */
export function layerGenerator(seed: number | undefined): () => RandomGenerator {
  if (seed === undefined) return () => globalGenerator;
  const own = new RandomGenerator(seed);
  return () => own;
}

/** A tensor of `shape` whose values `next` draws in order from the generator for `seed`. */
export function draw(op: string, shape: Shape, dtype: DType, seed: number | undefined, next: (g: RandomGenerator) => number): Tensor {
  checkShape(op, shape);
  checkDType(op, dtype);
  const generator = generatorFor(seed);
  const values = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = next(generator);
  return tensor(values, shape, dtype);
}

/** Uniform values in [minval, maxval). */
export function randomUniform(shape: Shape, minval = 0, maxval = 1, dtype: DType = 'float32', seed?: number): Tensor {
  if (!(minval < maxval)) throw new Error(`randomUniform: minval (${minval}) must be < maxval (${maxval})`);
  return draw('randomUniform', shape, dtype, seed, (g) => {
    const v = minval + g.nextFloat() * (maxval - minval);
    return dtype === 'int32' ? Math.floor(v) : v;
  });
}

/** Normally distributed values. */
export function randomNormal(shape: Shape, mean = 0, stddev = 1, dtype: DType = 'float32', seed?: number): Tensor {
  return draw('randomNormal', shape, dtype, seed, (g) => mean + stddev * g.nextNormal());
}

/** Normal values redrawn until within two standard deviations of the mean, as TensorFlow does. */
export function truncatedNormal(shape: Shape, mean = 0, stddev = 1, dtype: DType = 'float32', seed?: number): Tensor {
  return draw('truncatedNormal', shape, dtype, seed, (g) => {
    for (;;) {
      const z = g.nextNormal();
      if (Math.abs(z) <= 2) return mean + stddev * z;
    }
  });
}
