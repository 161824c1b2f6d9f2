import { add } from '../ops/arithmetic.js';
import { conv2d } from '../ops/conv2d.js';
import { checkImageShape, outputSpatialSize } from '../ops/window-geometry.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { getActivation } from './activations.js';
import { conv2DConfigOf, Convolution2DWithFilters, type Conv2DConfig } from './convolution-2d.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';

/**
 * Keras's Conv2D on channels-last images [batch, height, width, channels]: each output pixel is
 * activation(window · kernel + bias), the kernel [kernelHeight, kernelWidth, channels, filters].
 * `new Conv2D(32, 3, {padding: 'same'})` or `new Conv2D({filters: 32, kernelSize: 3})`.
 *
 * Computed by the conv2d op (a backend's convolution kernel, or im2col and a matrix product),
 * then the bias and the activation.
 */
export class Conv2D extends Convolution2DWithFilters {
  static override readonly className = 'Conv2D';

  constructor(filtersOrConfig: number | Conv2DConfig, kernelSize?: Conv2DConfig['kernelSize'], config: Omit<Conv2DConfig, 'filters' | 'kernelSize'> = {}) {
    super(conv2DConfigOf(filtersOrConfig, kernelSize, config));
  }

  override build(inputShape: Shape): void {
    checkImageShape(this.label, inputShape);
    this.addKernelAndBias([...this.kernelSize, inputShape[3]!, this.filters]);
  }

  override call(inputs: Tensor): Tensor {
    // Checked here first so that a wrong rank or too small an image names the layer, not the op.
    outputSpatialSize(this.label, inputs.shape, this.window);
    const z = conv2d(inputs, this.kernel!, this.convolution);
    return getActivation(this.activation)(this.bias ? add(z, this.bias) : z);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, ...outputSpatialSize(this.label, inputShape, this.window), this.filters];
  }
}
registerClass(Conv2D as LayerClass);
