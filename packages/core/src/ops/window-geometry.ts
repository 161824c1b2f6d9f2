import type { SlidingWindow } from '../backend/backend.js';
import type { Shape } from '../types.js';
import { formatShape } from '../util/shape.js';

/** Keras's padding modes: 'valid' uses only whole windows; 'same' pads so the output is ceil(input / stride). */
export type Padding = 'valid' | 'same';

/** A setting per spatial axis: [height, width]. */
export type SpatialPair = readonly [number, number];

/** How a sliding window moves over inputs of any number of spatial axes: one entry per axis. */
export interface SpatialWindow {
  window: readonly number[];
  strides: readonly number[];
  dilation: readonly number[];
  padding: Padding;
}

/** How a sliding window (a convolution's kernel, a pooling window) moves over an image. */
export interface WindowSettings extends SpatialWindow {
  window: SpatialPair;
  strides: SpatialPair;
  dilation: SpatialPair;
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

const COUNT_WORDS: Readonly<Record<number, string>> = { 1: 'one', 2: 'two', 3: 'three' };

/**
 * `value` (a positive integer, or one per axis named in `axes`) as one number per axis;
 * otherwise an error naming `caller` (a layer or an op) and `option`.
 */
export function spatialSizes(caller: string, option: string, value: unknown, axes: readonly string[]): number[] {
  const sizes: unknown = typeof value === 'number' ? axes.map(() => value) : value;
  if (!Array.isArray(sizes) || sizes.length !== axes.length || !sizes.every((n) => Number.isInteger(n) && n > 0)) {
    throw new Error(`${caller}: ${option} must be a positive integer or ${COUNT_WORDS[axes.length]} of them [${axes.join(', ')}], got ${JSON.stringify(value)}`);
  }
  return [...sizes as number[]];
}

/** `value` (a positive integer, or two of them) as [height, width]; otherwise an error naming `caller` and `option`. */
export function spatialPair(caller: string, option: string, value: unknown): SpatialPair {
  return spatialSizes(caller, option, value, ['height', 'width']) as [number, number];
}

export function paddingMode(caller: string, value: unknown): Padding {
  if (value !== 'valid' && value !== 'same') throw new Error(`${caller}: padding must be 'valid' or 'same', got ${JSON.stringify(value)}`);
  return value;
}

/** Throws, naming the op, unless dilations above 1 come with strides 1 on every axis, as Keras requires. */
export function checkDilationsWithStrides(op: string, dilations: readonly number[], strides: readonly number[]): void {
  if (dilations.some((d) => d > 1) && strides.some((s) => s > 1)) {
    throw new Error(`${op}: dilations > 1 need strides 1 (as in Keras), got dilations ${JSON.stringify(dilations)} and strides ${JSON.stringify(strides)}`);
  }
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

/**
 * The plan along each spatial axis of inputs of `shape` [batch, ...spatial, channels] (null where
 * the size is unknown), or an error naming `caller` when 'valid' leaves no whole window.
 */
export function planAxes(caller: string, shape: readonly (number | null)[], settings: SpatialWindow): (AxisPlan | null)[] {
  const { window, strides, dilation, padding } = settings;
  const sizes = shape.slice(1, -1);
  return sizes.map((size, axis) => {
    if (size === null) return null;
    const plan = planAxis(size, window[axis]!, strides[axis]!, dilation[axis]!, padding);
    if (plan) return plan;
    const span = window.map((taps, a) => extent(taps, dilation[a]!)).join('×');
    throw new Error(
      `${caller}: with padding 'valid' the input must be at least as large as the ${span} window, got ${sizes.map((d) => d ?? 'any').join('×')} (shape ${formatShape(shape.map((d) => d ?? -1))})`,
    );
  });
}

/** The plan for images of `shape` [batch, height, width, channels], or an error naming `caller` when they are too small. */
export function planWindow(caller: string, shape: Shape, settings: WindowSettings): WindowPlan {
  checkImageShape(caller, shape);
  const [rows, cols] = planAxes(caller, shape, settings);
  return { settings, rows: rows!, cols: cols! };
}

/** The output's spatial size for images of `shape` (null: unknown), as computeOutputShape needs it. */
export function outputSpatialSize(caller: string, shape: readonly (number | null)[], settings: WindowSettings): (number | null)[] {
  if (shape.length !== 4) throw new Error(`${caller}: expected inputs of rank 4 [batch, height, width, channels], got shape ${formatShape(shape.map((d) => d ?? -1))}`);
  return planAxes(caller, shape, settings).map((plan) => plan?.output ?? null);
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
