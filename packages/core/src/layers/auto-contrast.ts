import { add, div, mul, sub } from '../ops/arithmetic.js';
import { clipByValue } from '../ops/clip.js';
import { greater } from '../ops/compare.js';
import { max, min } from '../ops/reduce.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor/tensor.js';
import { floatImages } from './image-inputs.js';
import type { ConfigDict, LayerConfig } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { registerClass, type LayerClass } from './registry.js';
import { SameShapeLayer } from './same-shape-layer.js';
import { valueRangeOf } from './value-range.js';

export interface AutoContrastConfig extends LayerConfig {
  /** The range the pixels lie in, [low, high], which each channel is stretched over. Default [0, 255]. */
  valueRange?: readonly [number, number];
}

/**
 * Keras's AutoContrast, in training and inference alike: each image's every channel stretched
 * linearly so its lowest pixel becomes `low` and its highest `high`, clipped; a channel of one
 * value passes through. Float32 out; gradients flow through the pixels and the channel's extremes.
 */
export class AutoContrast extends SameShapeLayer {
  static override readonly className = 'AutoContrast';
  static override readonly options: OptionList = { valueRange: true } satisfies OwnOptions<AutoContrastConfig, LayerConfig>;
  readonly valueRange: [number, number];

  constructor(config: AutoContrastConfig = {}) {
    super(config);
    this.valueRange = valueRangeOf('AutoContrast', config.valueRange);
  }

  override call(inputs: Tensor): Tensor {
    const images = floatImages(this.label, inputs);
    const [low, high] = this.valueRange;
    const lowest = min(images, [-3, -2], true);
    const span = sub(max(images, [-3, -2], true), lowest);
    const spread = greater(span, 0);
    // The safe span keeps 0/0 out of the flat channels' branch, which where() drops.
    const stretched = add(mul(div(sub(images, lowest), where(spread, span, 1)), high - low), low);
    return where(spread, clipByValue(stretched, low, high), images);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), valueRange: [...this.valueRange] };
  }
}
registerClass(AutoContrast as LayerClass);
