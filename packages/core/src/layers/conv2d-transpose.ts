import { add } from '../ops/arithmetic.js';
import { conv2dBackpropInput } from '../ops/conv2d.js';
import { pad } from '../ops/pad.js';
import { slice } from '../ops/slice.js';
import type { Padding, SpatialPair } from '../ops/window-geometry.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { describeValue } from '../util/arguments.js';
import { getActivation } from './activations.js';
import { Convolution2DWithFilters, type Conv2DConfig } from './convolution-2d.js';
import { convolutionConfigOf } from './convolution-window.js';
import type { ConfigDict } from './layer.js';
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

/**
 * Keras's output_padding for a transposed convolution over `axes` (their names, as 'height',
 * 'width'): null, or one non-negative integer per axis (one number for all), each below its
 * stride; else an error naming `owner`.
 */
export function outputPaddingOf(owner: string, value: unknown, strides: readonly number[], axes: readonly string[]): number[] | null {
  if (value === null || value === undefined) return null;
  const list = typeof value === 'number' ? axes.map(() => value) : value;
  if (!Array.isArray(list) || list.length !== axes.length || list.some((v) => typeof v !== 'number' || !Number.isInteger(v) || v < 0)) {
    throw new Error(`${owner}: outputPadding must be null, a non-negative integer, or one per axis [${axes.join(', ')}], got ${describeValue(value)}`);
  }
  if (list.some((v: number, a) => v >= strides[a]!)) {
    throw new Error(`${owner}: outputPadding must be below strides on every axis (as in Keras), got outputPadding ${JSON.stringify(list)} and strides ${JSON.stringify(strides)}`);
  }
  return list as number[];
}

/**
 * A transposed convolution's full scatter [batch, ...full, filters] (the 'valid' output) cut to
 * Keras's window: from `begins`, `lengths` long on each spatial axis, zeros where an
 * outputPadding reaches past the scatter.
 */
export function cutTransposed(scattered: Tensor, begins: readonly number[], lengths: readonly number[]): Tensor {
  const full = scattered.shape.slice(1, -1);
  const padded = pad(scattered, [[0, 0], ...full.map((f, a): [number, number] => [0, Math.max(begins[a]! + lengths[a]! - f, 0)]), [0, 0]]);
  return slice(padded, [0, ...begins, 0], [-1, ...lengths, -1]);
}

/** The full scatter's length along an axis: every tap's reach, and up to the stride when the window is shorter. */
export const scatterLength = (input: number, extent: number, stride: number): number => (input - 1) * stride + Math.max(extent, stride);

export interface Conv2DTransposeConfig extends Omit<Conv2DConfig, 'groups'> {
  /**
   * Keras's output_padding: rows and columns added after the last stride's window, each below
   * its stride, to pick one of the output sizes a strided convolution maps to the input's.
   * Default null: Keras's sizes (transposedLength).
   */
  outputPadding?: number | readonly [number, number] | null;
}

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
  static override readonly options: OptionList = { outputPadding: true } satisfies OwnOptions<Conv2DTransposeConfig, Omit<Conv2DConfig, 'groups'>>;
  readonly outputPadding: SpatialPair | null;

  constructor(filtersOrConfig: number | Conv2DTransposeConfig, kernelSize?: Conv2DTransposeConfig['kernelSize'], config: Omit<Conv2DTransposeConfig, 'filters' | 'kernelSize'> = {}) {
    const full = convolutionConfigOf(filtersOrConfig, kernelSize, config);
    super(full);
    this.outputPadding = outputPaddingOf('Conv2DTranspose', full.outputPadding, this.strides, ['height', 'width']) as SpatialPair | null;
  }

  override build(inputShape: Shape): void {
    checkSpatialInput(this.label, inputShape, 2);
    this.addKernelAndBias([...this.kernelSize, this.filters, inputShape[3]!], this.filters);
  }

  override call(inputs: Tensor): Tensor {
    checkSpatialInput(this.label, inputs.shape, 2);
    const lengths = this.#outputSize(inputs.shape) as number[];
    const z = this.outputPadding === null
      ? conv2dBackpropInput(inputs, this.kernel!, [inputs.shape[0]!, ...lengths, this.filters], this.convolution)
      : this.#paddedOutput(inputs, lengths);
    return getActivation(this.activation)(this.bias ? add(z, this.bias) : z);
  }

  /** With an outputPadding, the output whose size TensorFlow's 'same' rule may not give back: the full scatter, cut to Keras's window. */
  #paddedOutput(inputs: Tensor, lengths: readonly number[]): Tensor {
    const full = [0, 1].map((a) => scatterLength(inputs.shape[a + 1]!, (this.kernelSize[a]! - 1) * this.dilationRate[a]! + 1, this.strides[a]!));
    const scattered = conv2dBackpropInput(inputs, this.kernel!, [inputs.shape[0]!, ...full, this.filters], { ...this.convolution, padding: 'valid' });
    const begins = [0, 1].map((a) => transposedCropBefore(this.kernelSize[a]!, this.strides[a]!, this.dilationRate[a]!, this.padding, this.outputPadding![a]!));
    return cutTransposed(scattered, begins, lengths);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), outputPadding: this.outputPadding && [...this.outputPadding] };
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkSpatialInput(this.label, inputShape, 2);
    return [inputShape[0] ?? null, ...this.#outputSize(inputShape), this.filters];
  }

  /** The output's height and width (null: unknown) for inputs of `shape`. */
  #outputSize(shape: readonly (number | null)[]): (number | null)[] {
    return [0, 1].map((axis) => {
      const size = shape[axis + 1];
      return size === null || size === undefined ? null
        : transposedLength(size, this.kernelSize[axis]!, this.strides[axis]!, this.dilationRate[axis]!, this.padding, this.outputPadding?.[axis] ?? null);
    });
  }
}
registerClass(Conv2DTranspose as LayerClass);
