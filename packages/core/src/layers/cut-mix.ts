import { tensor } from '../ops/convert.js';
import { where } from '../ops/where.js';
import { betaDraw } from '../random/distributions.js';
import type { RandomGenerator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { isConfig, uniform, zeroBasedRange, type Factor } from './factor-range.js';
import { markBox } from './image-box.js';
import type { ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { MixingLayer, type Mixing } from './mixing-layer.js';
import type { NoiseLayerConfig } from './noise-layer.js';
import { registerClass, type LayerClass } from './registry.js';

export interface CutMixConfig extends NoiseLayerConfig {
  /** The range, within [0, 1], of the batch's Beta parameter α: a number f is [0, f]. Default 1. */
  factor?: Factor;
}

/**
 * Keras's CutMix: while training, α is drawn from `factor` once per batch (plus 1e-6, as Keras
 * adds), then per image λ ~ Beta(α, α) and a box of sides √(1 − λ)·width and √(1 − λ)·height,
 * its corner (x0, y0) uniform over the places it fits. The pixels whose column x and row y
 * satisfy x0 ≤ x < x0 + side (likewise y) are the partner's; the label keeps λ = 1 − the box's
 * area over the image's, the continuous area as Keras computes it, not the pixel count. See
 * MixingLayer for how labels are passed. `new CutMix().apply([images, labels], {training: true})`.
 */
export class CutMix extends MixingLayer {
  static override readonly className = 'CutMix';
  static override readonly options: OptionList = { factor: true } satisfies OwnOptions<CutMixConfig, NoiseLayerConfig>;
  readonly factor: [number, number];

  constructor(factor?: Factor | CutMixConfig, config: Omit<CutMixConfig, 'factor'> = {}) {
    const full: CutMixConfig = factor !== undefined && isConfig(factor) ? factor : { ...config, factor };
    super(full);
    this.factor = zeroBasedRange('CutMix', 'factor', full.factor ?? 1, 1);
  }

  protected mix(images: Tensor, partners: Tensor, generator: RandomGenerator): Mixing {
    const [batch, height, width] = images.shape as [number, number, number];
    const alpha = uniform(generator, this.factor) + 1e-6;
    const sides = Array.from({ length: batch }, () => Math.sqrt(1 - betaDraw(generator, alpha, alpha)));
    const lefts = sides.map((side) => generator.nextFloat() * width * (1 - side));
    const tops = sides.map((side) => generator.nextFloat() * height * (1 - side));
    const cut = new Uint8Array(batch * height * width);
    sides.forEach((side, b) => markBox(cut, b, height, width, lefts[b]!, tops[b]!, side * width, side * height));
    return { images: where(tensor(cut, [batch, height, width, 1], 'bool'), partners, images), labelWeights: sides.map((side) => 1 - side * side) };
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), factor: [...this.factor] };
  }
}
registerClass(CutMix as LayerClass);
