import { tidy } from '../engine/memory.js';
import { add, div, mul, sub } from '../ops/arithmetic.js';
import { cast } from '../ops/cast.js';
import { clipByValue } from '../ops/clip.js';
import { equal, greater, lessEqual } from '../ops/compare.js';
import { tensor } from '../ops/convert.js';
import { ones } from '../ops/creation.js';
import { cumsum } from '../ops/cumsum.js';
import { gather, unsortedSegmentSum } from '../ops/gather.js';
import { min, sum } from '../ops/reduce.js';
import { reshape } from '../ops/reshape.js';
import { slice } from '../ops/slice.js';
import { floor, round } from '../ops/unary.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor/tensor.js';
import { numberArgument } from '../util/arguments.js';
import { floatImages } from './image-inputs.js';
import type { ConfigDict, LayerConfig } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { registerClass, type LayerClass } from './registry.js';
import { SameShapeLayer } from './same-shape-layer.js';
import { rescale, valueRangeOf } from './value-range.js';

export interface EqualizationConfig extends LayerConfig {
  /** The range the pixels lie in, [low, high]. Default [0, 255]. */
  valueRange?: readonly [number, number];
  /** How many equal-width bins the histogram of [0, 255] has. Default 256. */
  bins?: number;
}

/**
 * Keras's Equalization, in training and inference alike (as Keras documents it; Keras 3's code
 * applies it only while training): each image's every channel, mapped to [0, 255], is put
 * through its histogram's equalizing table, round(255·(cdf − cdf_min) / (pixels − cdf_min)) of
 * the pixel's bin, and mapped back; a channel whose pixels share one bin passes through. Each
 * image is equalized alone: Keras 3 pools a batch's histograms, which makes an image's output
 * depend on the others in its batch. Float32 out; the table passes no gradient, as in Keras.
 */
export class Equalization extends SameShapeLayer {
  static override readonly className = 'Equalization';
  static override readonly options: OptionList = { valueRange: true, bins: true } satisfies OwnOptions<EqualizationConfig, LayerConfig>;
  readonly valueRange: [number, number];
  readonly bins: number;

  constructor(config: EqualizationConfig = {}) {
    super(config);
    this.valueRange = valueRangeOf('Equalization', config.valueRange);
    this.bins = numberArgument('Equalization', 'bins', config.bins ?? 256, ['a whole number ≥ 1', (v) => Number.isInteger(v) && v >= 1]);
  }

  override call(inputs: Tensor): Tensor {
    const images = floatImages(this.label, inputs);
    const batched = images.rank === 4 ? images : reshape(images, [1, ...images.shape]);
    const [batch, height, width, channels] = batched.shape as [number, number, number, number];
    const bins = this.bins;
    const equalized = tidy(() => {
      const scaled = rescale(batched, this.valueRange, [0, 255]);
      const bin = cast(clipByValue(floor(div(mul(scaled, bins - 1), 255)), 0, bins - 1), 'int32');
      // Each (image, channel) pair counts into its own run of `bins` slots.
      const firstSlot = tensor(Array.from({ length: batch * channels }, (_, i) => i * bins), [batch, 1, 1, channels], 'int32');
      const slots = reshape(add(bin, firstSlot), [batch * height * width * channels]);
      const histograms = reshape(unsortedSegmentSum(ones([slots.size]), slots, batch * channels * bins), [batch * channels, bins]);
      const cdf = cumsum(histograms, 1);
      const cdfMin = min(where(greater(cdf, 0), cdf, Infinity), 1, true);
      const rest = sub(slice(cdf, [0, bins - 1], [batch * channels, 1]), cdfMin);
      const table = clipByValue(round(div(mul(sub(cdf, cdfMin), 255), where(equal(rest, 0), 1, rest))), 0, 255);
      const mapped = rescale(gather(reshape(table, [batch * channels * bins]), reshape(slots, batched.shape)), [0, 255], this.valueRange);
      const oneBin = reshape(lessEqual(sum(cast(greater(histograms, 0), 'float32'), 1), 1), [batch, 1, 1, channels]);
      return where(oneBin, batched, mapped);
    });
    return images.rank === 4 ? equalized : reshape(equalized, images.shape);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), valueRange: [...this.valueRange], bins: this.bins };
  }
}
registerClass(Equalization as LayerClass);
