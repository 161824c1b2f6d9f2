import { paddingMode, type Padding } from '../ops/window-geometry.js';
import { KernelLayer, type KernelLayerConfig } from './kernel-layer.js';
import type { ConfigDict } from './layer.js';
import type { SizesArgument } from './pooling.js';
import { classNameOf, type LayerClass } from './registry.js';
import type { OptionList, OwnOptions } from './layer-options.js';

/** A convolution's window as the layers of every rank take it: one size per spatial axis, or one number for all. */
export interface ConvolutionWindowConfig extends KernelLayerConfig {
  /** The window's taps along each spatial axis (height, width for 2-D), or one number for all; Keras's kernel_size. */
  kernelSize: number | readonly number[];
  /** Default 1. */
  strides?: number | readonly number[];
  /** Default 'valid'. */
  padding?: Padding;
  /** Spacing between the kernel's taps. Default 1; Keras allows more only with strides 1. */
  dilationRate?: number | readonly number[];
}

/** What a convolution layer's constructor takes: `(filters, kernelSize, config)` or one config. */
export function convolutionConfigOf<C extends { filters: number; kernelSize: unknown }>(filtersOrConfig: number | C, kernelSize: C['kernelSize'] | undefined, config: Omit<C, 'filters' | 'kernelSize'>): C {
  return typeof filtersOrConfig === 'number' ? ({ ...config, filters: filtersOrConfig, kernelSize: kernelSize! } as C) : filtersOrConfig;
}

/**
 * What the 2-D and 3-D convolution layers share on channels-last inputs: the window's size,
 * strides, padding and dilation, one entry per spatial axis as `sizesArgument` checks them,
 * the rule Keras adds (dilation only with strides 1), and their config.
 */
export abstract class ConvolutionWindow extends KernelLayer {
  static override readonly options: OptionList = { kernelSize: true, strides: true, padding: true, dilationRate: true } satisfies OwnOptions<ConvolutionWindowConfig, KernelLayerConfig>;
  readonly kernelSize: readonly number[];
  readonly strides: readonly number[];
  readonly padding: Padding;
  readonly dilationRate: readonly number[];

  protected constructor(config: ConvolutionWindowConfig, sizesArgument: SizesArgument) {
    super(config);
    const layer = classNameOf(new.target as unknown as LayerClass);
    this.kernelSize = sizesArgument(layer, 'kernelSize', config.kernelSize);
    this.strides = sizesArgument(layer, 'strides', config.strides ?? 1);
    this.padding = paddingMode(layer, config.padding ?? 'valid');
    this.dilationRate = sizesArgument(layer, 'dilationRate', config.dilationRate ?? 1);
    if (this.dilationRate.some((d) => d > 1) && this.strides.some((s) => s > 1)) {
      throw new Error(`${layer}: dilationRate > 1 needs strides 1 (as in Keras), got dilationRate ${JSON.stringify(this.dilationRate)} and strides ${JSON.stringify(this.strides)}`);
    }
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dilationRate: [...this.dilationRate],
    };
  }
}
