import { runsOf, type Task } from './helper-threads.js';
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

/** Below this many multiply-adds one thread is faster: waking a helper costs more. */
const MIN_SHARED_PRODUCT = 1 << 21;
/**
 * Below this many multiply-adds per value copied in or out (m·k·n over m·k + k·n + m·n), the
 * copies, which stay on the calling thread and cost more into a shared memory, outweigh what
 * the helpers save: the lab MLP's predict (1000×784×16, 15 per value) ran up to 1.4× slower shared.
 */
const MIN_INTENSITY = 24;

/** Whether an m×k×n product is large and dense enough to share among threads. */
export const worthSharing = (m: number, k: number, n: number): boolean =>
  m * k * n >= MIN_SHARED_PRODUCT && m * k * n >= MIN_INTENSITY * (m * k + k * n + m * n);

/** The gemm kernel's arguments (addresses in bytes). */
interface GemmCall {
  ap: number; bp: number; c: number; m: number; k: number; nPanels: number; bias: number; relu: number; skipZeros: number;
}

/**
 * `call` as the kernels' tasksPerJob tasks of consecutive rows (all rows in one on a single
 * thread, or for a product too small to share): whole 4-row blocks of packed A, so rows
 * first.. start at ap + first·k·4 bytes, and C's row first at c + first·nPanels·32. Each row
 * of C is computed as it would be alone.
 */
function gemmTasks(wasm: WasmKernels, call: GemmCall): Task[] {
  const { ap, bp, c, m, k, nPanels, bias, relu, skipZeros } = call;
  const tasks = worthSharing(m, k, nPanels * PANEL_COLUMNS) ? wasm.tasksPerJob : 1;
  return runsOf(m, tasks, BLOCK_ROWS).map(([first, rows]) =>
    [ap + first * k * FLOAT_BYTES, bp, c + first * nPanels * PANEL_COLUMNS * FLOAT_BYTES, rows, k, nPanels, bias, relu, skipZeros]);
}

/** Zeros among (at most) 1024 evenly spaced values of A above which the kernel skips zero blocks. */
const SKIP_ZEROS_ABOVE = 0.7;
const SAMPLES = 1024;

/**
 * Whether A is mostly zeros (images, for one), judged from a sample: then the kernel's test for
 * all-zero blocks of A pays for itself. Skipping a zero drops 0·B(p, j), which is only right
 * when B(p, j) is finite (0·NaN and 0·∞ are NaN), so `multiply` also asks `allFinite` of B.
 */
export function mostlyZeros(a: Float32Array, offset: number, size: number): boolean {
  const step = Math.max(1, Math.floor(size / SAMPLES));
  let zeros = 0;
  let seen = 0;
  for (let i = offset; i < offset + size; i += step, seen++) if (a[i] === 0) zeros++;
  return seen > 0 && zeros > SKIP_ZEROS_ABOVE * seen;
}

/**
 * Whether the `count` floats at `at` in the kernels' memory are all finite, through the dot
 * kernel: Σ b² is finite only if every b is (a NaN or ∞ makes it NaN or ∞). Values above ~1e19
 * overflow their square and answer false, which only costs the zero-skipping. A JS loop over
 * the wide MLP's 784×512 weights takes 0.6 ms, a tenth of its training step; this pass did not
 * show in the step's time (measured 6.8–8.5 ms/step with and without it, noisy).
 */
export function allFinite(wasm: WasmKernels, at: number, count: number): boolean {
  return Number.isFinite(wasm.run.dot(at * FLOAT_BYTES, at * FLOAT_BYTES, count, K_BLOCK));
}

/**
 * The longest run of k the kernel sums in one float32 chain. A longer product sums such blocks
 * and adds the blocks' results in float64: a chain's error grows with its length (a 10 M-term
 * dot product of values near 0.25 came out 1.2 % low), and a block's stays within
 * 4,096·2^-24 ≈ 2.4e-4 of Σ|a·b|, ~1e-6 in practice. Dense layers (k = inputs or batch) stay
 * in one block, so their results do not change.
 */
export const K_BLOCK = 4096;

/** Floats of each vector copied into the kernel's memory per dot-kernel pass: a few blocks, still in L2. */
export const DOT_CHUNK = 4 * K_BLOCK;

/** A single column, and A's rows lie along k in memory (one row, or A not transposed): the dot kernel's case. */
const isMatrixVector = (p: Product): boolean => p.n === 1 && (p.m === 1 || !p.transposeA);

/**
 * C(i) = A(i, :)·B(:, 0) for each row i with the dot kernel (kernels.wat explains why not
 * gemm): B's column and A's rows go through in chunks of DOT_CHUNK floats, and each row's
 * chunk sums are added in float64.
 */
function matrixVector(wasm: WasmKernels, p: Product): void {
  const { m, k } = p;
  const sums = new Float64Array(m);
  for (let from = 0; from < k; from += DOT_CHUNK) {
    const length = Math.min(DOT_CHUNK, k - from);
    const rowFloats = roundUp(length, 4);
    const bAt = FIRST_FLOAT;
    const aAt = bAt + rowFloats;
    const floats = wasm.reserve(aAt + m * rowFloats);
    floats.set(p.b.subarray(p.bOffset + from, p.bOffset + from + length), bAt);
    for (let i = 0; i < m; i++) {
      const rowStart = p.aOffset + i * k + from;
      floats.set(p.a.subarray(rowStart, rowStart + length), aAt + i * rowFloats);
    }
    for (let i = 0; i < m; i++) sums[i]! += wasm.run.dot((aAt + i * rowFloats) * FLOAT_BYTES, bAt * FLOAT_BYTES, length, K_BLOCK);
  }
  finishFromSums(sums, p);
}

/** Writes C from float64 sums as the kernels end a product: the float32 sum, plus the bias in float32, then relu. */
function finishFromSums(sums: Float64Array, p: Product): void {
  const { m, n } = p;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let value = Math.fround(sums[i * n + j]!);
      if (p.bias) value = Math.fround(value + p.bias[j]!);
      // Math.max propagates NaN, as the kernel's f32x4.max does.
      p.out[p.outOffset + i * n + j] = p.relu ? Math.max(value, 0) : value;
    }
  }
}

/**
 * Runs one product in the wasm kernel: copies A and B in, packs A into 4-row blocks and B into
 * 8-column panels (transposing either on the way if needed, so every transpose combination
 * runs the same loop), runs the 4×8-blocked SIMD loop and copies the result out; k longer
 * than K_BLOCK goes through in blocks of K_BLOCK. A product with a single column whose A rows
 * lie along k goes to the dot kernel instead (matrixVector).
 */
export function multiply(wasm: WasmKernels, p: Product): void {
  const { m, k, n } = p;
  if (m === 0 || n === 0) return;
  if (isMatrixVector(p)) {
    matrixVector(wasm, p);
    return;
  }
  const nPadded = roundUp(n, PANEL_COLUMNS);
  const mPadded = roundUp(m, BLOCK_ROWS);
  const kBlock = Math.min(k, K_BLOCK);
  // Layout in floats, every region starting on 16 bytes for the vector loads: bias, A, A
  // packed (one block), B, B packed (one block), C.
  const biasAt = FIRST_FLOAT;
  const aAt = biasAt + nPadded;
  const aPackedAt = roundUp(aAt + m * k, 4);
  const bAt = aPackedAt + mPadded * kBlock;
  const bPackedAt = roundUp(bAt + k * n, 4);
  const cAt = bPackedAt + kBlock * nPadded;
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
  const skipZeros = mostlyZeros(p.a, p.aOffset, m * k) && allFinite(wasm, bAt, k * n) ? 1 : 0;
  /** C = A(:, from..from+length)·B(from..from+length, :), with bias and relu when asked. */
  const productOfBlock = (from: number, length: number, withBiasAndRelu: boolean): void => {
    wasm.run.packA((aAt + from * aCol) * FLOAT_BYTES, aRow * FLOAT_BYTES, aCol * FLOAT_BYTES, m, length, aPackedAt * FLOAT_BYTES);
    wasm.run.packB((bAt + from * bRow) * FLOAT_BYTES, bRow * FLOAT_BYTES, bCol * FLOAT_BYTES, length, n, bPackedAt * FLOAT_BYTES);
    wasm.runTasks('gemm', gemmTasks(wasm, {
      ap: aPackedAt * FLOAT_BYTES, bp: bPackedAt * FLOAT_BYTES, c: cAt * FLOAT_BYTES,
      m, k: length, nPanels: nPadded / PANEL_COLUMNS,
      bias: withBiasAndRelu && p.bias ? biasAt * FLOAT_BYTES : 0, relu: withBiasAndRelu && p.relu ? 1 : 0, skipZeros,
    }));
  };

  if (k <= K_BLOCK) {
    productOfBlock(0, k, true);
    if (nPadded === n) {
      p.out.set(floats.subarray(cAt, cAt + m * n), p.outOffset);
    } else {
      for (let i = 0; i < m; i++) p.out.set(floats.subarray(cAt + i * nPadded, cAt + i * nPadded + n), p.outOffset + i * n);
    }
    return;
  }
  const sums = new Float64Array(m * n);
  for (let from = 0; from < k; from += K_BLOCK) {
    productOfBlock(from, Math.min(K_BLOCK, k - from), false);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) sums[i * n + j]! += floats[cAt + i * nPadded + j]!;
    }
  }
  finishFromSums(sums, p);
}
