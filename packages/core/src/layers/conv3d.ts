import { add } from '../ops/arithmetic.js';
import { groupedConv3d, type Conv3DSettings } from '../ops/conv3d.js';
import { checkVolumeShape, outputVolumeSize, spatialTriple, type SpatialTriple, type VolumeWindow } from '../ops/volume-geometry.js';
import type { Padding } from '../ops/window-geometry.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { numberArgument, POSITIVE_INTEGER } from '../util/arguments.js';
import { getActivation } from './activations.js';
import { channelsPerGroup, groupsArgument } from './convolution-groups.js';
import { convolutionConfigOf, ConvolutionWindow, type ConvolutionWindowConfig } from './convolution-window.js';
import type { KernelLayerConfig } from './kernel-layer.js';
import type { ConfigDict } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

type TripleArgument = number | readonly [number, number, number];

export interface Conv3DConfig extends KernelLayerConfig {
  /** Output channels. */
  filters: number;
  /** The window [depth, height, width], or one number for all three. */
  kernelSize: TripleArgument;
  /** Default 1. */
  strides?: TripleArgument;
  /** Default 'valid'. */
  padding?: Padding;
  /** Spacing between the kernel's taps. Default 1; Keras allows more only with strides 1. */
  dilationRate?: TripleArgument;
  /** Groups of the input channels convolved apart, each into filters / groups output channels, as Conv2D's. Default 1. */
  groups?: number;
}

/**
 * Keras's Conv3D on channels-last volumes [batch, depth, height, width, channels]: each output
 * voxel is activation(window · kernel + bias), the kernel [kernelDepth, kernelHeight,
 * kernelWidth, channels / groups, filters]. `new Conv3D(8, 3, {padding: 'same'})` or
 * `new Conv3D({filters: 8, kernelSize: [3, 3, 3]})`.
 *
 * Computed by the groupedConv3d op, made of 2-D convolutions of depth planes (conv3d.ts in ops),
 * then the bias and the activation.
 */
export class Conv3D extends ConvolutionWindow {
  static override readonly className = 'Conv3D';
  static override readonly options: OptionList = { filters: true, groups: true } satisfies OwnOptions<Conv3DConfig, ConvolutionWindowConfig>;
  declare readonly kernelSize: SpatialTriple;
  declare readonly strides: SpatialTriple;
  declare readonly dilationRate: SpatialTriple;
  readonly filters: number;
  readonly groups: number;

  constructor(filtersOrConfig: number | Conv3DConfig, kernelSize?: TripleArgument, config: Omit<Conv3DConfig, 'filters' | 'kernelSize'> = {}) {
    const full = convolutionConfigOf(filtersOrConfig, kernelSize, config);
    super(full, spatialTriple);
    this.filters = numberArgument('Conv3D', 'filters', full.filters, POSITIVE_INTEGER);
    this.groups = groupsArgument('Conv3D', this.filters, full.groups);
  }

  get #window(): VolumeWindow {
    return { window: this.kernelSize, strides: this.strides, dilation: this.dilationRate, padding: this.padding };
  }

  get #convolution(): Conv3DSettings {
    return { strides: this.strides, padding: this.padding, dilations: this.dilationRate };
  }

  override build(inputShape: Shape): void {
    checkVolumeShape(this.label, inputShape);
    this.addKernelAndBias([...this.kernelSize, channelsPerGroup(this.label, inputShape[4]!, this.groups), this.filters]);
  }

  override call(inputs: Tensor): Tensor {
    // Checked here first so that a wrong rank or too small a volume names the layer, not the op.
    outputVolumeSize(this.label, inputs.shape, this.#window);
    const z = groupedConv3d(inputs, this.kernel!, this.groups, this.#convolution);
    return getActivation(this.activation)(this.bias ? add(z, this.bias) : z);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, ...outputVolumeSize(this.label, inputShape, this.#window), this.filters];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), filters: this.filters, groups: this.groups };
  }
}
registerClass(Conv3D as LayerClass);
