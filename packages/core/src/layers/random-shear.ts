import type { RandomGenerator } from '../random/generator.js';
import { factorRange, isConfig, uniform, type Factor } from './factor-range.js';
import type { ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { RandomAffine, type RandomAffineConfig } from './random-affine.js';
import { registerClass, type LayerClass } from './registry.js';

export interface RandomShearConfig extends RandomAffineConfig {
  /**
   * The horizontal shear's range, within [−1, 1]: f is [−f, f]. An output pixel in row y reads
   * the input s·y pixels to its right. Default 0 (none).
   */
  xFactor?: Factor;
  /** The vertical shear's: an output pixel in column x reads the input s·x pixels below it. Default 0. */
  yFactor?: Factor;
}

/**
 * Keras's RandomShear: while training, each image is sheared about its top-left corner by its
 * own draws, output (x, y) reading the input at (x + sx·y, y + sy·x). Per image, as Keras draws:
 * sx from xFactor, sy from yFactor, both then negated together with probability ½. Points outside
 * read as fillMode says (default 'reflect', as Keras's code has it; its docs say 'constant').
 * `new RandomShear(0.2, 0.1)`.
 */
export class RandomShear extends RandomAffine {
  static override readonly className = 'RandomShear';
  static override readonly options: OptionList = { xFactor: true, yFactor: true } satisfies OwnOptions<RandomShearConfig, RandomAffineConfig>;
  readonly xFactor: [number, number];
  readonly yFactor: [number, number];

  constructor(xFactor?: Factor | RandomShearConfig, yFactor?: Factor, config: Omit<RandomShearConfig, 'xFactor' | 'yFactor'> = {}) {
    const full: RandomShearConfig = xFactor !== undefined && isConfig(xFactor) ? xFactor : { ...config, xFactor, yFactor };
    super(full);
    // Keras writes a number f to its config as (−f, f), so pairs reach down to −1.
    this.xFactor = factorRange('RandomShear', 'xFactor', full.xFactor ?? 0, 1);
    this.yFactor = factorRange('RandomShear', 'yFactor', full.yFactor ?? 0, 1);
  }

  protected draw(batch: number, _height: number, _width: number, generator: RandomGenerator): number[][] {
    return Array.from({ length: batch }, () => {
      const sign = generator.nextFloat() > 0.5 ? -1 : 1;
      const sy = sign * uniform(generator, this.yFactor);
      const sx = sign * uniform(generator, this.xFactor);
      return [1, sx, 0, sy, 1, 0, 0, 0];
    });
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), xFactor: [...this.xFactor], yFactor: [...this.yFactor] };
  }
}
registerClass(RandomShear as LayerClass);
