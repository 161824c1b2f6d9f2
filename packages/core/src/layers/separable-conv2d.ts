import type { InitializerIdentifier } from '../initializers/index.js';
import { add } from '../ops/arithmetic.js';
import { conv2d } from '../ops/conv2d.js';
import { depthwiseConv2d } from '../ops/depthwise-conv2d.js';
import { outputSpatialSize } from '../ops/window-geometry.js';
import { optionalRegularizer } from '../regularizers/get-regularizer.js';
import { serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Shape } from '../types.js';
import { numberArgument, POSITIVE_INTEGER } from '../util/arguments.js';
import { getActivation } from './activations.js';
import { Convolution2DWithFilters, type WindowConfig } from './convolution-2d.js';
import { serializeInitializer } from './initializer-config.js';
import type { KernelLayerConfig } from './kernel-layer.js';
import type { ConfigDict } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import { checkSpatialInput } from './spatial-arguments.js';
import type { SymbolicShape } from './symbolic-shape.js';

export interface SeparableConv2DConfig extends Omit<KernelLayerConfig, 'kernelInitializer' | 'kernelRegularizer'>, WindowConfig {
  /** Output channels. */
  filters: number;
  /** Depthwise output channels per input channel. Default 1. */
  depthMultiplier?: number;
  /** Default 'glorotUniform'. */
  depthwiseInitializer?: InitializerIdentifier;
  /** Default 'glorotUniform'. */
  pointwiseInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier | null;
  pointwiseRegularizer?: RegularizerIdentifier | null;
}

/**
 * Keras's SeparableConv2D on channels-last images: a depthwise convolution (each channel with its
 * own `depthMultiplier` kernels, as DepthwiseConv2D) then a pointwise 1×1 convolution to
 * `filters` channels, the bias and the activation: Xception's and MobileNet's cheap Conv2D.
 * Weights as Keras's: `depthwise_kernel` [kh, kw, channels, M], `pointwise_kernel`
 * [1, 1, channels·M, filters], `bias` [filters].
 */
export class SeparableConv2D extends Convolution2DWithFilters {
  static override readonly className = 'SeparableConv2D';
  readonly depthMultiplier: number;
  readonly depthwiseInitializer: InitializerIdentifier;
  readonly depthwiseRegularizer: Regularizer | null;
  depthwiseKernel: Variable | null = null;

  constructor(filtersOrConfig: number | SeparableConv2DConfig, kernelSize?: SeparableConv2DConfig['kernelSize'], config: Omit<SeparableConv2DConfig, 'filters' | 'kernelSize'> = {}) {
    const full: SeparableConv2DConfig = typeof filtersOrConfig === 'number' ? { ...config, filters: filtersOrConfig, kernelSize: kernelSize! } : filtersOrConfig;
    const { depthwiseInitializer, depthwiseRegularizer, pointwiseInitializer, pointwiseRegularizer, ...rest } = full;
    super({ ...rest, kernelInitializer: pointwiseInitializer, kernelRegularizer: pointwiseRegularizer });
    this.depthMultiplier = numberArgument('SeparableConv2D', 'depthMultiplier', full.depthMultiplier ?? 1, POSITIVE_INTEGER);
    this.depthwiseInitializer = depthwiseInitializer ?? 'glorotUniform';
    this.depthwiseRegularizer = optionalRegularizer(depthwiseRegularizer);
  }

  override build(inputShape: Shape): void {
    checkSpatialInput(this.label, inputShape, 2);
    const channels = inputShape[3]!;
    this.depthwiseKernel = this.addWeight('depthwise_kernel', [...this.kernelSize, channels, this.depthMultiplier], this.depthwiseInitializer, { regularizer: this.depthwiseRegularizer });
    this.addKernelAndBias([1, 1, channels * this.depthMultiplier, this.filters], this.filters, 'pointwise_kernel');
  }

  /** The pointwise kernel [1, 1, channels·M, filters] (KernelLayer's `kernel`). */
  get pointwiseKernel(): Variable | null {
    return this.kernel;
  }

  override call(inputs: Tensor): Tensor {
    checkSpatialInput(this.label, inputs.shape, 2);
    outputSpatialSize(this.label, inputs.shape, this.window);
    const depthwise = depthwiseConv2d(inputs, this.depthwiseKernel!, this.convolution);
    const z = conv2d(depthwise, this.kernel!);
    return getActivation(this.activation)(this.bias ? add(z, this.bias) : z);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkSpatialInput(this.label, inputShape, 2);
    return [inputShape[0] ?? null, ...outputSpatialSize(this.label, inputShape, this.window), this.filters];
  }

  override getConfig(): ConfigDict {
    const { kernelInitializer, kernelRegularizer, ...config } = super.getConfig();
    return {
      ...config,
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: serializeInitializer(this.depthwiseInitializer),
      pointwiseInitializer: kernelInitializer,
      depthwiseRegularizer: serializeRegularizer(this.depthwiseRegularizer),
      pointwiseRegularizer: kernelRegularizer,
    };
  }
}
registerClass(SeparableConv2D as LayerClass);
