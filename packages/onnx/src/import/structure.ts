import * as pc from '@perceptron/core';
import type { Tensor } from '@perceptron/core';
import { ONNX_TYPE } from '../proto.js';
import type { Interpreter, NodeContext } from './interpreters.js';
import {
  cast, concatenated, elementwise, expanded, flattenedDims, foldable, gathered, int64s, isStatic, normalizeAxis, rangeLength, ranged, reshapeTarget, shapeRange, sliced,
  slicedAxis, splitSizes, squeezedDims, staticOf, tiled, triangle, unsqueezedDims, type Fail, type SlicedAxis,
} from './static-arithmetic.js';
import { dtypeOf, staticValue, toTensor, type StaticValue, type Value } from './values.js';

// Ops that move, cut and reshape values. Each takes a StaticValue as well as a tensor: when its
// data is static (a shape computed by Shape → Gather → Concat), so is its result, which later
// nodes can read as a shape; otherwise it runs as core's ops.

const failer = (c: NodeContext): Fail => (reason) => c.fail(reason);

function input(c: NodeContext, i: number): Value {
  return c.inputs[i] ?? c.fail(`input ${i} is required`);
}

const dimsOf = (value: Value): readonly number[] => (isStatic(value) ? value.dims : value.shape);

/** Shapes broadcast together, or an error naming the node. */
function broadcast(c: NodeContext, ...shapes: (readonly number[])[]): number[] {
  try {
    return pc.broadcastShapes(c.node.opType ?? '', ...shapes);
  } catch (error) {
    return c.fail((error as Error).message);
  }
}

/** Input 0 given a new shape: a static value keeps its numbers. */
function reshaped(x: Value, dims: readonly number[]): Value {
  return isStatic(x) ? { ...x, dims: [...dims] } : pc.reshape(x, dims);
}

/** A tensor cut as `plan` says: a slice of the contiguous axes, then a gather along each stepped one. */
function slicedTensor(x: Tensor, plan: readonly SlicedAxis[]): Tensor {
  const stepped = (a: SlicedAxis) => a.step !== 1 && a.count > 0;
  let y = pc.slice(x, plan.map((a) => (stepped(a) || a.count === 0 ? 0 : a.start)), plan.map((a, d) => (stepped(a) ? x.shape[d]! : a.count)));
  plan.forEach((a, axis) => {
    if (stepped(a)) y = pc.gather(y, pc.tensor(Array.from({ length: a.count }, (_, i) => a.start + i * a.step), [a.count], 'int32'), axis);
  });
  return y;
}

/** Input 0 cut into pieces of `sizes` along `axis`. */
function pieces(x: Value, sizes: readonly number[], axis: number, fail: Fail): Value[] {
  if (!isStatic(x)) return pc.split(x, sizes, axis);
  let begin = 0;
  return sizes.map((size) => {
    const piece = sliced(x, x.dims.map((d, i) => (i === axis ? slicedAxis(d, begin, begin + size, 1, fail) : { start: 0, count: d, step: 1 })));
    begin += size;
    return piece;
  });
}

/** Reads Slice's starts, ends, axes and steps (inputs from opset 10, attributes before) into one SlicedAxis per axis. */
function slicePlan(c: NodeContext, dims: readonly number[]): SlicedAxis[] {
  const fail = failer(c);
  const starts = c.known(1) ?? c.intList('starts') ?? c.fail('starts are required');
  const ends = c.known(2) ?? c.intList('ends') ?? c.fail('ends are required');
  const axes = (c.known(3) ?? c.intList('axes') ?? starts.map((_, i) => i)).map((a) => normalizeAxis(a, dims.length, fail));
  const steps = c.known(4) ?? starts.map(() => 1);
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) {
    c.fail(`expected starts, ends, axes and steps of one length, got [${starts.join(',')}], [${ends.join(',')}], [${axes.join(',')}], [${steps.join(',')}]`);
  }
  if (new Set(axes).size !== axes.length) c.fail(`axes [${axes.join(',')}] repeat an axis`);
  const plan = dims.map((d): SlicedAxis => ({ start: 0, count: d, step: 1 }));
  axes.forEach((axis, k) => { plan[axis] = slicedAxis(dims[axis]!, starts[k]!, ends[k]!, steps[k]!, fail); });
  return plan;
}

/** ONNX DepthToSpace's CRD order (channel first, then the block's row and column) on NCHW images. */
function depthToSpaceCRD(x: Tensor, block: number): Tensor {
  const [batch, depth, height, width] = x.shape as [number, number, number, number];
  const channels = depth / (block * block);
  return pc.reshape(pc.transpose(pc.reshape(x, [batch, channels, block, block, height, width]), [0, 1, 4, 2, 5, 3]), [batch, channels, height * block, width * block]);
}

/** Checks a 4-D NCHW input and a block size of at least 2 for DepthToSpace and SpaceToDepth. */
function blockOf(c: NodeContext, x: Tensor): number {
  if (x.rank !== 4) c.fail(`expected an input of rank 4 (NCHW), got ${pc.formatShape(x.shape)}`);
  const block = c.int('blocksize', 0);
  if (!Number.isInteger(block) || block < 1) c.fail(`blocksize must be a positive integer, got ${block}`);
  return block;
}

export const STRUCTURE_INTERPRETERS: Readonly<Record<string, Interpreter>> = {
  // The actual shape on this call (the batch is known now), dimensions start to end (opset 15).
  Shape: (c) => {
    const dims = dimsOf(input(c, 0));
    return int64s(shapeRange(dims, c.int('start', 0), c.int('end', dims.length)));
  },
  Size: (c) => staticOf(ONNX_TYPE.INT64, [], [pc.sizeOf(dimsOf(input(c, 0)))]),
  Reshape: (c) => {
    const x = input(c, 0);
    const shape = c.known(1) ?? c.fail('the shape input is required');
    return reshaped(x, reshapeTarget(dimsOf(x), shape, c.int('allowzero', 0) === 1, failer(c)));
  },
  Flatten: (c) => {
    const x = input(c, 0);
    return reshaped(x, flattenedDims(dimsOf(x), c.int('axis', 1), failer(c)));
  },
  // Axes are an input from opset 13, an attribute before.
  Unsqueeze: (c) => {
    const x = input(c, 0);
    const axes = c.known(1) ?? c.intList('axes') ?? c.fail('the axes are required');
    return reshaped(x, unsqueezedDims(dimsOf(x), axes, failer(c)));
  },
  Squeeze: (c) => {
    const x = input(c, 0);
    return reshaped(x, squeezedDims(dimsOf(x), c.known(1) ?? c.intList('axes'), failer(c)));
  },
  Concat: (c) => {
    const xs = c.inputs.map((_, i) => input(c, i));
    const axis = normalizeAxis(c.int('axis', 0), dimsOf(xs[0]!).length, failer(c));
    return xs.every(isStatic) ? concatenated(xs, axis, failer(c)) : pc.concat(c.tensors(), axis);
  },
  Gather: (c) => {
    const [x, indices] = [input(c, 0), input(c, 1)];
    const dims = dimsOf(x);
    const axis = normalizeAxis(c.int('axis', 0), dims.length, failer(c));
    const size = dims[axis]!;
    if (isStatic(x) && isStatic(indices)) return gathered(x, indices, axis, failer(c));
    // Indices may count from the end; computed ones are cast to core's int32 and wrapped too.
    const idx = isStatic(indices)
      ? pc.tensor(indices.values.map((i) => (i < 0 ? i + size : i)), [...indices.dims], 'int32')
      : pc.tidy(() => {
        const i = pc.cast(indices, 'int32');
        return pc.where(pc.less(i, 0), pc.add(i, size), i);
      });
    return pc.gather(c.tensor(0), idx, axis);
  },
  Slice: (c) => {
    const x = input(c, 0);
    const plan = slicePlan(c, dimsOf(x));
    return isStatic(x) ? sliced(x, plan) : slicedTensor(x, plan);
  },
  // Sizes from the `split` input (opset 13) or attribute, num_outputs pieces (opset 18), or as many equal pieces as outputs.
  Split: (c) => {
    const x = input(c, 0);
    const dims = dimsOf(x);
    const axis = normalizeAxis(c.int('axis', 0), dims.length, failer(c));
    const numOutputs = c.has('num_outputs') ? c.int('num_outputs', 0) : undefined;
    const sizes = splitSizes(dims[axis]!, c.known(1) ?? c.intList('split'), (c.node.output ?? []).length, numOutputs, failer(c));
    return pieces(x, sizes, axis, failer(c));
  },
  Tile: (c) => {
    const x = input(c, 0);
    const repeats = c.known(1) ?? c.fail('the repeats input is required');
    const rank = dimsOf(x).length;
    if (repeats.length !== rank || repeats.some((r) => !Number.isInteger(r) || r < 0)) {
      c.fail(`expected ${rank} non-negative repeats, one per axis of ${pc.formatShape(dimsOf(x))}, got [${repeats.join(',')}]`);
    }
    return isStatic(x) && foldable(repeats.map((r, i) => r * x.dims[i]!)) ? tiled(x, repeats) : pc.tile(c.tensor(0), repeats);
  },
  // ONNX's Expand broadcasts both ways: the result has the larger of each pair of dimensions.
  Expand: (c) => {
    const x = input(c, 0);
    const target = broadcast(c, dimsOf(x), c.known(1) ?? c.fail('the shape input is required'));
    if (isStatic(x) && foldable(target)) return expanded(x, target);
    const t = c.tensor(0);
    return target.join() === t.shape.join() ? t : pc.broadcastTo(t, target);
  },
  // A known shape filled with the `value` attribute's one entry (float 0 when left out).
  ConstantOfShape: (c) => {
    const shape = c.known(0) ?? c.fail('the shape input is required');
    if (shape.some((d) => !Number.isInteger(d) || d < 0)) c.fail(`expected a shape of non-negative integers, got [${shape.join(',')}]`);
    const fill = c.attribute('value')?.t;
    const { onnxType, values } = fill ? staticValue(fill, `importOnnx: node '${c.node.name}'`) : { onnxType: ONNX_TYPE.FLOAT, values: [0] };
    const value = values[0] ?? 0;
    if (!foldable(shape)) return pc.fill(shape, value, dtypeOf(onnxType, `importOnnx: node '${c.node.name}'`));
    return staticOf(onnxType, shape, new Array<number>(pc.sizeOf(shape)).fill(value));
  },
  Range: (c) => {
    const [start, limit, delta] = [0, 1, 2].map((i) => {
      const value = c.known(i) ?? c.fail(`input ${i} is required`);
      if (value.length !== 1) c.fail(`expected scalar start, limit and delta, got ${value.length} values for input ${i}`);
      return value[0]!;
    });
    const onnxType = (c.inputs[0] as StaticValue).onnxType;
    const count = rangeLength(start!, limit!, delta!, failer(c));
    return foldable([count]) ? ranged(start!, delta!, count, onnxType) : pc.range(start!, limit!, delta!, dtypeOf(onnxType, `importOnnx: node '${c.node.name}'`));
  },
  Cast: (c) => {
    const x = input(c, 0);
    const to = c.int('to', 0);
    const dtype = dtypeOf(to, `importOnnx: node '${c.node.name}' (Cast)`);
    return isStatic(x) ? cast(x, to) : pc.cast(x, dtype);
  },
  // Inference: the input itself, and a mask (if asked for) that keeps everything.
  Dropout: (c) => {
    const x = input(c, 0);
    if (c.known(2)?.[0]) c.fail('training_mode true is not supported; an imported Dropout runs as in inference, passing its input through');
    if (!(c.node.output ?? [])[1]) return x;
    const dims = dimsOf(x);
    return [x, isStatic(x) ? staticOf(ONNX_TYPE.BOOL, dims, x.values.map(() => 1)) : pc.fill(dims, true)];
  },
  DepthToSpace: (c) => {
    const x = c.tensor(0);
    const block = blockOf(c, x);
    if (x.shape[1]! % (block * block) !== 0) c.fail(`the ${x.shape[1]} channels of ${pc.formatShape(x.shape)} must be a multiple of blocksize² = ${block * block}`);
    const mode = c.string('mode', 'DCR');
    if (mode !== 'DCR' && mode !== 'CRD') c.fail(`mode '${mode}' is not supported; expected 'DCR' or 'CRD'`);
    if (block === 1) return x;
    return mode === 'DCR' ? pc.depthToSpace(x, block, 'NCHW') : depthToSpaceCRD(x, block);
  },
  SpaceToDepth: (c) => {
    const x = c.tensor(0);
    const block = blockOf(c, x);
    const [batch, channels, height, width] = x.shape as [number, number, number, number];
    if (height % block !== 0 || width % block !== 0) c.fail(`the height and width of ${pc.formatShape(x.shape)} must be multiples of blocksize ${block}`);
    const [h, w] = [height / block, width / block];
    return pc.reshape(pc.transpose(pc.reshape(x, [batch, channels, h, block, w, block]), [0, 3, 5, 1, 2, 4]), [batch, channels * block * block, h, w]);
  },
  // The upper (or lower) triangle of the last two axes from the k-th diagonal on; zeros elsewhere.
  Trilu: (c) => {
    const x = input(c, 0);
    const dims = dimsOf(x);
    if (dims.length < 2) c.fail(`expected an input of rank 2 or more, got ${pc.formatShape(dims)}`);
    const k = c.known(1)?.[0] ?? 0;
    const keep = triangle(dims[dims.length - 2]!, dims[dims.length - 1]!, k, c.int('upper', 1) === 1);
    if (isStatic(x)) return elementwise('Trilu', [keep, x], x.onnxType, (on, v) => (on ? v! : 0));
    return pc.tidy(() => pc.where(toTensor(keep, 'importOnnx'), x, pc.zerosLike(x)));
  },
};
