import { div, maximum } from '../ops/arithmetic.js';
import { matMul } from '../ops/matmul.js';
import { sum } from '../ops/reduce.js';
import { expandDims, reshape } from '../ops/reshape.js';
import { transpose } from '../ops/transpose.js';
import { sqrt, square } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../util/arguments.js';
import { sizeOf } from '../util/shape.js';
import type { ConfigDict, LayerConfig } from './layer.js';
import type { LayerMask } from './mask.js';
import { Merge } from './merge.js';
import { registerClass, type LayerClass } from './registry.js';
import { formatSymbolicShape, type SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface DotConfig extends LayerConfig {
  /** The axis summed over, in both inputs, or one for each; counted with the batch axis, negative from the end. */
  axes: number | readonly [number, number];
  /** L2-normalize both inputs along their axis first, so the product of two vectors is their cosine similarity. Default false. */
  normalize?: boolean;
}

/** Keras's l2_normalize: x / sqrt(max(Σ x², 1e-12)) along `axis`. */
function l2Normalize(x: Tensor, axis: number): Tensor {
  return div(x, sqrt(maximum(sum(square(x), axis, true), 1e-12)));
}

/**
 * Keras's Dot: the products of two inputs summed over one axis of each, sample by sample, as
 * Keras's batch_dot: [batch, n] · [batch, n] over axis 1 gives [batch, 1]; [batch, n, k] ·
 * [batch, k, m] over axes [2, 1] gives [batch, n, m]. The output keeps the first input's other
 * axes, then the second's. Computed as one batched matrix product.
 */
export class Dot extends Merge {
  static override readonly className = 'Dot';
  static override readonly options: OptionList = { axes: true, normalize: true } satisfies OwnOptions<DotConfig, LayerConfig>;
  protected override readonly minInputs = 2;
  protected override readonly maxInputs = 2;
  readonly axes: readonly [number, number];
  readonly normalize: boolean;

  constructor(axesOrConfig: DotConfig['axes'] | DotConfig, config: Omit<DotConfig, 'axes'> = {}) {
    const full: DotConfig = typeof axesOrConfig === 'number' || Array.isArray(axesOrConfig) ? { ...config, axes: axesOrConfig as DotConfig['axes'] } : axesOrConfig as DotConfig;
    super(full);
    const axes = typeof full.axes === 'number' ? [full.axes, full.axes] : full.axes;
    if (!Array.isArray(axes) || axes.length !== 2 || !axes.every((a) => Number.isInteger(a))) {
      throw new Error(`Dot: axes must be an integer or two of them, got ${describeValue(full.axes)}`);
    }
    this.axes = [axes[0]!, axes[1]!];
    this.normalize = full.normalize ?? false;
  }

  /** The two axes, counted from 0 for inputs of these ranks; an error unless each is a feature axis (not the batch). */
  #axesFor(ranks: readonly [number, number]): [number, number] {
    return ranks.map((rank, i) => {
      const axis = this.axes[i]! < 0 ? this.axes[i]! + rank : this.axes[i]!;
      if (axis < 1 || axis >= rank) {
        throw new Error(`${this.label}: axes[${i}] must name a feature axis of input ${i} (rank ${rank}: 1 to ${rank - 1}, or -1 to ${1 - rank}), got ${this.axes[i]}`);
      }
      return axis;
    }) as [number, number];
  }

  /** The inputs keep their ranks: the product contracts one axis of each, whatever the others. */
  protected override alignRanks(inputs: Tensor[]): Tensor[] {
    return inputs;
  }

  /** The product sums away the axes a mask would mark, so the output has none, as Keras's. */
  override computeMask(_inputs?: Tensor | Tensor[], _mask?: LayerMask): LayerMask {
    return null;
  }

  protected override merge([a, b]: Tensor[]): Tensor {
    const [axisA, axisB] = this.#axesFor([a!.rank, b!.rank]);
    const [x, y] = this.normalize ? [l2Normalize(a!, axisA), l2Normalize(b!, axisB)] : [a!, b!];
    const batch = x.shape[0]!;
    // x as [batch, rest of x, k] and y as [batch, k, rest of y]: one batched product.
    const restOf = (t: Tensor, axis: number) => t.shape.map((_, i) => i).filter((i) => i !== 0 && i !== axis);
    const [restX, restY] = [restOf(x, axisA), restOf(y, axisB)];
    const left = reshape(transpose(x, [0, ...restX, axisA]), [batch, sizeOf(restX.map((i) => x.shape[i]!)), x.shape[axisA]!]);
    const right = reshape(transpose(y, [0, axisB, ...restY]), [batch, y.shape[axisB]!, sizeOf(restY.map((i) => y.shape[i]!))]);
    const product = reshape(matMul(left, right), [batch, ...restX.map((i) => x.shape[i]!), ...restY.map((i) => y.shape[i]!)]);
    // As Keras's batch_dot, a product of two vectors per sample keeps an axis: [batch, 1].
    return product.rank === 1 ? expandDims(product, 1) : product;
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): SymbolicShape {
    const [a, b] = this.checkedList<SymbolicShape>(inputShape) as [SymbolicShape, SymbolicShape];
    const [axisA, axisB] = this.#axesFor([a.length, b.length]);
    if (a[axisA] !== null && b[axisB] !== null && a[axisA] !== b[axisB]) {
      throw new Error(`${this.label}: expected the summed axes to have one length, got ${formatSymbolicShape(a)} (axis ${axisA}: ${a[axisA]}) and ${formatSymbolicShape(b)} (axis ${axisB}: ${b[axisB]})`);
    }
    const shape = [a[0] ?? b[0] ?? null, ...a.filter((_, i) => i !== 0 && i !== axisA), ...b.filter((_, i) => i !== 0 && i !== axisB)];
    return shape.length === 1 ? [shape[0]!, 1] : shape;
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), axes: [...this.axes], normalize: this.normalize };
  }
}
registerClass(Dot as LayerClass);
