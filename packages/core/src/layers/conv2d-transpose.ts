import { add } from '../ops/arithmetic.js';
import { conv2dBackpropInput } from '../ops/conv2d.js';
import type { Padding } from '../ops/window-geometry.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { getActivation } from './activations.js';
import { Convolution2DWithFilters, type Conv2DConfig } from './convolution-2d.js';
import { convolutionConfigOf } from './convolution-window.js';
import { registerClass, type LayerClass } from './registry.js';
import { checkSpatialInput } from './spatial-arguments.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

/**
 * Keras's output length of a transposed convolution along one axis: 'same' multiplies the input's
 * by the stride; 'valid' adds what the dilated window reaches beyond the last stride. Either is
 * the length whose convolution, with these settings, gives back the input's. An `outputPadding`
 * (Keras's output_padding) sets the length instead: the last stride's start, plus the window
 * ('valid') or its oddness ('same'), plus outputPadding.
 */
export function transposedLength(input: number, kernel: number, stride: number, dilation: number, padding: Padding, outputPadding: number | null = null): number {
  const extent = (kernel - 1) * dilation + 1;
  if (outputPadding !== null) return (input - 1) * stride + (padding === 'same' ? extent % 2 : extent) + outputPadding;
  return padding === 'same' ? input * stride : input * stride + Math.max(extent - stride, 0);
}

/**
 * Where Keras's transposed output starts along one axis within the full scatter (each input entry
 * i spreading over i·stride ... i·stride + extent − 1): nothing cut with 'valid'; with 'same', the
 * padding the convolution it transposes puts before the output's length (the smaller half, as
 * TensorFlow's 'same'), as Keras's JAX backend works it out from output_padding.
 */
export function transposedCropBefore(kernel: number, stride: number, dilation: number, padding: Padding, outputPadding: number | null = null): number {
  const extent = (kernel - 1) * dilation + 1;
  if (padding === 'valid') return 0;
  const total = outputPadding === null ? stride + extent - 2 : extent + (extent % 2) - 2 + outputPadding;
  return extent - 1 - Math.min(Math.ceil(total / 2), extent - 1);
}

export type Conv2DTransposeConfig = Omit<Conv2DConfig, 'groups'>;

/**
 * Keras's Conv2DTranspose (a "deconvolution") on channels-last images: the gradient of a Conv2D
 * with respect to its input, so each input pixel spreads kernel-weighted copies over a window of
 * the output. `new Conv2DTranspose(16, 3, {strides: 2, padding: 'same'})` doubles the height and
 * width. The kernel is [kernelHeight, kernelWidth, filters, channels], as Keras's: the kernel of
 * the Conv2D it transposes. Computed by the conv2dBackpropInput op, which is differentiable in
 * both its arguments, so the layer trains and its gradients have gradients.
 */
export class Conv2DTranspose extends Convolution2DWithFilters {
  static override readonly className = 'Conv2DTranspose';
  static override readonly options: OptionList = {} satisfies OwnOptions<Conv2DTransposeConfig, Omit<Conv2DConfig, 'groups'>>;

  constructor(filtersOrConfig: number | Conv2DTransposeConfig, kernelSize?: Conv2DTransposeConfig['kernelSize'], config: Omit<Conv2DTransposeConfig, 'filters' | 'kernelSize'> = {}) {
    super(convolutionConfigOf(filtersOrConfig, kernelSize, config));
  }

  override build(inputShape: Shape): void {
    checkSpatialInput(this.label, inputShape, 2);
    this.addKernelAndBias([...this.kernelSize, this.filters, inputShape[3]!], this.filters);
  }

  override call(inputs: Tensor): Tensor {
    checkSpatialInput(this.label, inputs.shape, 2);
    const [height, width] = this.#outputSize(inputs.shape);
    const z = conv2dBackpropInput(inputs, this.kernel!, [inputs.shape[0]!, height!, width!, this.filters], this.convolution);
    return getActivation(this.activation)(this.bias ? add(z, this.bias) : z);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkSpatialInput(this.label, inputShape, 2);
    return [inputShape[0] ?? null, ...this.#outputSize(inputShape), this.filters];
  }

  /** The output's height and width (null: unknown) for inputs of `shape`. */
  #outputSize(shape: readonly (number | null)[]): (number | null)[] {
    return [0, 1].map((axis) => {
      const size = shape[axis + 1];
      return size === null || size === undefined ? null : transposedLength(size, this.kernelSize[axis]!, this.strides[axis]!, this.dilationRate[axis]!, this.padding);
    });
  }
}
registerClass(Conv2DTranspose as LayerClass);
