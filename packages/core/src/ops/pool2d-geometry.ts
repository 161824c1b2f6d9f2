import type { Pool2DGeometry } from '../backend/backend.js';
import type { Shape } from '../types.js';
import { checkSettingNames } from './image-operands.js';
import { explicitPaddingOf, paddingMode, planWindow, slidingWindowOf, spatialPair, type Padding, type SpatialPair, type WindowPlan } from './window-geometry.js';

/** How a pooling window moves over the image, as Keras's MaxPooling2D and AveragePooling2D take it. */
export interface Pool2DSettings {
  /** The window, [height, width] or one number for both. Default 2. */
  poolSize?: number | readonly [number, number];
  /** Steps between windows, [height, width] or one number. Default: the pool size, so the windows tile the image. */
  strides?: number | readonly [number, number];
  /** 'valid' uses whole windows only; 'same' pads so the output is ceil(input / stride). Default 'valid'. */
  padding?: Padding;
}

/** The settings checked and spelt out per axis. */
export interface ResolvedPool2DSettings {
  readonly poolSize: SpatialPair;
  readonly strides: SpatialPair;
  readonly padding: Padding;
}

/** A pooling of images of a given shape: where its windows go (for the composite) and the numbers its kernels get. */
export interface Pool2DPlan {
  readonly settings: ResolvedPool2DSettings;
  readonly window: WindowPlan;
  readonly geometry: Pool2DGeometry;
}

const SETTING_NAMES = ['poolSize', 'strides', 'padding'];

/** `settings` checked, with Keras's defaults, or an error naming `op` and what is wrong. */
export function resolvePool2DSettings(op: string, settings: Pool2DSettings): ResolvedPool2DSettings {
  checkSettingNames(op, settings, SETTING_NAMES);
  const poolSize = spatialPair(op, 'poolSize', settings.poolSize ?? 2);
  return { poolSize, strides: spatialPair(op, 'strides', settings.strides ?? poolSize), padding: paddingMode(op, settings.padding ?? 'valid') };
}

/**
 * The pooling of images of `inputShape`: the window plan, with Keras's 'same' padding (the odd
 * one after), and the geometry a backend kernel receives. An error names `op` when 'valid'
 * leaves no whole window.
 */
export function planPool2D(op: string, inputShape: Shape, settings: ResolvedPool2DSettings): Pool2DPlan {
  const window = planWindow(op, inputShape, { window: settings.poolSize, strides: settings.strides, dilation: [1, 1], padding: settings.padding });
  const [windowHeight, windowWidth] = settings.poolSize;
  const geometry: Pool2DGeometry = { ...slidingWindowOf(inputShape[0]!, window), channels: inputShape[3]!, windowHeight, windowWidth };
  return { settings, window, geometry };
}

/** The output shape of a planned pooling. */
export function pooledShapeOf({ geometry: g }: Pool2DPlan): Shape {
  return [g.batch, g.outHeight, g.outWidth, g.channels];
}

/** What tracers and exporters see of a pooling: its settings and the explicit padding they resolve to. */
export function pool2dAttrs({ settings, geometry }: Pool2DPlan): Record<string, unknown> {
  return { poolSize: [...settings.poolSize], strides: [...settings.strides], padding: settings.padding, explicitPadding: explicitPaddingOf(geometry) };
}

/** The settings in words, for errors. */
export function describePool2DSettings(settings: ResolvedPool2DSettings): string {
  return `poolSize ${JSON.stringify(settings.poolSize)}, strides ${JSON.stringify(settings.strides)}, padding '${settings.padding}'`;
}
