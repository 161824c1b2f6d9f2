import { fusedConv2d } from '../ops/conv2d.js';
import { depthwiseConv2d } from '../ops/depthwise-conv2d.js';
import { outputSpatialSize } from '../ops/window-geometry.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Shape } from '../types.js';
import { Convolution2DWithFilters, type Conv2DConfig, type WindowConfig } from './convolution-2d.js';
import { separableAsKernel, separableConfigOf, type DepthwiseKernelSettings, type SeparableConfig } from './depthwise-config.js';
import type { KernelLayerConfig } from './kernel-layer.js';
import type { ConfigDict } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import { checkSpatialInput } from './spatial-arguments.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface SeparableConv2DConfig extends Omit<KernelLayerConfig, 'kernelInitializer' | 'kernelRegularizer'>, WindowConfig, SeparableConfig {}

/**
 * Keras's SeparableConv2D on channels-last images: a depthwise convolution (each channel with its
 * own `depthMultiplier` kernels, as DepthwiseConv2D) then a pointwise 1×1 convolution to
 * `filters` channels, the bias and the activation: Xception's and MobileNet's cheap Conv2D.
 * Weights as Keras's: `depthwise_kernel` [kh, kw, channels, M], `pointwise_kernel`
 * [1, 1, channels·M, filters], `bias` [filters].
 */
export class SeparableConv2D extends Convolution2DWithFilters {
  static override readonly className = 'SeparableConv2D';
  static override readonly options: OptionList = { depthMultiplier: true, depthwiseInitializer: true, depthwiseRegularizer: true, pointwiseInitializer: true, pointwiseRegularizer: true } satisfies OwnOptions<SeparableConv2DConfig, Omit<Conv2DConfig, 'groups'>>;
  readonly depthwise: DepthwiseKernelSettings;
  depthwiseKernel: Variable | null = null;

  constructor(filtersOrConfig: number | SeparableConv2DConfig, kernelSize?: SeparableConv2DConfig['kernelSize'], config: Omit<SeparableConv2DConfig, 'filters' | 'kernelSize'> = {}) {
    const full: SeparableConv2DConfig = typeof filtersOrConfig === 'number' ? { ...config, filters: filtersOrConfig, kernelSize: kernelSize! } : filtersOrConfig;
    const { kernelConfig, depthwise } = separableAsKernel('SeparableConv2D', full);
    super(kernelConfig);
    this.depthwise = depthwise;
  }

  override build(inputShape: Shape): void {
    checkSpatialInput(this.label, inputShape, 2);
    const channels = inputShape[3]!;
    const { depthMultiplier, initializer, regularizer } = this.depthwise;
    this.depthwiseKernel = this.addWeight('depthwise_kernel', [...this.kernelSize, channels, depthMultiplier], initializer, { regularizer });
    this.addKernelAndBias([1, 1, channels * depthMultiplier, this.filters], this.filters, 'pointwise_kernel');
  }

  get depthMultiplier(): number {
    return this.depthwise.depthMultiplier;
  }

  /** The pointwise kernel [1, 1, channels·M, filters] (KernelLayer's `kernel`). */
  get pointwiseKernel(): Variable | null {
    return this.kernel;
  }

  override call(inputs: Tensor): Tensor {
    checkSpatialInput(this.label, inputs.shape, 2);
    outputSpatialSize(this.label, inputs.shape, this.window);
    const depthwise = depthwiseConv2d(inputs, this.depthwiseKernel!, this.convolution);
    return this.activated((activation) => fusedConv2d(depthwise, this.kernel!, { bias: this.bias, activation }));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkSpatialInput(this.label, inputShape, 2);
    return [inputShape[0] ?? null, ...outputSpatialSize(this.label, inputShape, this.window), this.filters];
  }

  override getConfig(): ConfigDict {
    return separableConfigOf(super.getConfig(), this.depthwise);
  }
}
registerClass(SeparableConv2D as LayerClass);
