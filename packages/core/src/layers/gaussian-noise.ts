import { add, mul } from '../ops/arithmetic.js';
import { tensor } from '../ops/convert.js';
import type { RandomGenerator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { dropoutRate } from './dropout.js';
import type { CallKwargs, ConfigDict } from './layer.js';
import { NoiseLayer, type NoiseLayerConfig } from './noise-layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { OptionList, OwnOptions } from './layer-options.js';

/** `shape`'s worth of mean + stddev·N(0, 1) draws from `generator`. */
function normalDraws(shape: readonly number[], mean: number, stddev: number, generator: RandomGenerator): Tensor {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = mean + stddev * generator.nextNormal();
  return tensor(values, shape);
}

export interface GaussianNoiseConfig extends NoiseLayerConfig {
  /** The noise's standard deviation. */
  stddev: number;
}

/** Keras's GaussianNoise: while training adds N(0, stddev²) noise to every value (a regularizer, and data augmentation for real-valued inputs); otherwise passes inputs through. */
export class GaussianNoise extends NoiseLayer {
  static override readonly className = 'GaussianNoise';
  static override readonly options: OptionList = { stddev: true } satisfies OwnOptions<GaussianNoiseConfig, NoiseLayerConfig>;
  readonly stddev: number;

  constructor(stddevOrConfig: number | GaussianNoiseConfig, config: Omit<GaussianNoiseConfig, 'stddev'> = {}) {
    const full: GaussianNoiseConfig = typeof stddevOrConfig === 'number' ? { ...config, stddev: stddevOrConfig } : stddevOrConfig;
    super(full);
    if (typeof full.stddev !== 'number' || !(full.stddev >= 0) || !Number.isFinite(full.stddev)) {
      throw new Error(`GaussianNoise: stddev must be a finite number >= 0, got ${JSON.stringify(full.stddev)}`);
    }
    this.stddev = full.stddev;
  }

  override call(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    if (!kwargs.training || this.stddev === 0) return inputs;
    return add(inputs, normalDraws(inputs.shape, 0, this.stddev, this.generator()));
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), stddev: this.stddev };
  }
}
registerClass(GaussianNoise as LayerClass);

export interface GaussianDropoutConfig extends NoiseLayerConfig {
  /** As Dropout's rate: the multiplicative noise has mean 1 and variance rate / (1 − rate). In [0, 1). */
  rate: number;
}

/** Keras's GaussianDropout: while training multiplies every value by N(1, rate / (1 − rate)) noise, Dropout's mean and variance without its zeros. */
export class GaussianDropout extends NoiseLayer {
  static override readonly className = 'GaussianDropout';
  static override readonly options: OptionList = { rate: true } satisfies OwnOptions<GaussianDropoutConfig, NoiseLayerConfig>;
  readonly rate: number;

  constructor(rateOrConfig: number | GaussianDropoutConfig, config: Omit<GaussianDropoutConfig, 'rate'> = {}) {
    const full: GaussianDropoutConfig = typeof rateOrConfig === 'number' ? { ...config, rate: rateOrConfig } : rateOrConfig;
    super(full);
    this.rate = dropoutRate('GaussianDropout', 'rate', full.rate);
    if (this.rate === 1) throw new Error('GaussianDropout: rate must be below 1 (its noise would have infinite variance), got 1');
  }

  override call(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    if (!kwargs.training || this.rate === 0) return inputs;
    return mul(inputs, normalDraws(inputs.shape, 1, Math.sqrt(this.rate / (1 - this.rate)), this.generator()));
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }
}
registerClass(GaussianDropout as LayerClass);
