import { broadcastShapes, formatShape, sizeOf, stridesOf, Tensor } from '@perceptron/core';
import { ONNX_TYPE } from '../proto.js';
import type { StaticValue, Value } from './values.js';

// Shape arithmetic on values known while the graph runs. PyTorch writes `x.view(x.size(0), -1)`
// as Shape → Gather → Unsqueeze → Concat → Reshape: the batch is only known per call, so these
// ops fold their StaticValues in plain numbers (as onnxruntime would in int64) and hand a
// StaticValue on, which Reshape, Expand, Tile and the rest can then read as their shape.
// Everything here works on numbers; the interpreters choose between this and core's ops.

/** Reports a problem with the node being run (NodeContext.fail). */
export type Fail = (reason: string) => never;

/**
 * The most entries a value made here may have and stay static: shapes and index lists are far
 * smaller, while a mask of ConstantOfShape or an Expand of a constant to an activation's shape
 * belongs on the backend, not in JavaScript numbers.
 */
export const FOLD_LIMIT = 1 << 16;

/** Whether a result of `dims` is small enough to compute in numbers. */
export const foldable = (dims: readonly number[]): boolean => sizeOf(dims) <= FOLD_LIMIT;

export function isStatic(value: Value | undefined): value is StaticValue {
  return value !== undefined && !(value instanceof Tensor);
}

/** A StaticValue of `onnxType`, its numbers stored as that type holds them (float32, whole numbers, 0/1). */
export function staticOf(onnxType: number, dims: readonly number[], values: ArrayLike<number>): StaticValue {
  const exact = onnxType === ONNX_TYPE.FLOAT ? Math.fround
    : onnxType === ONNX_TYPE.BOOL ? (v: number) => (v ? 1 : 0)
      : onnxType === ONNX_TYPE.INT32 ? (v: number) => Math.trunc(v) | 0 : Math.trunc;
  return { kind: 'static', onnxType, dims: [...dims], values: Array.from(values, exact) };
}

/** A 1-D int64 value, what Shape gives. */
export const int64s = (values: readonly number[]): StaticValue => staticOf(ONNX_TYPE.INT64, [values.length], values);

/** `axis` counted from the end when negative, checked against `rank`. */
export function normalizeAxis(axis: number, rank: number, fail: Fail, what = 'axis'): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) fail(`${what} ${axis} is out of range for rank ${rank}; expected [${-rank}, ${rank - 1}]`);
  return axis < 0 ? axis + rank : axis;
}

/** The multi-index of each flat position of `dims`, in row-major order. */
function* indicesOf(dims: readonly number[]): Generator<number[]> {
  const size = sizeOf(dims);
  const index = dims.map(() => 0);
  for (let n = 0; n < size; n++) {
    yield index;
    for (let d = dims.length - 1; d >= 0; d--) {
      if (++index[d]! < dims[d]!) break;
      index[d] = 0;
    }
  }
}

/**
 * The one pattern behind every movement of a static value: an output of `dims` whose entry at
 * each multi-index is x's entry at `from(index)`.
 */
export function moved(x: StaticValue, dims: readonly number[], from: (index: readonly number[]) => readonly number[]): StaticValue {
  const strides = stridesOf(x.dims);
  const values: number[] = [];
  for (const index of indicesOf(dims)) values.push(x.values[from(index).reduce((flat, i, d) => flat + i * strides[d]!, 0)]!);
  return { kind: 'static', onnxType: x.onnxType, dims: [...dims], values };
}

/** `f` of the operands' entries, broadcast together as NumPy does, stored as `onnxType`. */
export function elementwise(op: string, operands: readonly StaticValue[], onnxType: number, f: (...xs: number[]) => number): StaticValue {
  const dims = broadcastShapes(op, ...operands.map((o) => o.dims));
  const spread = operands.map((o) => moved(o, dims, (index) => index.slice(dims.length - o.dims.length).map((i, d) => (o.dims[d] === 1 ? 0 : i))).values);
  return staticOf(onnxType, dims, Array.from({ length: sizeOf(dims) }, (_, n) => f(...spread.map((v) => v[n]!))));
}

/** The C remainder (fmod 1): the sign of the dividend. */
export const truncatedRemainder = (a: number, b: number): number => a % b;

/** The floored remainder (fmod 0): the sign of the divisor, as Python's %. */
export const flooredRemainder = (a: number, b: number): number => {
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
};

/** Converts to `onnxType`: float → int truncates towards zero, anything → bool is `x != 0`. */
export const cast = (x: StaticValue, onnxType: number): StaticValue => staticOf(onnxType, x.dims, x.values);

/** Shape's `start` and `end` (opset 15): counted from the end when negative, clamped to the rank. */
export function shapeRange(dims: readonly number[], start: number, end: number): number[] {
  const clamp = (i: number) => Math.min(Math.max(i < 0 ? i + dims.length : i, 0), dims.length);
  return dims.slice(clamp(start), clamp(end));
}

/**
 * Reshape's target: 0 copies the input's dimension at that place (unless `allowZero`), one −1 is
 * what the rest leaves; the sizes must agree.
 */
export function reshapeTarget(dims: readonly number[], shape: readonly number[], allowZero: boolean, fail: Fail): number[] {
  const copied = shape.map((d, i) => {
    if (d !== 0 || allowZero) return d;
    return dims[i] ?? fail(`shape [${shape.join(',')}] copies dimension ${i} (a 0), which the input ${formatShape(dims)} lacks`);
  });
  const unknown = copied.filter((d) => d === -1).length;
  const known = sizeOf(copied.filter((d) => d !== -1));
  const size = sizeOf(dims);
  const resolved = copied.map((d) => (d === -1 ? size / known : d));
  if (unknown > 1 || copied.some((d) => !Number.isInteger(d) || d < -1) || sizeOf(resolved) !== size || !resolved.every(Number.isInteger)) {
    fail(`expected a shape of the input's ${size} elements (at most one -1), got [${shape.join(',')}] for the input ${formatShape(dims)}`);
  }
  return resolved;
}

/** Unsqueeze: a 1 at each of `axes`, counted in the output's rank. */
export function unsqueezedDims(dims: readonly number[], axes: readonly number[], fail: Fail): number[] {
  const rank = dims.length + axes.length;
  const inserted = new Set(axes.map((a) => normalizeAxis(a, rank, fail)));
  if (inserted.size !== axes.length) fail(`axes [${axes.join(',')}] repeat an axis`);
  const rest = [...dims];
  return Array.from({ length: rank }, (_, i) => (inserted.has(i) ? 1 : rest.shift()!));
}

/** Squeeze: without the axes listed, each of which must be 1, or without every 1. */
export function squeezedDims(dims: readonly number[], axes: readonly number[] | undefined, fail: Fail): number[] {
  if (axes === undefined) return dims.filter((d) => d !== 1);
  const removed = new Set(axes.map((a) => normalizeAxis(a, dims.length, fail)));
  for (const a of removed) if (dims[a] !== 1) fail(`cannot squeeze axis ${a} of shape ${formatShape(dims)}: it is ${dims[a]}, not 1`);
  return dims.filter((_, i) => !removed.has(i));
}

/** Flatten at `axis`: [the dimensions before it multiplied, those from it multiplied]. */
export function flattenedDims(dims: readonly number[], axis: number, fail: Fail): [number, number] {
  if (!Number.isInteger(axis) || axis < -dims.length || axis > dims.length) fail(`axis ${axis} is out of range for rank ${dims.length}; expected [${-dims.length}, ${dims.length}]`);
  const at = axis < 0 ? axis + dims.length : axis;
  return [sizeOf(dims.slice(0, at)), sizeOf(dims.slice(at))];
}

/** What one axis of a Slice takes: `count` entries from `start`, `step` apart. */
export interface SlicedAxis {
  readonly start: number;
  readonly count: number;
  readonly step: number;
}

/**
 * One axis of ONNX Slice: negative starts and ends count from the end, then are clamped — to
 * [0, dim] going forwards, to [0, dim − 1] for the start and [−1, dim − 1] for the end going
 * backwards (−1 there means past the first entry).
 */
export function slicedAxis(dim: number, start: number, end: number, step: number, fail: Fail): SlicedAxis {
  if (step === 0 || !Number.isInteger(step)) fail(`steps must be non-zero integers, got ${step}`);
  const fromEnd = (i: number) => (i < 0 ? i + dim : i);
  const clamp = (i: number, low: number, high: number) => Math.min(Math.max(i, low), high);
  const [first, last] = step > 0
    ? [clamp(fromEnd(start), 0, dim), clamp(fromEnd(end), 0, dim)]
    : [clamp(fromEnd(start), 0, dim - 1), clamp(fromEnd(end), -1, dim - 1)];
  return { start: first, count: Math.max(0, Math.ceil((last - first) / step)), step };
}

/** x's entries at `axes`, one SlicedAxis per axis of x. */
export const sliced = (x: StaticValue, axes: readonly SlicedAxis[]): StaticValue =>
  moved(x, axes.map((a) => a.count), (index) => index.map((i, d) => axes[d]!.start + i * axes[d]!.step));

/** Gather along `axis`: x's slices at `indices` (negative ones count from the end). */
export function gathered(x: StaticValue, indices: StaticValue, axis: number, fail: Fail): StaticValue {
  const size = x.dims[axis]!;
  const positions = indices.values.map((i) => {
    if (i < -size || i >= size) fail(`index ${i} is out of range for dimension ${axis} of ${formatShape(x.dims)}; expected [${-size}, ${size - 1}]`);
    return i < 0 ? i + size : i;
  });
  const picked = indices.dims.length;
  const dims = [...x.dims.slice(0, axis), ...indices.dims, ...x.dims.slice(axis + 1)];
  const indexStrides = stridesOf(indices.dims);
  return moved(x, dims, (index) => [
    ...index.slice(0, axis),
    positions[index.slice(axis, axis + picked).reduce((flat, i, d) => flat + i * indexStrides[d]!, 0)]!,
    ...index.slice(axis + picked),
  ]);
}

/** xs joined along `axis`; their other dimensions must agree. */
export function concatenated(xs: readonly StaticValue[], axis: number, fail: Fail): StaticValue {
  const first = xs[0]!;
  if (xs.some((x) => x.dims.length !== first.dims.length || x.dims.some((d, i) => i !== axis && d !== first.dims[i]))) {
    fail(`expected inputs whose shapes differ only along axis ${axis}, got ${xs.map((x) => formatShape(x.dims)).join(', ')}`);
  }
  const dims = first.dims.map((d, i) => (i === axis ? xs.reduce((n, x) => n + x.dims[axis]!, 0) : d));
  const values: number[] = [];
  const outer = sizeOf(first.dims.slice(0, axis));
  for (let o = 0; o < outer; o++) {
    for (const x of xs) {
      const block = sizeOf(x.dims.slice(axis));
      values.push(...x.values.slice(o * block, (o + 1) * block));
    }
  }
  return { kind: 'static', onnxType: first.onnxType, dims, values };
}

/** x broadcast to `dims` (which broadcastShapes has checked). */
export const expanded = (x: StaticValue, dims: readonly number[]): StaticValue =>
  moved(x, dims, (index) => index.slice(dims.length - x.dims.length).map((i, d) => (x.dims[d] === 1 ? 0 : i)));

/** x repeated `repeats[d]` times along each axis d. */
export const tiled = (x: StaticValue, repeats: readonly number[]): StaticValue =>
  moved(x, x.dims.map((d, i) => d * repeats[i]!), (index) => index.map((i, d) => i % x.dims[d]!));

/** How many entries Range gives: start, start + delta, ... up to `limit`, excluded. */
export function rangeLength(start: number, limit: number, delta: number, fail: Fail): number {
  if (delta === 0 || !Number.isFinite(delta)) fail(`delta must be a non-zero finite number, got ${delta}`);
  return Math.max(Math.ceil((limit - start) / delta), 0);
}

/** Range's `count` entries, as the spec writes them: start + i · delta. */
export const ranged = (start: number, delta: number, count: number, onnxType: number): StaticValue =>
  staticOf(onnxType, [count], Array.from({ length: count }, (_, i) => start + i * delta));

/**
 * The lengths Split cuts `dim` into: the sizes given (which must add up to it), `outputs` equal
 * pieces, or (num_outputs, opset 18) pieces of ceil(dim / n), the last one shorter.
 */
export function splitSizes(dim: number, given: readonly number[] | undefined, outputs: number, numOutputs: number | undefined, fail: Fail): number[] {
  if (given !== undefined) {
    const total = given.reduce((a, b) => a + b, 0);
    if (given.length !== outputs || total !== dim || given.some((s) => !Number.isInteger(s) || s < 0)) {
      fail(`expected ${outputs} non-negative split sizes adding up to the axis's ${dim}, got [${given.join(',')}] (sum ${total})`);
    }
    return [...given];
  }
  if (numOutputs !== undefined) {
    const piece = Math.ceil(dim / numOutputs);
    if (numOutputs !== outputs || numOutputs < 1 || (numOutputs - 1) * piece > dim) {
      fail(`num_outputs ${numOutputs} must be the node's ${outputs} outputs and cut the axis's ${dim} entries into pieces of ceil(${dim} / ${numOutputs}), the last shorter`);
    }
    return Array.from({ length: numOutputs }, (_, i) => Math.min(piece, dim - i * piece));
  }
  if (dim % outputs !== 0) fail(`the axis's ${dim} entries do not split evenly into ${outputs} outputs; give the split sizes`);
  return Array.from({ length: outputs }, () => dim / outputs);
}

/** Trilu's keep mask for a [rows, columns] matrix: above (upper) or below the k-th diagonal, inclusive. */
export function triangle(rows: number, columns: number, k: number, upper: boolean): StaticValue {
  const values = Array.from({ length: rows * columns }, (_, n) => {
    const offset = (n % columns) - Math.floor(n / columns);
    return (upper ? offset >= k : offset <= k) ? 1 : 0;
  });
  return { kind: 'static', onnxType: ONNX_TYPE.BOOL, dims: [rows, columns], values };
}
