import { getInitializer, type InitializerIdentifier } from '../initializers/index.js';
import { add, mul } from '../ops/arithmetic.js';
import { concat } from '../ops/concat.js';
import { conv1d } from '../ops/conv1d.js';
import { conv2d } from '../ops/conv2d.js';
import { conv3d } from '../ops/conv3d.js';
import { paddingMode, planAxes, spatialSizes, type Padding } from '../ops/window-geometry.js';
import type { RandomGenerator } from '../random/generator.js';
import { layerGenerator } from '../random/random.js';
import { optionalRegularizer } from '../regularizers/get-regularizer.js';
import { serializeRegularizer, type Regularizer } from '../regularizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Shape } from '../types.js';
import { formatShape } from '../util/shape.js';
import { getActivation, resolveActivation, type ActivationIdentifier } from './activations.js';
import { serializeInitializer } from './initializer-config.js';
import type { CellConfig } from './kernel-cell.js';
import type { CallKwargs, ConfigDict, LayerConfig } from './layer.js';
import { dropoutMask, dropoutRate } from './dropout.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { ForgetGateOnes } from './lstm.js';
import { toSnakeCase, uniqueName } from './naming.js';
import { gateColumns, lstmStep } from './recurrent-steps.js';
import { classNameOf, registerClass, type LayerClass } from './registry.js';
import { RNN, type RNNConfig } from './rnn.js';
import { RNNCell } from './rnn-cell.js';
import type { SymbolicShape } from './symbolic-shape.js';

/** A convolutional LSTM's own settings (Keras's names, camelCase), beside an LSTM's. */
export interface ConvLSTMCellConfig extends Omit<CellConfig, 'units'> {
  /** The channels of the state and of each step's output. */
  filters: number;
  /** One size per spatial axis, or one number for all. */
  kernelSize: number | readonly number[];
  /** Of the input's convolution. Default 1. */
  strides?: number | readonly number[];
  /** Of the input's convolution; the state's is always 'same' with strides 1. Default 'valid'. */
  padding?: Padding;
  /** Of the input's convolution; above 1 only with strides 1. Default 1. */
  dilationRate?: number | readonly number[];
  /** As LSTM's: the forget gate's bias starts at 1. Default true. */
  unitForgetBias?: boolean;
}

/** The LSTM's gates, in the kernels' order: input, forget, candidate, output. */
const GATES = ['i', 'f', 'c', 'o'] as const;

const AXES: Readonly<Record<number, readonly string[]>> = { 1: ['width'], 2: ['height', 'width'], 3: ['depth', 'height', 'width'] };

/**
 * The step of Keras's ConvLSTM1D/2D/3D: an LSTM whose products are convolutions over channels-last
 * images. With X = conv(x_t, kernel) + bias (the layer's strides, padding and dilation) and
 * H = conv(h, recurrentKernel) ('same', strides 1), z = X + H holds the gates i, f, c, o side by
 * side on its channel axis and the LSTM's equations (recurrent-steps.ts) apply channel-wise. The
 * states h and c are images [batch, ...outputSpatial, filters].
 */
class ConvLSTMCell extends RNNCell {
  static override readonly className = 'ConvLSTMCell';
  static override readonly options: OptionList = {
    filters: true, kernelSize: true, strides: true, padding: true, dilationRate: true, activation: true, recurrentActivation: true, useBias: true, kernelInitializer: true,
    recurrentInitializer: true, biasInitializer: true, unitForgetBias: true, kernelRegularizer: true, recurrentRegularizer: true, biasRegularizer: true, dropout: true, recurrentDropout: true, seed: true,
  } satisfies OwnOptions<ConvLSTMCellConfig, LayerConfig>;
  readonly filters: number;
  readonly kernelSize: readonly number[];
  readonly strides: readonly number[];
  readonly padding: Padding;
  readonly dilationRate: readonly number[];
  readonly activation: ActivationIdentifier;
  readonly recurrentActivation: ActivationIdentifier;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerIdentifier;
  readonly recurrentInitializer: InitializerIdentifier;
  readonly biasInitializer: InitializerIdentifier;
  readonly unitForgetBias: boolean;
  readonly kernelRegularizer: Regularizer | null;
  readonly recurrentRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  /** Fraction of the input dropped while training, with one mask per gate for the whole sequence. */
  readonly dropout: number;
  /** Fraction of the state h dropped where the recurrent kernel reads it while training, one mask per gate for the whole sequence. */
  readonly recurrentDropout: number;
  readonly seed: number | undefined;
  kernel: Variable | null = null;
  recurrentKernel: Variable | null = null;
  bias: Variable | null = null;
  readonly #generator: () => RandomGenerator;
  /** The masks of the sequence in progress, gates i, f, c, o (null: none). */
  #masks: { input: Tensor[] | null; state: Tensor[] | null } | null = null;

  constructor(readonly rank: number, config: ConvLSTMCellConfig, readonly owner: string) {
    super(config);
    const axes = AXES[rank]!;
    if (!Number.isInteger(config.filters) || config.filters <= 0) throw new Error(`${owner}: filters must be a positive integer, got ${JSON.stringify(config.filters)}`);
    this.dropout = dropoutRate(owner, 'dropout', config.dropout ?? 0);
    this.recurrentDropout = dropoutRate(owner, 'recurrentDropout', config.recurrentDropout ?? 0);
    this.filters = config.filters;
    this.kernelSize = spatialSizes(owner, 'kernelSize', config.kernelSize, axes);
    this.strides = spatialSizes(owner, 'strides', config.strides ?? 1, axes);
    this.padding = paddingMode(owner, config.padding ?? 'valid');
    this.dilationRate = spatialSizes(owner, 'dilationRate', config.dilationRate ?? 1, axes);
    if (this.dilationRate.some((d) => d > 1) && this.strides.some((s) => s > 1)) {
      throw new Error(`${owner}: dilationRate > 1 needs strides 1 (as in Keras), got dilationRate ${JSON.stringify(this.dilationRate)} and strides ${JSON.stringify(this.strides)}`);
    }
    this.activation = resolveActivation(config.activation ?? 'tanh');
    this.recurrentActivation = resolveActivation(config.recurrentActivation ?? 'sigmoid');
    this.useBias = config.useBias ?? true;
    this.kernelInitializer = config.kernelInitializer ?? 'glorotUniform';
    this.recurrentInitializer = config.recurrentInitializer ?? 'orthogonal';
    this.biasInitializer = config.biasInitializer ?? 'zeros';
    this.unitForgetBias = config.unitForgetBias ?? true;
    this.kernelRegularizer = optionalRegularizer(config.kernelRegularizer);
    this.recurrentRegularizer = optionalRegularizer(config.recurrentRegularizer);
    this.biasRegularizer = optionalRegularizer(config.biasRegularizer);
    this.seed = config.seed;
    this.#generator = layerGenerator(config.seed);
  }

  /**
   * While training, draws the sequence's masks as Keras's ConvLSTMCell does: four of the step's
   * input, then four of the state h, one for each gate's convolution (i, f, c, o), kept for every
   * step of the sequence.
   */
  override beginSequence(inputShape: Shape, kwargs: CallKwargs): void {
    const draw = (shape: Shape, rate: number) => (kwargs.training && rate > 0 ? GATES.map(() => dropoutMask(shape, rate, this.#generator())) : null);
    this.#masks = { input: draw(inputShape, this.dropout), state: draw(this.stepOutputShape(inputShape) as Shape, this.recurrentDropout) };
  }

  override endSequence(): void {
    this.#masks = null;
  }

  get stateSize(): readonly number[] {
    return [this.filters, this.filters];
  }

  /** [batch, ...the input convolution's output size, filters], for h and for c. */
  override stateShapes(inputShape: SymbolicShape): SymbolicShape[] {
    const shape = this.stepOutputShape(inputShape);
    return [shape, shape];
  }

  override stepOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.#checkStep(inputShape);
    const window = { window: this.kernelSize, strides: this.strides, dilation: this.dilationRate, padding: this.padding };
    return [inputShape[0] ?? null, ...planAxes(this.owner, inputShape, window).map((plan) => plan?.output ?? null), this.filters];
  }

  override build(inputShape: Shape): void {
    this.#checkStep(inputShape);
    const channels = inputShape[inputShape.length - 1]!;
    this.kernel = this.addWeight('kernel', [...this.kernelSize, channels, 4 * this.filters], this.kernelInitializer, { regularizer: this.kernelRegularizer });
    this.recurrentKernel = this.addWeight('recurrent_kernel', [...this.kernelSize, this.filters, 4 * this.filters], this.recurrentInitializer, { regularizer: this.recurrentRegularizer });
    if (this.useBias) {
      const initializer = this.unitForgetBias ? new ForgetGateOnes(getInitializer(this.biasInitializer), this.filters) : this.biasInitializer;
      this.bias = this.addWeight('bias', [4 * this.filters], initializer, { regularizer: this.biasRegularizer });
    }
  }

  step(input: Tensor, [h, c]: readonly Tensor[]): [Tensor, Tensor[]] {
    const x = this.#gatesOf(input, this.#masks?.input, this.kernel!, (v, k) => this.#convolve(v, k, this.strides, this.padding, this.dilationRate));
    const recurrent = this.#gatesOf(h!, this.#masks?.state, this.recurrentKernel!, (v, k) => this.#convolve(v, k, this.strides.map(() => 1), 'same', this.dilationRate.map(() => 1)));
    const z = add(this.bias ? add(x, this.bias) : x, recurrent);
    // z already holds the recurrent term, so the step adds no product of its own.
    const weights = { units: this.filters, recurrentKernel: this.recurrentKernel!, activate: getActivation(this.activation), activateGate: getActivation(this.recurrentActivation) };
    const next = lstmStep(weights, z, c, undefined);
    return [next[0]!, next];
  }

  /**
   * The four gates' convolutions of `x` side by side on the channel axis: one convolution by the
   * whole kernel, or with dropout masks each gate's of x times its mask by its block of the kernel.
   */
  #gatesOf(x: Tensor, masks: Tensor[] | null | undefined, kernel: Tensor, convolve: (x: Tensor, kernel: Tensor) => Tensor): Tensor {
    if (!masks) return convolve(x, kernel);
    return concat(masks.map((mask, gate) => convolve(mul(x, mask), gateColumns(kernel, gate, this.filters))), x.rank - 1);
  }

  #convolve(x: Tensor, filter: Tensor, strides: readonly number[], padding: Padding, dilations: readonly number[]): Tensor {
    if (this.rank === 1) return conv1d(x, filter, strides[0]!, padding, 'NWC', dilations[0]!);
    if (this.rank === 2) return conv2d(x, filter, { strides: strides as [number, number], padding, dilations: dilations as [number, number] });
    return conv3d(x, filter, { strides: strides as [number, number, number], padding, dilations: dilations as [number, number, number] });
  }

  #checkStep(shape: SymbolicShape): void {
    if (shape.length !== this.rank + 2) {
      const axes = AXES[this.rank]!;
      throw new Error(`${this.owner}: expected inputs of rank ${this.rank + 3} ([batch, timesteps, ${axes.join(', ')}, channels]), got a step of shape ${formatShape(shape.map((d) => d ?? -1))}`);
    }
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dilationRate: [...this.dilationRate],
      activation: this.activation,
      recurrentActivation: this.recurrentActivation,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      recurrentInitializer: serializeInitializer(this.recurrentInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      unitForgetBias: this.unitForgetBias,
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      recurrentRegularizer: serializeRegularizer(this.recurrentRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      ...(this.seed === undefined ? {} : { seed: this.seed }),
    };
  }
}

export type ConvLSTMConfig<ReturnState extends boolean = boolean> = ConvLSTMCellConfig & Omit<RNNConfig<ReturnState>, 'unroll' | 'zeroOutputForMask'>;

// unroll and zeroOutputForMask are the RNN's too, should a description carry them.
const RNN_SETTINGS = ['returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll', 'zeroOutputForMask', 'name', 'trainable', 'dtype', 'inputShape', 'batchInputShape', 'activityRegularizer'] as const;

/**
 * Keras's ConvLSTM1D/2D/3D: an RNN over a ConvLSTM cell, on sequences of channels-last images
 * [batch, timesteps, ...spatial, channels]. Its config is flat, as Keras's: the cell's settings
 * beside the RNN's. The weights are kernel [...kernelSize, channels, 4·filters],
 * recurrent_kernel [...kernelSize, filters, 4·filters] and bias [4·filters], gates i, f, c, o.
 */
export abstract class ConvLSTM<ReturnState extends boolean = false> extends RNN<ReturnState> {
  static override readonly options: OptionList = {};

  protected constructor(rank: number, config: ConvLSTMConfig<ReturnState>) {
    const layer = classNameOf(new.target as unknown as LayerClass);
    // The cell is named after the layer, so that its weights keep their names through a flat config.
    const name = config.name ?? uniqueName(toSnakeCase(layer));
    const rnn = Object.fromEntries(Object.entries(config).filter(([key]) => (RNN_SETTINGS as readonly string[]).includes(key)));
    const cell = Object.fromEntries(Object.entries(config).filter(([key]) => !(RNN_SETTINGS as readonly string[]).includes(key)));
    super(new ConvLSTMCell(rank, { ...cell, name: `${name}_cell` } as unknown as ConvLSTMCellConfig, layer), { ...rnn, name });
  }

  override getConfig(): ConfigDict {
    const { cell: _cell, unroll: _unroll, zeroOutputForMask, ...rnn } = super.getConfig();
    const { name: _name, trainable: _trainable, dtype: _dtype, ...cell } = this.cell.getConfig();
    // Keras's ConvLSTM layers write neither; a masked sequence's zeros, when asked for, are kept.
    return { ...rnn, ...cell, ...(zeroOutputForMask ? { zeroOutputForMask } : {}) };
  }

  static override fromConfig(cls: LayerClass, config: ConfigDict): ConvLSTM<boolean> {
    return new cls(config) as ConvLSTM<boolean>;
  }
}

/** Keras's ConvLSTM1D: sequences [batch, timesteps, width, channels]. `new ConvLSTM1D(filters, kernelSize, config)`. */
export class ConvLSTM1D<ReturnState extends boolean = false> extends ConvLSTM<ReturnState> {
  static override readonly className = 'ConvLSTM1D';
  static override readonly options: OptionList = {};
  constructor(filtersOrConfig: number | ConvLSTMConfig<ReturnState>, kernelSize?: number | readonly number[], config: Omit<ConvLSTMConfig<ReturnState>, 'filters' | 'kernelSize'> = {}) {
    super(1, typeof filtersOrConfig === 'number' ? { ...config, filters: filtersOrConfig, kernelSize: kernelSize! } : filtersOrConfig);
  }
}
registerClass(ConvLSTM1D as LayerClass);

/** Keras's ConvLSTM2D: sequences of images [batch, timesteps, rows, cols, channels]. `new ConvLSTM2D(filters, kernelSize, config)`. */
export class ConvLSTM2D<ReturnState extends boolean = false> extends ConvLSTM<ReturnState> {
  static override readonly className = 'ConvLSTM2D';
  static override readonly options: OptionList = {};
  constructor(filtersOrConfig: number | ConvLSTMConfig<ReturnState>, kernelSize?: number | readonly number[], config: Omit<ConvLSTMConfig<ReturnState>, 'filters' | 'kernelSize'> = {}) {
    super(2, typeof filtersOrConfig === 'number' ? { ...config, filters: filtersOrConfig, kernelSize: kernelSize! } : filtersOrConfig);
  }
}
registerClass(ConvLSTM2D as LayerClass);

/** Keras's ConvLSTM3D: sequences of volumes [batch, timesteps, depth, rows, cols, channels]. `new ConvLSTM3D(filters, kernelSize, config)`. */
export class ConvLSTM3D<ReturnState extends boolean = false> extends ConvLSTM<ReturnState> {
  static override readonly className = 'ConvLSTM3D';
  static override readonly options: OptionList = {};
  constructor(filtersOrConfig: number | ConvLSTMConfig<ReturnState>, kernelSize?: number | readonly number[], config: Omit<ConvLSTMConfig<ReturnState>, 'filters' | 'kernelSize'> = {}) {
    super(3, typeof filtersOrConfig === 'number' ? { ...config, filters: filtersOrConfig, kernelSize: kernelSize! } : filtersOrConfig);
  }
}
registerClass(ConvLSTM3D as LayerClass);
