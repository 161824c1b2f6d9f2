import { makeTensorProto, ONNX_TYPE, onnxTypeOf } from '../proto.js';
import { fill, range } from './batch-constants.js';
import { batchMultiples, batchSizeFrom, shapeInGraph } from './batch-dimensions.js';
import { channelsFirst, filterToOnnx, onnxPads } from './channels-first.js';
import { attr, type GraphBuilder } from './graph-builder.js';
import { integerLookup } from './lookup-mapping.js';
import { recurrentLayer, recurrentOutput } from './recurrent-mappings.js';
import type { TracedOp } from './trace-model.js';
import { conv3d, conv3dTranspose } from './volume-mappings.js';

/** What a mapping sees: the op as traced at two batch sizes, and its inputs' value names. */
export interface MappingContext {
  readonly b: GraphBuilder;
  /** The op in the first trace, and the same op in the second (another batch size). */
  readonly op: TracedOp;
  readonly other: TracedOp;
  readonly inputs: readonly string[];
  /** The layer path, for node names. */
  readonly scope: string;
  /** Throws an error naming the op and its layer. */
  fail(reason: string): never;
}

/** Emits the ONNX nodes computing one core op; returns the name of the value holding its output. */
export type OpMapping = (ctx: MappingContext) => string;

/**
 * Ops whose settings may hold the batch size; their mappings make it symbolic (the constants made
 * by rule and the segment sums make their shape in-graph), or (the transposed convolution's
 * output shape) read only its other entries.
 */
export const BATCH_AWARE_OPS: ReadonlySet<string> = new Set(['reshape', 'broadcastTo', 'slice', 'conv2dBackpropInput', 'fill', 'range', 'unsortedSegmentSum']);

const INT64_MAX = 2n ** 63n - 1n;

const node = (opType: string, attributes: Parameters<GraphBuilder['node']>[2] = []): OpMapping =>
  ({ b, inputs, scope }) => b.node(opType, inputs, attributes, scope);

/** Division; int32 division rounds down, as core's div does (ONNX's integer Div truncates). */
const divide: OpMapping = ({ b, op, inputs, scope }) => {
  if (op.dtype !== 'int32') return b.node('Div', inputs, [], scope);
  const floats = inputs.map((name) => b.node('Cast', [name], [attr.int('to', ONNX_TYPE.FLOAT)], scope));
  const floored = b.node('Floor', [b.node('Div', floats, [], scope)], [], scope);
  return b.node('Cast', [floored], [attr.int('to', ONNX_TYPE.INT32)], scope);
};

const reduce = (opType: 'ReduceSum' | 'ReduceMax' | 'ReduceMin'): OpMapping => ({ b, op, inputs, scope }) => {
  const axes = op.attrs.axes as number[];
  const keepdims = attr.int('keepdims', op.attrs.keepDims ? 1 : 0);
  // No axes: nothing is reduced (ONNX would reduce every axis).
  if (axes.length === 0) return b.node('Identity', inputs, [], scope);
  // Axes became an input for ReduceSum in opset 13 and for the others in opset 18.
  if (opType === 'ReduceSum' || b.opset >= 18) return b.node(opType, [inputs[0]!, b.int64s(axes, scope, 'axes')], [keepdims], scope);
  return b.node(opType, inputs, [attr.ints('axes', axes), keepdims], scope);
};

/** Swaps the last two dimensions of `name` (rank `rank`). */
function transposeLast(b: GraphBuilder, name: string, rank: number, scope: string): string {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1]!, perm[rank - 2]!];
  return b.node('Transpose', [name], [attr.ints('perm', perm)], scope);
}

const FILTER_TO_OIHW = filterToOnnx(2);

/**
 * conv2d and depthwiseConv2d as ONNX Conv, which takes channels-first images: transposed in and
 * out (a filter that is a weight is transposed once, at load, by onnxruntime's constant folding).
 * The padding is the explicit one core resolved. A depthwise convolution is Conv with one group
 * per input channel: its filter [kh, kw, channels, M] read as [kh, kw, 1, channels·M], whose
 * output channel c·M + m is group c's m-th, as core orders them; a grouped convolution's filter
 * [kh, kw, channels / groups, outChannels] is ONNX's grouped layout as it is. The fused ops' bias
 * is Conv's third input, B, and their activation a node after it.
 */
const convolution = (connection: 'full' | 'depthwise' | 'grouped'): OpMapping => (context) => activated(context, () => {
  const { b, op, inputs, scope } = context;
  const [filterHeight, filterWidth, channels, multiplier] = op.inputShapes[1]! as [number, number, number, number];
  const grouped = connection === 'depthwise'
    ? b.node('Reshape', [inputs[1]!, b.int64s([filterHeight, filterWidth, 1, channels * multiplier], scope, 'shape')], [], scope)
    : inputs[1]!;
  const filter = b.node('Transpose', [grouped], [attr.ints('perm', FILTER_TO_OIHW)], scope);
  return channelsFirst(b, inputs[0]!, scope, (images) => b.node('Conv', [images, filter, ...inputs.slice(2)], [
    attr.ints('kernel_shape', [filterHeight, filterWidth]),
    attr.ints('strides', op.attrs.strides as number[]),
    attr.ints('dilations', op.attrs.dilations as number[]),
    attr.ints('pads', onnxPads(op)),
    ...(connection === 'full' ? [] : [attr.int('group', connection === 'depthwise' ? channels : op.attrs.groups as number)]),
  ], scope));
});

/**
 * conv2dBackpropInput (Conv2DTranspose) as ONNX ConvTranspose on channels-first images, with the
 * forward convolution's filter (the same transpose to ONNX's [in, out, kh, kw] layout), strides,
 * dilations and explicit padding. output_padding gives back the rows and columns of the
 * convolution's input that its last window did not reach, which ONNX's output would leave off.
 */
const transposedConvolution: OpMapping = ({ b, op, inputs, scope }) => {
  const [filterHeight, filterWidth] = op.inputShapes[1]!;
  const [, height, width] = op.inputShapes[0]!;
  const [, outHeight, outWidth] = op.attrs.inputShape as number[];
  const [strides, dilations] = [op.attrs.strides as number[], op.attrs.dilations as number[]];
  const [top, left, bottom, right] = onnxPads(op);
  const reached = (input: number, kernel: number, axis: number, before: number, after: number) => strides[axis]! * (input - 1) + (kernel - 1) * dilations[axis]! + 1 - before - after;
  const outputPadding = [outHeight! - reached(height!, filterHeight!, 0, top!, bottom!), outWidth! - reached(width!, filterWidth!, 1, left!, right!)];
  const filter = b.node('Transpose', [inputs[1]!], [attr.ints('perm', FILTER_TO_OIHW)], scope);
  return channelsFirst(b, inputs[0]!, scope, (images) => b.node('ConvTranspose', [images, filter], [
    attr.ints('kernel_shape', [filterHeight!, filterWidth!]),
    attr.ints('strides', strides),
    attr.ints('dilations', dilations),
    attr.ints('pads', [top!, left!, bottom!, right!]),
    attr.ints('output_padding', outputPadding),
  ], scope));
};

/**
 * maxPool2d and avgPool2d as ONNX MaxPool and AveragePool on channels-first images, with the
 * explicit padding core resolved: MaxPool never picks a pad, and AveragePool with
 * count_include_pad 0 (ONNX's default, written out) divides by the taps inside the image, as
 * Keras's 'same' does.
 */
const pooling = (opType: 'MaxPool' | 'AveragePool'): OpMapping => ({ b, op, inputs, scope }) =>
  channelsFirst(b, inputs[0]!, scope, (images) => b.node(opType, [images], [
    attr.ints('kernel_shape', op.attrs.poolSize as number[]),
    attr.ints('strides', op.attrs.strides as number[]),
    attr.ints('pads', onnxPads(op)),
    ...(opType === 'AveragePool' ? [attr.int('count_include_pad', 0)] : []),
  ], scope));

const ACTIVATION_NODES: Record<string, string | null> = { linear: null, relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh' };

/** A fused op's output: what `sum()` emits, then the node of the op's activation (none for linear). */
function activated({ b, op, scope, fail }: MappingContext, sum: () => string): string {
  const activation = (op.attrs.activation ?? 'linear') as string;
  const activationNode = ACTIVATION_NODES[activation];
  if (activationNode === undefined) fail(`its activation '${activation}' has no ONNX mapping`);
  const z = sum();
  return activationNode ? b.node(activationNode, [z], [], scope) : z;
}

/**
 * The entries of a shape traced at two batch sizes: equal entries stay, entries that changed
 * with the batch are handed to `symbolic` with their index.
 */
function batchAware(a: readonly number[], other: readonly number[], symbolic: (i: number) => number | bigint): (number | bigint)[] {
  return a.map((d, i) => (d === other[i] ? d : symbolic(i)));
}

/**
 * Adds each row of x into zeros at its segment id: ScatterND with reduction 'add' (opset 16 on),
 * or before that, the one-hot matrix of the ids, transposed, times the rows. From opset 16 the
 * result's shape may follow the batch size (Equalization's histograms, one run of segments per
 * image; or rows of the batch's size): the zeros' shape is then made in-graph, the batch size
 * read from an input's Shape.
 */
const segmentSum: OpMapping = ({ b, op, other, inputs, scope, fail }) => {
  const multiples = batchMultiples(op.shape, other.shape, op.batch, other.batch, "its result's shape", fail);
  const followsBatch = multiples.some((k) => k !== 0);
  if (followsBatch && b.opset < 16) fail(`its number of segments follows the batch size, which needs opset 16 or later (ScatterND's reduction), got opset ${b.opset}`);
  const ids = b.node('Cast', [inputs[1]!], [attr.int('to', ONNX_TYPE.INT64)], scope);
  if (b.opset >= 16) {
    const zero = attr.tensor('value', makeTensorProto('', onnxTypeOf(op.dtype), [1], [0]));
    const shape = followsBatch ? shapeInGraph(b, op.shape, multiples, batchSizeFrom(b, op, other, inputs, scope, fail), scope) : b.int64s(op.shape, scope, 'shape');
    const zeros = b.node('ConstantOfShape', [shape], [zero], scope);
    const tuples = b.node('Unsqueeze', [ids, b.int64s([-1], scope, 'axes')], [], scope);
    return b.node('ScatterND', [zeros, tuples, inputs[0]!], [attr.string('reduction', 'add')], scope);
  }
  const [segments, ...row] = op.shape;
  const hot = b.node('OneHot', [ids, b.int64s([segments!], scope, 'depth'), b.constant(op.dtype, [2], [0, 1], scope)], [attr.int('axis', -1)], scope);
  const membership = b.node('Transpose', [b.node('Reshape', [hot, b.int64s([-1, segments!], scope, 'hot_shape')], [], scope)], [], scope);
  const rows = b.node('Reshape', [inputs[0]!, b.int64s([-1, row.reduce((n, d) => n * d, 1)], scope, 'rows_shape')], [], scope);
  return b.node('Reshape', [b.node('MatMul', [membership, rows], [], scope), b.int64s(op.shape, scope, 'shape')], [], scope);
};

export const OP_MAPPINGS: Readonly<Record<string, OpMapping>> = {
  add: node('Add'),
  sub: node('Sub'),
  mul: node('Mul'),
  div: divide,
  pow: node('Pow'),
  maximum: node('Max'),
  minimum: node('Min'),
  neg: node('Neg'),
  abs: node('Abs'),
  sign: node('Sign'),
  exp: node('Exp'),
  log: node('Log'),
  // ONNX has no log1p: Log(1 + x) is exact except for |x| below float32's resolution near 1.
  log1p: ({ b, inputs, scope }) => b.node('Log', [b.node('Add', [inputs[0]!, b.constant('float32', [], [1], scope)], [], scope)], [], scope),
  sqrt: node('Sqrt'),
  square: ({ b, inputs, scope }) => b.node('Mul', [inputs[0]!, inputs[0]!], [], scope),
  relu: node('Relu'),
  sigmoid: node('Sigmoid'),
  tanh: node('Tanh'),
  sin: node('Sin'),
  cos: node('Cos'),
  tan: node('Tan'),
  asin: node('Asin'),
  acos: node('Acos'),
  atan: node('Atan'),
  sinh: node('Sinh'),
  cosh: node('Cosh'),
  asinh: node('Asinh'),
  acosh: node('Acosh'),
  atanh: node('Atanh'),
  // ONNX has no expm1: Exp(x) − 1 loses the digits of small |x|, as log1p's Log(1 + x) does.
  expm1: ({ b, inputs, scope }) => b.node('Sub', [b.node('Exp', [inputs[0]!], [], scope), b.constant('float32', [], [1], scope)], [], scope),
  floor: node('Floor'),
  ceil: node('Ceil'),
  round: node('Round'),
  equal: node('Equal'),
  notEqual: ({ b, inputs, scope }) => b.node('Not', [b.node('Equal', inputs, [], scope)], [], scope),
  less: node('Less'),
  lessEqual: node('LessOrEqual'),
  greater: node('Greater'),
  greaterEqual: node('GreaterOrEqual'),
  where: node('Where'),
  cast: ({ b, op, inputs, scope }) => b.node('Cast', inputs, [attr.int('to', onnxTypeOf(op.dtype))], scope),
  stopGradient: node('Identity'),
  sum: reduce('ReduceSum'),
  max: reduce('ReduceMax'),
  min: reduce('ReduceMin'),
  argMax: ({ b, op, inputs, scope }) => {
    const index = b.node('ArgMax', inputs, [attr.int('axis', op.attrs.axis as number), attr.int('keepdims', 0)], scope);
    return b.node('Cast', [index], [attr.int('to', ONNX_TYPE.INT32)], scope); // ONNX gives int64, core int32
  },
  // TopK's second output holds the positions (int64; core's are int32).
  topkIndices: ({ b, op, inputs, scope }) => {
    const [, indices] = b.nodeWithOutputs('TopK', [inputs[0]!, b.int64s([op.attrs.k as number], scope, 'k')], [attr.int('axis', -1)], scope, 2);
    return b.node('Cast', [indices!], [attr.int('to', ONNX_TYPE.INT32)], scope);
  },
  // CumSum's axis is an input, a 0-D int64.
  cumsum: ({ b, op, inputs, scope }) => b.node(
    'CumSum', [inputs[0]!, b.initializer(`${scope}/axis`, ONNX_TYPE.INT64, [], [op.attrs.axis as number])],
    [attr.int('exclusive', op.attrs.exclusive ? 1 : 0), attr.int('reverse', op.attrs.reverse ? 1 : 0)], scope,
  ),
  softmax: node('Softmax', [attr.int('axis', -1)]),
  logSoftmax: node('LogSoftmax', [attr.int('axis', -1)]),
  matMul: ({ b, op, inputs, scope }) => {
    const a = op.attrs.transposeA ? transposeLast(b, inputs[0]!, op.inputShapes[0]!.length, scope) : inputs[0]!;
    const c = op.attrs.transposeB ? transposeLast(b, inputs[1]!, op.inputShapes[1]!.length, scope) : inputs[1]!;
    return b.node('MatMul', [a, c], [], scope);
  },
  // Gemm computes x·W + b in one node (x is 2-D for dense); without a bias it is a MatMul.
  dense: (context) => activated(context, () => context.b.node(context.inputs.length === 3 ? 'Gemm' : 'MatMul', context.inputs, [], context.scope)),
  conv2d: convolution('full'),
  fusedConv2d: convolution('full'),
  depthwiseConv2d: convolution('depthwise'),
  fusedDepthwiseConv2d: convolution('depthwise'),
  groupedConv2d: convolution('grouped'),
  conv2dBackpropInput: transposedConvolution,
  conv3d,
  conv3dTranspose,
  recurrentLayer,
  recurrentOutput,
  maxPool2d: pooling('MaxPool'),
  avgPool2d: pooling('AveragePool'),
  reshape: ({ b, op, other, inputs, scope, fail }) => {
    const [inA, inB] = [op.inputShapes[0]!, other.inputShapes[0]!];
    // A dimension that follows the batch: 0 (copy the input's) where the input has it at the same
    // place, otherwise -1 (inferred), which ONNX allows once.
    const shape = batchAware(op.attrs.shape as number[], other.attrs.shape as number[], (i) => (inA[i] === op.shape[i] && inB[i] === other.shape[i] ? 0 : -1));
    if (shape.filter((d) => d === -1).length > 1) {
      fail(`its target shape [${(op.attrs.shape as number[]).join(',')}] has several dimensions that depend on the batch size, which one ONNX Reshape cannot express`);
    }
    return b.node('Reshape', [inputs[0]!, b.int64s(shape, scope, 'shape')], [], scope);
  },
  transpose: ({ b, op, inputs, scope }) => b.node('Transpose', inputs, [attr.ints('perm', op.attrs.perm as number[])], scope),
  broadcastTo: ({ b, op, other, inputs, scope, fail }) => {
    const [inA, inB] = [op.inputShapes[0]!, other.inputShapes[0]!];
    // Expand broadcasts both ways, so 1 keeps a batch-sized input dimension as it is.
    const shape = batchAware(op.attrs.shape as number[], other.attrs.shape as number[], (i) => {
      if (inA[i] !== inB[i]) return 1;
      return fail(`it broadcasts dimension ${i} of size ${inA[i]} to the batch size, which needs the batch size as a constant`);
    });
    return b.node('Expand', [inputs[0]!, b.int64s(shape, scope, 'shape')], [], scope);
  },
  slice: ({ b, op, other, inputs, scope, fail }) => {
    const [begin, size] = [op.attrs.begin as number[], op.attrs.size as number[]];
    const [beginB, sizeB] = [other.attrs.begin as number[], other.attrs.size as number[]];
    const [inA, inB] = [op.inputShapes[0]!, other.inputShapes[0]!];
    if (begin.some((d, i) => d !== beginB[i])) fail(`its start [${begin.join(',')}] depends on the batch size`);
    // A size that follows the batch must reach the end of its dimension: "to the end".
    const ends = batchAware(size.map((s, i) => begin[i]! + s), sizeB.map((s, i) => beginB[i]! + s), (i) => {
      if (begin[i]! + size[i]! === inA[i] && beginB[i]! + sizeB[i]! === inB[i]) return INT64_MAX;
      return fail(`its size along dimension ${i} depends on the batch size but does not reach the end`);
    });
    const axes = begin.map((_, i) => i);
    return b.node('Slice', [inputs[0]!, b.int64s(begin, scope, 'starts'), b.int64s(ends, scope, 'ends'), b.int64s(axes, scope, 'axes')], [], scope);
  },
  pad: ({ b, op, inputs, scope }) => {
    const paddings = op.attrs.paddings as [number, number][];
    const pads = [...paddings.map((p) => p[0]), ...paddings.map((p) => p[1])];
    const value = b.constant(op.dtype, [], [op.attrs.value as number], scope);
    return b.node('Pad', [inputs[0]!, b.int64s(pads, scope, 'pads'), value], [], scope);
  },
  concat: ({ b, op, inputs, scope }) => b.node('Concat', inputs, [attr.int('axis', op.attrs.axis as number)], scope),
  gather: ({ b, op, inputs, scope }) => b.node('Gather', inputs, [attr.int('axis', op.attrs.axis as number)], scope),
  unsortedSegmentSum: segmentSum,
  fill,
  range,
  integerLookup,
  oneHot: ({ b, op, inputs, scope }) => {
    const depth = b.int64s([op.attrs.depth as number], scope, 'depth');
    const values = b.constant('float32', [2], [op.attrs.offValue as number, op.attrs.onValue as number], scope);
    // onnxruntime implements OneHot for int64 indices with an int64 depth, not for int32 ones.
    const indices = b.node('Cast', [inputs[0]!], [attr.int('to', ONNX_TYPE.INT64)], scope);
    return b.node('OneHot', [indices, depth, values], [attr.int('axis', -1)], scope);
  },
};
