import type { SlidingWindow } from '../backend/backend.js';
import type { Shape } from '../types.js';
import { formatShape } from '../util/shape.js';

/** Keras's padding modes: 'valid' uses only whole windows; 'same' pads so the output is ceil(input / stride). */
export type Padding = 'valid' | 'same';

/** A setting per spatial axis: [height, width]. */
export type SpatialPair = readonly [number, number];

/** How a sliding window (a convolution's kernel, a pooling window) moves over an image. */
export interface WindowSettings {
  window: SpatialPair;
  strides: SpatialPair;
  dilation: SpatialPair;
  padding: Padding;
}

/** Where the window goes along one spatial axis. */
export interface AxisPlan {
  input: number;
  output: number;
  /** Zeros (or the pooling's neutral value) added before and after the input. */
  before: number;
  after: number;
}

/** Where the window goes over an image [batch, height, width, channels]. */
export interface WindowPlan {
  settings: WindowSettings;
  rows: AxisPlan;
  cols: AxisPlan;
}

/** `value` (a positive integer, or two of them) as [height, width]; otherwise an error naming `caller` (a layer or an op) and `option`. */
export function spatialPair(caller: string, option: string, value: unknown): SpatialPair {
  const pair = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((n) => Number.isInteger(n) && n > 0)) {
    throw new Error(`${caller}: ${option} must be a positive integer or two of them [height, width], got ${JSON.stringify(value)}`);
  }
  return [pair[0] as number, pair[1] as number];
}

export function paddingMode(caller: string, value: unknown): Padding {
  if (value !== 'valid' && value !== 'same') throw new Error(`${caller}: padding must be 'valid' or 'same', got ${JSON.stringify(value)}`);
  return value;
}

/** Throws unless `shape` is an image batch [batch, height, width, channels] (channels last). */
export function checkImageShape(caller: string, shape: Shape): void {
  if (shape.length !== 4) throw new Error(`${caller}: expected inputs of rank 4 [batch, height, width, channels], got shape ${formatShape(shape)}`);
}

/** The window's extent along an axis once dilated: k taps spaced `dilation` apart. */
function extent(window: number, dilation: number): number {
  return (window - 1) * dilation + 1;
}

/**
 * Keras's output length and padding along one axis: 'valid' fits whole windows only,
 * floor((input − extent) / stride) + 1; 'same' gives ceil(input / stride) and pads what the last
 * window lacks, half before and the extra one after (bottom / right), as TensorFlow does.
 * Null when 'valid' leaves no whole window.
 */
function planAxis(input: number, window: number, stride: number, dilation: number, padding: Padding): AxisPlan | null {
  const span = extent(window, dilation);
  if (padding === 'valid') return input < span ? null : { input, output: Math.floor((input - span) / stride) + 1, before: 0, after: 0 };
  const output = Math.ceil(input / stride);
  const total = Math.max((output - 1) * stride + span - input, 0);
  return { input, output, before: Math.floor(total / 2), after: total - Math.floor(total / 2) };
}

/** The plan for images of `shape` [batch, height, width, channels], or an error naming `caller` when they are too small. */
export function planWindow(caller: string, shape: Shape, settings: WindowSettings): WindowPlan {
  checkImageShape(caller, shape);
  const [rows, cols] = [0, 1].map((axis) => planAxisOf(caller, shape, settings, axis));
  return { settings, rows: rows!, cols: cols! };
}

/** The output's spatial size for images of `shape` (null: unknown), as computeOutputShape needs it. */
export function outputSpatialSize(caller: string, shape: readonly (number | null)[], settings: WindowSettings): (number | null)[] {
  if (shape.length !== 4) throw new Error(`${caller}: expected inputs of rank 4 [batch, height, width, channels], got shape ${formatShape(shape.map((d) => d ?? -1))}`);
  return [0, 1].map((axis) => (shape[axis + 1] === null ? null : planAxisOf(caller, shape, settings, axis).output));
}

function planAxisOf(caller: string, shape: readonly (number | null)[], settings: WindowSettings, axis: number): AxisPlan {
  const { window, strides, dilation, padding } = settings;
  const plan = planAxis(shape[axis + 1]!, window[axis]!, strides[axis]!, dilation[axis]!, padding);
  if (plan) return plan;
  const span = [0, 1].map((a) => extent(window[a]!, dilation[a]!)).join('×');
  throw new Error(
    `${caller}: with padding 'valid' the input must be at least as large as the ${span} window, got ${shape[1] ?? 'any'}×${shape[2] ?? 'any'} (shape ${formatShape(shape.map((d) => d ?? -1))})`,
  );
}

/** The paddings `pad` takes for the plan, or null when it adds none. */
export function imagePaddings(plan: WindowPlan): [number, number][] | null {
  const { rows, cols } = plan;
  if (rows.before + rows.after + cols.before + cols.after === 0) return null;
  return [[0, 0], [rows.before, rows.after], [cols.before, cols.after], [0, 0]];
}

/** Where the plan's windows go over a batch of `batch` images, as a backend kernel receives it. */
export function slidingWindowOf(batch: number, { settings, rows, cols }: WindowPlan): SlidingWindow {
  return {
    batch, inHeight: rows.input, inWidth: cols.input, outHeight: rows.output, outWidth: cols.output,
    strideHeight: settings.strides[0], strideWidth: settings.strides[1],
    padTop: rows.before, padBottom: rows.after, padLeft: cols.before, padRight: cols.after,
  };
}

/** The padding a window op resolved, [[top, bottom], [left, right]], as its attrs show it to tracers and exporters. */
export function explicitPaddingOf(g: SlidingWindow): [[number, number], [number, number]] {
  return [[g.padTop, g.padBottom], [g.padLeft, g.padRight]];
}
