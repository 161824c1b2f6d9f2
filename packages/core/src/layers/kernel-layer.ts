import type { FusedActivation } from '../backend/backend.js';
import type { InitializerIdentifier } from '../initializers/index.js';
import { optionalRegularizer } from '../regularizers/get-regularizer.js';
import { serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Shape } from '../types.js';
import { getActivation, isFusedActivation, resolveActivation, type ActivationIdentifier } from './activations.js';
import { serializeInitializer } from './initializer-config.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';

/** The settings of a layer computing activation(inputs·kernel + bias), as Keras names them. */
export interface KernelLayerConfig extends LayerConfig {
  /** Default 'linear'. */
  activation?: ActivationIdentifier | string;
  /** Default true. */
  useBias?: boolean;
  /** Default 'glorotUniform'. */
  kernelInitializer?: InitializerIdentifier;
  /** Default 'zeros'. */
  biasInitializer?: InitializerIdentifier;
  /** A penalty on the kernel added to the training loss ('l2', new L2({l2: 1e-4}), ...). */
  kernelRegularizer?: RegularizerIdentifier | null;
  /** A penalty on the bias (with `useBias`) added to the training loss ('l2', new L2({l2: 1e-4}), ...); default none. */
  biasRegularizer?: RegularizerIdentifier | null;
}

/**
 * What Dense and the convolutions share: a kernel, an optional bias of one value per output
 * unit, an activation, and how each weight starts and is penalized.
 */
export abstract class KernelLayer extends Layer {
  static override readonly options: OptionList = { activation: true, useBias: true, kernelInitializer: true, biasInitializer: true, kernelRegularizer: true, biasRegularizer: true } satisfies OwnOptions<KernelLayerConfig, LayerConfig>;
  readonly activation: ActivationIdentifier;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerIdentifier;
  readonly biasInitializer: InitializerIdentifier;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(config: KernelLayerConfig) {
    super(config);
    this.activation = resolveActivation(config.activation ?? 'linear');
    this.useBias = config.useBias ?? true;
    this.kernelInitializer = config.kernelInitializer ?? 'glorotUniform';
    this.biasInitializer = config.biasInitializer ?? 'zeros';
    this.kernelRegularizer = optionalRegularizer(config.kernelRegularizer);
    this.biasRegularizer = optionalRegularizer(config.biasRegularizer);
  }

  /**
   * Makes the kernel of `kernelShape` (named `name`) and, with useBias, the bias of one value per
   * output unit (by default the kernel's last dimension).
   */
  protected addKernelAndBias(kernelShape: Shape, units = kernelShape[kernelShape.length - 1]!, name = 'kernel'): void {
    this.kernel = this.addWeight(name, kernelShape, this.kernelInitializer, { regularizer: this.kernelRegularizer });
    if (this.useBias) this.bias = this.addWeight('bias', [units], this.biasInitializer, { regularizer: this.biasRegularizer });
  }

  /**
   * The layer's activation of what `fusedOp` computes (a fused op: dense, fusedConv2d, ...): the
   * activation runs inside the op (a backend's fused kernel) when the op knows it, after it otherwise.
   */
  protected activated(fusedOp: (activation: FusedActivation) => Tensor): Tensor {
    const fused = isFusedActivation(this.activation) ? this.activation : 'linear';
    const output = fusedOp(fused);
    return fused === this.activation ? output : getActivation(this.activation)(output);
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
    };
  }
}
