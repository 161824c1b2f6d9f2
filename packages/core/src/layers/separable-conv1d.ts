import { fusedConv2d } from '../ops/conv2d.js';
import { depthwiseConv2d } from '../ops/depthwise-conv2d.js';
import { reshape } from '../ops/reshape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Shape } from '../types.js';
import { conv1DConfigOf, Convolution1D, PADDINGS_1D, type Conv1DConfig, type Padding1D, type Window1DConfig } from './conv1d.js';
import { separableAsKernel, separableConfigOf, type DepthwiseKernelSettings, type SeparableConfig } from './depthwise-config.js';
import type { ConfigDict } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface SeparableConv1DConfig extends Omit<Window1DConfig, 'kernelInitializer' | 'kernelRegularizer'>, SeparableConfig {}

/**
 * Keras's SeparableConv1D on sequences [batch, steps, channels]: a depthwise convolution along the
 * steps (each channel with its own `depthMultiplier` kernels, as DepthwiseConv1D), then a
 * pointwise convolution of each step to `filters` channels, the bias and the activation.
 * Weights as Keras's: `depthwise_kernel` [kernelSize, channels, M], `pointwise_kernel`
 * [1, channels·M, filters], `bias` [filters]. `new SeparableConv1D(16, 3)`.
 */
export class SeparableConv1D extends Convolution1D<Padding1D> {
  static override readonly className = 'SeparableConv1D';
  static override readonly options: OptionList = { depthMultiplier: true, depthwiseInitializer: true, depthwiseRegularizer: true, pointwiseInitializer: true, pointwiseRegularizer: true } satisfies OwnOptions<SeparableConv1DConfig, Omit<Conv1DConfig, 'groups'>>;
  readonly depthwise: DepthwiseKernelSettings;
  depthwiseKernel: Variable | null = null;

  constructor(filtersOrConfig: number | SeparableConv1DConfig, kernelSize?: number, config: Omit<SeparableConv1DConfig, 'filters' | 'kernelSize'> = {}) {
    const { kernelConfig, depthwise } = separableAsKernel('SeparableConv1D', conv1DConfigOf(filtersOrConfig, kernelSize, config));
    super(kernelConfig, PADDINGS_1D);
    this.depthwise = depthwise;
  }

  get depthMultiplier(): number {
    return this.depthwise.depthMultiplier;
  }

  /** The pointwise kernel [1, channels·M, filters] (KernelLayer's `kernel`). */
  get pointwiseKernel(): Variable | null {
    return this.kernel;
  }

  override build(inputShape: Shape): void {
    this.outputStepsOf(inputShape);
    const channels = inputShape[2]!;
    const { depthMultiplier, initializer, regularizer } = this.depthwise;
    this.depthwiseKernel = this.addWeight('depthwise_kernel', [this.kernelSize, channels, depthMultiplier], initializer, { regularizer });
    this.addKernelAndBias([1, channels * depthMultiplier, this.filters], this.filters, 'pointwise_kernel');
  }

  override call(inputs: Tensor): Tensor {
    const [depthwiseKernel, pointwiseKernel] = [reshape(this.depthwiseKernel!, [1, ...this.depthwiseKernel!.shape]), reshape(this.kernel!, [1, ...this.kernel!.shape])];
    return this.activated((activation) => this.convolveSteps(inputs, (image, settings) =>
      fusedConv2d(depthwiseConv2d(image, depthwiseKernel, settings), pointwiseKernel, { bias: this.bias, activation })));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, this.outputStepsOf(inputShape), this.filters];
  }

  override getConfig(): ConfigDict {
    return separableConfigOf(super.getConfig(), this.depthwise);
  }
}
registerClass(SeparableConv1D as LayerClass);
