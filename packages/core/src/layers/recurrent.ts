import type { InitializerIdentifier } from '../initializers/index.js';
import { mul } from '../ops/arithmetic.js';
import { concat } from '../ops/concat.js';
import { dense } from '../ops/dense.js';
import { reshape } from '../ops/reshape.js';
import { slice } from '../ops/slice.js';
import { where } from '../ops/where.js';
import type { RandomGenerator } from '../random/generator.js';
import { layerGenerator } from '../random/random.js';
import type { Regularizer, RegularizerIdentifier } from '../regularizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Shape } from '../types.js';
import { formatShape } from '../util/shape.js';
import { getActivation, type ActivationIdentifier } from './activations.js';
import { dropoutMask } from './dropout.js';
import { readRecurrentKernels, recurrentKernelsConfig } from './recurrent-kernels.js';
import { Layer, type CallKwargs, type ConfigDict, type LayerConfig, type OutputShape } from './layer.js';
import { asWeights, firstMask, sequenceMask, type LayerMask } from './mask.js';
import { CarriedStates, statefulOnly } from './carried-states.js';
import { requireKnownLastDimension } from './known-last-dimension.js';
import { checkInitialStates } from './recurrent-states.js';
import type { StepWeights } from './recurrent-steps.js';
import { classNameOf, type LayerClass } from './registry.js';
import { isShapeList, type SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

/**
 * The settings SimpleRNN, LSTM and GRU share (Keras's names, camelCase). `ReturnState` is the
 * type of `returnState`, which decides the type of the layer's output (see RecurrentOutput).
 */
export interface RecurrentConfig<ReturnState extends boolean = boolean> extends LayerConfig {
  /** The size of the state and of each step's output. */
  units: number;
  /** Applied to the candidate state (and, in an LSTM, to the carry on its way out). Default 'tanh'. */
  activation?: ActivationIdentifier | string;
  /** Default true. */
  useBias?: boolean;
  /** For the input kernel [features, gates·units]. Default 'glorotUniform'. */
  kernelInitializer?: InitializerIdentifier;
  /** For the recurrent kernel [units, gates·units]. Default 'orthogonal'. */
  recurrentInitializer?: InitializerIdentifier;
  /** Default 'zeros'. */
  biasInitializer?: InitializerIdentifier;
  /** A penalty on the kernel, added to the layer's losses ('l2', an L1L2…). Default none. */
  kernelRegularizer?: RegularizerIdentifier | null;
  /** A penalty on the recurrent kernel, added to the layer's losses. Default none. */
  recurrentRegularizer?: RegularizerIdentifier | null;
  /** A penalty on the bias, added to the layer's losses. Default none. */
  biasRegularizer?: RegularizerIdentifier | null;
  /** Fraction of the input features dropped from x·kernel while training, with one mask for the whole sequence. Default 0. */
  dropout?: number;
  /** Fraction of the state's units dropped from h·recurrentKernel while training, with one mask for the whole sequence; the state itself is carried whole. Default 0. */
  recurrentDropout?: number;
  /** Seeds the layer's own generator for its dropout masks; without it they come from the global one (`setSeed`). */
  seed?: number;
  /** Output every step's state [batch, timesteps, units] rather than the last one [batch, units]. Default false. */
  returnSequences?: boolean;
  /** Read the sequence from its last step to its first; the returned sequence is in that order too. Default false. */
  goBackwards?: boolean;
  /**
   * Return [output, ...final states] rather than the output alone, as Keras: [output, h] for a
   * SimpleRNN or GRU, [output, h, c] for an LSTM, each state [batch, units]. Default false.
   */
  returnState?: ReturnState;
  /**
   * Keras's stateful: each call starts from the final states of the call before (sample i of a
   * batch from sample i of the batch before) rather than from zeros, until `resetStates()`. The
   * batch size is then fixed: by the layer's batchInputShape or the Input it is applied to, else
   * by its first call. Default false.
   */
  stateful?: boolean;
}

/** What a recurrent layer's `call` (and so `apply`) returns: the output, or with returnState a list. */
export type RecurrentOutput<ReturnState extends boolean> = ReturnState extends true ? Tensor[] : Tensor;

/**
 * The state a step hands to the next: [h] (an LSTM adds its carry: [h, c]). Before the first
 * step it is the initial states given, or null, where Keras starts from zeros: each layer drops
 * the terms zeros would cancel, which saves a product per sequence and keeps a batch-sized
 * constant out of an exported graph.
 */
export type RecurrentState = readonly Tensor[] | null;

/**
 * Keras's RNN layer over channels-last sequences [batch, timesteps, features], unrolled on the
 * tape: the gradient flows back through time through the ops of each step. Each step projects
 * its own timestep, x_t·kernel + bias, adds h·recurrentKernel and applies the cell's equations
 * (`step`). Projecting the whole sequence in one product and slicing it would be fewer ops, but a
 * slice's gradient has the shape of what it was cut from: T slices of [batch, T, gates·units]
 * would give T such gradients to add up, which made training 1.2–2.5× slower on simd (an LSTM
 * over 28 steps, a GRU over 100). The sequence is narrower, and when it needs no gradient
 * (data) its slices cost nothing on the tape. The kernels hold the gates side by side, in
 * Keras's order, so weights move between Keras and this layer unchanged.
 * `apply([x, ...initialStates])` starts from given states (see recurrent-states.ts).
 *
 * `ReturnState` types the output. A layer class's type parameters default to what its constructor
 * makes when the option is left out, so `new LSTM(8)` is an `LSTM<false>` whose `apply` returns a
 * Tensor, and `new LSTM(8, {returnState: true})` an `LSTM<true>` whose `apply` returns a list;
 * this abstract class's default, boolean, makes `Recurrent` any recurrent layer.
 */
export abstract class Recurrent<ReturnState extends boolean = boolean> extends Layer {
  static override readonly options: OptionList = { units: true, activation: true, useBias: true, kernelInitializer: true, recurrentInitializer: true, biasInitializer: true, kernelRegularizer: true, recurrentRegularizer: true, biasRegularizer: true, dropout: true, recurrentDropout: true, seed: true, returnSequences: true, goBackwards: true, returnState: true, stateful: true } satisfies OwnOptions<RecurrentConfig, LayerConfig>;
  /** Listed so that call refuses it saying where the initial states go. */
  static override readonly callOptions: OptionList = { initialState: true };
  // The kernel settings, set from readRecurrentKernels in the constructor.
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
  readonly returnSequences: boolean;
  readonly goBackwards: boolean;
  readonly returnState: ReturnState;
  readonly stateful: boolean;
  kernel: Variable | null = null;
  recurrentKernel: Variable | null = null;
  bias: Variable | null = null;
  /** How many blocks of `units` columns the kernels hold: 1, 4 for an LSTM, 3 for a GRU. */
  readonly #gates: number;
  readonly #generator: () => RandomGenerator;
  /** The states carried between calls, when stateful. */
  readonly #carried: CarriedStates | null;

  constructor(config: RecurrentConfig<ReturnState>, gates: number) {
    super(config);
    Object.assign(this, readRecurrentKernels(classNameOf(new.target as unknown as LayerClass), config));
    this.#gates = gates;
    this.returnSequences = config.returnSequences ?? false;
    this.goBackwards = config.goBackwards ?? false;
    this.returnState = config.returnState ?? (false as ReturnState);
    this.#generator = layerGenerator(config.seed);
    this.stateful = config.stateful ?? false;
    this.#carried = this.stateful ? new CarriedStates({ label: () => this.label, name: this.name, names: () => this.stateNames, shapesFor: (batch) => this.stateNames.map(() => [batch, this.units]) }) : null;
    this.#carried?.fixBatch(this.batchInputShape?.[0] ?? null, 'its batchInputShape');
  }

  /** The states the next call starts from, when stateful (Keras's `layer.states`); null before the first call, or when not stateful. */
  get states(): readonly Variable[] | null {
    return this.#carried?.states ?? null;
  }

  /** A stateful layer's states back to zeros, or to `states` ([h], an LSTM's [h, c], each [batch, units]), as tfjs-layers' resetStates. */
  resetStates(states?: Tensor | readonly Tensor[]): void {
    statefulOnly(this.#carried, this.label).reset(states);
  }

  /** The names of the states a step hands on, in the order they are given and returned: [h], an LSTM's [h, c]. */
  get stateNames(): readonly string[] {
    return ['h'];
  }

  /** The sequence, then optionally the initial states. */
  protected override get takesList(): boolean {
    return true;
  }

  /**
   * The weights depend on the sequence alone (the initial states' shapes follow from them). Before
   * the first build the states are checked, so that wrong ones leave the layer unbuilt; after it,
   * `call` and `computeOutputShape` check them.
   */
  override ensureBuilt(inputShape: Shape | Shape[]): void {
    const [sequence, ...initialStates] = isShapeList(inputShape) ? inputShape : [inputShape];
    if (!this.built) checkInitialStates(this.label, this.stateNames, this.units, sequence!, initialStates);
    super.ensureBuilt(sequence!);
  }

  /**
   * One step: the state after reading this timestep's input share `x` (x·kernel + input bias,
   * [batch, gates·units]). `h` is the previous output as the recurrent kernel reads it (after
   * recurrent dropout; undefined before the first step from zeros); the state update reads `state`.
   */
  protected abstract step(x: Tensor, state: RecurrentState, h: Tensor | undefined): Tensor[];

  override build(inputShape: Shape): void {
    const features = this.#checkSequence(inputShape);
    const width = this.#gates * this.units;
    this.kernel = this.addWeight('kernel', [features, width], this.kernelInitializer, { regularizer: this.kernelRegularizer });
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, width], this.recurrentInitializer, { regularizer: this.recurrentRegularizer });
    if (this.useBias) this.bias = this.addWeight('bias', this.biasShape(), this.biasInitializerForBuild(), { regularizer: this.biasRegularizer });
  }

  /** The bias's shape: one entry per kernel column. */
  protected biasShape(): number[] {
    return [this.#gates * this.units];
  }

  /** What fills the bias when it is created (an LSTM adds one to its forget gate's). */
  protected biasInitializerForBuild(): InitializerIdentifier {
    return this.biasInitializer;
  }

  /** The bias added to x·kernel ([gates·units]), or null. */
  protected inputBias(): Tensor | null {
    return this.bias;
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs = {}): RecurrentOutput<ReturnState> {
    if (kwargs.initialState !== undefined) {
      throw new Error(`${this.label}: expected the initial states in the inputs list, apply([sequence, ${this.stateNames.join(', ')}]), got them as kwargs.initialState`);
    }
    const [sequence, ...initialStates] = [inputs].flat();
    this.#checkSequence(sequence.shape);
    // Layer.apply checks a lone input against the built weights, not the first of a list.
    if (Array.isArray(inputs)) this.checkBuiltInputShape(sequence.shape, this.buildInputShape!);
    checkInitialStates(this.label, this.stateNames, this.units, sequence.shape, initialStates.map((s) => s.shape));
    const [batch, timesteps, features] = sequence.shape as [number, number, number];
    const mask = sequenceMask(this.label, kwargs.mask, sequence.shape);
    const inputKept = this.#dropoutMask(kwargs, [batch, features], this.dropout);
    const stateKept = this.#dropoutMask(kwargs, [batch, this.units], this.recurrentDropout);
    const order = Array.from({ length: timesteps }, (_, t) => (this.goBackwards ? timesteps - 1 - t : t));
    const outputs: Tensor[] = [];
    // Given initial states win over carried ones, as in Keras; either way a stateful call keeps its final states.
    const carried = this.#carried?.begin(batch) ?? null;
    let state: RecurrentState = initialStates.length > 0 ? initialStates : carried;
    for (const t of order) {
      const input = reshape(slice(sequence, [0, t, 0], [-1, 1, -1]), [-1, features]);
      const h = state?.[0] && (stateKept ? mul(state[0], stateKept) : state[0]);
      const stepped = this.step(dense(inputKept ? mul(input, inputKept) : input, this.kernel!, this.inputBias()), state, h);
      const kept = mask && slice(mask, [0, t], [-1, 1]);
      // At padding the state stays as it was and the step outputs zeros, as Keras's.
      state = kept ? maskedState(kept, stepped, state) : stepped;
      if (this.returnSequences) outputs.push(kept ? mul(stepped[0]!, asWeights(kept)) : state[0]!);
    }
    if (carried) this.#carried!.store(state!);
    const output = this.returnSequences ? reshape(concat(outputs, 1), [batch, timesteps, this.units]) : state![0]!;
    return (this.returnState ? [output, ...state!] : output) as RecurrentOutput<ReturnState>;
  }

  /** A dropout mask of `shape` while training at a rate above 0, else null. */
  #dropoutMask(kwargs: CallKwargs, shape: Shape, rate: number): Tensor | null {
    return kwargs.training && rate > 0 ? dropoutMask(shape, rate, this.#generator()) : null;
  }

  /** Reads the mask of its sequence. */
  override get supportsMasking(): boolean {
    return true;
  }

  /** The sequence's mask holds for the output sequence; a last output, and the states, have none. */
  override computeMask(_inputs: Tensor | Tensor[], mask: LayerMask): LayerMask {
    const output = this.returnSequences ? firstMask(mask) : null;
    return this.returnState ? [output, ...this.stateNames.map(() => null)] : output;
  }

  /** What the step equations of recurrent-steps.ts read of this layer, once built. */
  protected get stepWeights(): StepWeights {
    return { units: this.units, recurrentKernel: this.recurrentKernel!, activate: getActivation(this.activation) };
  }

  /** The output's shape, or with returnState a list: the output's, then each state's [batch, units]. */
  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): OutputShape {
    const [sequence, ...initialStates] = isShapeList(inputShape) ? inputShape : [inputShape];
    requireKnownLastDimension(this.label, sequence);
    checkInitialStates(this.label, this.stateNames, this.units, sequence, initialStates);
    const batch = sequence[0] ?? null;
    this.#carried?.fixBatch(batch, 'a symbolic input');
    const output = this.returnSequences ? [batch, sequence[1] ?? null, this.units] : [batch, this.units];
    return this.returnState ? [output, ...this.stateNames.map(() => [batch, this.units])] : output;
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      ...recurrentKernelsConfig(this),
      returnSequences: this.returnSequences,
      goBackwards: this.goBackwards,
      returnState: this.returnState,
      stateful: this.stateful,
    };
  }

  /** Frees the carried states (dispose calls it, the weights freed besides). */
  protected override releaseState(): void {
    this.#carried?.dispose();
  }

  /** The feature count of a [batch, timesteps, features] shape with at least one timestep, or an error. */
  #checkSequence(shape: Shape): number {
    if (shape.length !== 3) throw new Error(`${this.label}: expected inputs of rank 3 ([batch, timesteps, features]), got shape ${formatShape(shape)}`);
    if (shape[1] === 0) throw new Error(`${this.label}: expected at least one timestep, got shape ${formatShape(shape)}`);
    return shape[2]!;
  }
}

/**
 * The state after a step of a masked sequence: the step's where `kept` ([batch, 1]) is true,
 * the one before elsewhere (zeros before the first step).
 */
export function maskedState(kept: Tensor, stepped: readonly Tensor[], before: RecurrentState): Tensor[] {
  return stepped.map((s, i) => (before ? where(kept, s, before[i]!) : mul(s, asWeights(kept))));
}
