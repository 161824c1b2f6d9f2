import { FIRST_FLOAT, FLOAT_BYTES, roundUp, type WasmKernels } from './wasm-module.js';

/** One product `out = A·B (+ bias) (relu)` of an m×k by a k×n matrix, read from larger arrays. */
export interface Product {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** A is stored m×k from `aOffset`, or k×m when `transposeA`; likewise B (k×n, or n×k). */
  readonly a: Float32Array;
  readonly aOffset: number;
  readonly transposeA: boolean;
  readonly b: Float32Array;
  readonly bOffset: number;
  readonly transposeB: boolean;
  /** n values added to every row, or null. */
  readonly bias: Float32Array | null;
  readonly relu: boolean;
  /** Receives the m×n result, row-major, from `outOffset`. */
  readonly out: Float32Array;
  readonly outOffset: number;
}

/** The kernel's block: 4 rows × 8 columns (two f32x4 vectors). */
const BLOCK_ROWS = 4;
const PANEL_COLUMNS = 8;

/** Zeros among (at most) 1024 evenly spaced values of A above which the kernel skips zero blocks. */
const SKIP_ZEROS_ABOVE = 0.7;
const SAMPLES = 1024;

/**
 * Whether A is mostly zeros (images, for one), judged from a sample: then the kernel's test for
 * all-zero blocks of A pays for itself. Skipping a zero drops 0·B(p, j), as the naive kernel
 * does: an infinite or NaN B(p, j) then no longer turns the sum into NaN.
 */
function mostlyZeros(a: Float32Array, offset: number, size: number): boolean {
  const step = Math.max(1, Math.floor(size / SAMPLES));
  let zeros = 0;
  let seen = 0;
  for (let i = offset; i < offset + size; i += step, seen++) if (a[i] === 0) zeros++;
  return seen > 0 && zeros > SKIP_ZEROS_ABOVE * seen;
}

/**
 * Runs one product in the wasm kernel: copies A and B in, packs A into 4-row blocks and B into
 * 8-column panels (transposing either on the way if needed, so every transpose combination
 * runs the same loop), runs the 4×8-blocked SIMD loop and copies the result out.
 */
export function multiply(wasm: WasmKernels, p: Product): void {
  const { m, k, n } = p;
  if (m === 0 || n === 0) return;
  const nPadded = roundUp(n, PANEL_COLUMNS);
  const mPadded = roundUp(m, BLOCK_ROWS);
  // Layout in floats, every region starting on 16 bytes for the vector loads: bias, A, A
  // packed, B, B packed, C.
  const biasAt = FIRST_FLOAT;
  const aAt = biasAt + nPadded;
  const aPackedAt = roundUp(aAt + m * k, 4);
  const bAt = aPackedAt + mPadded * k;
  const bPackedAt = roundUp(bAt + k * n, 4);
  const cAt = bPackedAt + k * nPadded;
  const floats = wasm.reserve(cAt + mPadded * nPadded);

  floats.set(p.a.subarray(p.aOffset, p.aOffset + m * k), aAt);
  floats.set(p.b.subarray(p.bOffset, p.bOffset + k * n), bAt);
  if (p.bias) {
    floats.set(p.bias, biasAt);
    floats.fill(0, biasAt + n, biasAt + nPadded);
  }
  // Strides of A(i, p) and B(p, j) in floats: (row, column).
  const [aRow, aCol] = p.transposeA ? [1, m] : [k, 1];
  const [bRow, bCol] = p.transposeB ? [1, k] : [n, 1];
  wasm.run.packA(aAt * FLOAT_BYTES, aRow * FLOAT_BYTES, aCol * FLOAT_BYTES, m, k, aPackedAt * FLOAT_BYTES);
  wasm.run.packB(bAt * FLOAT_BYTES, bRow * FLOAT_BYTES, bCol * FLOAT_BYTES, k, n, bPackedAt * FLOAT_BYTES);
  wasm.run.gemm(
    aPackedAt * FLOAT_BYTES, bPackedAt * FLOAT_BYTES, cAt * FLOAT_BYTES,
    m, k, nPadded / PANEL_COLUMNS, p.bias ? biasAt * FLOAT_BYTES : 0, p.relu ? 1 : 0,
    mostlyZeros(p.a, p.aOffset, m * k) ? 1 : 0,
  );

  if (nPadded === n) {
    p.out.set(floats.subarray(cAt, cAt + m * n), p.outOffset);
  } else {
    for (let i = 0; i < m; i++) p.out.set(floats.subarray(cAt + i * nPadded, cAt + i * nPadded + n), p.outOffset + i * n);
  }
}
