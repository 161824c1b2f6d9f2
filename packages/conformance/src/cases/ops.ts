import * as core from '@perceptron/core';
import type { DType, Tensor } from '@perceptron/core';
import * as ref from '../reference/index.js';
import type { NDArray } from '../reference/index.js';
import { IMAGE_OPS } from './image-ops.js';
import { IMAGE_EXTRA_OPS } from './image-extra-ops.js';
import { NN_EXTRA_OPS } from './nn-extra-ops.js';
import { ARRAY_EXTRA_OPS } from './array-extra-ops.js';
import { ARRAY_MOVEMENT_EXTRA_OPS } from './array-movement-extra-ops.js';
import { VOLUME_OPS } from './volume-ops.js';
import { ELEMENTWISE_EXTRA_OPS } from './elementwise-extra-ops.js';
import { LINALG_SIGNAL_OPS } from './linalg-signal-ops.js';
import { SPECTRAL_OPS } from './spectral-ops.js';
import type { Attrs } from './types.js';

/** How the table runs one op on a backend and on the oracle. */
export interface OpSpec {
  /** The op through core's public API. `xs` are the case's inputs as tensors. */
  run(xs: Tensor[], attrs: Attrs): Tensor;
  /** The same op on the float64 oracle. */
  reference(xs: NDArray[], attrs: Attrs, dtypes: DType[]): NDArray;
  /** dtype of the result; default: that of the first input (float32 when there is none). */
  dtype?(dtypes: DType[], attrs: Attrs): DType;
  /** Float32 terms accumulated per output element (scales the tolerance); default 1. */
  reductionLength?(shapes: (readonly number[])[], attrs: Attrs): number;
  /** False for ops whose output carries no gradient (the tape must then give null). */
  differentiable: boolean;
}

const BOOL = (): DType => 'bool';
const axesLength = (shape: readonly number[], axis: Attrs['axis']): number =>
  ref.resolveAxes(axis, shape.length).reduce((n, a) => n * shape[a]!, 1);

function unary(name: keyof typeof ref.UNARY, fn: (x: Tensor) => Tensor): OpSpec {
  return {
    run: ([x]) => fn(x!),
    reference: ([x], _attrs, dtypes) => ref.elementwise([x!], (dtypes[0] === 'int32' ? ref.INT32_UNARY[name] : undefined) ?? ref.UNARY[name]!),
    differentiable: true,
  };
}

function binary(name: string, fn: (a: Tensor, b: Tensor) => Tensor): OpSpec {
  const comparison = !['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'floorDiv', 'mod'].includes(name);
  return {
    run: ([a, b]) => fn(a!, b!),
    reference: ([a, b], _attrs, dtypes) => ref.elementwise([a!, b!], (dtypes[0] === 'int32' ? ref.INT32_BINARY[name] : undefined) ?? ref.BINARY[name]!),
    ...(comparison ? { dtype: BOOL } : {}),
    differentiable: !comparison,
  };
}

function reduction(name: 'sum' | 'mean' | 'max' | 'min'): OpSpec {
  return {
    run: ([x], a) => core[name](x!, a.axis, a.keepDims ?? false),
    reference: ([x], a, dtypes) => (name === 'mean' && dtypes[0] === 'int32' ? ref.intMean : ref[name])(x!, a.axis, a.keepDims ?? false),
    reductionLength: name === 'sum' || name === 'mean' ? ([s], a) => axesLength(s!, a.axis) : undefined,
    differentiable: true,
  };
}

function boolReduction(name: 'any' | 'all'): OpSpec {
  return { run: ([x], a) => core[name](x!, a.axis, a.keepDims ?? false), reference: ([x], a) => ref[name](x!, a.axis, a.keepDims ?? false), differentiable: false };
}

function creation(run: (a: Attrs) => Tensor, reference: (a: Attrs) => NDArray): OpSpec {
  return { run: (_xs, a) => run(a), reference: (_xs, a) => reference(a), dtype: (_d, a) => a.dtype ?? 'float32', differentiable: false };
}

const filled = (shape: readonly number[], v: number): NDArray => ref.generate(shape, () => v);

/** Every public op of core, keyed by the name the cases and the tolerance table use. */
export const OPS = {
  add: binary('add', core.add),
  sub: binary('sub', core.sub),
  mul: binary('mul', core.mul),
  div: binary('div', core.div),
  pow: binary('pow', core.pow),
  maximum: binary('maximum', core.maximum),
  minimum: binary('minimum', core.minimum),
  floorDiv: binary('floorDiv', core.floorDiv),
  mod: binary('mod', core.mod),
  equal: binary('equal', core.equal),
  notEqual: binary('notEqual', core.notEqual),
  less: binary('less', core.less),
  lessEqual: binary('lessEqual', core.lessEqual),
  greater: binary('greater', core.greater),
  greaterEqual: binary('greaterEqual', core.greaterEqual),
  logicalAnd: binary('logicalAnd', core.logicalAnd),
  logicalOr: binary('logicalOr', core.logicalOr),
  logicalXor: binary('logicalXor', core.logicalXor),
  logicalNot: { run: ([x]) => core.logicalNot(x!), reference: ([x]) => ref.elementwise([x!], (v) => Number(v === 0)), differentiable: false },
  prod: {
    run: ([x], a) => core.prod(x!, a.axis, a.keepDims ?? false), reference: ([x], a) => ref.prod(x!, a.axis, a.keepDims ?? false),
    reductionLength: ([s], a) => axesLength(s!, a.axis), differentiable: true,
  },
  /** Row `piece` 0 checks the values, 1 the indices. */
  topk: {
    run: ([x], a) => {
      const { values, indices } = core.topk(x!, a.k);
      const [checked, other] = a.piece === 1 ? [indices, values] : [values, indices];
      other.dispose();
      return checked;
    },
    reference: ([x], a) => { const { values, indices } = ref.topk(x!, a.k ?? 1); return a.piece === 1 ? indices : values; },
    dtype: (dtypes, a) => (a.piece === 1 ? 'int32' : dtypes[0]!), differentiable: true,
  },
  any: boolReduction('any'),
  all: boolReduction('all'),

  neg: unary('neg', core.neg),
  abs: unary('abs', core.abs),
  sign: unary('sign', core.sign),
  exp: unary('exp', core.exp),
  log: unary('log', core.log),
  log1p: unary('log1p', core.log1p),
  softplus: unary('softplus', core.softplus),
  sqrt: unary('sqrt', core.sqrt),
  square: unary('square', core.square),
  relu: unary('relu', core.relu),
  sin: unary('sin', core.sin),
  cos: unary('cos', core.cos),
  floor: unary('floor', core.floor),
  ceil: unary('ceil', core.ceil),
  round: unary('round', core.round),
  sigmoid: unary('sigmoid', core.sigmoid),
  tanh: unary('tanh', core.tanh),
  erf: unary('erf', core.erf),

  softmax: {
    run: ([x]) => core.softmax(x!), reference: ([x]) => ref.softmax(x!),
    reductionLength: ([s]) => s![s!.length - 1]!, differentiable: true,
  },
  logSoftmax: {
    run: ([x]) => core.logSoftmax(x!), reference: ([x]) => ref.logSoftmax(x!),
    reductionLength: ([s]) => s![s!.length - 1]!, differentiable: true,
  },
  softmaxCrossEntropyWithLogits: {
    run: ([labels, logits]) => core.softmaxCrossEntropyWithLogits(labels!, logits!),
    reference: ([labels, logits]) => ref.softmaxCrossEntropy(labels!, logits!),
    reductionLength: ([s]) => s![s!.length - 1]!, differentiable: true,
  },

  sum: reduction('sum'),
  mean: reduction('mean'),
  max: reduction('max'),
  min: reduction('min'),
  argMax: {
    run: ([x], a) => core.argMax(x!, a.axis as number), reference: ([x], a) => ref.argMax(x!, a.axis as number),
    dtype: () => 'int32', differentiable: false,
  },
  cumsum: {
    run: ([x], a) => core.cumsum(x!, a.axis as number, a.exclusive, a.reverse),
    reference: ([x], a) => ref.cumsum(x!, ref.resolveAxes(a.axis ?? 0, x!.shape.length)[0]!, a.exclusive ?? false, a.reverse ?? false),
    reductionLength: ([s], a) => s![ref.resolveAxes(a.axis ?? 0, s!.length)[0]!]!, differentiable: true,
  },
  argMin: {
    run: ([x], a) => core.argMin(x!, a.axis as number), reference: ([x], a) => ref.argMin(x!, a.axis as number),
    dtype: () => 'int32', differentiable: false,
  },

  matMul: {
    run: ([x, y], a) => core.matMul(x!, y!, a.transposeA, a.transposeB),
    reference: ([x, y], a) => ref.matMul(x!, y!, a.transposeA, a.transposeB),
    reductionLength: ([s], a) => s![s!.length - (a.transposeA ? 2 : 1)]!, differentiable: true,
  },
  einsum: {
    run: (xs, a) => core.einsum(a.equation!, ...xs),
    reference: (xs, a) => ref.einsum(a.equation!, xs),
    reductionLength: (shapes, a) => ref.einsumTerms(a.equation!, shapes), differentiable: true,
  },
  dense: {
    run: ([x, w, b], a) => core.dense(x!, w!, b ?? null, a.activation),
    reference: ([x, w, b], a) => ref.dense(x!, w!, b ?? null, a.activation ?? 'linear'),
    reductionLength: ([s]) => s![1]! + 1, differentiable: true,
  },
  ...IMAGE_OPS,
  ...IMAGE_EXTRA_OPS,
  ...NN_EXTRA_OPS,
  ...ARRAY_EXTRA_OPS,
  ...ARRAY_MOVEMENT_EXTRA_OPS,
  ...VOLUME_OPS,
  ...ELEMENTWISE_EXTRA_OPS,
  ...LINALG_SIGNAL_OPS,
  ...SPECTRAL_OPS,

  reshape: { run: ([x], a) => core.reshape(x!, a.shape!), reference: ([x], a) => ref.reshape(x!, a.shape!), differentiable: true },
  expandDims: {
    run: ([x], a) => core.expandDims(x!, a.axis as number),
    reference: ([x], a) => {
      const shape = [...x!.shape];
      const axis = a.axis as number;
      shape.splice(axis < 0 ? axis + shape.length + 1 : axis, 0, 1);
      return ref.reshape(x!, shape);
    },
    differentiable: true,
  },
  squeeze: {
    run: ([x], a) => core.squeeze(x!, a.axis),
    reference: ([x], a) => {
      const axes = a.axis === undefined ? null : ref.resolveAxes(a.axis, x!.shape.length);
      return ref.reshape(x!, x!.shape.filter((d, i) => (axes ? !axes.includes(i) : d !== 1)));
    },
    differentiable: true,
  },
  transpose: {
    run: ([x], a) => core.transpose(x!, a.perm),
    reference: ([x], a) => ref.transpose(x!, a.perm ?? x!.shape.map((_, i) => x!.shape.length - 1 - i)),
    differentiable: true,
  },
  slice: { run: ([x], a) => core.slice(x!, a.begin!, a.size), reference: ([x], a) => ref.slice(x!, a.begin!, a.size!), differentiable: true },
  tile: { run: ([x], a) => core.tile(x!, a.reps!), reference: ([x], a) => ref.tile(x!, a.reps!), differentiable: true },
  reverse: {
    run: ([x], a) => core.reverse(x!, a.axis),
    reference: ([x], a) => ref.reverse(x!, ref.resolveAxes(a.axis, x!.shape.length)), differentiable: true,
  },
  pad: {
    run: ([x], a) => core.pad(x!, a.paddings!, a.value ?? 0),
    reference: ([x], a) => ref.pad(x!, a.paddings!, a.value ?? 0), differentiable: true,
  },
  concat: { run: (xs, a) => core.concat(xs, a.axis as number), reference: (xs, a) => ref.concat(xs, a.axis as number), differentiable: true },
  stack: {
    run: (xs, a) => core.stack(xs, a.axis as number | undefined),
    reference: (xs, a) => ref.stack(xs, ref.resolveAxes(a.axis ?? 0, xs[0]!.shape.length + 1)[0]!), differentiable: true,
  },
  split: {
    run: ([x], a) => core.split(x!, a.pieces!, a.axis as number | undefined)[a.piece!]!,
    reference: ([x], a) => {
      const axis = ref.resolveAxes(a.axis ?? 0, x!.shape.length)[0]!;
      const length = x!.shape[axis]!;
      const listed = typeof a.pieces === 'number' ? new Array<number>(a.pieces).fill(length / a.pieces) : a.pieces!;
      const rest = length - listed.filter((n) => n !== -1).reduce((n, m) => n + m, 0);
      return ref.piece(x!, listed.map((n) => (n === -1 ? rest : n)), axis, a.piece!);
    },
    differentiable: true,
  },
  unstack: {
    run: ([x], a) => core.unstack(x!, a.axis as number | undefined)[a.piece!]!,
    reference: ([x], a) => {
      const axis = ref.resolveAxes(a.axis ?? 0, x!.shape.length)[0]!;
      const sliced = ref.piece(x!, new Array<number>(x!.shape[axis]!).fill(1), axis, a.piece!);
      return ref.reshape(sliced, x!.shape.filter((_, d) => d !== axis));
    },
    differentiable: true,
  },
  gather: {
    run: ([x, i], a) => core.gather(x!, i!, a.axis as number),
    reference: ([x, i], a) => ref.gather(x!, i!, a.axis as number), differentiable: true,
  },
  gatherND: { run: ([x, i]) => core.gatherND(x!, i!), reference: ([x, i]) => ref.gatherND(x!, i!), differentiable: true },
  scatterND: {
    run: ([i, u], a) => core.scatterND(i!, u!, a.shape!), reference: ([i, u], a) => ref.scatterND(i!, u!, a.shape!),
    dtype: (dtypes) => dtypes[1]!, reductionLength: ([i]) => i!.slice(0, -1).reduce((n, d) => n * d, 1), differentiable: true,
  },
  unsortedSegmentSum: {
    run: ([x, ids], a) => core.unsortedSegmentSum(x!, ids!, a.numSegments!),
    reference: ([x, ids], a) => ref.unsortedSegmentSum(x!, ids!, a.numSegments!),
    reductionLength: ([x, ids]) => x!.slice(0, ids!.length).reduce((n, d) => n * d, 1), differentiable: true,
  },
  oneHot: {
    run: ([i], a) => core.oneHot(i!, a.depth!, a.onValue, a.offValue),
    reference: ([i], a) => ref.oneHot(i!, a.depth!, a.onValue ?? 1, a.offValue ?? 0),
    dtype: () => 'float32', differentiable: false,
  },
  broadcastTo: { run: ([x], a) => core.broadcastTo(x!, a.shape!), reference: ([x], a) => ref.broadcastTo(x!, a.shape!), differentiable: true },
  where: {
    run: ([c, x, y]) => core.where(c!, x!, y!), reference: ([c, x, y]) => ref.where(c!, x!, y!),
    dtype: (d) => d[1]!, differentiable: true,
  },
  cast: {
    run: ([x], a) => core.cast(x!, a.dtype!), reference: ([x], a) => ref.cast(x!, a.dtype!),
    dtype: (_d, a) => a.dtype!, differentiable: true,
  },
  clipByValue: {
    run: ([x], a) => core.clipByValue(x!, a.min!, a.max!), reference: ([x], a) => ref.clip(x!, a.min!, a.max!), differentiable: true,
  },
  stopGradient: { run: ([x]) => core.stopGradient(x!), reference: ([x]) => x!, differentiable: false },

  /**
   * Adam from a fresh optimizer: input 0 is the variable's start, the others one gradient per
   * step. It exercises the fused `adamUpdate` kernel where a backend has one.
   */
  adam: {
    run: ([x, ...grads], a) => {
      const v = core.variable(x!);
      const optimizer = new core.Adam({ learningRate: a.lr!, beta1: a.beta1!, beta2: a.beta2!, epsilon: a.epsilon! });
      for (const g of grads) optimizer.applyGradients([[g, v]]);
      const result = core.reshape(v, v.shape);
      optimizer.dispose();
      v.dispose();
      return result;
    },
    reference: ([x, ...grads], a) => ref.adam(x!, grads, { lr: a.lr!, beta1: a.beta1!, beta2: a.beta2!, epsilon: a.epsilon! }),
    reductionLength: (shapes) => shapes.length - 1, differentiable: false,
  },

  fill: creation((a) => core.fill(a.shape!, a.value!, a.dtype), (a) => filled(a.shape!, a.value!)),
  zeros: creation((a) => core.zeros(a.shape!, a.dtype), (a) => filled(a.shape!, 0)),
  ones: creation((a) => core.ones(a.shape!, a.dtype), (a) => filled(a.shape!, 1)),
  range: creation(
    (a) => core.range(a.start!, a.stop!, a.step, a.dtype),
    (a) => ref.generate([Math.max(0, Math.ceil((a.stop! - a.start!) / (a.step ?? 1)))], ([i]) => a.start! + i! * (a.step ?? 1)),
  ),
  zerosLike: { run: ([x]) => core.zerosLike(x!), reference: ([x]) => filled(x!.shape, 0), differentiable: false },
  onesLike: { run: ([x]) => core.onesLike(x!), reference: ([x]) => filled(x!.shape, 1), differentiable: false },
  /** `tensor` from a typed array: what every other case relies on, checked on its own. */
  tensor: { run: ([x]) => core.tensor(x!.dataSync(), x!.shape, x!.dtype), reference: ([x]) => x!, differentiable: false },
  variable: {
    run: ([x]) => {
      const v = core.variable(x!);
      // A Variable is never owned by tidy; hand back a plain copy so the case leaks nothing.
      const copy = core.reshape(v, v.shape);
      v.dispose();
      return copy;
    },
    reference: ([x]) => x!, differentiable: false,
  },
} satisfies Record<string, OpSpec>;

export type OpName = keyof typeof OPS;
