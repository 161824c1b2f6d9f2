import { mul } from '../ops/arithmetic.js';
import { concat } from '../ops/concat.js';
import { zeros } from '../ops/creation.js';
import { reshape } from '../ops/reshape.js';
import { slice } from '../ops/slice.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Shape } from '../types.js';
import { formatShape } from '../util/shape.js';
import { Layer, type CallKwargs, type ConfigDict, type LayerConfig, type OutputShape } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { asWeights, firstMask, sequenceMask, type LayerMask } from './mask.js';
import { maskedState, type RecurrentOutput } from './recurrent.js';
import { CarriedStates, statefulOnly } from './carried-states.js';
import { checkStateShapes } from './recurrent-states.js';
import { classNameOf, deserializeLayer, registerClass, serializeLayer, type LayerClass, type SerializedLayer } from './registry.js';
import { RNNCell, cellStateSizes } from './rnn-cell.js';
import { StackedRNNCells } from './stacked-rnn-cells.js';
import { isShapeList, type SymbolicShape } from './symbolic-shape.js';

export interface RNNConfig<ReturnState extends boolean = boolean> extends LayerConfig {
  /** Output every step's output [batch, timesteps, outputSize] rather than the last [batch, outputSize]. Default false. */
  returnSequences?: boolean;
  /** Return [output, ...final states] (every state of the cell, flattened in its order). Default false. */
  returnState?: ReturnState;
  /** Read the sequence from its last step to its first; the returned sequence is in that order too. Default false. */
  goBackwards?: boolean;
  /**
   * Keras's stateful: each call starts from the final states of the call before (sample i of a
   * batch from sample i of the batch before) rather than from zeros, until `resetStates()`. The
   * batch size is then fixed: by the layer's batchInputShape or the Input it is applied to, else
   * by its first call. Default false.
   */
  stateful?: boolean;
  /** Keras's choice between a symbolic loop and an unrolled one; this layer always unrolls on the tape, so either value computes the same. Default false. */
  unroll?: boolean;
  /** At a masked step output zeros (true) or repeat the last output (false, Keras's default); the states are carried either way. */
  zeroOutputForMask?: boolean;
}

/**
 * Keras's RNN layer: runs a cell (see RNNCell: the built-in SimpleRNNCell, LSTMCell, GRUCell, a
 * StackedRNNCells, or your own) over a channels-last sequence [batch, timesteps, features],
 * unrolled on the tape so that the gradient flows back through time. The states start at zeros,
 * or at the initial states given after the sequence: `rnn.apply([x, ...states])`. A list of
 * cells is stacked: `new RNN([a, b])` is `new RNN(new StackedRNNCells([a, b]))`.
 * `new RNN(new LSTMCell(8))` computes what `new LSTM(8)` does, with the same weights.
 */
export class RNN<ReturnState extends boolean = false> extends Layer {
  static override readonly className: string = 'RNN';
  static override readonly options: OptionList = { returnSequences: true, returnState: true, goBackwards: true, stateful: true, unroll: true, zeroOutputForMask: true } satisfies OwnOptions<RNNConfig, LayerConfig>;
  /** Listed so that call refuses it saying where the initial states go. */
  static override readonly callOptions: OptionList = { initialState: true };
  readonly cell: RNNCell;
  readonly returnSequences: boolean;
  readonly returnState: ReturnState;
  readonly goBackwards: boolean;
  readonly unroll: boolean;
  readonly zeroOutputForMask: boolean;
  readonly stateful: boolean;
  /** The states carried between calls, when stateful. */
  readonly #carried: CarriedStates | null;

  constructor(cell: RNNCell | readonly RNNCell[], config: RNNConfig<ReturnState> = {}) {
    super(config);
    this.cell = Array.isArray(cell) ? new StackedRNNCells(cell as readonly RNNCell[]) : (cell as RNNCell);
    cellStateSizes(this.cell, this.label);
    this.returnSequences = config.returnSequences ?? false;
    this.returnState = config.returnState ?? (false as ReturnState);
    this.goBackwards = config.goBackwards ?? false;
    this.unroll = config.unroll ?? false;
    this.zeroOutputForMask = config.zeroOutputForMask ?? false;
    this.stateful = config.stateful ?? false;
    this.#carried = this.stateful ? new CarriedStates({ label: () => this.label, name: this.name, names: () => this.stateNames, shapesFor: (batch) => this.#stateShapesFor(batch) }) : null;
    this.#carried?.fixBatch(this.batchInputShape?.[0] ?? null, 'its batchInputShape');
  }

  /** The states the next call starts from, when stateful (Keras's `layer.states`); null before the first call, or when not stateful. */
  get states(): readonly Variable[] | null {
    return this.#carried?.states ?? null;
  }

  /** A stateful layer's states back to zeros, or to `states` (one per state of the cell, each of its shape), as tfjs-layers' resetStates. */
  resetStates(states?: Tensor | readonly Tensor[]): void {
    statefulOnly(this.#carried, this.label).reset(states);
  }

  /** The cell's state shapes for batches of `batch`, once built (they follow from the sequence's shape). */
  #stateShapesFor(batch: number): Shape[] | null {
    const built = this.buildInputShape;
    return built && (this.cell.stateShapes([batch, ...built.slice(2)]) as Shape[]);
  }

  /** Each state's width, in the order the cell takes them. */
  get stateSize(): number[] {
    return cellStateSizes(this.cell, this.label);
  }

  /** How errors name the states. */
  get stateNames(): string[] {
    return this.stateSize.map((_, i) => `state ${i}`);
  }

  /** The sequence, then optionally the initial states. */
  protected override get takesList(): boolean {
    return true;
  }

  /** The weights depend on the sequence alone; wrong initial states leave the layer unbuilt. */
  override ensureBuilt(inputShape: Shape | Shape[]): void {
    const [sequence, ...initialStates] = isShapeList(inputShape) ? inputShape : [inputShape];
    if (!this.built) this.#checkStates(sequence!, initialStates);
    super.ensureBuilt(sequence!);
  }

  override build(inputShape: Shape): void {
    this.#checkSequence(inputShape);
    this.cell.ensureBuilt([inputShape[0]!, ...inputShape.slice(2)]);
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs = {}): RecurrentOutput<ReturnState> {
    if (kwargs.initialState !== undefined) {
      throw new Error(`${this.label}: expected the initial states in the inputs list, apply([sequence, ...states]), got them as kwargs.initialState`);
    }
    const [sequence, ...initialStates] = [inputs].flat();
    this.#checkSequence(sequence!.shape);
    const sizes = this.stateSize;
    this.#checkStates(sequence!.shape, initialStates.map((s) => s.shape));
    const [batch, timesteps] = sequence!.shape as [number, number];
    const stepShape = [batch, ...sequence!.shape.slice(2)];
    const mask = sequenceMask(this.label, kwargs.mask, sequence!.shape);
    // Given initial states win over carried ones, as in Keras; either way a stateful call keeps its final states.
    const carried = this.#carried?.begin(batch) ?? null;
    let states: readonly Tensor[] = initialStates.length > 0 ? initialStates : carried ?? this.cell.stateShapes(stepShape).map((shape) => zeros(shape as Shape));
    let output: Tensor | null = null;
    const outputs: Tensor[] = [];
    this.cell.beginSequence(stepShape, kwargs);
    try {
      for (let i = 0; i < timesteps; i++) {
        const t = this.goBackwards ? timesteps - 1 - i : i;
        const input = reshape(slice(sequence!, [0, t, ...stepShape.slice(1).map(() => 0)], [-1, 1, ...stepShape.slice(1).map(() => -1)]), stepShape);
        const [stepOutput, stepped] = this.cell.step(input, states, { training: kwargs.training });
        if (!Array.isArray(stepped) || stepped.length !== sizes.length) {
          throw new Error(`${this.label}: cell ${classNameOf(this.cell.constructor as LayerClass)} '${this.cell.name}' returned ${Array.isArray(stepped) ? stepped.length : JSON.stringify(stepped)} states from step, expected ${sizes.length} (its stateSize ${JSON.stringify(this.cell.stateSize)})`);
        }
        const kept = mask && slice(mask, [0, t], [-1, 1]);
        // At padding the states stay as they were; the output is zeros or the one before, as Keras's.
        states = kept ? maskedState(kept, stepped, states) : stepped;
        output = !kept ? stepOutput : this.zeroOutputForMask || !output ? mul(stepOutput, asWeights(kept)) : where(kept, stepOutput, output);
        if (this.returnSequences) outputs.push(output);
      }
    } finally {
      this.cell.endSequence();
    }
    if (carried) this.#carried!.store(states);
    const result = this.returnSequences ? concat(outputs.map((o) => reshape(o, [batch, 1, ...o.shape.slice(1)])), 1) : output!;
    return (this.returnState ? [result, ...states] : result) as RecurrentOutput<ReturnState>;
  }

  /** Reads the mask of its sequence. */
  override get supportsMasking(): boolean {
    return true;
  }

  /** The sequence's mask holds for the output sequence; a last output, and the states, have none. */
  override computeMask(_inputs: Tensor | Tensor[], mask: LayerMask): LayerMask {
    const output = this.returnSequences ? firstMask(mask) : null;
    return this.returnState ? [output, ...this.stateSize.map(() => null)] : output;
  }

  /** The output's shape, or with returnState a list: the output's, then each state's [batch, size]. */
  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): OutputShape {
    const [sequence, ...initialStates] = isShapeList(inputShape) ? inputShape : [inputShape];
    this.#checkStates(sequence, initialStates);
    this.#carried?.fixBatch(sequence[0] ?? null, 'a symbolic input');
    const step = stepShapeOf(sequence);
    const [batch, ...output] = this.cell.stepOutputShape(step);
    const shape = this.returnSequences ? [batch ?? null, sequence[1] ?? null, ...output] : [batch ?? null, ...output];
    return this.returnState ? [shape, ...this.cell.stateShapes(step).map((s) => [...s])] : shape;
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      cell: serializeLayer(this.cell),
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
      zeroOutputForMask: this.zeroOutputForMask,
    };
  }

  /** Frees the carried states (dispose calls it, the weights freed besides). */
  protected override releaseState(): void {
    this.#carried?.dispose();
  }

  static override fromConfig(cls: LayerClass, config: ConfigDict): Layer {
    const { cell, ...rest } = config as ConfigDict & { cell?: SerializedLayer };
    if (cell === undefined) throw new Error(`${classNameOf(cls)}.fromConfig: expected config.cell, the serialized cell, got none`);
    return new cls(deserializeLayer(cell), rest);
  }

  /** Throws unless `states` are none or one per state of the cell, each of the shape the cell gives it. */
  #checkStates(sequence: SymbolicShape, states: readonly SymbolicShape[]): void {
    checkStateShapes(this.label, this.stateNames, this.cell.stateShapes(stepShapeOf(sequence)), states);
  }

  /** A sequence [batch, timesteps, ...features] with at least one timestep, or an error. */
  #checkSequence(shape: Shape): void {
    if (shape.length < 3) throw new Error(`${this.label}: expected inputs of rank 3 or more ([batch, timesteps, ...features]), got shape ${formatShape(shape)}`);
    if (shape[1] === 0) throw new Error(`${this.label}: expected at least one timestep, got shape ${formatShape(shape)}`);
  }
}
registerClass(RNN as LayerClass);

/** A timestep's shape within a sequence of `shape`: [batch, ...features]. */
const stepShapeOf = (shape: SymbolicShape): SymbolicShape => [shape[0] ?? null, ...shape.slice(2)];
