import type { InitializerIdentifier } from '../initializers/index.js';
import { reshape } from '../ops/reshape.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Shape } from '../types.js';
import { activatedDense } from './activated-dense.js';
import { resolveActivation, type ActivationIdentifier } from './activations.js';
import { serializeInitializer } from './initializer-config.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';

export interface DenseConfig extends LayerConfig {
  units: number;
  /** Default 'linear'. */
  activation?: ActivationIdentifier | string;
  /** Default true. */
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  /** A penalty on the kernel added to the training loss ('l2', new L2({l2: 1e-4}), ...). */
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
}

/**
 * activation(x·kernel + bias) over the last dimension. `new Dense(10, {activation: 'relu'})` or
 * `new Dense({units: 10, activation: 'relu'})`.
 */
export class Dense extends Layer {
  static override readonly className = 'Dense';
  readonly units: number;
  readonly activation: ActivationIdentifier;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerIdentifier;
  readonly biasInitializer: InitializerIdentifier;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(unitsOrConfig: number | DenseConfig, config: Omit<DenseConfig, 'units'> = {}) {
    const full: DenseConfig = typeof unitsOrConfig === 'number' ? { ...config, units: unitsOrConfig } : unitsOrConfig;
    super(full);
    if (!Number.isInteger(full.units) || full.units <= 0) throw new Error(`Dense: units must be a positive integer, got ${JSON.stringify(full.units)}`);
    this.units = full.units;
    this.activation = resolveActivation(full.activation ?? 'linear');
    this.useBias = full.useBias ?? true;
    this.kernelInitializer = full.kernelInitializer ?? 'glorotUniform';
    this.biasInitializer = full.biasInitializer ?? 'zeros';
    this.kernelRegularizer = full.kernelRegularizer == null ? null : getRegularizer(full.kernelRegularizer);
    this.biasRegularizer = full.biasRegularizer == null ? null : getRegularizer(full.biasRegularizer);
  }

  override build(inputShape: Shape): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || inputDim === undefined) throw new Error(`Dense '${this.name}': expected inputs of rank >= 2 ([batch, features]), got shape [${inputShape.join(',')}]`);
    this.kernel = this.addWeight('kernel', [inputDim, this.units], this.kernelInitializer, { regularizer: this.kernelRegularizer });
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], this.biasInitializer, { regularizer: this.biasRegularizer });
  }

  override call(inputs: Tensor): Tensor {
    // Rank > 2: apply to every row of the last dimension, as Keras's Dense does.
    const rows = inputs.rank === 2 ? inputs : reshape(inputs, [-1, inputs.shape[inputs.rank - 1]!]);
    const output = activatedDense(rows, this.kernel!, this.bias, this.activation);
    return inputs.rank === 2 ? output : reshape(output, [...inputs.shape.slice(0, -1), this.units]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
    };
  }
}
registerClass(Dense as LayerClass);
