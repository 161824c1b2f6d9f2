import { softmax } from '../ops/softmax.js';
import { transpose } from '../ops/transpose.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue, INTEGER, numberArgument } from '../util/arguments.js';
import { formatShape } from '../util/shape.js';
import type { ConfigDict, LayerConfig } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import { SameShapeLayer } from './same-shape-layer.js';
import type { SymbolicShape } from './symbolic-shape.js';

export interface SoftmaxConfig extends LayerConfig {
  /** The axis the outputs sum to 1 along; negative counts from the end. Default -1. */
  axis?: number;
}

/** Keras's Softmax layer: exp(x) / Σ exp(x) along one axis. `new Softmax({axis: 1})`. */
export class Softmax extends SameShapeLayer {
  static override readonly className = 'Softmax';
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

  override call(inputs: Tensor): Tensor {
    const axis = this.#axisIn(inputs.shape);
    const last = inputs.rank - 1;
    if (axis === last) return softmax(inputs);
    // The softmax op works along the last axis (so it keeps fused kernels and ONNX's Softmax):
    // swap `axis` there and back, a swap being its own inverse.
    const swap = inputs.shape.map((_, i) => (i === axis ? last : i === last ? axis : i));
    return transpose(softmax(transpose(inputs, swap)), swap);
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
