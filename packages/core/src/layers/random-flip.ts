import { tensor } from '../ops/convert.js';
import { reverse } from '../ops/reverse.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../util/arguments.js';
import { floatImages } from './image-inputs.js';
import type { CallKwargs, ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { NoiseLayer, type NoiseLayerConfig } from './noise-layer.js';
import { registerClass, type LayerClass } from './registry.js';

const MODES = ['horizontal', 'vertical', 'horizontal_and_vertical'] as const;
type FlipMode = (typeof MODES)[number];

export interface RandomFlipConfig extends NoiseLayerConfig {
  /** Which flips: 'horizontal' (left-right), 'vertical' (top-bottom) or 'horizontal_and_vertical' (the default: both at once). */
  mode?: FlipMode;
}

/**
 * Keras's RandomFlip: while training, each channels-last image is flipped with probability ½
 * (one draw per image, so 'horizontal_and_vertical' flips an image both ways or not at all, as
 * Keras 3 does); otherwise images pass through. Float32 out, as Keras's image layers.
 */
export class RandomFlip extends NoiseLayer {
  static override readonly className = 'RandomFlip';
  static override readonly options: OptionList = { mode: true } satisfies OwnOptions<RandomFlipConfig, NoiseLayerConfig>;
  readonly mode: FlipMode;

  constructor(mode?: FlipMode | RandomFlipConfig, config: Omit<RandomFlipConfig, 'mode'> = {}) {
    const full: RandomFlipConfig = typeof mode === 'object' ? mode : { ...config, mode };
    super(full);
    const chosen: unknown = full.mode ?? 'horizontal_and_vertical';
    if (!MODES.includes(chosen as FlipMode)) throw new Error(`RandomFlip: mode must be one of ${MODES.join(', ')}, got ${describeValue(chosen)}`);
    this.mode = chosen as FlipMode;
  }

  override call(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    const images = floatImages(this.label, inputs);
    if (!kwargs.training) return images;
    const batch = inputs.rank === 4 ? inputs.shape[0]! : 1;
    const generator = this.generator();
    const flips = tensor(Uint8Array.from({ length: batch }, () => Number(generator.nextFloat() <= 0.5)), inputs.rank === 4 ? [batch, 1, 1, 1] : [1, 1, 1], 'bool');
    // The height and width axes, counted from the end (channels last).
    const axes = { horizontal: [-2], vertical: [-3], horizontal_and_vertical: [-3, -2] }[this.mode];
    return where(flips, reverse(images, axes), images);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), mode: this.mode };
  }
}
registerClass(RandomFlip as LayerClass);
