import { spatialPair, type Padding, type SpatialPair, type WindowSettings } from '../ops/window-geometry.js';
import { numberArgument, POSITIVE_INTEGER } from '../util/arguments.js';
import { ConvolutionWindow, type ConvolutionWindowConfig } from './convolution-window.js';
import type { KernelLayerConfig } from './kernel-layer.js';
import type { ConfigDict } from './layer.js';
import { classNameOf, type LayerClass } from './registry.js';
import type { OptionList, OwnOptions } from './layer-options.js';

/** A 2-D convolution's window, as the layers take it. */
export interface WindowConfig {
  /** The window [height, width], or one number for both. */
  kernelSize: number | readonly [number, number];
  /** Default 1. */
  strides?: number | readonly [number, number];
  /** Default 'valid'. */
  padding?: Padding;
  /** Spacing between the kernel's taps. Default 1; Keras allows more only with strides 1. */
  dilationRate?: number | readonly [number, number];
}

export interface Conv2DConfig extends KernelLayerConfig, WindowConfig {
  /** Output channels. */
  filters: number;
  /**
   * Conv2D only: groups of the input channels convolved apart, each into filters / groups
   * output channels (ResNeXt's grouped convolution). Both must be multiples of it. Default 1.
   */
  groups?: number;
}

/**
 * What the 2-D convolution layers (Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D) share on
 * channels-last images: the window of ConvolutionWindow, [height, width] per setting, and the
 * conv2d ops' settings.
 */
export abstract class Convolution2D extends ConvolutionWindow {
  static override readonly options: OptionList = {} satisfies OwnOptions<KernelLayerConfig & WindowConfig, ConvolutionWindowConfig>;
  declare readonly kernelSize: SpatialPair;
  declare readonly strides: SpatialPair;
  declare readonly dilationRate: SpatialPair;

  constructor(config: KernelLayerConfig & WindowConfig) {
    super(config, spatialPair);
  }

  /** The forward convolution's window: Conv2D slides it over its input, Conv2DTranspose over its output. */
  protected get window(): WindowSettings {
    return { window: this.kernelSize, strides: this.strides, dilation: this.dilationRate, padding: this.padding };
  }

  /** The settings of the conv2d ops. */
  protected get convolution(): { strides: SpatialPair; padding: Padding; dilations: SpatialPair } {
    return { strides: this.strides, padding: this.padding, dilations: this.dilationRate };
  }
}

/**
 * The 2-D convolutions that choose their output channels (Conv2D, Conv2DTranspose,
 * SeparableConv2D; DepthwiseConv2D's follow from its input's): `filters`, checked and in the config.
 */
export abstract class Convolution2DWithFilters extends Convolution2D {
  static override readonly options: OptionList = { filters: true } satisfies OwnOptions<Omit<Conv2DConfig, 'groups'>, KernelLayerConfig & WindowConfig>;
  /** Output channels. */
  readonly filters: number;

  constructor(config: KernelLayerConfig & WindowConfig & { filters: number }) {
    super(config);
    this.filters = numberArgument(classNameOf(new.target as unknown as LayerClass), 'filters', config.filters, POSITIVE_INTEGER);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), filters: this.filters };
  }
}
