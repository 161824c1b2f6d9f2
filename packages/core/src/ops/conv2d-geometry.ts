import type { Conv2DGeometry } from '../backend/backend.js';
import type { Shape } from '../types.js';
import { checkSettingNames } from './image-operands.js';
import { checkDilationsWithStrides, explicitPaddingOf, paddingMode, planWindow, slidingWindowOf, spatialPair, type Padding, type SpatialPair, type WindowPlan } from './window-geometry.js';

/** How a convolution's filter moves over the image, as tf.conv2d and Keras's Conv2D take it. */
export interface Conv2DSettings {
  /** Steps between windows, [height, width] or one number for both. Default 1. */
  strides?: number | readonly [number, number];
  /** 'valid' uses whole windows only; 'same' pads so the output is ceil(input / stride). Default 'valid'. */
  padding?: Padding;
  /** Spacing between the filter's taps, [height, width] or one number. Default 1; above 1 only with strides 1. */
  dilations?: number | readonly [number, number];
}

/** The settings checked and spelt out per axis. */
export interface ResolvedConv2DSettings {
  readonly strides: SpatialPair;
  readonly padding: Padding;
  readonly dilations: SpatialPair;
}

/** A convolution of given shapes: where its windows go (for the composite) and the numbers its kernels get. */
export interface Conv2DPlan {
  readonly settings: ResolvedConv2DSettings;
  readonly window: WindowPlan;
  readonly geometry: Conv2DGeometry;
}

const SETTING_NAMES = ['strides', 'padding', 'dilations'];

/** `settings` checked, with defaults, or an error naming `op` and what is wrong. */
export function resolveConv2DSettings(op: string, settings: Conv2DSettings): ResolvedConv2DSettings {
  checkSettingNames(op, settings, SETTING_NAMES);
  const strides = spatialPair(op, 'strides', settings.strides ?? 1);
  const dilations = spatialPair(op, 'dilations', settings.dilations ?? 1);
  const padding = paddingMode(op, settings.padding ?? 'valid');
  checkDilationsWithStrides(op, dilations, strides);
  return { strides, padding, dilations };
}

/**
 * The convolution of images of `inputShape` by a filter of `filterShape` (their channels already
 * checked to agree) into `outChannels` channels: the window plan, with Keras's 'same' padding
 * (the odd one after), and the geometry a backend kernel receives. An error names `op` when
 * 'valid' leaves no whole window.
 */
export function planConv2D(op: string, inputShape: Shape, filterShape: Shape, outChannels: number, settings: ResolvedConv2DSettings): Conv2DPlan {
  const [filterHeight, filterWidth] = filterShape as [number, number];
  const window = planWindow(op, inputShape, { window: [filterHeight, filterWidth], strides: settings.strides, dilation: settings.dilations, padding: settings.padding });
  const geometry: Conv2DGeometry = {
    ...slidingWindowOf(inputShape[0]!, window), inChannels: inputShape[3]!, outChannels,
    filterHeight, filterWidth, dilationHeight: settings.dilations[0], dilationWidth: settings.dilations[1],
  };
  return { settings, window, geometry };
}

/** The output shape of a planned convolution. */
export function outputShapeOf({ geometry: g }: Conv2DPlan): Shape {
  return [g.batch, g.outHeight, g.outWidth, g.outChannels];
}

/** What tracers and exporters see of a convolution: its settings and the explicit padding they resolve to. */
export function conv2dAttrs({ settings, geometry }: Conv2DPlan): Record<string, unknown> {
  return { strides: [...settings.strides], padding: settings.padding, dilations: [...settings.dilations], explicitPadding: explicitPaddingOf(geometry) };
}

/** The settings in words, for errors. */
export function describeSettings(settings: ResolvedConv2DSettings): string {
  return `strides ${JSON.stringify(settings.strides)}, padding '${settings.padding}', dilations ${JSON.stringify(settings.dilations)}`;
}
