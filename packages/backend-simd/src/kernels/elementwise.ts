import type { BinaryKernelName, KernelTensor, Shape } from '@perceptron/core';
import { FIRST_FLOAT, FLOAT_BYTES, roundUp, type WasmKernels } from './wasm-module.js';
import type { Float32Source } from '../array-pool.js';

/** The binary kernels kernels.wat runs, by its `op` code: arithmetic, then comparisons (bool out). */
export const OP_CODES = {
  add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5,
  greater: 6, greaterEqual: 7, less: 8, lessEqual: 9, equal: 10, notEqual: 11,
} as const satisfies Partial<Record<BinaryKernelName, number>>;
const FIRST_COMPARISON = OP_CODES.greater;
export type WasmBinaryName = keyof typeof OP_CODES;

/**
 * How an input lines up with the output seen as rows × cols (cols = its last dimension), for
 * the broadcasts a network runs: the same shape, one value, one row repeated ([n] against
 * [batch, n]), one column repeated ([batch, 1] against [batch, n]). Null for any other
 * broadcast. Core has checked that `shape` broadcasts to the output, so a matching size is enough.
 */
type Alignment = 'whole' | 'one' | 'row' | 'column';

function alignmentOf(shape: Shape, rows: number, cols: number): Alignment | null {
  const size = shape.reduce((s, d) => s * d, 1);
  const last = shape.length === 0 ? 1 : shape[shape.length - 1];
  if (size === rows * cols) return 'whole';
  if (size === 1) return 'one';
  if (size === cols && last === cols) return 'row';
  if (size === rows && last === 1) return 'column';
  return null;
}

/**
 * Values per operand per kernel call (whole rows of them, at least one): three regions of
 * 16 K floats stay in a core's L2 cache, so copying in, computing and copying out read and
 * write main memory once, as a plain loop does.
 */
const CHUNK = 16384;

/** The kernel reads and writes whole vectors, up to 3 values past each region's end. */
const SLACK = 4;

/** Repeats the row of `rowLength` floats at `at` until `length` floats from `at` hold copies of it, doubling the copied run each time. */
export function repeatRow(floats: Float32Array, at: number, rowLength: number, length: number): void {
  for (let filled = rowLength; filled < length; filled *= 2) floats.copyWithin(at + filled, at, at + Math.min(filled, length - filled));
}

/**
 * One input laid out in the kernel's memory at float `at` as the flat run of a chunk's values
 * the kernel reads: a whole input's chunk copied in, one value written 4 times (the kernel
 * does not move along it), a row repeated for every row of a chunk (once per call), a column's
 * values each repeated along its row.
 */
class Operand {
  constructor(private readonly values: Float32Array, private readonly alignment: Alignment, readonly at: number) {}

  /** Bytes the kernel moves along this operand per vector. */
  get step(): number {
    return this.alignment === 'one' ? 0 : 4 * FLOAT_BYTES;
  }

  /** Floats of memory this operand needs for chunks of `chunkRows` rows of `cols`. */
  static length(alignment: Alignment, chunkRows: number, cols: number): number {
    return (alignment === 'one' ? 1 : chunkRows * cols) + SLACK;
  }

  /** Writes what stays the same from chunk to chunk. */
  prepare(floats: Float32Array, chunkRows: number, cols: number): void {
    if (this.alignment === 'one') floats.fill(this.values[0]!, this.at, this.at + 4);
    if (this.alignment !== 'row') return;
    floats.set(this.values, this.at);
    repeatRow(floats, this.at, cols, chunkRows * cols);
  }

  /** Writes rows first..first+count of a chunk. */
  load(floats: Float32Array, first: number, count: number, cols: number): void {
    if (this.alignment === 'whole') floats.set(this.values.subarray(first * cols, (first + count) * cols), this.at);
    if (this.alignment !== 'column') return;
    for (let r = 0; r < count; r++) floats.fill(this.values[first + r]!, this.at + r * cols, this.at + (r + 1) * cols);
  }
}

/**
 * float32 arithmetic, maximum/minimum (float32 out) and comparisons (bool out) four lanes at a
 * time, for the broadcasts `alignmentOf` knows; null (the caller falls back to the naive
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
  const [aAlignment, bAlignment] = [alignmentOf(a.shape, rows, cols), alignmentOf(b.shape, rows, cols)];
  if (!aAlignment || !bAlignment) return null;
  const op = OP_CODES[name];
  const chunkRows = Math.min(rows, Math.max(1, Math.floor(CHUNK / cols)));
  // Regions from 16-byte boundaries; the output's is sized in floats, which also fits bytes.
  const left = new Operand(a.handle as Float32Array, aAlignment, FIRST_FLOAT);
  const right = new Operand(b.handle as Float32Array, bAlignment, roundUp(left.at + Operand.length(aAlignment, chunkRows, cols), 4));
  const outAt = roundUp(right.at + Operand.length(bAlignment, chunkRows, cols), 4);
  const floats = wasm.reserve(outAt + chunkRows * cols + SLACK);
  left.prepare(floats, chunkRows, cols);
  right.prepare(floats, chunkRows, cols);
  const out = op < FIRST_COMPARISON ? float32(total) : new Uint8Array(total);
  const results = op < FIRST_COMPARISON ? floats : new Uint8Array(floats.buffer, outAt * FLOAT_BYTES);
  const resultsAt = op < FIRST_COMPARISON ? outAt : 0;
  for (let first = 0; first < rows; first += chunkRows) {
    const count = Math.min(chunkRows, rows - first);
    left.load(floats, first, count, cols);
    right.load(floats, first, count, cols);
    wasm.run.binary(op, left.at * FLOAT_BYTES, left.step, right.at * FLOAT_BYTES, right.step, outAt * FLOAT_BYTES, count * cols);
    out.set(results.subarray(resultsAt, resultsAt + count * cols), first * cols);
  }
  return out;
}
