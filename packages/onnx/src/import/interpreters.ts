import * as pc from '@perceptron/core';
import type { Tensor } from '@perceptron/core';
import { ONNX_TYPE, toNumber, type AttributeProto, type NodeProto } from '../proto.js';
import { resize } from './resize.js';
import { dtypeOf, staticValue, toTensor, type Value } from './values.js';

/** One node being run: its inputs (undefined where an optional input is left out) and attributes. */
export class NodeContext {
  readonly #attributes: Map<string, AttributeProto>;

  constructor(readonly node: NodeProto, readonly inputs: readonly (Value | undefined)[], readonly opset: number) {
    this.#attributes = new Map((node.attribute ?? []).map((a) => [a.name ?? '', a]));
  }

  fail(reason: string): never {
    throw new Error(`importOnnx: node '${this.node.name}' (${this.node.opType}): ${reason}`);
  }

  tensor(i: number): Tensor {
    const value = this.inputs[i];
    if (value === undefined) this.fail(`input ${i} is required`);
    return toTensor(value, `importOnnx: node '${this.node.name}'`);
  }

  tensors(): Tensor[] {
    return this.inputs.map((_, i) => this.tensor(i));
  }

  /** The values of input i, which must be known at import time (a shape, axes, pads); undefined when left out. */
  known(i: number): number[] | undefined {
    const value = this.inputs[i];
    if (value === undefined) return undefined;
    if (value instanceof pc.Tensor) {
      this.fail(`input ${i} ('${this.node.input![i]}') must be a constant (an initializer or Constant node), but it is computed by the graph`);
    }
    return [...value.values];
  }

  has(name: string): boolean {
    return this.#attributes.has(name);
  }

  int(name: string, fallback: number): number {
    const a = this.#attributes.get(name);
    return a ? toNumber(a.i) : fallback;
  }

  float(name: string, fallback: number): number {
    const a = this.#attributes.get(name);
    return a ? a.f ?? 0 : fallback;
  }

  intList(name: string): number[] | undefined {
    const a = this.#attributes.get(name);
    return a ? (a.ints ?? []).map(toNumber) : undefined;
  }

  string(name: string, fallback: string): string {
    const a = this.#attributes.get(name);
    return a?.s ? new TextDecoder().decode(a.s) : fallback;
  }

  attribute(name: string): AttributeProto | undefined {
    return this.#attributes.get(name);
  }
}

/** A node's outputs: one value, or a list, one per output (TopK's values and indices). */
export type Interpreter = (c: NodeContext) => Value | Value[];

const unary = (f: (x: Tensor) => Tensor): Interpreter => (c) => f(c.tensor(0));
const binary = (f: (a: Tensor, b: Tensor) => Tensor): Interpreter => (c) => f(c.tensor(0), c.tensor(1));
const variadic = (f: (a: Tensor, b: Tensor) => Tensor): Interpreter => (c) => c.tensors().reduce((a, b) => f(a, b));

/** Reductions: axes from the input (ReduceSum since opset 13, the rest since 18) or the attribute. */
const reduce = (f: (x: Tensor, axes: number[] | undefined, keepDims: boolean) => Tensor): Interpreter => (c) => {
  const x = c.tensor(0);
  const axes = c.known(1) ?? c.intList('axes') ?? [];
  if (axes.length === 0 && c.int('noop_with_empty_axes', 0)) return x;
  return f(x, axes.length === 0 ? undefined : axes, c.int('keepdims', 1) === 1);
};

/** Softmax-like ops over one axis, which must be the last (what core computes). */
const lastAxis = (f: (x: Tensor) => Tensor): Interpreter => (c) => {
  const x = c.tensor(0);
  const axis = c.int('axis', -1);
  if (axis !== -1 && axis !== x.rank - 1) c.fail(`axis ${axis} is not supported; only the last axis (-1)`);
  return f(x);
};

function clampIndex(i: number, size: number): number {
  return Math.min(Math.max(i < 0 ? i + size : i, 0), size);
}

/**
 * ONNX Conv on channels-first images, run as core's convolutions on channels-last ones: explicit
 * pads become a pad before a 'valid' convolution; SAME_UPPER is TensorFlow's 'same'. With one
 * group per input channel and one input channel per group it is depthwiseConv2d (W [C·M, 1, kh,
 * kw] is the filter [kh, kw, C, M]); other groups convolve their share of the channels apart,
 * joined along the channels.
 */
const convolution: Interpreter = (c) => {
  const [x, w] = [c.tensor(0), c.tensor(1)];
  if (x.rank !== 4 || w.rank !== 4) c.fail(`only 2-D convolutions are supported (X and W of rank 4), got X ${pc.formatShape(x.shape)} and W ${pc.formatShape(w.shape)}`);
  const [channels, outChannels] = [x.shape[1]!, w.shape[0]!];
  const group = c.int('group', 1);
  if (!(group >= 1 && channels % group === 0 && outChannels % group === 0 && channels / group === w.shape[1])) {
    c.fail(`group ${group} must divide X's ${channels} channels and W's ${outChannels} output channels, with W [${w.shape.join(',')}] holding ${channels}/${group} input channels per group`);
  }
  const autoPad = c.string('auto_pad', 'NOTSET');
  if (!['NOTSET', 'VALID', 'SAME_UPPER'].includes(autoPad)) c.fail(`auto_pad '${autoPad}' is not supported; only NOTSET, VALID and SAME_UPPER`);
  const [top, left, bottom, right] = c.intList('pads') ?? [0, 0, 0, 0];
  if ([top, left, bottom, right].some((p) => p === undefined || p < 0)) c.fail(`pads [${c.intList('pads')!.join(',')}] must be four non-negative numbers`);
  const images = pc.transpose(x, [0, 2, 3, 1]);
  const padded = top! + left! + bottom! + right! > 0 ? pc.pad(images, [[0, 0], [top!, bottom!], [left!, right!], [0, 0]]) : images;
  const settings = {
    strides: (c.intList('strides') ?? [1, 1]) as [number, number], dilations: (c.intList('dilations') ?? [1, 1]) as [number, number],
    padding: autoPad === 'SAME_UPPER' ? 'same' as const : 'valid' as const,
  };
  const y = convolveGroups(padded, pc.transpose(w, [2, 3, 1, 0]), group, { ...settings, bias: c.inputs[2] ? c.tensor(2) : null });
  return pc.transpose(y, [0, 3, 1, 2]);
};

/**
 * Channels-last `images` convolved by `filter` [kh, kw, channels / group, outChannels] in `group`
 * groups of channels, plus the bias; one channel per group is depthwise.
 */
function convolveGroups(images: Tensor, filter: Tensor, group: number, settings: pc.FusedConv2DSettings): Tensor {
  const [height, width, groupChannels, outChannels] = filter.shape as [number, number, number, number];
  if (group > 1 && groupChannels === 1) return pc.fusedDepthwiseConv2d(images, pc.reshape(filter, [height, width, group, outChannels / group]), settings);
  return pc.groupedConv2d(images, filter, group, settings);
}

/**
 * ONNX ConvTranspose on channels-first images, run as core's conv2dBackpropInput on channels-last
 * ones: the 'valid' transposed convolution (its full output, output_padding rows and columns
 * longer), then the pads cut off its edges.
 */
const transposedConvolution: Interpreter = (c) => {
  const [x, w] = [c.tensor(0), c.tensor(1)];
  if (x.rank !== 4 || w.rank !== 4) c.fail(`only 2-D transposed convolutions are supported (X and W of rank 4), got X ${pc.formatShape(x.shape)} and W ${pc.formatShape(w.shape)}`);
  if (c.int('group', 1) !== 1) c.fail(`group ${c.int('group', 1)} is not supported; only 1`);
  if (c.string('auto_pad', 'NOTSET') !== 'NOTSET') c.fail(`auto_pad '${c.string('auto_pad', 'NOTSET')}' is not supported; only NOTSET with explicit pads`);
  if (c.intList('output_shape')) c.fail('output_shape is not supported; give pads and output_padding');
  const [top, left, bottom, right] = c.intList('pads') ?? [0, 0, 0, 0];
  const strides = (c.intList('strides') ?? [1, 1]) as [number, number];
  const dilations = (c.intList('dilations') ?? [1, 1]) as [number, number];
  const outputPadding = c.intList('output_padding') ?? [0, 0];
  const [batch, , height, width] = x.shape as [number, number, number, number];
  const [, outChannels, kernelHeight, kernelWidth] = w.shape as [number, number, number, number];
  const full = [[height, kernelHeight], [width, kernelWidth]].map(([input, kernel], axis) => strides[axis]! * (input! - 1) + (kernel! - 1) * dilations[axis]! + 1 + outputPadding[axis]!);
  const y = pc.conv2dBackpropInput(pc.transpose(x, [0, 2, 3, 1]), pc.transpose(w, [2, 3, 1, 0]), [batch, full[0]!, full[1]!, outChannels], { strides, dilations, padding: 'valid' });
  const cropped = pc.slice(y, [0, top!, left!, 0], [-1, full[0]! - top! - bottom!, full[1]! - left! - right!, -1]);
  return pc.transpose(c.inputs[2] ? pc.add(cropped, c.tensor(2)) : cropped, [0, 3, 1, 2]);
};

/** TensorFlow's 'same' padding along one axis, [before, after]: the output is ceil(input / stride), the odd pad after. */
function samePads(input: number, window: number, stride: number): [number, number] {
  const total = Math.max((Math.ceil(input / stride) - 1) * stride + window - input, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/**
 * ONNX MaxPool and AveragePool on channels-first images, run as core's maxPool2d / avgPool2d on
 * channels-last ones. Pads that are TensorFlow's 'same' for this image (what the exporter
 * writes, or SAME_UPPER) run as 'same', whose average leaves the padding out of the count as
 * count_include_pad 0 asks; other pads pad the image first (−∞ for the max, zeros for an
 * average that counts them) before a 'valid' pooling.
 */
const pooling = (max: boolean): Interpreter => (c) => {
  const x = c.tensor(0);
  if (x.rank !== 4) c.fail(`only 2-D pooling is supported (X of rank 4), got X ${pc.formatShape(x.shape)}`);
  const poolSize = c.intList('kernel_shape') ?? c.fail('kernel_shape is required');
  if (poolSize.length !== 2) c.fail(`expected kernel_shape of 2 values, got [${poolSize.join(',')}]`);
  if (c.int('ceil_mode', 0) !== 0) c.fail('ceil_mode 1 is not supported; only 0');
  if ((c.intList('dilations') ?? [1, 1]).some((d) => d !== 1)) c.fail(`dilations [${c.intList('dilations')!.join(',')}] are not supported; only 1`);
  if ((c.node.output ?? []).filter((name) => name !== '').length > 1) c.fail('the Indices output is not supported');
  const autoPad = c.string('auto_pad', 'NOTSET');
  if (!['NOTSET', 'VALID', 'SAME_UPPER'].includes(autoPad)) c.fail(`auto_pad '${autoPad}' is not supported; only NOTSET, VALID and SAME_UPPER`);
  const strides = (c.intList('strides') ?? [1, 1]) as [number, number];
  const [height, width] = [x.shape[2]!, x.shape[3]!];
  const [[top, bottom], [left, right]] = [samePads(height, poolSize[0]!, strides[0]), samePads(width, poolSize[1]!, strides[1])];
  const same = [top, left, bottom, right];
  const pads = autoPad === 'SAME_UPPER' ? same : autoPad === 'VALID' ? [0, 0, 0, 0] : c.intList('pads') ?? [0, 0, 0, 0];
  if (pads.length !== 4 || pads.some((p) => p < 0)) c.fail(`pads [${pads.join(',')}] must be four non-negative numbers`);
  const countsPads = !max && c.int('count_include_pad', 0) === 1;
  let [input, padding]: [Tensor, 'valid' | 'same'] = [pc.transpose(x, [0, 2, 3, 1]), 'valid'];
  if (!countsPads && pads.some((p) => p > 0) && pads.every((p, i) => p === same[i])) {
    padding = 'same';
  } else if (pads.some((p) => p > 0)) {
    if (!max && !countsPads) c.fail(`pads [${pads.join(',')}] with count_include_pad 0 are supported only as TensorFlow's 'same' padding, [${same.join(',')}] for this input`);
    const [t, l, b, r] = pads as [number, number, number, number];
    input = pc.pad(input, [[0, 0], [t, b], [l, r], [0, 0]], max ? -Infinity : 0);
  }
  const settings = { poolSize: poolSize as [number, number], strides, padding };
  return pc.transpose(max ? pc.maxPool2d(input, settings) : pc.avgPool2d(input, settings), [0, 3, 1, 2]);
};

export const INTERPRETERS: Readonly<Record<string, Interpreter>> = {
  Identity: (c) => c.inputs[0] ?? c.fail('input 0 is required'),
  Constant: (c) => {
    const value = c.attribute('value')?.t ?? c.fail('only Constant nodes with a tensor `value` are supported');
    return staticValue(value, `importOnnx: node '${c.node.name}'`);
  },
  Add: binary(pc.add),
  Sub: binary(pc.sub),
  Mul: binary(pc.mul),
  Div: binary(pc.div),
  Pow: binary(pc.pow),
  Max: variadic(pc.maximum),
  Min: variadic(pc.minimum),
  Neg: unary(pc.neg),
  Abs: unary(pc.abs),
  Sign: unary(pc.sign),
  Exp: unary(pc.exp),
  Log: unary(pc.log),
  Sqrt: unary(pc.sqrt),
  Floor: unary(pc.floor),
  Ceil: unary(pc.ceil),
  Round: unary(pc.round),
  Sin: unary(pc.sin),
  Cos: unary(pc.cos),
  Tan: unary(pc.tan),
  Asin: unary(pc.asin),
  Acos: unary(pc.acos),
  Atan: unary(pc.atan),
  Sinh: unary(pc.sinh),
  Cosh: unary(pc.cosh),
  Asinh: unary(pc.asinh),
  Acosh: unary(pc.acosh),
  Atanh: unary(pc.atanh),
  Relu: unary(pc.relu),
  Sigmoid: unary(pc.sigmoid),
  Tanh: unary(pc.tanh),
  Not: (c) => pc.equal(c.tensor(0), pc.zerosLike(c.tensor(0))),
  Equal: binary(pc.equal),
  Less: binary(pc.less),
  LessOrEqual: binary(pc.lessEqual),
  Greater: binary(pc.greater),
  GreaterOrEqual: binary(pc.greaterEqual),
  Where: (c) => pc.where(c.tensor(0), c.tensor(1), c.tensor(2)),
  Cast: (c) => pc.cast(c.tensor(0), dtypeOf(c.int('to', 0), `importOnnx: node '${c.node.name}'`)),
  Clip: (c) => {
    let y = c.tensor(0);
    if (c.inputs[1]) y = pc.maximum(y, c.tensor(1));
    if (c.inputs[2]) y = pc.minimum(y, c.tensor(2));
    return y;
  },
  MatMul: binary(pc.matMul),
  Conv: convolution,
  ConvTranspose: transposedConvolution,
  MaxPool: pooling(true),
  AveragePool: pooling(false),
  Gemm: (c) => {
    const [a, b] = [c.tensor(0), c.tensor(1)];
    const [transA, transB] = [c.int('transA', 0) === 1, c.int('transB', 0) === 1];
    const [alpha, beta] = [c.float('alpha', 1), c.float('beta', 1)];
    const bias = c.inputs[2] ? c.tensor(2) : null;
    // The common case is exactly core's dense op (a fused kernel on backends that have one).
    if (!transA && !transB && alpha === 1 && beta === 1 && (!bias || bias.rank === 1)) return pc.dense(a, b, bias);
    let y = pc.matMul(a, b, transA, transB);
    if (alpha !== 1) y = pc.mul(y, alpha);
    return bias ? pc.add(y, beta === 1 ? bias : pc.mul(bias, beta)) : y;
  },
  Softmax: lastAxis((x) => pc.softmax(x)),
  LogSoftmax: lastAxis((x) => pc.logSoftmax(x)),
  ReduceSum: reduce((x, axes, keep) => pc.sum(x, axes, keep)),
  ReduceMax: reduce((x, axes, keep) => pc.max(x, axes, keep)),
  ReduceMin: reduce((x, axes, keep) => pc.min(x, axes, keep)),
  ReduceMean: reduce((x, axes, keep) => pc.mean(x, axes, keep)),
  ReduceProd: reduce((x, axes, keep) => pc.prod(x, axes, keep)),
  ArgMax: (c) => {
    if (c.int('select_last_index', 0)) c.fail('select_last_index = 1 is not supported');
    const x = c.tensor(0);
    const axis = c.int('axis', 0);
    const index = pc.argMax(x, axis);
    return c.int('keepdims', 1) ? pc.expandDims(index, axis < 0 ? axis + x.rank : axis) : index;
  },
  // The k largest along `axis`, always sorted (ONNX allows any order when sorted is 0).
  TopK: (c) => {
    const x = c.tensor(0);
    const [k] = c.known(1) ?? c.fail('the input K is required');
    if (c.int('largest', 1) !== 1) c.fail('largest 0 (the smallest k) is not supported; only 1');
    // core's topk works along the last axis: another axis is swapped with it, and back.
    const axis = ((c.int('axis', -1) % x.rank) + x.rank) % x.rank;
    const swap = Array.from({ length: x.rank }, (_, i) => (i === axis ? x.rank - 1 : i === x.rank - 1 ? axis : i));
    const along = (t: Tensor): Tensor => (axis === x.rank - 1 ? t : pc.transpose(t, swap));
    const { values, indices } = pc.topk(along(x), k);
    return [along(values), along(indices)];
  },
  CumSum: (c) => {
    const [axis] = c.known(1) ?? c.fail('the axis input is required');
    return pc.cumsum(c.tensor(0), axis, c.int('exclusive', 0) === 1, c.int('reverse', 0) === 1);
  },
  Reshape: (c) => {
    const x = c.tensor(0);
    const shape = c.known(1) ?? c.fail('the shape input is required');
    const allowZero = c.int('allowzero', 0) === 1;
    return pc.reshape(x, shape.map((d, i) => (d === 0 && !allowZero ? x.shape[i] ?? c.fail(`shape [${shape.join(',')}] copies dimension ${i}, which the input ${pc.formatShape(x.shape)} lacks`) : d)));
  },
  Transpose: (c) => {
    const x = c.tensor(0);
    return pc.transpose(x, c.intList('perm') ?? Array.from({ length: x.rank }, (_, i) => x.rank - 1 - i));
  },
  Resize: resize,
  Einsum: (c) => pc.einsum(c.string('equation', ''), ...c.tensors()),
  Concat: (c) => pc.concat(c.tensors(), c.int('axis', 0)),
  Gather: (c) => {
    const x = c.tensor(0);
    const axis = c.int('axis', 0);
    const size = x.shape[axis < 0 ? axis + x.rank : axis]!;
    const indices = c.inputs[1];
    // Constant indices may count from the end; computed ones are cast to core's int32.
    const idx = indices && !(indices instanceof pc.Tensor)
      ? pc.tensor(indices.values.map((i) => (i < 0 ? i + size : i)), [...indices.dims], 'int32')
      : pc.cast(c.tensor(1), 'int32');
    return pc.gather(x, idx, axis);
  },
  Slice: (c) => {
    const x = c.tensor(0);
    const starts = c.known(1) ?? c.fail('starts are required');
    const ends = c.known(2) ?? c.fail('ends are required');
    const axes = c.known(3) ?? starts.map((_, i) => i);
    if ((c.known(4) ?? []).some((s) => s !== 1)) c.fail('steps other than 1 are not supported');
    const begin = [...x.shape].map(() => 0);
    const size = [...x.shape];
    axes.forEach((a, k) => {
      const axis = a < 0 ? a + x.rank : a;
      const dim = x.shape[axis]!;
      begin[axis] = clampIndex(starts[k]!, dim);
      size[axis] = Math.max(0, clampIndex(ends[k]!, dim) - begin[axis]!);
    });
    return pc.slice(x, begin, size);
  },
  Pad: (c) => {
    const x = c.tensor(0);
    if (c.string('mode', 'constant') !== 'constant') c.fail(`mode '${c.string('mode', '')}' is not supported; only 'constant'`);
    const pads = c.known(1) ?? c.fail('pads are required');
    const value = c.known(2)?.[0] ?? 0;
    const axes = (c.known(3) ?? Array.from({ length: x.rank }, (_, i) => i)).map((a) => (a < 0 ? a + x.rank : a));
    const paddings = [...x.shape].map((): [number, number] => [0, 0]);
    axes.forEach((axis, k) => { paddings[axis] = [pads[k]!, pads[k + axes.length]!]; });
    if (paddings.some((p) => p[0]! < 0 || p[1]! < 0)) c.fail(`negative pads [${pads.join(',')}] (cropping) are not supported`);
    return pc.pad(x, paddings, value);
  },
  OneHot: (c) => {
    const indices = c.tensor(0);
    const depth = (c.known(1) ?? c.fail('depth is required'))[0]!;
    const [off, on] = c.known(2) ?? c.fail('values are required');
    const axis = c.int('axis', -1);
    if (axis !== -1 && axis !== indices.rank) c.fail(`axis ${axis} is not supported; only the last (-1)`);
    return pc.oneHot(indices.dtype === 'int32' ? indices : pc.cast(indices, 'int32'), depth, on, off);
  },
  Expand: (c) => {
    const x = c.tensor(0);
    const target = pc.broadcastShapes('Expand', x.shape, c.known(1) ?? c.fail('the shape input is required'));
    return target.join() === x.shape.join() ? x : pc.broadcastTo(x, target);
  },
  // A known shape filled with the `value` attribute's one entry (float 0 when left out).
  ConstantOfShape: (c) => {
    const shape = c.known(0) ?? c.fail('the shape input is required');
    const fill = c.attribute('value')?.t;
    const { onnxType, values } = fill ? staticValue(fill, `importOnnx: node '${c.node.name}'`) : { onnxType: ONNX_TYPE.FLOAT, values: [0] };
    return { kind: 'static', onnxType, dims: shape, values: new Array<number>(pc.sizeOf(shape)).fill(values[0] ?? 0) };
  },
  // Axes are an input from opset 13, an attribute before.
  Unsqueeze: (c) => {
    const x = c.tensor(0);
    const axes = c.known(1) ?? c.intList('axes') ?? c.fail('the axes are required');
    const rank = x.rank + axes.length;
    const inserted = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
    const dims = [...x.shape];
    return pc.reshape(x, Array.from({ length: rank }, (_, i) => (inserted.has(i) ? 1 : dims.shift()!)));
  },
  // Indices arrive as int32 (core computes ONNX's int64 as int32).
  GatherND: (c) => {
    if (c.int('batch_dims', 0) !== 0) c.fail(`batch_dims ${c.int('batch_dims', 0)} is not supported; only 0`);
    return pc.gatherND(c.tensor(0), c.tensor(1));
  },
  // 'none' writes the updates over data (ONNX leaves repeated indices undefined); 'add' adds them.
  ScatterND: (c) => {
    const [data, indices, updates] = [c.tensor(0), c.tensor(1), c.tensor(2)];
    const reduction = c.string('reduction', 'none');
    const scattered = pc.scatterND(indices, updates, data.shape);
    if (reduction === 'add') return pc.add(data, scattered);
    if (reduction !== 'none') c.fail(`reduction '${reduction}' is not supported; only 'none' and 'add'`);
    const written = pc.greater(pc.scatterND(indices, pc.onesLike(updates), data.shape), 0);
    return pc.where(written, scattered, data);
  },
};
