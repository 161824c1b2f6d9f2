import { add, sub } from '../ops/arithmetic.js';
import { clipByValue } from '../ops/clip.js';
import { less } from '../ops/compare.js';
import { where } from '../ops/where.js';
import type { RandomGenerator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { uniform, zeroBasedRange, type Factor } from './factor-range.js';
import type { ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { RandomColor, type RandomColorConfig } from './random-color.js';
import { registerClass, type LayerClass } from './registry.js';
import { rescale } from './value-range.js';

export interface SolarizationConfig extends RandomColorConfig {
  /** What is added to every pixel before solarizing, as a fraction of the range, within [0, 1]; a number f is [0, f]. Default 0. */
  additionFactor?: Factor;
  /** Pixels (after the addition) at or above this fraction of the range are solarized, within [0, 1]; a number f is [0, f]. Default 0: all. */
  thresholdFactor?: Factor;
}

/**
 * Keras's Solarization: while training, each image's pixels, mapped to [0, 255], get a drawn
 * addition (clipped to [0, 255]); those at or above a drawn threshold become 255 − x; mapped
 * back. Both draws are fractions of 255: Keras 3's code scales only the upper end of each range
 * by 255, its docs the whole draw. `new Solarization({thresholdFactor: [0.5, 0.5]})`.
 */
export class Solarization extends RandomColor {
  static override readonly className = 'Solarization';
  static override readonly options: OptionList = { additionFactor: true, thresholdFactor: true } satisfies OwnOptions<SolarizationConfig, RandomColorConfig>;
  readonly additionFactor: [number, number];
  readonly thresholdFactor: [number, number];

  constructor(config: SolarizationConfig = {}) {
    super(config);
    this.additionFactor = zeroBasedRange('Solarization', 'additionFactor', config.additionFactor ?? 0, 1);
    this.thresholdFactor = zeroBasedRange('Solarization', 'thresholdFactor', config.thresholdFactor ?? 0, 1);
  }

  /** The addition, then the threshold, both on the [0, 255] scale. */
  protected draw(generator: RandomGenerator): [number, number] {
    return [uniform(generator, this.additionFactor) * 255, uniform(generator, this.thresholdFactor) * 255];
  }

  protected adjust(images: Tensor, additions: Tensor, thresholds: Tensor): Tensor {
    const added = clipByValue(add(rescale(images, this.valueRange, [0, 255]), additions), 0, 255);
    return rescale(where(less(added, thresholds), added, sub(255, added)), [0, 255], this.valueRange);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), additionFactor: [...this.additionFactor], thresholdFactor: [...this.thresholdFactor] };
  }
}
registerClass(Solarization as LayerClass);
