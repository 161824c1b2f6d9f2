import type { Shape } from '../types.js';
import { formatShape } from '../util/shape.js';
import { planAxes, spatialSizes, type AxisPlan, type SpatialWindow, type WindowSettings } from './window-geometry.js';

// What the volumetric ops (conv3d.ts, pool3d.ts) and layers share: channels-last volumes
// [batch, depth, height, width, channels], one setting per spatial axis, and how a window over
// them splits into its walk along depth, which the 3-D ops take themselves, and a 2-D window over
// each depth plane, which the 2-D ops walk (with Keras's 'same' padding on every axis alike).

export const VOLUME_LAYOUT = '[batch, depth, height, width, channels]';

/** A setting per spatial axis: [depth, height, width]. */
export type SpatialTriple = readonly [number, number, number];

/** `value` (a positive integer, or three of them) as [depth, height, width]; otherwise an error naming `caller` and `option`. */
export function spatialTriple(caller: string, option: string, value: unknown): SpatialTriple {
  return spatialSizes(caller, option, value, ['depth', 'height', 'width']) as [number, number, number];
}

/** How a window (a convolution's kernel, a pooling window) moves over volumes. */
export interface VolumeWindow extends SpatialWindow {
  window: SpatialTriple;
  strides: SpatialTriple;
  dilation: SpatialTriple;
}

/** Where a window goes over volumes of a given shape. */
export interface VolumePlan {
  readonly settings: VolumeWindow;
  /** The walk along depth: the output depths, and the padding before and after. */
  readonly depth: AxisPlan;
  /** The window over each depth plane, as the 2-D ops take it. */
  readonly planes: WindowSettings;
  /** The output's [outDepth, outHeight, outWidth]. */
  readonly output: SpatialTriple;
}

/** Throws, naming `caller`, unless `shape` is a batch of volumes [batch, depth, height, width, channels]. */
export function checkVolumeShape(caller: string, shape: readonly (number | null)[]): void {
  if (shape.length !== 5) throw new Error(`${caller}: expected inputs of rank 5 ${VOLUME_LAYOUT}, got shape ${formatShape(shape.map((d) => d ?? -1))}`);
}

/** The plan for volumes of `shape`, or an error naming `caller` when they are too small for a 'valid' window. */
export function planVolume(caller: string, shape: Shape, settings: VolumeWindow): VolumePlan {
  checkVolumeShape(caller, shape);
  const [depth, rows, cols] = planAxes(caller, shape, settings) as [AxisPlan, AxisPlan, AxisPlan];
  const { window, strides, dilation, padding } = settings;
  const planes: WindowSettings = { window: [window[1], window[2]], strides: [strides[1], strides[2]], dilation: [dilation[1], dilation[2]], padding };
  return { settings, depth, planes, output: [depth.output, rows.output, cols.output] };
}

/** The output's [outDepth, outHeight, outWidth] for volumes of `shape` (null: unknown), as computeOutputShape needs it. */
export function outputVolumeSize(caller: string, shape: readonly (number | null)[], settings: VolumeWindow): (number | null)[] {
  checkVolumeShape(caller, shape);
  return planAxes(caller, shape, settings).map((plan) => plan?.output ?? null);
}
