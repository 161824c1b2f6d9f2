import type { InitializerIdentifier } from '../initializers/index.js';
import { mul } from '../ops/arithmetic.js';
import type { RandomGenerator } from '../random/generator.js';
import { layerGenerator } from '../random/random.js';
import type { Regularizer } from '../regularizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Shape } from '../types.js';
import { formatShape } from '../util/shape.js';
import { getActivation, resolveActivation, type ActivationIdentifier } from './activations.js';
import { dropoutMask } from './dropout.js';
import type { CallKwargs, ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import type { GatedRecurrentConfig } from './gated-recurrent.js';
import type { GatedStepWeights, StepWeights } from './recurrent-steps.js';
import { readRecurrentKernels, recurrentKernelsConfig } from './recurrent-kernels.js';
import { classNameOf, type LayerClass } from './registry.js';
import { RNNCell } from './rnn-cell.js';
import type { LayerConfig } from './layer-options.js';

/** A built-in cell's settings: its layer's, less what belongs to the RNN that runs it. */
export type CellConfig = Omit<GatedRecurrentConfig, 'returnSequences' | 'goBackwards' | 'returnState' | 'stateful'>;

/**
 * SimpleRNNCell, LSTMCell and GRUCell: the weights of their layers (kernel [features, gates·units],
 * recurrent_kernel [units, gates·units], bias), the same names and layout, and the step
 * equations of recurrent-steps.ts, so an RNN over one computes what the layer does.
 */
export abstract class KernelCell extends RNNCell {
  static override readonly options: OptionList = { units: true, activation: true, useBias: true, kernelInitializer: true, recurrentInitializer: true, biasInitializer: true, kernelRegularizer: true, recurrentRegularizer: true, biasRegularizer: true, dropout: true, recurrentDropout: true, seed: true } satisfies OwnOptions<Omit<CellConfig, 'recurrentActivation'>, LayerConfig>;
  // The kernel settings, set from readRecurrentKernels in the constructor, as the layers' are.
  declare readonly units: number;
  declare readonly activation: ActivationIdentifier;
  declare readonly useBias: boolean;
  declare readonly kernelInitializer: InitializerIdentifier;
  declare readonly recurrentInitializer: InitializerIdentifier;
  declare readonly biasInitializer: InitializerIdentifier;
  declare readonly kernelRegularizer: Regularizer | null;
  declare readonly recurrentRegularizer: Regularizer | null;
  declare readonly biasRegularizer: Regularizer | null;
  declare readonly dropout: number;
  declare readonly recurrentDropout: number;
  declare readonly seed: number | undefined;
  kernel: Variable | null = null;
  recurrentKernel: Variable | null = null;
  bias: Variable | null = null;
  readonly #gates: number;
  readonly #generator: () => RandomGenerator;
  #masks: { input: Tensor | null; state: Tensor | null } | null = null;

  constructor(config: CellConfig, gates: number) {
    super(config);
    Object.assign(this, readRecurrentKernels(classNameOf(new.target as unknown as LayerClass), config));
    this.#gates = gates;
    this.#generator = layerGenerator(config.seed);
  }

  /**
   * While training, draws the sequence's masks, in the order and with the generator the layers
   * use (LSTM, GRU, SimpleRNN), so a cell with the same seed drops what its layer drops.
   */
  override beginSequence(inputShape: Shape, kwargs: CallKwargs): void {
    const mask = (shape: Shape, rate: number) => (kwargs.training && rate > 0 ? dropoutMask(shape, rate, this.#generator()) : null);
    this.#masks = { input: mask(inputShape, this.dropout), state: mask([inputShape[0]!, this.units], this.recurrentDropout) };
  }

  override endSequence(): void {
    this.#masks = null;
  }

  /** The step's input and the state h as the kernels read them: through the sequence's dropout masks, if any. */
  protected dropped(input: Tensor, h: Tensor): { input: Tensor; h: Tensor } {
    const masks = this.#masks;
    return { input: masks?.input ? mul(input, masks.input) : input, h: masks?.state ? mul(h, masks.state) : h };
  }

  get stateSize(): number | readonly number[] {
    return this.units;
  }

  override build(inputShape: Shape): void {
    if (inputShape.length !== 2) throw new Error(`${this.label}: expected a step's input of rank 2 ([batch, features]), got shape ${formatShape(inputShape)}`);
    const width = this.#gates * this.units;
    this.kernel = this.addWeight('kernel', [inputShape[1]!, width], this.kernelInitializer, { regularizer: this.kernelRegularizer });
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, width], this.recurrentInitializer, { regularizer: this.recurrentRegularizer });
    if (this.useBias) this.bias = this.addWeight('bias', this.biasShape(), this.biasInitializerForBuild(), { regularizer: this.biasRegularizer });
  }

  /** The bias's shape: one entry per kernel column. */
  protected biasShape(): number[] {
    return [this.#gates * this.units];
  }

  /** What fills the bias when it is created. */
  protected biasInitializerForBuild(): InitializerIdentifier {
    return this.biasInitializer;
  }

  /** What the step equations read of this cell, once built. */
  protected get stepWeights(): StepWeights {
    return { units: this.units, recurrentKernel: this.recurrentKernel!, activate: getActivation(this.activation) };
  }

  /** A step's first state, checked: the RNN hands one [batch, units] tensor per state. */
  protected stateAt(states: readonly Tensor[], index: number): Tensor {
    const count = typeof this.stateSize === 'number' ? 1 : this.stateSize.length;
    if (states.length !== count) throw new Error(`${this.label}: expected ${count} state${count === 1 ? '' : 's'} of [batch, ${this.units}], got ${states.length}`);
    return states[index]!;
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), ...recurrentKernelsConfig(this) };
  }
}

/** LSTMCell and GRUCell: a kernel cell with gates, which share their activation (as GatedRecurrent's layers). */
export abstract class GatedKernelCell extends KernelCell {
  static override readonly options: OptionList = { recurrentActivation: true } satisfies OwnOptions<Pick<CellConfig, 'recurrentActivation'>, object>;
  readonly recurrentActivation: ActivationIdentifier;

  constructor(config: CellConfig, gates: number) {
    super(config, gates);
    this.recurrentActivation = resolveActivation(config.recurrentActivation ?? 'sigmoid');
  }

  protected override get stepWeights(): GatedStepWeights {
    return { ...super.stepWeights, activateGate: getActivation(this.recurrentActivation) };
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivation };
  }
}
