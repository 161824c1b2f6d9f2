import * as pc from '@perceptron/core';
import type { Tensor } from '@perceptron/core';
import type { Interpreter, NodeContext } from './interpreters.js';
import { asRow, channelsFirst, channelsLast, fromRow, padSpatial, perAxis, spatialRank, windowPads, type Pads } from './window.js';

// ONNX MaxPool, AveragePool and LpPool over 1, 2 or 3 spatial axes, run on channels-last
// tensors padded first: with −∞ for the max (it never wins), with zeros for the average and the
// Lp sum. Undilated windows are core's 'valid' poolings; dilated ones (and MaxPool's Indices)
// are the window's taps, one strided slice of the padded tensor each, combined elementwise.
// Where the average's divisor is not the whole window (padding left out of the count, or the
// windows ceil_mode adds past the end), the zero-padded average is divided by the same pooling
// of a mask that is 1 where ONNX counts and 0 where it does not.

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** A node's window: its size, strides and dilations per spatial axis, the pads ONNX asks for, and those pads with ceil_mode's overhang added at the end. */
interface Window {
  kernel: number[];
  strides: number[];
  dilations: number[];
  pads: Pads;
  padded: Pads;
}

/** The window attributes of a pooling node over X [N, C, ...spatial], checked. */
function windowOf(c: NodeContext, x: Tensor): Window {
  const rank = spatialRank(c, x, 'pooling');
  const kernel = c.intList('kernel_shape') ?? c.fail('kernel_shape is required');
  if (kernel.length !== rank || kernel.some((k) => !Number.isInteger(k) || k < 1)) {
    c.fail(`kernel_shape [${kernel.join(',')}] must be ${rank} positive integers, one per spatial axis of X ${pc.formatShape(x.shape)}`);
  }
  const strides = perAxis(c, 'strides', rank, 1);
  const dilations = perAxis(c, 'dilations', rank, 1);
  const ceilMode = c.int('ceil_mode', 0);
  if (ceilMode !== 0 && ceilMode !== 1) c.fail(`ceil_mode ${ceilMode} must be 0 or 1`);
  const input = x.shape.slice(2);
  const pads = windowPads(c, input, kernel, strides, dilations);
  const overhang = input.map((size, i) => {
    if (ceilMode === 0) return 0;
    const [before, stride, extent] = [pads.before[i]!, strides[i]!, (kernel[i]! - 1) * dilations[i]! + 1];
    const span = size + before + pads.after[i]!;
    let windows = Math.ceil(Math.max(span - extent, 0) / stride) + 1;
    if ((windows - 1) * stride >= size + before) windows -= 1;
    return Math.max((windows - 1) * stride + extent - span, 0);
  });
  return { kernel, strides, dilations, pads, padded: { before: pads.before, after: pads.after.map((p, i) => p + overhang[i]!) } };
}

/** Each tap of the window over channels-last `x` [N, ...spatial, C] (already padded): x at the tap's place in every window, [N, ...output, C], taps in row-major order. */
function taps(x: Tensor, { kernel, strides, dilations }: Window): Tensor[] {
  const spatial = x.shape.slice(1, -1);
  const output = spatial.map((size, i) => Math.floor((size - (kernel[i]! - 1) * dilations[i]! - 1) / strides[i]!) + 1);
  return range(product(kernel)).map((tap) => {
    const place = kernel.map((_, i) => Math.floor(tap / product(kernel.slice(i + 1))) % kernel[i]!);
    const begin = place.map((k, i) => k * dilations[i]!);
    const end = begin.map((b, i) => b + (output[i]! - 1) * strides[i]! + 1);
    return pc.stridedSlice(x, [0, ...begin, 0], [x.shape[0]!, ...end, x.shape[x.rank - 1]!], [1, ...strides, 1]);
  });
}

/** Channels-last `x` [N, ...spatial, C] max- or average-pooled over whole windows. */
function poolValid(max: boolean, x: Tensor, window: Window): Tensor {
  const { kernel, strides, dilations } = window;
  if (dilations.some((d) => d !== 1)) {
    const all = taps(x, window);
    return max ? all.reduce((a, b) => pc.maximum(a, b)) : pc.div(pc.addN(all), all.length);
  }
  if (x.rank === 5) {
    const settings = { poolSize: kernel as [number, number, number], strides: strides as [number, number, number], padding: 'valid' as const };
    return max ? pc.maxPool3d(x, settings) : pc.avgPool3d(x, settings);
  }
  if (x.rank === 3) return fromRow(poolValid(max, asRow(x), { ...window, kernel: [1, kernel[0]!], strides: [1, strides[0]!], dilations: [1, 1] }));
  const settings = { poolSize: kernel as [number, number], strides: strides as [number, number], padding: 'valid' as const };
  return max ? pc.maxPool2d(x, settings) : pc.avgPool2d(x, settings);
}

/**
 * MaxPool's Y and Indices: the first largest tap of each window (row-major), and where it is in
 * X as ONNX flattens [N, C, ...spatial] — (n·C + c)·size + the spatial place, row-major, or with
 * storage_order 1 column-major (the first spatial axis fastest). The place is the window's origin
 * (output position · stride − pad before) plus the tap's offset (its place · dilation), each
 * weighed by the axis's stride in that order.
 */
function maxWithIndices(c: NodeContext, x: Tensor, window: Window): Tensor[] {
  const storageOrder = c.int('storage_order', 0);
  if (storageOrder !== 0 && storageOrder !== 1) c.fail(`storage_order ${storageOrder} must be 0 (row-major) or 1 (column-major)`);
  const [batch, channels] = [x.shape[0]!, x.shape[1]!];
  const input = x.shape.slice(2);
  const weights = input.map((_, i) => product(storageOrder === 0 ? input.slice(i + 1) : input.slice(0, i)));
  const stacked = pc.stack(taps(padSpatial(channelsLast(x), window.padded, -Infinity), window), -1);
  const tap = pc.argMax(stacked, -1);
  const { kernel, strides, dilations, pads } = window;
  const offsets = range(product(kernel)).map((t) => kernel.reduce((sum, _, i) => sum + (Math.floor(t / product(kernel.slice(i + 1))) % kernel[i]!) * dilations[i]! * weights[i]!, 0));
  const output = tap.shape.slice(1, -1);
  const origins = range(product(output)).map((o) => output.reduce((sum, _, i) => sum + ((Math.floor(o / product(output.slice(i + 1))) % output[i]!) * strides[i]! - pads.before[i]!) * weights[i]!, 0));
  const planes = range(batch * channels).map((p) => p * product(input));
  const index = [
    pc.tensor(origins, [1, ...output, 1], 'int32'),
    pc.transpose(pc.tensor(planes, [batch, channels, ...output.map(() => 1)], 'int32'), [0, ...range(output.length).map((i) => i + 2), 1]),
  ].reduce((sum, term) => pc.add(sum, term), pc.gather(pc.tensor(offsets, [offsets.length], 'int32'), tap));
  return [channelsFirst(pc.max(stacked, -1)), channelsFirst(index)];
}

/**
 * ONNX MaxPool and AveragePool: X [N, C, ...spatial], a window kernel_shape with dilations moved
 * by strides over X padded as pads / auto_pad say; ceil_mode 1 adds the windows that start
 * inside X or its start padding but run past the end padding, their overhang left out of the
 * count. MaxPool's second output, Indices, is computed when the node names it.
 */
export const pooling = (max: boolean): Interpreter => (c) => {
  const x = c.tensor(0);
  const window = windowOf(c, x);
  const countIncludePad = max ? 0 : c.int('count_include_pad', 0);
  if (countIncludePad !== 0 && countIncludePad !== 1) c.fail(`count_include_pad ${countIncludePad} must be 0 or 1`);
  if (max && (c.node.output ?? [])[1]) return maxWithIndices(c, x, window);
  const images = channelsLast(x);
  const { pads, padded } = window;
  if (max) return channelsFirst(poolValid(true, padSpatial(images, padded, -Infinity), window));
  const average = poolValid(false, padSpatial(images, padded, 0), window);
  const input = x.shape.slice(2);
  const counted: Pads = countIncludePad ? pads : { before: input.map(() => 0), after: input.map(() => 0) };
  const uncounted: Pads = { before: input.map((_, i) => padded.before[i]! - counted.before[i]!), after: input.map((_, i) => padded.after[i]! - counted.after[i]!) };
  if ([...uncounted.before, ...uncounted.after].every((p) => p === 0)) return channelsFirst(average);
  const mask = padSpatial(pc.ones([1, ...input.map((size, i) => size + counted.before[i]! + counted.after[i]!), 1]), uncounted, 0);
  return channelsFirst(pc.div(average, poolValid(false, mask, window)));
};

/** (Σ |x|^p)^(1/p), the sum over `sum`'s windows of |x|^p. */
const lpNorm = (x: Tensor, p: number, sum: (powers: Tensor) => Tensor): Tensor => pc.pow(sum(pc.pow(pc.abs(x), p)), 1 / p);

/** The p attribute (2 unless given) of LpPool and GlobalLpPool, a positive number. */
function pOf(c: NodeContext): number {
  const p = c.int('p', 2);
  if (!(p > 0)) c.fail(`p ${p} must be positive`);
  return p;
}

/** ONNX LpPool: the window's p-norm, the zeros of the padding (and ceil_mode's overhang) inside it. */
const lpPooling: Interpreter = (c) => {
  const x = c.tensor(0);
  const window = windowOf(c, x);
  const size = product(window.kernel);
  return lpNorm(x, pOf(c), (powers) => channelsFirst(pc.mul(poolValid(false, padSpatial(channelsLast(powers), window.padded, 0), window), size)));
};

/**
 * ONNX MaxUnpool: X's values written into zeros of output_shape (or [N, C, ...(in − 1)·stride +
 * kernel − pads]) at the flat indices I (MaxPool's Indices). Overlapping windows repeat an index
 * with the same value, so repeated writes are averaged: the sum scattered, divided by the count.
 */
const maxUnpool: Interpreter = (c) => {
  const x = c.tensor(0);
  const { kernel, strides, pads } = windowOf(c, x);
  const indices = c.tensor(1);
  if (indices.shape.join() !== x.shape.join() || indices.dtype !== 'int32') c.fail(`expected integer indices I of X's shape ${pc.formatShape(x.shape)}, got ${indices.dtype} ${pc.formatShape(indices.shape)}`);
  const shape = c.known(2) ?? [x.shape[0]!, x.shape[1]!, ...x.shape.slice(2).map((size, i) => (size - 1) * strides[i]! + kernel[i]! - pads.before[i]! - pads.after[i]!)];
  const at = pc.reshape(indices, [x.size, 1]);
  const sums = pc.scatterND(at, pc.reshape(x, [x.size]), [product(shape)]);
  const counts = pc.scatterND(at, pc.ones([x.size]), [product(shape)]);
  return pc.reshape(pc.div(sums, pc.maximum(counts, 1)), shape);
};

/** GlobalAveragePool, GlobalMaxPool and GlobalLpPool: X [N, C, ...spatial] reduced over all its spatial axes to [N, C, 1, ...]. */
const globalPooling = (reduce: (x: Tensor, axes: number[], c: NodeContext) => Tensor): Interpreter => (c) => {
  const x = c.tensor(0);
  if (x.rank < 3) c.fail(`expected X of rank 3 or more ([N, C, ...spatial]), got X ${pc.formatShape(x.shape)}`);
  return reduce(x, range(x.rank).slice(2), c);
};

/** The poolings besides MaxPool and AveragePool (which interpreters.ts maps to `pooling`), and MaxUnpool. */
export const POOLING: Readonly<Record<string, Interpreter>> = {
  GlobalAveragePool: globalPooling((x, axes) => pc.mean(x, axes, true)),
  GlobalMaxPool: globalPooling((x, axes) => pc.max(x, axes, true)),
  GlobalLpPool: globalPooling((x, axes, c) => lpNorm(x, pOf(c), (powers) => pc.sum(powers, axes, true))),
  LpPool: lpPooling,
  MaxUnpool: maxUnpool,
};
