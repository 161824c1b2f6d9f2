// Conv1D and the 1D poolings run on the 2D ops (conv2d, maxPool2d, avgPool2d), seeing a sequence
// [batch, steps, channels] as an image one row high, [batch, 1, steps, channels]: every
// backend's kernels, their gradients and the ONNX export then serve the 1D layers unchanged.

import { reshape } from '../ops/reshape.js';
import { outputSpatialSize, type Padding, type WindowSettings } from '../ops/window-geometry.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { checkSpatialInput } from './spatial-arguments.js';
import type { SymbolicShape } from './symbolic-shape.js';

/** A window of `size` taps sliding along the steps: over the width of a one-row image. */
export function rowWindow(size: number, stride: number, padding: Padding, dilation = 1): WindowSettings {
  return { window: [1, size], strides: [1, stride], dilation: [1, dilation], padding };
}

/**
 * Output steps of `window` over sequences of `shape` [batch, steps, channels] (null: unknown),
 * after `stepsBefore` padded steps at the start. Errors name `label` for a wrong rank, and when
 * 'valid' leaves no whole window, what spans it (`spannedBy`, e.g. "the dilated kernel").
 */
export function outputSteps(label: string, shape: SymbolicShape, window: WindowSettings, spannedBy: string, stepsBefore = 0): number | null {
  checkSpatialInput(label, shape, 1);
  const steps = shape[1];
  if (steps === null || steps === undefined) return null;
  const span = (window.window[1] - 1) * window.dilation[1] + 1;
  if (window.padding === 'valid' && steps + stepsBefore < span) {
    throw new Error(`${label}: with padding 'valid' the input needs at least ${span} steps (${spannedBy}'s span), got ${steps} (shape ${formatShape(shape.map((d) => d ?? -1))})`);
  }
  return outputSpatialSize(label, [shape[0] ?? null, 1, steps + stepsBefore, shape[2] ?? null], window)[1]!;
}

/** `compute` (a 2D op) applied to `sequences` seen as one-row images; its one-row output read back as sequences. */
export function throughRowImage(sequences: Tensor, compute: (image: Tensor) => Tensor): Tensor {
  const [batch, steps, channels] = sequences.shape as [number, number, number];
  const output = compute(reshape(sequences, [batch, 1, steps, channels]));
  const [, , stepsOut, channelsOut] = output.shape as [number, number, number, number];
  return reshape(output, [batch, stepsOut, channelsOut]);
}
