import { mul } from '../ops/arithmetic.js';
import { tensor } from '../ops/convert.js';
import { generatorFor } from '../random/random.js';
import { RandomGenerator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import type { CallKwargs, ConfigDict, LayerConfig } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import { SameShapeLayer } from './same-shape-layer.js';

export interface DropoutConfig extends LayerConfig {
  /** Fraction of the inputs to drop, in [0, 1] (1 drops everything while training, as Keras). */
  rate: number;
  /** Seeds this layer's own generator; without it, masks come from the global one (`setSeed`). */
  seed?: number;
}

/** `value` as a dropout rate, or an error naming `owner` and `option`: a number in [0, 1]. */
export function dropoutRate(owner: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new Error(`${owner}: ${option} must be in [0, 1], got ${JSON.stringify(value)}`);
  return value;
}

/**
 * Inverted dropout's mask of `shape`: each entry 0 with probability `rate`, else 1 / (1 − rate),
 * so that the expected sum of what it multiplies is unchanged. At rate 1 no draw is kept (draws
 * are in [0, 1)), so the infinite scale is never used.
 */
export function dropoutMask(shape: Shape, rate: number, generator: RandomGenerator): Tensor {
  const keep = 1 / (1 - rate);
  const mask = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < mask.length; i++) mask[i] = generator.nextFloat() >= rate ? keep : 0;
  return tensor(mask, shape);
}

/**
 * While training, zeroes each input with probability `rate` and scales the rest by
 * 1 / (1 - rate), so the expected sum is unchanged; outside training it passes inputs through.
 */
export class Dropout extends SameShapeLayer {
  static override readonly className = 'Dropout';
  readonly rate: number;
  readonly seed: number | undefined;
  // One generator for the layer's lifetime: a fresh one per call would repeat the same mask.
  readonly #generator: RandomGenerator | null;

  constructor(rateOrConfig: number | DropoutConfig, config: Omit<DropoutConfig, 'rate'> = {}) {
    const full: DropoutConfig = typeof rateOrConfig === 'number' ? { ...config, rate: rateOrConfig } : rateOrConfig;
    super(full);
    this.rate = dropoutRate('Dropout', 'rate', full.rate);
    this.seed = full.seed;
    this.#generator = full.seed === undefined ? null : new RandomGenerator(full.seed);
  }

  override call(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    if (!kwargs.training || this.rate === 0) return inputs;
    return mul(inputs, dropoutMask(inputs.shape, this.rate, this.#generator ?? generatorFor()));
  }

  override getConfig(): ConfigDict {
    const config: ConfigDict = { ...super.getConfig(), rate: this.rate };
    if (this.seed !== undefined) config.seed = this.seed;
    return config;
  }
}
registerClass(Dropout as LayerClass);
