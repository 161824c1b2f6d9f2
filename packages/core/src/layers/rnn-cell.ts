import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { Layer, type CallKwargs, type LayerOutput } from './layer.js';
import { classNameOf, type LayerClass } from './registry.js';
import { isShapeList, type SymbolicShape } from './symbolic-shape.js';

/**
 * One step of a recurrent network, which the `RNN` layer runs over a sequence: Keras's cell
 * contract. A cell of your own extends RNNCell and gives
 * - `stateSize`: the width of its state, or a list of widths when it carries several (an
 *   LSTM's [units, units]);
 * - `outputSize` (optional): the width of its output, by default the first state's;
 * - `build(inputShape)`: creates its weights with `addWeight` for inputs [batch, features], on
 *   the first step;
 * - `step(input, states, kwargs)`: Keras's `call(inputs, states)`, from one timestep's input
 *   [batch, features] and the states (one tensor [batch, size] per entry of stateSize, zeros
 *   before the first step) to `[output, newStates]`.
 * Register it (`registerClass`) and give it a `getConfig` so models holding it save and load.
 * `cell.apply([input, ...states])` runs one step as a layer, returning [output, ...newStates].
 */
export abstract class RNNCell extends Layer {
  /** The width of the state, or of each state in the order `step` takes and returns them. */
  abstract get stateSize(): number | readonly number[];

  /** The width of each step's output. */
  get outputSize(): number {
    return cellStateSizes(this, this.label)[0]!;
  }

  /** Each state's shape for a step's input of `inputShape`: [batch, size] (a convolutional cell's keep the image's). */
  stateShapes(inputShape: SymbolicShape): SymbolicShape[] {
    return cellStateSizes(this, this.label).map((size) => [inputShape[0] ?? null, size]);
  }

  /** The output's shape for a step's input of `inputShape`. */
  stepOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, this.outputSize];
  }

  /**
   * Called by the RNN before the first step of a sequence, with a step's input shape and the
   * call's kwargs, and `endSequence` after the last: a cell that drops its inputs draws its masks
   * here, one for the whole sequence, as Keras's cells do.
   */
  beginSequence(_inputShape: Shape, _kwargs: CallKwargs): void {}

  endSequence(): void {}

  /** From one timestep's input and the states, the output and the new states. */
  abstract step(input: Tensor, states: readonly Tensor[], kwargs: CallKwargs): [Tensor, Tensor[]];

  /** The input, then the states. */
  protected override get takesList(): boolean {
    return true;
  }

  /** The weights depend on the input alone. */
  override ensureBuilt(inputShape: Shape | Shape[]): void {
    super.ensureBuilt(isShapeList(inputShape) ? inputShape[0]! : inputShape);
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs = {}): LayerOutput {
    const [input, ...states] = [inputs].flat();
    const [output, next] = this.step(input!, states, kwargs);
    return [output, ...next];
  }
}

/**
 * A cell's state widths as a list, or an error naming `owner` (the layer that runs it) and what
 * the cell gave: Keras's RNN refuses a cell without a state_size the same way.
 */
export function cellStateSizes(cell: unknown, owner: string): number[] {
  const label = cell instanceof Layer ? `${classNameOf(cell.constructor as LayerClass)} '${cell.name}'` : describeCell(cell);
  if (!(cell instanceof RNNCell)) throw new Error(`${owner}: expected a cell extending RNNCell (with stateSize and step), got ${label}`);
  const size: unknown = cell.stateSize;
  const sizes = typeof size === 'number' ? [size] : size;
  if (!Array.isArray(sizes) || sizes.length === 0 || !sizes.every((s) => Number.isInteger(s) && s > 0)) {
    throw new Error(`${owner}: expected cell ${label}'s stateSize to be a positive integer or a non-empty list of them, got ${JSON.stringify(size) ?? 'undefined'}`);
  }
  return sizes as number[];
}

function describeCell(cell: unknown): string {
  if (cell === null || typeof cell !== 'object') return JSON.stringify(cell) ?? String(cell);
  return `an instance of ${cell.constructor?.name ?? 'Object'}`;
}
