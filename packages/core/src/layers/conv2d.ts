import { add } from '../ops/arithmetic.js';
import { conv2d } from '../ops/conv2d.js';
import { checkImageShape, outputSpatialSize, paddingMode, spatialPair, type Padding, type SpatialPair, type WindowSettings } from '../ops/window-geometry.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { getActivation } from './activations.js';
import { KernelLayer, type KernelLayerConfig } from './kernel-layer.js';
import type { ConfigDict } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';

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

/**
 * Keras's Conv2D on channels-last images [batch, height, width, channels]: each output pixel is
 * activation(window · kernel + bias), the kernel [kernelHeight, kernelWidth, channels, filters].
 * `new Conv2D(32, 3, {padding: 'same'})` or `new Conv2D({filters: 32, kernelSize: 3})`.
 *
 * Computed by the conv2d op (a backend's convolution kernel, or im2col and a matrix product),
 * then the bias and the activation.
 */
export class Conv2D extends KernelLayer {
  static override readonly className = 'Conv2D';
  readonly filters: number;
  readonly kernelSize: SpatialPair;
  readonly strides: SpatialPair;
  readonly padding: Padding;
  readonly dilationRate: SpatialPair;

  constructor(filtersOrConfig: number | Conv2DConfig, kernelSize?: Conv2DConfig['kernelSize'], config: Omit<Conv2DConfig, 'filters' | 'kernelSize'> = {}) {
    const full: Conv2DConfig = typeof filtersOrConfig === 'number' ? { ...config, filters: filtersOrConfig, kernelSize: kernelSize! } : filtersOrConfig;
    super(full);
    if (!Number.isInteger(full.filters) || full.filters <= 0) throw new Error(`Conv2D: filters must be a positive integer, got ${JSON.stringify(full.filters)}`);
    this.filters = full.filters;
    this.kernelSize = spatialPair('Conv2D', 'kernelSize', full.kernelSize);
    this.strides = spatialPair('Conv2D', 'strides', full.strides ?? 1);
    this.padding = paddingMode('Conv2D', full.padding ?? 'valid');
    this.dilationRate = spatialPair('Conv2D', 'dilationRate', full.dilationRate ?? 1);
    if (this.dilationRate.some((d) => d > 1) && this.strides.some((s) => s > 1)) {
      throw new Error(`Conv2D: dilationRate > 1 needs strides 1 (as in Keras), got dilationRate ${JSON.stringify(this.dilationRate)} and strides ${JSON.stringify(this.strides)}`);
    }
  }

  get #window(): WindowSettings {
    return { window: this.kernelSize, strides: this.strides, dilation: this.dilationRate, padding: this.padding };
  }

  override build(inputShape: Shape): void {
    checkImageShape(this.label, inputShape);
    const kernelShape = [...this.kernelSize, inputShape[3]!, this.filters];
    this.addKernelAndBias(kernelShape);
  }

  override call(inputs: Tensor): Tensor {
    // Checked here first so that a wrong rank or too small an image names the layer, not the op.
    outputSpatialSize(this.label, inputs.shape, this.#window);
    const z = conv2d(inputs, this.kernel!, { strides: this.strides, padding: this.padding, dilations: this.dilationRate });
    return getActivation(this.activation)(this.bias ? add(z, this.bias) : z);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, ...outputSpatialSize(this.label, inputShape, this.#window), this.filters];
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
registerClass(Conv2D as LayerClass);
