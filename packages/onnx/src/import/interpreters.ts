import * as pc from '@perceptron/core';
import type { Tensor } from '@perceptron/core';
import { toNumber, type AttributeProto, type NodeProto } from '../proto.js';
import { convolution, transposedConvolution } from './convolution.js';
import { POOLING, pooling } from './pooling.js';
import { ACTIVATIONS } from './activations.js';
import { NORMALIZATION } from './normalization.js';
import { ARITHMETIC_INTERPRETERS } from './arithmetic.js';
import { REDUCTION_INTERPRETERS } from './reductions.js';
import { resize } from './resize.js';
import { SOFTMAX_INTERPRETERS } from './softmax.js';
import { ELEMENT_INTERPRETERS } from './elements.js';
import { SELECTION_INTERPRETERS } from './selection.js';
import { LIKE_INTERPRETERS } from './like.js';
import { LOSS_INTERPRETERS } from './losses.js';
import { GRID_SAMPLE } from './grid-sample.js';
import { STRUCTURE_INTERPRETERS } from './structure.js';
import { RECURRENT_INTERPRETERS } from './recurrent.js';
import { staticValue, toTensor, type Value } from './values.js';

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

export const INTERPRETERS: Readonly<Record<string, Interpreter>> = {
  Identity: (c) => c.inputs[0] ?? c.fail('input 0 is required'),
  Constant: (c) => {
    const value = c.attribute('value')?.t ?? c.fail('only Constant nodes with a tensor `value` are supported');
    return staticValue(value, `importOnnx: node '${c.node.name}'`);
  },
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
  Less: binary(pc.less),
  LessOrEqual: binary(pc.lessEqual),
  Greater: binary(pc.greater),
  GreaterOrEqual: binary(pc.greaterEqual),
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
  ReduceSum: reduce((x, axes, keep) => pc.sum(x, axes, keep)),
  ReduceMax: reduce((x, axes, keep) => pc.max(x, axes, keep)),
  ReduceMin: reduce((x, axes, keep) => pc.min(x, axes, keep)),
  ReduceMean: reduce((x, axes, keep) => pc.mean(x, axes, keep)),
  ReduceProd: reduce((x, axes, keep) => pc.prod(x, axes, keep)),
  // The k largest along `axis` (with largest 0 the k smallest: the largest of −x, negated back),
  // always sorted (ONNX allows any order when sorted is 0).
  TopK: (c) => {
    const x = c.tensor(0);
    const [k] = c.known(1) ?? c.fail('the input K is required');
    const smallest = c.int('largest', 1) === 0;
    // core's topk works along the last axis: another axis is swapped with it, and back.
    const axis = ((c.int('axis', -1) % x.rank) + x.rank) % x.rank;
    const swap = Array.from({ length: x.rank }, (_, i) => (i === axis ? x.rank - 1 : i === x.rank - 1 ? axis : i));
    const along = (t: Tensor): Tensor => (axis === x.rank - 1 ? t : pc.transpose(t, swap));
    const { values, indices } = pc.topk(along(smallest ? pc.neg(x) : x), k);
    return [along(smallest ? pc.neg(values) : values), along(indices)];
  },
  CumSum: (c) => {
    const [axis] = c.known(1) ?? c.fail('the axis input is required');
    return pc.cumsum(c.tensor(0), axis, c.int('exclusive', 0) === 1, c.int('reverse', 0) === 1);
  },
  Transpose: (c) => {
    const x = c.tensor(0);
    return pc.transpose(x, c.intList('perm') ?? Array.from({ length: x.rank }, (_, i) => x.rank - 1 - i));
  },
  Resize: resize,
  Einsum: (c) => pc.einsum(c.string('equation', ''), ...c.tensors()),
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
  ...POOLING,
  ...ACTIVATIONS,
  ...NORMALIZATION,
  ...STRUCTURE_INTERPRETERS,
  ...RECURRENT_INTERPRETERS,
  ...ARITHMETIC_INTERPRETERS,
  ...REDUCTION_INTERPRETERS,
  ...SOFTMAX_INTERPRETERS,
  ...ELEMENT_INTERPRETERS,
  ...SELECTION_INTERPRETERS,
  ...LIKE_INTERPRETERS,
  ...LOSS_INTERPRETERS,
  ...GRID_SAMPLE,
};
