import { add, mul } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';
import { expandDims } from '../ops/reshape.js';
import { tanh } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { Attention, type AttentionConfig } from './attention.js';
import type { ConfigDict } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import { isShapeList } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface AdditiveAttentionConfig extends Omit<AttentionConfig, 'scoreMode' | 'useScale'> {
  /** Weigh each feature's tanh(query + key) by a learned `scale` [features] (Glorot-uniform) before the sum. Default true. */
  useScale?: boolean;
}

/**
 * Keras's AdditiveAttention (Bahdanau-style): Attention whose query step i scores key step j
 * as Σ_f scale_f·tanh(query_if + key_jf), a learned weight per feature outside the tanh, where
 * Attention's 'concat' mode has one scalar inside it and another outside the sum. Masks,
 * dropout, the causal mask and the weights it returns are Attention's.
 */
export class AdditiveAttention extends Attention {
  static override readonly className = 'AdditiveAttention';
  // None of its own; listing them makes the layer check its options against Attention's.
  static override readonly options: OptionList = {} satisfies OwnOptions<AdditiveAttentionConfig, AttentionConfig>;

  constructor(config: AdditiveAttentionConfig = {}) {
    if ((config as AttentionConfig).scoreMode != null) throw new Error("AdditiveAttention: unknown option 'scoreMode'; it always scores Σ scale·tanh(query + key)");
    super({ ...config, useScale: config.useScale ?? true, scoreMode: 'concat' });
  }

  override build(inputShape: Shape | Shape[]): void {
    const [query] = this.checkShapes(isShapeList(inputShape) ? inputShape : [inputShape]);
    if (this.useScale) this.scale = this.addWeight('scale', [query[2]!], 'glorotUniform');
  }

  /** [batch, Tq, Tv]: Σ over the features of scale·tanh(query + key). */
  protected override scores(query: Tensor, key: Tensor): Tensor {
    const pairs = tanh(add(expandDims(query, 2), expandDims(key, 1)));
    return sum(this.scale ? mul(pairs, this.scale) : pairs, -1);
  }

  /** Attention's settings but scoreMode, which is not one of this layer's (as Keras leaves it out). */
  override getConfig(): ConfigDict {
    const { scoreMode: _always, ...config } = super.getConfig();
    return config;
  }
}
registerClass(AdditiveAttention as LayerClass);
