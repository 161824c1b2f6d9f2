import { add } from '../ops/arithmetic.js';
import { conv3dTranspose } from '../ops/conv3d-transpose.js';
import { pad } from '../ops/pad.js';
import { reshape } from '../ops/reshape.js';
import { slice } from '../ops/slice.js';
import { checkVolumeShape, spatialTriple, type SpatialTriple } from '../ops/volume-geometry.js';
import type { Padding } from '../ops/window-geometry.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { numberArgument, POSITIVE_INTEGER } from '../util/arguments.js';
import { getActivation } from './activations.js';
import { cutTransposed, outputPaddingOf, scatterLength, transposedCropBefore, transposedLength } from './conv2d-transpose.js';
import { convolutionConfigOf, ConvolutionWindow, type ConvolutionWindowConfig } from './convolution-window.js';
import type { KernelLayerConfig } from './kernel-layer.js';
import type { ConfigDict } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

type TripleArgument = number | readonly [number, number, number];

export interface Conv3DTransposeConfig extends KernelLayerConfig {
  /** Output channels. */
  filters: number;
  /** The window [depth, height, width], or one number for all three. */
  kernelSize: TripleArgument;
  /** Default 1. */
  strides?: TripleArgument;
  /** Default 'valid'. */
  padding?: Padding;
  /**
   * Keras's output_padding: entries added after the last stride's window, each below its stride,
   * to pick one of the output lengths a strided convolution maps to the input's. Default null:
   * Keras's lengths (transposedLength).
   */
  outputPadding?: TripleArgument | null;
  /** Spacing between the kernel's taps. Default 1; Keras allows more only with strides 1. */
  dilationRate?: TripleArgument;
}

/**
 * Keras's Conv3DTranspose on channels-last volumes [batch, depth, height, width, channels]: each
 * input voxel spreads kernel-weighted copies over a window of the output (the gradient of a Conv3D
 * with respect to its input). `new Conv3DTranspose(8, 3, {strides: 2, padding: 'same'})` doubles
 * depth, height and width. The kernel is [kernelDepth, kernelHeight, kernelWidth, filters,
 * channels], as Keras's. Output lengths and where the window is cut follow Conv2DTranspose's
 * (transposedLength, transposedCropBefore).
 *
 * Computed as the full scatter (the conv3dTranspose op with 'valid' padding, over the kernel with
 * zeros between its taps when dilated), then cut to Keras's window, or padded with zeros where
 * an outputPadding reaches beyond it.
 */
export class Conv3DTranspose extends ConvolutionWindow {
  static override readonly className = 'Conv3DTranspose';
  static override readonly options: OptionList = { filters: true, outputPadding: true } satisfies OwnOptions<Conv3DTransposeConfig, ConvolutionWindowConfig>;
  declare readonly kernelSize: SpatialTriple;
  declare readonly strides: SpatialTriple;
  declare readonly dilationRate: SpatialTriple;
  readonly filters: number;
  readonly outputPadding: SpatialTriple | null;

  constructor(filtersOrConfig: number | Conv3DTransposeConfig, kernelSize?: TripleArgument, config: Omit<Conv3DTransposeConfig, 'filters' | 'kernelSize'> = {}) {
    const full = convolutionConfigOf(filtersOrConfig, kernelSize, config);
    super(full, spatialTriple);
    this.filters = numberArgument('Conv3DTranspose', 'filters', full.filters, POSITIVE_INTEGER);
    this.outputPadding = outputPaddingOf('Conv3DTranspose', full.outputPadding, this.strides, ['depth', 'height', 'width']) as SpatialTriple | null;
  }

  override build(inputShape: Shape): void {
    checkVolumeShape(this.label, inputShape);
    this.addKernelAndBias([...this.kernelSize, this.filters, inputShape[4]!], this.filters);
  }

  override call(inputs: Tensor): Tensor {
    checkVolumeShape(this.label, inputs.shape);
    const [batch, ...sizes] = inputs.shape.slice(0, 4) as [number, number, number, number];
    const kernel = this.dilationRate.reduce((k, rate, axis) => spreadAxis(k, axis, rate), this.kernel! as Tensor);
    const full = sizes.map((size, a) => scatterLength(size, kernel.shape[a]!, this.strides[a]!));
    const scattered = conv3dTranspose(inputs, kernel, [batch, ...full, this.filters], this.strides, 'valid');
    const begins = [0, 1, 2].map((a) => transposedCropBefore(this.kernelSize[a]!, this.strides[a]!, this.dilationRate[a]!, this.padding, this.outputPadding?.[a] ?? null));
    const z = cutTransposed(scattered, begins, this.#outputSize(inputs.shape) as number[]);
    return getActivation(this.activation)(this.bias ? add(z, this.bias) : z);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkVolumeShape(this.label, inputShape);
    return [inputShape[0] ?? null, ...this.#outputSize(inputShape), this.filters];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), filters: this.filters, outputPadding: this.outputPadding && [...this.outputPadding] };
  }

  /** The output's depth, height and width (null: unknown) for inputs of `shape`. */
  #outputSize(shape: readonly (number | null)[]): (number | null)[] {
    return [0, 1, 2].map((axis) => {
      const size = shape[axis + 1];
      return size === null || size === undefined ? null
        : transposedLength(size, this.kernelSize[axis]!, this.strides[axis]!, this.dilationRate[axis]!, this.padding, this.outputPadding?.[axis] ?? null);
    });
  }
}
registerClass(Conv3DTranspose as LayerClass);

/** `x` with rate − 1 zeros between its entries along `axis`: a dilated kernel's taps where they reach. */
function spreadAxis(x: Tensor, axis: number, rate: number): Tensor {
  if (rate === 1) return x;
  const shape = x.shape;
  const n = shape[axis]!;
  const split = [...shape.slice(0, axis + 1), 1, ...shape.slice(axis + 1)];
  const widened = pad(reshape(x, split), split.map((_, i): [number, number] => [0, i === axis + 1 ? rate - 1 : 0]));
  const spread = reshape(widened, [...shape.slice(0, axis), n * rate, ...shape.slice(axis + 1)]);
  return slice(spread, shape.map(() => 0), shape.map((_, i) => (i === axis ? (n - 1) * rate + 1 : -1)));
}
