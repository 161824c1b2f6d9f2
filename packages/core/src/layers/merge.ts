import { add, div, maximum, minimum, mul, sub } from '../ops/arithmetic.js';
import { notEqual } from '../ops/compare.js';
import { expandDims } from '../ops/reshape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { formatShape } from '../util/shape.js';
import { Layer } from './layer.js';
import { asWeights, type LayerMask } from './mask.js';
import { registerClass, type LayerClass } from './registry.js';
import { formatSymbolicShape, isShapeList, type SymbolicShape } from './symbolic-shape.js';
import type { OptionList } from './layer-options.js';

/**
 * Keras's elementwise merge layers: one output from a list of inputs of broadcastable shapes
 * (`new Add().apply([a, b])`). As in Keras, inputs of lower rank gain axes after the batch axis
 * until all ranks agree, so a [batch, 8] input meets a [batch, 4, 8] one across its 4 rows; then
 * dimensions broadcast where one of them is 1. Subclasses say how two inputs combine.
 */
export abstract class Merge extends Layer {
  /** How many inputs the layer takes at least (and at most, when set). */
  protected readonly minInputs: number = 1;
  protected readonly maxInputs: number = Infinity;

  protected override get takesList(): boolean {
    return true;
  }

  /** Folds the inputs (of one rank by now, unless `alignRanks` says otherwise) into the output. */
  protected abstract merge(inputs: Tensor[]): Tensor;

  override build(inputShape: Shape | Shape[]): void {
    this.computeOutputShape(inputShape);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    // Checks the inputs (a list, of the right length, of shapes that merge) before any op runs.
    this.computeOutputShape(Array.isArray(inputs) ? inputs.map((x) => x.shape) : inputs.shape);
    return this.merge(this.alignRanks(inputs as Tensor[]));
  }

  /** The output holds data where the inputs do, so the inputs' masks make its mask (see computeMask). */
  override get supportsMasking(): boolean {
    return true;
  }

  /** As Keras: a step holds data where every input that has a mask says so; with no masks, no mask. */
  override computeMask(_inputs: Tensor | Tensor[], mask: LayerMask): LayerMask {
    const masks = givenMasks(mask);
    return masks.length === 0 ? null : notEqual(masks.map(asWeights).reduce((all, m) => mul(all, m)), 0);
  }

  /** Inputs of lower rank gain axes after the batch axis until every rank is the highest. */
  protected alignRanks(inputs: Tensor[]): Tensor[] {
    const rank = Math.max(...inputs.map((x) => x.rank));
    return inputs.map((x) => {
      let aligned = x;
      while (aligned.rank < rank) aligned = expandDims(aligned, 1);
      return aligned;
    });
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): SymbolicShape {
    const shapes = this.checkedList<SymbolicShape>(inputShape);
    const rank = Math.max(...shapes.map((s) => s.length));
    const aligned = shapes.map((s) => [s[0] ?? null, ...Array<number>(rank - s.length).fill(1), ...s.slice(1)]);
    return Array.from({ length: rank }, (_, axis) => {
      const dims = aligned.map((s) => s[axis]!);
      if (axis === 0) return dims.find((d) => d !== null) ?? null;
      const sizes = new Set<number | null>(dims.filter((d) => d !== 1));
      if (sizes.size > 1 && !sizes.has(null)) {
        throw new Error(`${this.label}: expected inputs whose shapes broadcast, got ${shapes.map(formatSymbolicShape).join(', ')} (axis ${axis}: ${[...sizes].join(' vs ')})`);
      }
      return sizes.size === 0 ? 1 : sizes.has(null) ? null : [...sizes][0]!;
    });
  }

  /** `inputShape` as a list of shapes, refused unless it is a list of as many inputs as the layer takes. */
  protected checkedList<S extends Shape | SymbolicShape>(inputShape: S | readonly S[]): readonly S[] {
    if (!isShapeList(inputShape)) throw new Error(`${this.label}: expected a list of inputs, got one of shape ${formatShape(inputShape.map((d) => d ?? -1))}`);
    const count = inputShape.length;
    if (count < this.minInputs || count > this.maxInputs) {
      const expected = this.maxInputs === this.minInputs ? `exactly ${this.minInputs}` : `at least ${this.minInputs}`;
      throw new Error(`${this.label}: expected ${expected} inputs, got ${count}`);
    }
    const scalar = inputShape.findIndex((s) => s.length === 0);
    if (scalar >= 0) throw new Error(`${this.label}: expected inputs with a batch dimension, got a scalar at position ${scalar}`);
    return inputShape;
  }
}

/** Keras's Add: the sum of the inputs. */
export class Add extends Merge {
  static override readonly className = 'Add';
  static override readonly options: OptionList = {};
  protected override merge(inputs: Tensor[]): Tensor {
    return inputs.reduce((total, x) => add(total, x));
  }
}
registerClass(Add as LayerClass);

/** Keras's Subtract: the first of exactly two inputs minus the second. */
export class Subtract extends Merge {
  static override readonly className = 'Subtract';
  static override readonly options: OptionList = {};
  protected override readonly minInputs = 2;
  protected override readonly maxInputs = 2;
  protected override merge([a, b]: Tensor[]): Tensor {
    return sub(a!, b!);
  }
}
registerClass(Subtract as LayerClass);

/** Keras's Multiply: the elementwise product of the inputs. */
export class Multiply extends Merge {
  static override readonly className = 'Multiply';
  static override readonly options: OptionList = {};
  protected override merge(inputs: Tensor[]): Tensor {
    return inputs.reduce((product, x) => mul(product, x));
  }
}
registerClass(Multiply as LayerClass);

/** Keras's Average: the elementwise mean of the inputs. */
export class Average extends Merge {
  static override readonly className = 'Average';
  static override readonly options: OptionList = {};
  protected override merge(inputs: Tensor[]): Tensor {
    return div(inputs.reduce((total, x) => add(total, x)), inputs.length);
  }
}
registerClass(Average as LayerClass);

/** Keras's Maximum: the elementwise maximum of the inputs. */
export class Maximum extends Merge {
  static override readonly className = 'Maximum';
  static override readonly options: OptionList = {};
  protected override merge(inputs: Tensor[]): Tensor {
    return inputs.reduce((largest, x) => maximum(largest, x));
  }
}
registerClass(Maximum as LayerClass);

/** Keras's Minimum: the elementwise minimum of the inputs. */
export class Minimum extends Merge {
  static override readonly className = 'Minimum';
  static override readonly options: OptionList = {};
  protected override merge(inputs: Tensor[]): Tensor {
    return inputs.reduce((smallest, x) => minimum(smallest, x));
  }
}
registerClass(Minimum as LayerClass);

/** The masks given, one per input or one alone, without the inputs that have none. */
export function givenMasks(mask: LayerMask): Tensor[] {
  return (Array.isArray(mask) ? mask : [mask]).filter((m): m is Tensor => m !== null);
}
