import * as pc from '@perceptron/core';
import type { Tensor } from '@perceptron/core';
import type { Interpreter, NodeContext } from './interpreters.js';
import { asRow, channelsFirst, channelsLast, fromRow, padSpatial, perAxis, spatialRank, windowPads, type Pads } from './window.js';

// ONNX Conv and ConvTranspose over 1, 2 or 3 spatial axes, run as core's channels-last
// convolutions: the pads become an explicit pad (Conv) or a crop (ConvTranspose) around a 'valid'
// convolution, so every auto_pad mode and asymmetric pads take the same path. A 1-D convolution
// is a 2-D one over images one row high; a 3-D one is groupedConv3d / conv3dTranspose.

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** W [M, C / group, ...kernel] (Conv) or [C, M / group, ...kernel] (ConvTranspose) as the filter [...kernel, W's dim 1, W's dim 0]. */
const filterOf = (w: Tensor): Tensor => pc.transpose(w, [...range(2, w.rank), 1, 0]);

/** W's spatial sizes, which kernel_shape (when given) must repeat. */
function kernelOf(c: NodeContext, x: Tensor, w: Tensor): number[] {
  if (w.rank !== x.rank) c.fail(`expected W of X's rank ${x.rank}, got X ${pc.formatShape(x.shape)} and W ${pc.formatShape(w.shape)}`);
  const kernel = w.shape.slice(2);
  const given = c.intList('kernel_shape');
  if (given && given.join() !== kernel.join()) c.fail(`kernel_shape [${given.join(',')}] does not match W ${pc.formatShape(w.shape)}, whose kernel is [${kernel.join(',')}]`);
  return kernel;
}

/**
 * Channels-last `images` [N, H, W, C] convolved by `filter` [kh, kw, C / group, M] in `group`
 * groups of channels, plus the bias; one channel per group is depthwise.
 */
function convolveGroups(images: Tensor, filter: Tensor, group: number, settings: pc.FusedConv2DSettings): Tensor {
  const [height, width, groupChannels, outChannels] = filter.shape as [number, number, number, number];
  if (group > 1 && groupChannels === 1) return pc.fusedDepthwiseConv2d(images, pc.reshape(filter, [height, width, group, outChannels / group]), settings);
  return pc.groupedConv2d(images, filter, group, settings);
}

/**
 * ONNX Conv: X [N, C, ...spatial] by W [M, C / group, ...kernel], plus B [M]. With one input
 * channel per group over images it is depthwiseConv2d; other groups convolve their share of the
 * channels apart, joined along the channels.
 */
export const convolution: Interpreter = (c) => {
  const [x, w] = [c.tensor(0), c.tensor(1)];
  const rank = spatialRank(c, x, 'convolution');
  const kernel = kernelOf(c, x, w);
  const [channels, outChannels] = [x.shape[1]!, w.shape[0]!];
  const group = c.int('group', 1);
  if (!(group >= 1 && channels % group === 0 && outChannels % group === 0 && channels / group === w.shape[1])) {
    c.fail(`group ${group} must divide X's ${channels} channels and W's ${outChannels} output channels, with W [${w.shape.join(',')}] holding ${channels}/${group} input channels per group`);
  }
  const strides = perAxis(c, 'strides', rank, 1);
  const dilations = perAxis(c, 'dilations', rank, 1);
  const images = padSpatial(channelsLast(x), windowPads(c, x.shape.slice(2), kernel, strides, dilations));
  const bias = c.inputs[2] ? c.tensor(2) : null;
  // Core's convolutions take dilations above 1 only with strides 1: then every window is
  // computed and every stride-th kept.
  const subsample = dilations.some((d) => d > 1) && strides.some((s) => s > 1);
  const steps = subsample ? strides.map(() => 1) : strides;
  const filter = filterOf(w);
  let y: Tensor;
  if (rank === 3) {
    const volumes = pc.groupedConv3d(images, filter, group, { strides: steps as [number, number, number], dilations: dilations as [number, number, number], padding: 'valid' });
    y = bias ? pc.add(volumes, bias) : volumes;
  } else {
    const settings = { padding: 'valid' as const, bias };
    y = rank === 2
      ? convolveGroups(images, filter, group, { ...settings, strides: steps as [number, number], dilations: dilations as [number, number] })
      : fromRow(convolveGroups(asRow(images), pc.expandDims(filter, 0), group, { ...settings, strides: [1, steps[0]!], dilations: [1, dilations[0]!] }));
  }
  if (subsample) y = pc.stridedSlice(y, y.shape.map(() => 0), y.shape, [1, ...strides, 1]);
  return channelsFirst(y);
};

/** The filter [...kernel, M, C] with dilation − 1 zeros between its taps along each spatial axis, so it needs no dilation. */
function dilateFilter(filter: Tensor, dilations: readonly number[]): Tensor {
  return dilations.reduce((f, d, axis) => {
    if (d === 1) return f;
    const taps = f.shape[axis]!;
    const spaced = pc.pad(pc.expandDims(f, axis + 1), [...f.shape, 1].map((_, a): [number, number] => [0, a === axis + 1 ? d - 1 : 0]));
    const merged = pc.reshape(spaced, [...f.shape.slice(0, axis), taps * d, ...f.shape.slice(axis + 1)]);
    return pc.slice(merged, f.shape.map(() => 0), f.shape.map((size, a) => (a === axis ? (taps - 1) * d + 1 : size)));
  }, filter);
}

/**
 * ConvTranspose's crop of its full output `full` (the spatial sizes), from output_shape when
 * given (its total spread as auto_pad says: the odd one before unless SAME_UPPER), otherwise
 * from auto_pad and pads; SAME_* aim at input · stride.
 */
function transposedPads(c: NodeContext, input: readonly number[], full: readonly number[], strides: readonly number[]): Pads {
  const rank = input.length;
  const autoPad = c.string('auto_pad', 'NOTSET');
  let target = c.intList('output_shape');
  if (target && target.length === rank + 2) target = target.slice(2);
  if (target && (target.length !== rank || target.some((t, i) => !(t >= 1 && t <= full[i]!)))) {
    c.fail(`output_shape [${c.intList('output_shape')!.join(',')}] must be ${rank} sizes, each at least 1 and at most the full output [${full.join(',')}]`);
  }
  if (!target && (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER')) target = input.map((size, i) => size * strides[i]!);
  if (target) {
    const totals = full.map((size, i) => Math.max(size - target![i]!, 0));
    const small = totals.map((t) => Math.floor(t / 2));
    const large = totals.map((t, i) => t - small[i]!);
    return autoPad === 'SAME_UPPER' ? { before: small, after: large } : { before: large, after: small };
  }
  if (autoPad === 'VALID') return { before: full.map(() => 0), after: full.map(() => 0) };
  if (autoPad !== 'NOTSET') c.fail(`auto_pad '${autoPad}' is not one of NOTSET, VALID, SAME_UPPER and SAME_LOWER`);
  const pads = c.intList('pads') ?? new Array<number>(2 * rank).fill(0);
  if (pads.length !== 2 * rank || pads.some((p) => !Number.isInteger(p) || p < 0) || full.some((size, i) => pads[i]! + pads[i + rank]! >= size)) {
    c.fail(`pads [${pads.join(',')}] must be ${2 * rank} non-negative integers leaving some of the full output [${full.join(',')}]`);
  }
  return { before: pads.slice(0, rank), after: pads.slice(rank) };
}

/** Channels-last `x` [N, ...spatial, C] transposed-convolved by `filter` [...kernel, M, C] (no dilation) to `full` [N, ...spatial', M]. */
function transposeValid(x: Tensor, filter: Tensor, full: number[], strides: readonly number[]): Tensor {
  if (x.rank === 5) return pc.conv3dTranspose(x, filter, full, strides as [number, number, number], 'valid');
  if (x.rank === 4) return pc.conv2dBackpropInput(x, filter, full, { strides: strides as [number, number], padding: 'valid' });
  return fromRow(pc.conv2dBackpropInput(asRow(x), pc.expandDims(filter, 0), [full[0]!, 1, ...full.slice(1)], { strides: [1, strides[0]!], padding: 'valid' }));
}

/**
 * ONNX ConvTranspose: X [N, C, ...spatial] by W [C, M / group, ...kernel], plus B [M]. Each group
 * of channels runs as core's transposed convolution (the gradient of a 'valid' convolution's
 * input) to its full output, output_padding longer; then the pads are cut off its edges. A
 * dilated kernel is the kernel with zeros between its taps.
 */
export const transposedConvolution: Interpreter = (c) => {
  const [x, w] = [c.tensor(0), c.tensor(1)];
  const rank = spatialRank(c, x, 'transposed convolution');
  const kernel = kernelOf(c, x, w);
  const channels = x.shape[1]!;
  const group = c.int('group', 1);
  if (!(group >= 1 && channels % group === 0 && w.shape[0] === channels)) {
    c.fail(`group ${group} must divide X's ${channels} channels, and W [${w.shape.join(',')}] must start with them`);
  }
  const strides = perAxis(c, 'strides', rank, 1);
  const dilations = perAxis(c, 'dilations', rank, 1);
  const outputPadding = c.intList('output_padding') ?? new Array<number>(rank).fill(0);
  if (outputPadding.length !== rank || outputPadding.some((p) => !Number.isInteger(p) || p < 0)) {
    c.fail(`output_padding [${outputPadding.join(',')}] must be ${rank} non-negative integers, one per spatial axis`);
  }
  const input = x.shape.slice(2);
  const full = input.map((size, i) => strides[i]! * (size - 1) + (kernel[i]! - 1) * dilations[i]! + 1 + outputPadding[i]!);
  const { before, after } = transposedPads(c, input, full, strides);
  const groupOut = w.shape[1]!;
  const images = channelsLast(x);
  const filter = dilateFilter(filterOf(w), dilations);
  const perGroup = range(0, group).map((g) => {
    const share = (t: Tensor, axis: number): Tensor => (group === 1 ? t : pc.slice(t, t.shape.map((_, a) => (a === axis ? g * channels / group : 0)), t.shape.map((size, a) => (a === axis ? channels / group : size))));
    return transposeValid(share(images, rank + 1), share(filter, rank + 1), [x.shape[0]!, ...full, groupOut], strides);
  });
  const y = group === 1 ? perGroup[0]! : pc.concat(perGroup, -1);
  const cropped = pc.slice(y, [0, ...before, 0], [-1, ...full.map((size, i) => size - before[i]! - after[i]!), -1]);
  return channelsFirst(c.inputs[2] ? pc.add(cropped, c.tensor(2)) : cropped);
};
