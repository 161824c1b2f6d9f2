import { reshape } from '../ops/reshape.js';
import { softmax } from '../ops/softmax.js';
import { transpose } from '../ops/transpose.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue, INTEGER, numberArgument } from '../util/arguments.js';
import { formatShape } from '../util/shape.js';
import { MASKED_SCORE } from './attention-parts.js';
import type { CallKwargs, ConfigDict, LayerConfig } from './layer.js';
import { asBoolMask, firstMask } from './mask.js';
import { registerClass, type LayerClass } from './registry.js';
import { SameShapeLayer } from './same-shape-layer.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface SoftmaxConfig extends LayerConfig {
  /** The axis the outputs sum to 1 along; negative counts from the end. Default -1. */
  axis?: number;
}

/**
 * Keras's Softmax layer: exp(x) / Σ exp(x) along one axis. `new Softmax({axis: 1})`. Entries
 * whose mask is false get no weight, as Keras's (they sit MASKED_SCORE below the rest).
 */
export class Softmax extends SameShapeLayer {
  static override readonly className = 'Softmax';
  static override readonly options: OptionList = { axis: true } satisfies OwnOptions<SoftmaxConfig, LayerConfig>;
  readonly axis: number;

  constructor(config: SoftmaxConfig = {}) {
    super(config);
    const axis: unknown = config.axis ?? -1;
    if (Array.isArray(axis)) throw new Error(`Softmax: axis must be one integer (a list of axes is not supported), got ${describeValue(axis)}`);
    this.axis = numberArgument('Softmax', 'axis', axis, INTEGER);
  }

  /** The axis counted from the start, for inputs of `shape`. */
  #axisIn(shape: SymbolicShape): number {
    const rank = shape.length;
    if (this.axis < -rank || this.axis >= rank) {
      throw new Error(`Softmax '${this.name}': for axis ${this.axis} expected inputs of rank >= ${this.axis < 0 ? -this.axis : this.axis + 1}, got shape ${formatShape(shape.map((d) => d ?? -1))}`);
    }
    return this.axis < 0 ? rank + this.axis : this.axis;
  }

  override call(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    const axis = this.#axisIn(inputs.shape);
    const logits = this.#hideMasked(inputs, axis, firstMask(kwargs.mask));
    const last = inputs.rank - 1;
    if (axis === last) return softmax(logits);
    // The softmax op works along the last axis (so it keeps fused kernels and ONNX's Softmax):
    // swap `axis` there and back, a swap being its own inverse.
    const swap = inputs.shape.map((_, i) => (i === axis ? last : i === last ? axis : i));
    return transpose(softmax(transpose(logits, swap)), swap);
  }

  /**
   * The inputs with the entries `mask` hides pushed down by MASKED_SCORE. A mask covers the
   * leading dimensions of the inputs (all, as an attention mask, or [batch, steps] of a
   * sequence) and applies only when it covers the softmax's axis: a sequence's mask on a
   * softmax within each step marks whole steps, which the mask passed on leaves out later
   * (where Keras would fail to broadcast it).
   */
  #hideMasked(inputs: Tensor, axis: number, mask: Tensor | null): Tensor {
    if (mask === null || mask.rank <= axis) return inputs;
    if (mask.rank > inputs.rank || mask.shape.some((d, i) => d !== 1 && d !== inputs.shape[i])) {
      throw new Error(`${this.label}: expected a mask covering the leading dimensions of the inputs ${formatShape(inputs.shape)}, got shape ${formatShape(mask.shape)}`);
    }
    const kept = reshape(asBoolMask(mask), [...mask.shape, ...new Array<number>(inputs.rank - mask.rank).fill(1)]);
    return where(kept, inputs, -MASKED_SCORE);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.#axisIn(inputShape);
    return inputShape;
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), axis: this.axis };
  }
}
registerClass(Softmax as LayerClass);
