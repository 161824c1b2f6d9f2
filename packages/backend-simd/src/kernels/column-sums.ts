import { FIRST_FLOAT, FLOAT_BYTES, roundUp, type WasmKernels } from './wasm-module.js';

/**
 * Floats of a matrix copied in per kernel call: 64 KB, still in the core's cache when the
 * kernel reads them, so the copy and the sums read main memory once, as a plain loop does.
 */
const CHUNK = 16384;

const DOUBLE_FLOATS = Float64Array.BYTES_PER_ELEMENT / FLOAT_BYTES;

/**
 * The column sums of `outer` matrices of `rows` × `cols` floats stored one after another in
 * `values`, into `out` (outer × cols) with kernels.wat's sumColumns: each sum adds its column
 * in float64 in increasing row order and rounds once to float32, as the naive kernel does. The
 * float64 sums wait in the kernels' memory while the matrices come in chunks of whole rows.
 */
export function columnSums(wasm: WasmKernels, values: Float32Array, outer: number, rows: number, cols: number, out: Float32Array): void {
  const sumsAt = FIRST_FLOAT;
  const chunkRows = Math.max(1, Math.floor(CHUNK / cols));
  const xAt = roundUp(sumsAt + outer * cols * DOUBLE_FLOATS, 4);
  const floats = wasm.reserve(xAt + chunkRows * cols);
  const sums = new Float64Array(floats.buffer, sumsAt * FLOAT_BYTES, outer * cols);
  sums.fill(0);
  for (let o = 0; o < outer; o++) {
    for (let first = 0; first < rows; first += chunkRows) {
      const count = Math.min(chunkRows, rows - first);
      const from = (o * rows + first) * cols;
      floats.set(values.subarray(from, from + count * cols), xAt);
      wasm.run.sumColumns(xAt * FLOAT_BYTES, count, cols, (sumsAt + o * cols * DOUBLE_FLOATS) * FLOAT_BYTES);
    }
  }
  out.set(sums);
}
