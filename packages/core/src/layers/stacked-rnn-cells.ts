import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import type { CallKwargs, ConfigDict, LayerConfig } from './layer.js';
import type { OptionList } from './layer-options.js';
import { classNameOf, deserializeLayer, registerClass, serializeLayer, type LayerClass, type SerializedLayer } from './registry.js';
import { RNNCell, cellStateSizes } from './rnn-cell.js';

/**
 * Keras's StackedRNNCells: cells run one after another within each step, each reading the output
 * of the one before, as one cell. Its states are every cell's in turn (two LSTMCells: [h₁, c₁,
 * h₂, c₂]); its output is the last cell's. `new RNN([a, b])` makes one.
 */
export class StackedRNNCells extends RNNCell {
  static override readonly className = 'StackedRNNCells';
  static override readonly options: OptionList = {};
  readonly cells: readonly RNNCell[];

  constructor(cells: readonly RNNCell[], config: LayerConfig = {}) {
    super(config);
    if (!Array.isArray(cells) || cells.length === 0) throw new Error(`${this.label}: expected a non-empty list of cells, got ${JSON.stringify(cells) ?? 'undefined'}`);
    cells.forEach((cell) => cellStateSizes(cell, this.label));
    this.cells = [...cells];
  }

  get stateSize(): readonly number[] {
    return this.cells.flatMap((cell) => cellStateSizes(cell, this.label));
  }

  override get outputSize(): number {
    return this.cells.at(-1)!.outputSize;
  }

  override build(inputShape: Shape): void {
    let shape = inputShape;
    for (const cell of this.cells) {
      cell.ensureBuilt(shape);
      shape = [shape[0]!, cell.outputSize];
    }
  }

  override beginSequence(inputShape: Shape, kwargs: CallKwargs): void {
    let shape = inputShape;
    for (const cell of this.cells) {
      cell.beginSequence(shape, kwargs);
      shape = cell.stepOutputShape(shape) as Shape;
    }
  }

  override endSequence(): void {
    for (const cell of this.cells) cell.endSequence();
  }

  step(input: Tensor, states: readonly Tensor[], kwargs: CallKwargs): [Tensor, Tensor[]] {
    const sizes = this.stateSize;
    if (states.length !== sizes.length) throw new Error(`${this.label}: expected ${sizes.length} states (each cell's in turn), got ${states.length}`);
    let output = input;
    let at = 0;
    const next: Tensor[] = [];
    for (const cell of this.cells) {
      const count = cellStateSizes(cell, this.label).length;
      const [cellOutput, cellStates] = cell.step(output, states.slice(at, at + count), kwargs);
      if (cellStates.length !== count) throw new Error(`${this.label}: cell ${classNameOf(cell.constructor as LayerClass)} '${cell.name}' returned ${cellStates.length} states, expected ${count} (its stateSize)`);
      output = cellOutput;
      next.push(...cellStates);
      at += count;
    }
    return [output, next];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), cells: this.cells.map((cell) => serializeLayer(cell)) };
  }

  static override fromConfig(cls: LayerClass, config: ConfigDict): StackedRNNCells {
    const { cells, ...rest } = config as ConfigDict & { cells?: SerializedLayer[] };
    if (!Array.isArray(cells)) throw new Error(`${classNameOf(cls)}.fromConfig: expected config.cells, a list of serialized cells, got ${JSON.stringify(cells) ?? 'undefined'}`);
    return new cls(cells.map((cell) => deserializeLayer(cell)), rest) as StackedRNNCells;
  }
}
registerClass(StackedRNNCells as LayerClass);
