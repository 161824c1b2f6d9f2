import type { BinaryKernelName, KernelTensor, Shape } from '@perceptron/core';
import { FIRST_FLOAT, FLOAT_BYTES, roundUp, type WasmKernels } from './wasm-module.js';
import type { Float32Source } from '../array-pool.js';

/** The binary kernels kernels.wat runs, by its `op` code: arithmetic, then comparisons (bool out). */
const OP_CODES = {
  add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5,
  greater: 6, greaterEqual: 7, less: 8, lessEqual: 9, equal: 10, notEqual: 11,
} as const satisfies Partial<Record<BinaryKernelName, number>>;
const FIRST_COMPARISON = OP_CODES.greater;
export type WasmBinaryName = keyof typeof OP_CODES;

/**
 * Where an input of `shape` finds element (r, c) of an output seen as rows × cols (cols = its
 * last dimension), as [row stride, column stride] in floats, for the broadcasts a dense
 * network runs: the same shape, one value, one row repeated ([n] against [batch, n]), one
 * column repeated ([batch, 1] against [batch, n]). Null for any other broadcast.
 * Core has checked that `shape` broadcasts to the output, so a matching size is enough.
 */
function stridesIn(shape: Shape, rows: number, cols: number): [number, number] | null {
  const size = shape.reduce((s, d) => s * d, 1);
  const last = shape.length === 0 ? 1 : shape[shape.length - 1];
  if (size === rows * cols) return [cols, 1];
  if (size === 1) return [0, 0];
  if (size === cols && last === cols) return [0, 1];
  if (size === rows && last === 1) return [1, 0];
  return null;
}

/**
 * Elements per operand per kernel call when neither input is broadcast along rows or columns:
 * three regions of 16 K floats stay in a core's L2 cache, so copying in, computing and copying
 * out read and write main memory once, as a plain loop does.
 */
const CHUNK = 16384;

/** Strides of an input that is whole ([cols, 1]) or one value ([0, 0]), not a row or column. */
const wholeOrOneValue = ([row, col]: [number, number]): boolean => (row === 0) === (col === 0);

/** A view of the `count` results the kernel wrote at float index `outAt`: float32, or bytes (bool) for comparisons. */
function resultsAt(floats: Float32Array, op: number, outAt: number, count: number): Float32Array | Uint8Array {
  return op < FIRST_COMPARISON ? floats.subarray(outAt, outAt + count) : new Uint8Array(floats.buffer, outAt * FLOAT_BYTES, count);
}

/** An output array of `total` results: float32 from `float32`, or bytes (bool) for comparisons. */
const outputFor = (op: number, total: number, float32: Float32Source): Float32Array | Uint8Array =>
  (op < FIRST_COMPARISON ? float32(total) : new Uint8Array(total));

/**
 * float32 arithmetic, maximum/minimum (float32 out) and comparisons (bool out) four lanes at a
 * time, for the broadcasts `stridesIn` knows; null (the caller falls back to the naive
 * kernel) for other dtypes, broadcasts or empty outputs. Results equal the naive kernel's:
 * float32 + − × ÷ round as float64 rounded to float32 does, max/min and comparisons are exact.
 * `float32` gives float outputs (each is written in full).
 */
export function wasmBinary(
  wasm: WasmKernels, name: WasmBinaryName, a: KernelTensor, b: KernelTensor, outShape: Shape, float32: Float32Source,
): Float32Array | Uint8Array | null {
  if (a.dtype !== 'float32') return null;
  const cols = outShape.length === 0 ? 1 : outShape[outShape.length - 1]!;
  const total = outShape.reduce((s, d) => s * d, 1);
  if (total === 0) return null;
  const rows = total / cols;
  const aStrides = stridesIn(a.shape, rows, cols);
  const bStrides = stridesIn(b.shape, rows, cols);
  if (!aStrides || !bStrides) return null;
  const aValues = a.handle as Float32Array;
  const bValues = b.handle as Float32Array;
  const op = OP_CODES[name];
  // Each input is whole or one value: the output is a flat run of elements, done in chunks.
  const flat = wholeOrOneValue(aStrides) && wholeOrOneValue(bStrides);
  // The kernel reads and writes whole vectors, up to 3 values past each region: 4 floats of
  // slack. The output region is sized in floats, which also fits bytes.
  const [aLength, bLength, outLength] = flat
    ? [Math.min(aValues.length, CHUNK), Math.min(bValues.length, CHUNK), Math.min(total, CHUNK)]
    : [aValues.length, bValues.length, total];
  const aAt = FIRST_FLOAT;
  const bAt = roundUp(aAt + aLength + 4, 4);
  const outAt = roundUp(bAt + bLength + 4, 4);
  const floats = wasm.reserve(outAt + outLength + 4);
  if (!flat) {
    floats.set(aValues, aAt);
    floats.set(bValues, bAt);
    wasm.run.binary(
      op,
      aAt * FLOAT_BYTES, aStrides[0] * FLOAT_BYTES, aStrides[1] * FLOAT_BYTES,
      bAt * FLOAT_BYTES, bStrides[0] * FLOAT_BYTES, bStrides[1] * FLOAT_BYTES,
      outAt * FLOAT_BYTES, rows, cols,
    );
    const out = outputFor(op, total, float32);
    out.set(resultsAt(floats, op, outAt, total));
    return out;
  }
  // One value is copied once; a whole input chunk by chunk.
  if (aValues.length === 1) floats[aAt] = aValues[0]!;
  if (bValues.length === 1) floats[bAt] = bValues[0]!;
  const out = outputFor(op, total, float32);
  for (let start = 0; start < total; start += CHUNK) {
    const count = Math.min(CHUNK, total - start);
    if (aValues.length > 1) floats.set(aValues.subarray(start, start + count), aAt);
    if (bValues.length > 1) floats.set(bValues.subarray(start, start + count), bAt);
    wasm.run.binary(
      op,
      aAt * FLOAT_BYTES, 0, aValues.length > 1 ? FLOAT_BYTES : 0,
      bAt * FLOAT_BYTES, 0, bValues.length > 1 ? FLOAT_BYTES : 0,
      outAt * FLOAT_BYTES, 1, count,
    );
    out.set(resultsAt(floats, op, outAt, count), start);
  }
  return out;
}
