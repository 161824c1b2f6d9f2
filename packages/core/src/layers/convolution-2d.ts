import { paddingMode, spatialPair, type Padding, type SpatialPair, type WindowSettings } from '../ops/window-geometry.js';
import { KernelLayer, type KernelLayerConfig } from './kernel-layer.js';
import type { ConfigDict } from './layer.js';
import { classNameOf, type LayerClass } from './registry.js';

export interface Conv2DConfig extends KernelLayerConfig {
  /** Output channels. */
  filters: number;
  /** The window [height, width], or one number for both. */
  kernelSize: number | readonly [number, number];
  /** Default 1. */
  strides?: number | readonly [number, number];
  /** Default 'valid'. */
  padding?: Padding;
  /** Spacing between the kernel's taps. Default 1; Keras allows more only with strides 1. */
  dilationRate?: number | readonly [number, number];
}

/** What a layer's constructor takes: `(filters, kernelSize, config)` or one config. */
export function conv2DConfigOf(filtersOrConfig: number | Conv2DConfig, kernelSize: Conv2DConfig['kernelSize'] | undefined, config: Omit<Conv2DConfig, 'filters' | 'kernelSize'>): Conv2DConfig {
  return typeof filtersOrConfig === 'number' ? { ...config, filters: filtersOrConfig, kernelSize: kernelSize! } : filtersOrConfig;
}

/**
 * What Conv2D and Conv2DTranspose share on channels-last images: the output channels, the
 * window's size, strides, padding and dilation, checked as Keras checks them, and their config.
 */
export abstract class Convolution2D extends KernelLayer {
  readonly filters: number;
  readonly kernelSize: SpatialPair;
  readonly strides: SpatialPair;
  readonly padding: Padding;
  readonly dilationRate: SpatialPair;

  constructor(config: Conv2DConfig) {
    super(config);
    const layer = classNameOf(new.target as unknown as LayerClass);
    if (!Number.isInteger(config.filters) || config.filters <= 0) throw new Error(`${layer}: filters must be a positive integer, got ${JSON.stringify(config.filters)}`);
    this.filters = config.filters;
    this.kernelSize = spatialPair(layer, 'kernelSize', config.kernelSize);
    this.strides = spatialPair(layer, 'strides', config.strides ?? 1);
    this.padding = paddingMode(layer, config.padding ?? 'valid');
    this.dilationRate = spatialPair(layer, 'dilationRate', config.dilationRate ?? 1);
    if (this.dilationRate.some((d) => d > 1) && this.strides.some((s) => s > 1)) {
      throw new Error(`${layer}: dilationRate > 1 needs strides 1 (as in Keras), got dilationRate ${JSON.stringify(this.dilationRate)} and strides ${JSON.stringify(this.strides)}`);
    }
  }

  /** The forward convolution's window: Conv2D slides it over its input, Conv2DTranspose over its output. */
  protected get window(): WindowSettings {
    return { window: this.kernelSize, strides: this.strides, dilation: this.dilationRate, padding: this.padding };
  }

  /** The settings of the conv2d ops. */
  protected get convolution(): { strides: SpatialPair; padding: Padding; dilations: SpatialPair } {
    return { strides: this.strides, padding: this.padding, dilations: this.dilationRate };
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dilationRate: [...this.dilationRate],
    };
  }
}
