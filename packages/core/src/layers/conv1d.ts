import type { Conv2DSettings } from '../ops/conv2d-geometry.js';
import { groupedConv2d } from '../ops/grouped-conv2d.js';
import { pad } from '../ops/pad.js';
import { reshape } from '../ops/reshape.js';
import type { WindowSettings } from '../ops/window-geometry.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { numberArgument, POSITIVE_INTEGER } from '../util/arguments.js';
import { channelsPerGroup, groupsArgument } from './convolution-groups.js';
import { KernelLayer, type KernelLayerConfig } from './kernel-layer.js';
import type { ConfigDict } from './layer.js';
import { classNameOf, registerClass, type LayerClass } from './registry.js';
import { outputSteps, rowWindow, throughRowImage } from './sequence-as-image.js';
import type { SymbolicShape } from './symbolic-shape.js';
import { requireKnownLastDimension } from './known-last-dimension.js';
import type { OptionList, OwnOptions } from './layer-options.js';

/** Keras's 1-D padding modes: 'causal' pads the start only, so step t sees steps ≤ t alone. */
export type Padding1D = 'valid' | 'same' | 'causal';

export const PADDINGS_1D: readonly Padding1D[] = ['valid', 'same', 'causal'];

/** The window of a 1-D convolution: its taps and how it moves along the steps. */
export interface Window1DConfig extends KernelLayerConfig {
  /** Taps of the kernel along the steps. */
  kernelSize: number;
  /** Default 1. */
  strides?: number;
  /** Default 'valid'. */
  padding?: Padding1D;
  /** Spacing between the kernel's taps. Default 1; Keras allows more only with strides 1. */
  dilationRate?: number;
}

export interface Conv1DConfig extends Window1DConfig {
  /** Output channels. */
  filters: number;
  /** Conv1D only: groups of the input channels convolved apart, as Conv2D's. Default 1. */
  groups?: number;
}

/** What a 1-D convolution's constructor takes: `(filters, kernelSize, config)` or one config. */
export function conv1DConfigOf<C extends Omit<Conv1DConfig, 'padding' | 'groups'>>(filtersOrConfig: number | C, kernelSize: number | undefined, config: Omit<C, 'filters' | 'kernelSize'>): C {
  return typeof filtersOrConfig === 'number' ? ({ ...config, filters: filtersOrConfig, kernelSize: kernelSize! } as C) : filtersOrConfig;
}

/**
 * What the 1-D convolutions share on sequences [batch, steps, channels]: the window's size,
 * strides, padding (one of `paddings`, the first the default) and dilation, checked as Keras
 * checks them, and their config; and, for the forward convolutions, the run of a 2-D
 * convolution op over the sequences seen as one-row images, 'causal' padding included.
 */
export abstract class Window1D<P extends string> extends KernelLayer {
  static override readonly options: OptionList = { kernelSize: true, strides: true, padding: true, dilationRate: true } satisfies OwnOptions<Window1DConfig, KernelLayerConfig>;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: P;
  readonly dilationRate: number;

  constructor(config: Omit<Window1DConfig, 'padding'> & { padding?: P }, paddings: readonly P[]) {
    super(config);
    const layer = classNameOf(new.target as unknown as LayerClass);
    this.kernelSize = numberArgument(layer, 'kernelSize', config.kernelSize, POSITIVE_INTEGER);
    this.strides = numberArgument(layer, 'strides', config.strides ?? 1, POSITIVE_INTEGER);
    this.dilationRate = numberArgument(layer, 'dilationRate', config.dilationRate ?? 1, POSITIVE_INTEGER);
    const padding = config.padding ?? paddings[0]!;
    if (!paddings.includes(padding)) throw new Error(`${layer}: padding must be one of ${paddings.map((p) => `'${p}'`).join(', ')}, got ${JSON.stringify(padding)}`);
    this.padding = padding;
    if (this.dilationRate > 1 && this.strides > 1) {
      throw new Error(`${layer}: dilationRate > 1 needs strides 1 (as in Keras), got dilationRate ${this.dilationRate} and strides ${this.strides}`);
    }
  }

  /** The zeros 'causal' puts before the first step: the dilated kernel's reach into the past. */
  get #causalPadding(): number {
    return this.padding === 'causal' ? (this.kernelSize - 1) * this.dilationRate : 0;
  }

  /** The convolution of one-row images, steps along the width. */
  get #window(): WindowSettings {
    return rowWindow(this.kernelSize, this.strides, this.padding === 'same' ? 'same' : 'valid', this.dilationRate);
  }

  /** Output steps for `steps` input steps (null: unknown); an error naming the layer when 'valid' leaves no whole window. */
  protected outputStepsOf(shape: SymbolicShape): number | null {
    return outputSteps(this.label, shape, this.#window, 'the dilated kernel', this.#causalPadding);
  }

  /** `convolve` (a 2-D convolution op, given the window's settings) run over `inputs` as one-row images, after the 'causal' zeros. */
  protected convolveSteps(inputs: Tensor, convolve: (image: Tensor, settings: Conv2DSettings) => Tensor): Tensor {
    this.outputStepsOf(inputs.shape);
    const { strides, dilation, padding } = this.#window;
    return throughRowImage(inputs, (rows) => {
      const image = this.#causalPadding > 0 ? pad(rows, [[0, 0], [0, 0], [this.#causalPadding, 0], [0, 0]]) : rows;
      return convolve(image, { strides, padding, dilations: dilation });
    });
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
    };
  }
}

/** A 1-D convolution to `filters` output channels (Conv1D, Conv1DTranspose, SeparableConv1D). */
export abstract class Convolution1D<P extends string> extends Window1D<P> {
  static override readonly options: OptionList = { filters: true } satisfies OwnOptions<Omit<Conv1DConfig, 'groups'>, Window1DConfig>;
  readonly filters: number;

  constructor(config: Omit<Conv1DConfig, 'padding' | 'groups'> & { padding?: P }, paddings: readonly P[]) {
    super(config, paddings);
    this.filters = numberArgument(classNameOf(new.target as unknown as LayerClass), 'filters', config.filters, POSITIVE_INTEGER);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), filters: this.filters };
  }
}

/**
 * Keras's Conv1D on sequences [batch, steps, channels]: each output step is
 * activation(window · kernel + bias), the kernel [kernelSize, channels / groups, filters].
 * `new Conv1D(16, 3, {padding: 'causal'})` or `new Conv1D({filters: 16, kernelSize: 3})`.
 *
 * Computed as the conv2d op (one per group) on the sequence seen as an image one row high, so
 * every backend's convolution kernel, its gradients and the ONNX export serve it unchanged;
 * 'causal' pads (kernelSize − 1)·dilationRate zeros before the first step, then convolves 'valid'.
 */
export class Conv1D extends Convolution1D<Padding1D> {
  static override readonly className = 'Conv1D';
  static override readonly options: OptionList = { groups: true } satisfies OwnOptions<Conv1DConfig, Omit<Conv1DConfig, 'groups'>>;
  readonly groups: number;

  constructor(filtersOrConfig: number | Conv1DConfig, kernelSize?: number, config: Omit<Conv1DConfig, 'filters' | 'kernelSize'> = {}) {
    const full = conv1DConfigOf(filtersOrConfig, kernelSize, config);
    super(full, PADDINGS_1D);
    this.groups = groupsArgument('Conv1D', this.filters, full.groups);
  }

  override build(inputShape: Shape): void {
    this.outputStepsOf(inputShape);
    this.addKernelAndBias([this.kernelSize, channelsPerGroup(this.label, inputShape[2]!, this.groups), this.filters]);
  }

  override call(inputs: Tensor): Tensor {
    const kernel = reshape(this.kernel!, [1, ...this.kernel!.shape]);
    return this.activated((activation) => this.convolveSteps(inputs, (image, settings) => groupedConv2d(image, kernel, this.groups, { ...settings, bias: this.bias, activation })));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    requireKnownLastDimension(this.label, inputShape);
    return [inputShape[0] ?? null, this.outputStepsOf(inputShape), this.filters];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), groups: this.groups };
  }
}
registerClass(Conv1D as LayerClass);
