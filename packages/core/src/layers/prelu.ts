import type { InitializerIdentifier } from '../initializers/index.js';
import { add, minimum, mul } from '../ops/arithmetic.js';
import { relu } from '../ops/unary.js';
import { optionalRegularizer } from '../regularizers/get-regularizer.js';
import { serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Shape } from '../types.js';
import { describeValue } from '../util/arguments.js';
import { formatShape } from '../util/shape.js';
import { serializeInitializer } from './initializer-config.js';
import type { ConfigDict, LayerConfig } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import { SameShapeLayer } from './same-shape-layer.js';
import { withUnknownBatch, type SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface PReLUConfig extends LayerConfig {
  /** Default 'zeros': the layer starts as a ReLU. */
  alphaInitializer?: InitializerIdentifier;
  /** A penalty on alpha added to the training loss. */
  alphaRegularizer?: RegularizerIdentifier | null;
  /**
   * Axes of the sample (numbered from 1, the batch axis being 0) along which one alpha serves
   * every position, as [1, 2] for the height and width of images, to learn one slope per channel.
   */
  sharedAxes?: number | readonly number[] | null;
}

/** Distinct positive integers, from a number, a list or null; otherwise an error naming what was given. */
function sharedAxesArgument(value: unknown): number[] {
  const axes: unknown[] = value == null ? [] : Array.isArray(value) ? value : [value];
  const valid = axes.every((a) => typeof a === 'number' && Number.isInteger(a) && a > 0) && new Set(axes).size === axes.length;
  if (!valid) {
    throw new Error(`PReLU: sharedAxes must be distinct axes of the sample, integers >= 1 (the batch axis 0 is not among them), got ${describeValue(value)}`);
  }
  return axes as number[];
}

/**
 * Keras's PReLU layer: a ReLU whose slope for negative inputs is learned, max(0, x) +
 * alpha·min(0, x), with one alpha per element of the sample unless shared along `sharedAxes`.
 */
export class PReLU extends SameShapeLayer {
  static override readonly className = 'PReLU';
  static override readonly options: OptionList = { alphaInitializer: true, alphaRegularizer: true, sharedAxes: true } satisfies OwnOptions<PReLUConfig, LayerConfig>;
  readonly alphaInitializer: InitializerIdentifier;
  readonly alphaRegularizer: Regularizer | null;
  readonly sharedAxes: readonly number[];
  alpha: Variable | null = null;

  constructor(config: PReLUConfig = {}) {
    super(config);
    this.alphaInitializer = config.alphaInitializer ?? 'zeros';
    this.alphaRegularizer = optionalRegularizer(config.alphaRegularizer);
    this.sharedAxes = sharedAxesArgument(config.sharedAxes);
  }

  /** Whether inputs of `shape` have the axes alpha is shared along, and the size of the others. */
  #checkShape(shape: SymbolicShape): void {
    const given = formatShape(shape.map((d) => d ?? -1));
    const deepest = Math.max(1, ...this.sharedAxes);
    if (shape.length <= deepest) {
      const why = this.sharedAxes.length > 0 ? `a batch axis, then sharedAxes ${JSON.stringify(this.sharedAxes)}` : 'a batch axis, then the sample';
      throw new Error(`${this.label}: expected inputs of rank >= ${deepest + 1} (${why}), got shape ${given}`);
    }
    const unknown = shape.findIndex((d, i) => i > 0 && d === null && !this.sharedAxes.includes(i));
    if (unknown > 0) throw new Error(`${this.label}: alpha needs the size of axis ${unknown}, unknown in shape ${given}; share alpha along it with sharedAxes, or give its size`);
  }

  override build(inputShape: Shape): void {
    this.#checkShape(inputShape);
    const alphaShape = inputShape.slice(1).map((d, i) => (this.sharedAxes.includes(i + 1) ? 1 : d));
    this.alpha = this.addWeight('alpha', alphaShape, this.alphaInitializer, { regularizer: this.alphaRegularizer });
  }

  /** Alpha spans every axis of the sample: the rank, and each size it does not share, must stay. */
  protected override checkBuiltInputShape(shape: Shape, built: Shape): void {
    if (shape.length !== built.length || shape.some((d, i) => i > 0 && !this.sharedAxes.includes(i) && d !== built[i])) {
      throw new Error(`${this.label}: expected inputs of shape ${formatShape(withUnknownBatch(built).map((d, i) => (d === null || this.sharedAxes.includes(i) ? -1 : d)))} (-1: any), as alpha was built for, got shape ${formatShape(shape)}`);
    }
  }

  override call(inputs: Tensor): Tensor {
    return add(relu(inputs), mul(this.alpha!, minimum(inputs, 0)));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.#checkShape(inputShape);
    return inputShape;
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      alphaInitializer: serializeInitializer(this.alphaInitializer),
      alphaRegularizer: serializeRegularizer(this.alphaRegularizer),
      sharedAxes: this.sharedAxes.length > 0 ? [...this.sharedAxes] : null,
    };
  }
}
registerClass(PReLU as LayerClass);
