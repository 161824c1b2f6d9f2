import { fusedDepthwiseConv2d } from '../ops/depthwise-conv2d.js';
import { reshape } from '../ops/reshape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { PADDINGS_1D, Window1D, type Padding1D, type Window1DConfig } from './conv1d.js';
import { depthMultiplierOf, depthwiseAsKernel, depthwiseConfigOf, type DepthwiseConfig } from './depthwise-config.js';
import type { ConfigDict } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface DepthwiseConv1DConfig extends Omit<Window1DConfig, 'kernelInitializer' | 'kernelRegularizer'>, DepthwiseConfig {}

/**
 * Keras's DepthwiseConv1D on sequences [batch, steps, channels]: each channel convolved along the
 * steps with its own `depthMultiplier` kernels, no sum across channels; output channel c·M + m
 * is channel c through kernel m. The kernel is [kernelSize, channels, depthMultiplier]. The
 * depthwiseConv2d op over the sequences as one-row images; 'causal' pads the start, as Conv1D.
 * `new DepthwiseConv1D(3, {depthMultiplier: 2})` or `new DepthwiseConv1D({kernelSize: 3})`.
 */
export class DepthwiseConv1D extends Window1D<Padding1D> {
  static override readonly className = 'DepthwiseConv1D';
  static override readonly options: OptionList = { depthMultiplier: true, depthwiseInitializer: true, depthwiseRegularizer: true } satisfies OwnOptions<DepthwiseConv1DConfig, Window1DConfig>;
  readonly depthMultiplier: number;

  constructor(kernelSizeOrConfig: number | DepthwiseConv1DConfig, config: Omit<DepthwiseConv1DConfig, 'kernelSize'> = {}) {
    const full = typeof kernelSizeOrConfig === 'number' ? { ...config, kernelSize: kernelSizeOrConfig } : kernelSizeOrConfig;
    super(depthwiseAsKernel('DepthwiseConv1D', full), PADDINGS_1D);
    this.depthMultiplier = depthMultiplierOf('DepthwiseConv1D', full);
  }

  override build(inputShape: Shape): void {
    this.outputStepsOf(inputShape);
    const channels = inputShape[2]!;
    this.addKernelAndBias([this.kernelSize, channels, this.depthMultiplier], channels * this.depthMultiplier);
  }

  override call(inputs: Tensor): Tensor {
    const kernel = reshape(this.kernel!, [1, ...this.kernel!.shape]);
    return this.activated((activation) => this.convolveSteps(inputs, (image, settings) => fusedDepthwiseConv2d(image, kernel, { ...settings, bias: this.bias, activation })));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const channels = inputShape[2];
    return [inputShape[0] ?? null, this.outputStepsOf(inputShape), channels === null || channels === undefined ? null : channels * this.depthMultiplier];
  }

  override getConfig(): ConfigDict {
    return depthwiseConfigOf(super.getConfig(), this.depthMultiplier);
  }
}
registerClass(DepthwiseConv1D as LayerClass);
