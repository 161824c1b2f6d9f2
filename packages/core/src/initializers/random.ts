import { checkOptions } from '../util/options.js';
import { randomNormal, randomUniform } from '../random/random.js';
import type { Tensor } from '../tensor/tensor.js';
import type { DType, Shape } from '../types.js';
import { checkFloat, Initializer, type InitializerConfig } from './initializer.js';

/**
 * With a `seed`, every `apply` draws from a fresh generator seeded with it, so a seeded
 * initializer gives the same values on every call (as Keras 3 documents); without one it draws
 * from the global generator that `setSeed` controls.
 */
export interface SeedConfig {
  /** null (as `getConfig` writes an unseeded initializer) means no seed. */
  seed?: number | null;
}

/** Normal values; Keras defaults mean 0, stddev 0.05. */
export class RandomNormal extends Initializer {
  readonly className = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;
  readonly seed: number | undefined;

  constructor(given: { mean?: number; stddev?: number } & SeedConfig = {}) {
    super();
    const config = checkOptions('RandomNormal', given, { mean: true, stddev: true, seed: true });
    this.mean = config.mean ?? 0;
    this.stddev = config.stddev ?? 0.05;
    this.seed = config.seed ?? undefined;
  }

  apply(shape: Shape, dtype: DType = 'float32'): Tensor {
    checkFloat(this.className, dtype);
    return randomNormal(shape, this.mean, this.stddev, dtype, this.seed);
  }

  override getConfig(): InitializerConfig {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed ?? null };
  }
}

/** Uniform values in [minval, maxval); Keras defaults -0.05..0.05. */
export class RandomUniform extends Initializer {
  readonly className = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  readonly seed: number | undefined;

  constructor(given: { minval?: number; maxval?: number } & SeedConfig = {}) {
    super();
    const config = checkOptions('RandomUniform', given, { minval: true, maxval: true, seed: true });
    this.minval = config.minval ?? -0.05;
    this.maxval = config.maxval ?? 0.05;
    this.seed = config.seed ?? undefined;
  }

  apply(shape: Shape, dtype: DType = 'float32'): Tensor {
    checkFloat(this.className, dtype);
    return randomUniform(shape, this.minval, this.maxval, dtype, this.seed);
  }

  override getConfig(): InitializerConfig {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed ?? null };
  }
}
