import type { InitializerIdentifier } from '../initializers/index.js';
import { add, mul } from '../ops/arithmetic.js';
import { conv2d } from '../ops/conv2d.js';
import { range } from '../ops/creation.js';
import { oneHot } from '../ops/one-hot.js';
import { reshape } from '../ops/reshape.js';
import { outputSpatialSize } from '../ops/window-geometry.js';
import type { RegularizerIdentifier } from '../regularizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { numberArgument, POSITIVE_INTEGER } from '../util/arguments.js';
import { getActivation } from './activations.js';
import { Convolution2D, type WindowConfig } from './convolution-2d.js';
import type { KernelLayerConfig } from './kernel-layer.js';
import type { ConfigDict } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import { checkSpatialInput } from './spatial-arguments.js';
import type { SymbolicShape } from './symbolic-shape.js';

export interface DepthwiseConv2DConfig extends Omit<KernelLayerConfig, 'kernelInitializer' | 'kernelRegularizer'>, WindowConfig {
  /** Output channels per input channel. Default 1. */
  depthMultiplier?: number;
  /** Default 'glorotUniform'. */
  depthwiseInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier | null;
}

/**
 * A depthwise kernel [kh, kw, channels, M] as the filter of one conv2d, [kh, kw, channels,
 * channels·M]: kernel[i, j, c, m] at input channel c and output channel c·M + m (Keras's order),
 * zeros off that diagonal, so each channel is convolved with its own kernels alone.
 */
export function diagonalFilter(kernel: Tensor): Tensor {
  const [height, width, channels, multiplier] = kernel.shape as [number, number, number, number];
  const identity = reshape(oneHot(range(0, channels, 1, 'int32'), channels), [1, 1, channels, channels, 1]);
  const spread = mul(reshape(kernel, [height, width, channels, 1, multiplier]), identity);
  return reshape(spread, [height, width, channels, channels * multiplier]);
}

/**
 * Keras's DepthwiseConv2D on channels-last images: each input channel convolved with its own
 * `depthMultiplier` kernels, no sum across channels (MobileNet's cheap spatial filter). The
 * kernel is [kernelHeight, kernelWidth, channels, depthMultiplier]; output channel c·M + m is
 * channel c through kernel m, as Keras orders them. Computed as one conv2d op whose filter holds
 * the kernels on its channel diagonal (zeros elsewhere): every backend's convolution, its
 * gradients and the ONNX export serve it, at the cost of `channels` times the arithmetic, which
 * is small beside the products of the layers around it at the sizes this framework trains.
 */
export class DepthwiseConv2D extends Convolution2D {
  static override readonly className = 'DepthwiseConv2D';
  readonly depthMultiplier: number;

  constructor(kernelSizeOrConfig: DepthwiseConv2DConfig['kernelSize'] | DepthwiseConv2DConfig, config: Omit<DepthwiseConv2DConfig, 'kernelSize'> = {}) {
    const full: DepthwiseConv2DConfig = typeof kernelSizeOrConfig === 'object' && !Array.isArray(kernelSizeOrConfig) ? kernelSizeOrConfig as DepthwiseConv2DConfig : { ...config, kernelSize: kernelSizeOrConfig as DepthwiseConv2DConfig['kernelSize'] };
    const { depthwiseInitializer, depthwiseRegularizer, ...rest } = full;
    super({ ...rest, kernelInitializer: depthwiseInitializer, kernelRegularizer: depthwiseRegularizer });
    this.depthMultiplier = numberArgument('DepthwiseConv2D', 'depthMultiplier', full.depthMultiplier ?? 1, POSITIVE_INTEGER);
  }

  override build(inputShape: Shape): void {
    checkSpatialInput(this.label, inputShape, 2);
    const channels = inputShape[3]!;
    this.addKernelAndBias([...this.kernelSize, channels, this.depthMultiplier], channels * this.depthMultiplier);
  }

  override call(inputs: Tensor): Tensor {
    checkSpatialInput(this.label, inputs.shape, 2);
    outputSpatialSize(this.label, inputs.shape, this.window);
    const z = conv2d(inputs, diagonalFilter(this.kernel!), this.convolution);
    return getActivation(this.activation)(this.bias ? add(z, this.bias) : z);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkSpatialInput(this.label, inputShape, 2);
    const channels = inputShape[3];
    return [inputShape[0] ?? null, ...outputSpatialSize(this.label, inputShape, this.window), channels === null || channels === undefined ? null : channels * this.depthMultiplier];
  }

  override getConfig(): ConfigDict {
    const { kernelInitializer, kernelRegularizer, ...config } = super.getConfig();
    return { ...config, depthMultiplier: this.depthMultiplier, depthwiseInitializer: kernelInitializer, depthwiseRegularizer: kernelRegularizer };
  }
}
registerClass(DepthwiseConv2D as LayerClass);
