import { add } from '../ops/arithmetic.js';
import { conv2dBackpropInput } from '../ops/conv2d.js';
import { reshape } from '../ops/reshape.js';
import type { Padding } from '../ops/window-geometry.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { getActivation } from './activations.js';
import { transposedLength } from './conv2d-transpose.js';
import { conv1DConfigOf, Convolution1D, type Conv1DConfig } from './conv1d.js';
import { registerClass, type LayerClass } from './registry.js';
import { throughRowImage } from './sequence-as-image.js';
import { checkSpatialInput } from './spatial-arguments.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface Conv1DTransposeConfig extends Omit<Conv1DConfig, 'padding' | 'groups'> {
  /** Default 'valid'. */
  padding?: Padding;
}

const PADDINGS: readonly Padding[] = ['valid', 'same'];

/**
 * Keras's Conv1DTranspose on sequences [batch, steps, channels]: Conv2DTranspose on the sequence
 * seen as an image one row high, so each input step spreads kernel-weighted copies over a window
 * of the output steps. The kernel is [kernelSize, filters, channels], as Keras's.
 */
export class Conv1DTranspose extends Convolution1D<Padding> {
  static override readonly className = 'Conv1DTranspose';
  static override readonly options: OptionList = {} satisfies OwnOptions<Conv1DTransposeConfig, Omit<Conv1DConfig, 'groups'>>;

  constructor(filtersOrConfig: number | Conv1DTransposeConfig, kernelSize?: number, config: Omit<Conv1DTransposeConfig, 'filters' | 'kernelSize'> = {}) {
    super(conv1DConfigOf(filtersOrConfig, kernelSize, config), PADDINGS);
  }

  override build(inputShape: Shape): void {
    checkSpatialInput(this.label, inputShape, 1);
    this.addKernelAndBias([this.kernelSize, this.filters, inputShape[2]!], this.filters);
  }

  override call(inputs: Tensor): Tensor {
    checkSpatialInput(this.label, inputs.shape, 1);
    const [batch, steps, channels] = inputs.shape as [number, number, number];
    const kernel = reshape(this.kernel!, [1, this.kernelSize, this.filters, channels]);
    const outputShape = [batch, 1, this.#outputSteps(steps), this.filters];
    const settings = { strides: [1, this.strides] as [number, number], padding: this.padding, dilations: [1, this.dilationRate] as [number, number] };
    const output = throughRowImage(inputs, (rows) => conv2dBackpropInput(rows, kernel, outputShape, settings));
    return getActivation(this.activation)(this.bias ? add(output, this.bias) : output);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkSpatialInput(this.label, inputShape, 1);
    const steps = inputShape[1];
    return [inputShape[0] ?? null, steps === null || steps === undefined ? null : this.#outputSteps(steps), this.filters];
  }

  #outputSteps(steps: number): number {
    return transposedLength(steps, this.kernelSize, this.strides, this.dilationRate, this.padding);
  }
}
registerClass(Conv1DTranspose as LayerClass);
