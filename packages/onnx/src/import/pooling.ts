import * as pc from '@perceptron/core';
import type { Tensor } from '@perceptron/core';
import type { Interpreter } from './interpreters.js';
import { asRow, channelsFirst, channelsLast, fromRow, padSpatial, perAxis, spatialRank, windowPads, type Pads } from './window.js';

// ONNX MaxPool and AveragePool over 1, 2 or 3 spatial axes, run as core's 'valid' poolings on
// channels-last tensors padded first: with −∞ for the max (it never wins), with zeros for the
// average. Where the average's divisor is not the whole window (padding left out of the count,
// or the windows ceil_mode adds past the end), the zero-padded average is divided by the same
// pooling of a mask that is 1 where ONNX counts and 0 where it does not.

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Channels-last `x` [N, ...spatial, C] max- or average-pooled over whole windows. */
function poolValid(max: boolean, x: Tensor, poolSize: readonly number[], strides: readonly number[]): Tensor {
  if (x.rank === 5) {
    const settings = { poolSize: poolSize as [number, number, number], strides: strides as [number, number, number], padding: 'valid' as const };
    return max ? pc.maxPool3d(x, settings) : pc.avgPool3d(x, settings);
  }
  if (x.rank === 3) return fromRow(poolValid(max, asRow(x), [1, poolSize[0]!], [1, strides[0]!]));
  const settings = { poolSize: poolSize as [number, number], strides: strides as [number, number], padding: 'valid' as const };
  return max ? pc.maxPool2d(x, settings) : pc.avgPool2d(x, settings);
}

/**
 * ONNX MaxPool and AveragePool: X [N, C, ...spatial], a window kernel_shape moved by strides
 * over X padded as pads / auto_pad say; ceil_mode 1 adds the windows that start inside X or its
 * start padding but run past the end padding, their overhang left out of the count.
 */
export const pooling = (max: boolean): Interpreter => (c) => {
  const x = c.tensor(0);
  const rank = spatialRank(c, x, 'pooling');
  const kernel = c.intList('kernel_shape') ?? c.fail('kernel_shape is required');
  if (kernel.length !== rank || kernel.some((k) => !Number.isInteger(k) || k < 1)) {
    c.fail(`kernel_shape [${kernel.join(',')}] must be ${rank} positive integers, one per spatial axis of X ${pc.formatShape(x.shape)}`);
  }
  const strides = perAxis(c, 'strides', rank, 1);
  const dilations = perAxis(c, 'dilations', rank, 1);
  if (dilations.some((d) => d !== 1)) c.fail(`dilations [${dilations.join(',')}] are not supported; only 1 on every axis`);
  if ((c.node.output ?? []).filter((name) => name !== '').length > 1) c.fail('the Indices output is not supported');
  const ceilMode = c.int('ceil_mode', 0);
  if (ceilMode !== 0 && ceilMode !== 1) c.fail(`ceil_mode ${ceilMode} must be 0 or 1`);
  const countIncludePad = max ? 0 : c.int('count_include_pad', 0);
  if (countIncludePad !== 0 && countIncludePad !== 1) c.fail(`count_include_pad ${countIncludePad} must be 0 or 1`);
  const input = x.shape.slice(2);
  const pads = windowPads(c, input, kernel, strides, dilations);
  const overhang = input.map((size, i) => {
    if (ceilMode === 0) return 0;
    const [before, stride] = [pads.before[i]!, strides[i]!];
    const span = size + before + pads.after[i]!;
    let windows = Math.ceil(Math.max(span - kernel[i]!, 0) / stride) + 1;
    if ((windows - 1) * stride >= size + before) windows -= 1;
    return Math.max((windows - 1) * stride + kernel[i]! - span, 0);
  });
  const padded: Pads = { before: pads.before, after: pads.after.map((p, i) => p + overhang[i]!) };
  const images = channelsLast(x);
  if (max) return channelsFirst(poolValid(true, padSpatial(images, padded, -Infinity), kernel, strides));
  const average = poolValid(false, padSpatial(images, padded, 0), kernel, strides);
  const counted: Pads = countIncludePad ? pads : { before: input.map(() => 0), after: input.map(() => 0) };
  const uncounted: Pads = { before: range(rank).map((i) => padded.before[i]! - counted.before[i]!), after: range(rank).map((i) => padded.after[i]! - counted.after[i]!) };
  if ([...uncounted.before, ...uncounted.after].every((p) => p === 0)) return channelsFirst(average);
  const mask = padSpatial(pc.ones([1, ...input.map((size, i) => size + counted.before[i]! + counted.after[i]!), 1]), uncounted, 0);
  return channelsFirst(pc.div(average, poolValid(false, mask, kernel, strides)));
};

/** GlobalAveragePool and GlobalMaxPool: X [N, C, ...spatial] reduced over all its spatial axes to [N, C, 1, ...]. */
const globalPooling = (reduce: (x: Tensor, axes: number[]) => Tensor): Interpreter => (c) => {
  const x = c.tensor(0);
  if (x.rank < 3) c.fail(`expected X of rank 3 or more ([N, C, ...spatial]), got X ${pc.formatShape(x.shape)}`);
  return reduce(x, range(x.rank).slice(2));
};

export const GLOBAL_POOLING: Readonly<Record<string, Interpreter>> = {
  GlobalAveragePool: globalPooling((x, axes) => pc.mean(x, axes, true)),
  GlobalMaxPool: globalPooling((x, axes) => pc.max(x, axes, true)),
};
