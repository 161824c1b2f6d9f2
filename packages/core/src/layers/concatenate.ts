import { broadcastTo } from '../ops/broadcast-to.js';
import { notEqual } from '../ops/compare.js';
import { concat } from '../ops/concat.js';
import { ones } from '../ops/creation.js';
import { max } from '../ops/reduce.js';
import { expandDims } from '../ops/reshape.js';
import type { Tensor } from '../tensor/tensor.js';
import { normalizeAxis } from '../util/shape.js';
import type { ConfigDict, LayerConfig } from './layer.js';
import { asWeights, type LayerMask } from './mask.js';
import { givenMasks, Merge } from './merge.js';
import { registerClass, type LayerClass } from './registry.js';
import { formatSymbolicShape, type SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface ConcatenateConfig extends LayerConfig {
  /** The axis to join along, counted with the batch axis; negative counts from the end. Default -1. */
  axis?: number;
}

/**
 * Keras's Concatenate: the inputs joined along `axis`. They have one rank, and agree on every
 * other dimension.
 */
export class Concatenate extends Merge {
  static override readonly className = 'Concatenate';
  static override readonly options: OptionList = { axis: true } satisfies OwnOptions<ConcatenateConfig, LayerConfig>;
  readonly axis: number;

  constructor(config: ConcatenateConfig = {}) {
    super(config);
    const axis = config.axis ?? -1;
    if (!Number.isInteger(axis)) throw new Error(`Concatenate: axis must be an integer, got ${JSON.stringify(axis)}`);
    this.axis = axis;
  }

  protected override merge(inputs: Tensor[]): Tensor {
    return concat(inputs, this.axis);
  }

  /**
   * As Keras: each input's mask spread over its last axis (all true for an input without one),
   * joined as the inputs are, then a position holds data where any of its entries does. Joined
   * along the features, a step holds data where any input's does; along the steps, the masks
   * follow one another.
   */
  override computeMask(inputs: Tensor | Tensor[], mask: LayerMask): LayerMask {
    if (givenMasks(mask).length === 0) return null;
    const list = [inputs].flat();
    const spread = list.map((x, i) => {
      const m = (Array.isArray(mask) ? mask[i] : null) ?? null;
      if (m === null) return ones(x.shape);
      const weights = asWeights(m);
      return m.rank < x.rank ? broadcastTo(expandDims(weights, -1), x.shape) : weights;
    });
    return notEqual(max(concat(spread, this.axis), -1), 0);
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): SymbolicShape {
    const shapes = this.checkedList<SymbolicShape>(inputShape);
    const rank = shapes[0]!.length;
    const mismatch = (problem: string): Error => new Error(`${this.label}: ${problem}, got ${shapes.map(formatSymbolicShape).join(', ')}`);
    if (shapes.some((s) => s.length !== rank)) throw mismatch('expected inputs of one rank');
    const axis = normalizeAxis(this.label, this.axis, rank);
    return Array.from({ length: rank }, (_, i) => {
      const dims: (number | null)[] = shapes.map((s) => s[i]!);
      if (i === axis) return dims.includes(null) ? null : (dims as number[]).reduce((a, b) => a + b, 0);
      const known = new Set<number | null>(dims.filter((d) => d !== null));
      if (known.size > 1) throw mismatch(`expected inputs that agree on every axis but ${this.axis} (axis ${i} differs)`);
      return known.size === 0 ? null : [...known][0]!;
    });
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), axis: this.axis };
  }
}
registerClass(Concatenate as LayerClass);
