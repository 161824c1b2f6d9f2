import { int32Power, roundHalfToEven, type BinaryKernelName, type DType, type Shape, type UnaryKernelName } from '@perceptron/core';
import { broadcastPositions } from './broadcast.js';
import { sizeOf } from './layout.js';
import { allocate, type NaiveHandle, type NaiveTensor } from './storage.js';

/*
 * Each elementwise kernel is a plain function of JS numbers, computed in float64; the kernel
 * loop converts the result to the output dtype (`converterTo`) and stores it. int32 has its
 * own division, which floors, and its own products (INT32_UNARY, INT32_BINARY): beyond 2^53 a
 * float64 product has already rounded away low bits that the store's wrap to 32 bits keeps, so
 * they multiply in 32 bits, exactly as TensorFlow's int32 kernels wrap.
 */
type UnaryFn = (x: number) => number;
type BinaryFn = (a: number, b: number) => number;

const UNARY: Record<UnaryKernelName, UnaryFn> = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: Math.sign,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  square: (x) => x * x,
  relu: (x) => Math.max(0, x),
  // Two forms so that exp never overflows: exp(-x) for x ≥ 0, exp(x) for x < 0.
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  tanh: Math.tanh,
  sin: Math.sin,
  cos: Math.cos,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfToEven,
};

const BINARY: Record<BinaryKernelName, BinaryFn> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: Math.max,
  minimum: Math.min,
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
};

/** Comparisons answer yes/no, so their output is bool whatever the inputs' dtype. */
const COMPARISONS: ReadonlySet<BinaryKernelName> = new Set<BinaryKernelName>(
  ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'],
);

const INT32_UNARY: Partial<Record<UnaryKernelName, UnaryFn>> = {
  square: (x) => Math.imul(x, x),
};

const INT32_BINARY: Partial<Record<BinaryKernelName, BinaryFn>> = {
  mul: Math.imul,
  // Rounds towards negative infinity (-7 / 2 = -4), as tfjs does.
  div: (a, b) => Math.floor(a / b),
  pow: int32Power,
};

/**
 * How a JS number becomes a value of `dtype`: float32 keeps it (the store rounds), int32
 * truncates towards zero, bool is `x != 0` (NaN counts as true, as in tfjs). Every kernel
 * result passes through this, so bool storage only ever holds 0 or 1 — a Uint8Array alone
 * would keep bool 1 + 1 as 2; instead add/maximum act as OR and mul/minimum as AND.
 */
function converterTo(dtype: DType): UnaryFn {
  if (dtype === 'bool') return (v) => (v !== 0 ? 1 : 0);
  if (dtype === 'int32') return Math.trunc;
  return (v) => v;
}

/** Unary kernel: same shape and dtype as `x`. */
export function unary(name: UnaryKernelName, x: NaiveTensor): NaiveHandle {
  const fn = (x.dtype === 'int32' ? INT32_UNARY[name] : undefined) ?? UNARY[name];
  const toDtype = converterTo(x.dtype);
  const out = allocate(x.dtype, x.handle.length);
  for (let i = 0; i < out.length; i++) out[i] = toDtype(fn(x.handle[i]));
  return out;
}

/** Binary kernel: both inputs broadcast to `outShape`. */
export function binary(name: BinaryKernelName, a: NaiveTensor, b: NaiveTensor, outShape: Shape): NaiveHandle {
  const dtype: DType = COMPARISONS.has(name) ? 'bool' : a.dtype;
  const fn = (a.dtype === 'int32' ? INT32_BINARY[name] : undefined) ?? BINARY[name];
  const toDtype = converterTo(dtype);
  const aAt = broadcastPositions(a.shape, outShape);
  const bAt = broadcastPositions(b.shape, outShape);
  const out = allocate(dtype, sizeOf(outShape));
  for (let i = 0; i < out.length; i++) out[i] = toDtype(fn(a.handle[aAt ? aAt[i] : i], b.handle[bAt ? bAt[i] : i]));
  return out;
}

/** `condition ? a : b` elementwise, all three broadcast to `outShape`; output has `a`'s dtype. */
export function where(condition: NaiveTensor, a: NaiveTensor, b: NaiveTensor, outShape: Shape): NaiveHandle {
  const conditionAt = broadcastPositions(condition.shape, outShape);
  const aAt = broadcastPositions(a.shape, outShape);
  const bAt = broadcastPositions(b.shape, outShape);
  const out = allocate(a.dtype, sizeOf(outShape));
  for (let i = 0; i < out.length; i++) {
    out[i] = condition.handle[conditionAt ? conditionAt[i] : i] ? a.handle[aAt ? aAt[i] : i] : b.handle[bAt ? bAt[i] : i];
  }
  return out;
}

/** float→int32 truncates towards zero; anything→bool is `x != 0`; bool→number is 0/1. */
export function cast(x: NaiveTensor, dtype: DType): NaiveHandle {
  const convert = converterTo(dtype);
  const out = allocate(dtype, x.handle.length);
  for (let i = 0; i < out.length; i++) out[i] = convert(x.handle[i]);
  return out;
}
