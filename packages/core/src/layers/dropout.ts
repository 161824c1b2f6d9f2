import { mul } from '../ops/arithmetic.js';
import { tensor } from '../ops/convert.js';
import type { RandomGenerator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { formatShape } from '../util/shape.js';
import type { CallKwargs, ConfigDict } from './layer.js';
import { NoiseLayer, type NoiseLayerConfig } from './noise-layer.js';
import { classNameOf, registerClass, type LayerClass } from './registry.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface DropoutConfig extends NoiseLayerConfig {
  /** Fraction of the inputs to drop, in [0, 1] (1 drops everything while training, as Keras). */
  rate: number;
  /**
   * The mask's shape, one entry per input axis: 1 shares one draw along the axis, null takes the
   * input's size. [null, 1, null] drops whole features of a sequence. Default: the input's shape.
   */
  noiseShape?: readonly (number | null)[];
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
 * With `noiseShape`, one draw serves all the values along the axes where it has a 1.
 */
export class Dropout extends NoiseLayer {
  static override readonly className: string = 'Dropout';
  static override readonly options: OptionList = { rate: true, noiseShape: true } satisfies OwnOptions<DropoutConfig, NoiseLayerConfig>;
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;

  constructor(rateOrConfig: number | DropoutConfig, config: Omit<DropoutConfig, 'rate'> = {}) {
    const full: DropoutConfig = typeof rateOrConfig === 'number' ? { ...config, rate: rateOrConfig } : rateOrConfig;
    super(full);
    const layer = classNameOf(new.target as unknown as LayerClass);
    this.rate = dropoutRate(layer, 'rate', full.rate);
    const noiseShape = full.noiseShape;
    if (noiseShape !== undefined && !(Array.isArray(noiseShape) && noiseShape.every((d) => d === null || (Number.isInteger(d) && d > 0)))) {
      throw new Error(`${layer}: noiseShape must be a list of positive integers or nulls, got ${JSON.stringify(noiseShape)}`);
    }
    this.noiseShape = noiseShape === undefined ? null : [...noiseShape];
  }

  override call(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    if (!kwargs.training || this.rate === 0) return inputs;
    return mul(inputs, dropoutMask(this.maskShape(inputs.shape), this.rate, this.generator()));
  }

  /** The mask's shape for inputs of `shape`: the noise shape's sizes, the input's where it has null. */
  protected maskShape(shape: Shape): Shape {
    const noise = this.noiseShape;
    if (noise === null) return shape;
    const fits = noise.length === shape.length && noise.every((d, i) => d === null || d === 1 || d === shape[i]);
    if (!fits) throw new Error(`${this.label}: noiseShape ${JSON.stringify(noise)} does not broadcast to inputs of shape ${formatShape(shape)}; each entry must be null, 1 or the input's size`);
    return noise.map((d, i) => d ?? shape[i]!);
  }

  override getConfig(): ConfigDict {
    const config: ConfigDict = { ...super.getConfig(), rate: this.rate };
    if (this.noiseShape !== null) config.noiseShape = [...this.noiseShape];
    return config;
  }
}
registerClass(Dropout as LayerClass);
