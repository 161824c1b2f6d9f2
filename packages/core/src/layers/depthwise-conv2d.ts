import { fusedDepthwiseConv2d } from '../ops/depthwise-conv2d.js';
import { outputSpatialSize } from '../ops/window-geometry.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { Convolution2D, type WindowConfig } from './convolution-2d.js';
import { depthMultiplierOf, depthwiseAsKernel, depthwiseConfigOf, type DepthwiseConfig } from './depthwise-config.js';
import type { KernelLayerConfig } from './kernel-layer.js';
import type { ConfigDict } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import { checkSpatialInput } from './spatial-arguments.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface DepthwiseConv2DConfig extends Omit<KernelLayerConfig, 'kernelInitializer' | 'kernelRegularizer'>, WindowConfig, DepthwiseConfig {}

/**
 * Keras's DepthwiseConv2D on channels-last images: each input channel convolved with its own
 * `depthMultiplier` kernels, no sum across channels (MobileNet's cheap spatial filter). The
 * kernel is [kernelHeight, kernelWidth, channels, depthMultiplier]; output channel c·M + m is
 * channel c through kernel m, as Keras orders them: the depthwiseConv2d op.
 */
export class DepthwiseConv2D extends Convolution2D {
  static override readonly className = 'DepthwiseConv2D';
  static override readonly options: OptionList = { depthMultiplier: true, depthwiseInitializer: true, depthwiseRegularizer: true } satisfies OwnOptions<DepthwiseConv2DConfig, KernelLayerConfig & WindowConfig>;
  readonly depthMultiplier: number;

  constructor(kernelSizeOrConfig: DepthwiseConv2DConfig['kernelSize'] | DepthwiseConv2DConfig, config: Omit<DepthwiseConv2DConfig, 'kernelSize'> = {}) {
    const full: DepthwiseConv2DConfig = typeof kernelSizeOrConfig === 'object' && !Array.isArray(kernelSizeOrConfig) ? kernelSizeOrConfig as DepthwiseConv2DConfig : { ...config, kernelSize: kernelSizeOrConfig as DepthwiseConv2DConfig['kernelSize'] };
    super(depthwiseAsKernel('DepthwiseConv2D', full));
    this.depthMultiplier = depthMultiplierOf('DepthwiseConv2D', full);
  }

  override build(inputShape: Shape): void {
    checkSpatialInput(this.label, inputShape, 2);
    const channels = inputShape[3]!;
    this.addKernelAndBias([...this.kernelSize, channels, this.depthMultiplier], channels * this.depthMultiplier);
  }

  override call(inputs: Tensor): Tensor {
    checkSpatialInput(this.label, inputs.shape, 2);
    outputSpatialSize(this.label, inputs.shape, this.window);
    return this.activated((activation) => fusedDepthwiseConv2d(inputs, this.kernel!, { ...this.convolution, bias: this.bias, activation }));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkSpatialInput(this.label, inputShape, 2);
    const channels = inputShape[3];
    return [inputShape[0] ?? null, ...outputSpatialSize(this.label, inputShape, this.window), channels === null || channels === undefined ? null : channels * this.depthMultiplier];
  }

  override getConfig(): ConfigDict {
    return depthwiseConfigOf(super.getConfig(), this.depthMultiplier);
  }
}
registerClass(DepthwiseConv2D as LayerClass);
