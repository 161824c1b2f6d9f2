import type { FusedActivation } from '@perceptron/core';
import { OP_CODES, repeatRow } from './elementwise.js';
import { MAX_TASKS, type Task } from './helper-threads.js';
import { copyIn, copyOut } from './padded-rows.js';
import { TRANSCENDENTAL_MODES } from './transcendental.js';
import { FLOAT_BYTES, type WasmKernels } from './wasm-module.js';

// A fused convolution's bias and activation, applied to its sums while they are still in the
// wasm kernels' memory, before the copy-out: in place, by the elementwise kernels (add with the
// bias row repeated, maximum with 0, sigmoid or tanh) over chunks of output rows, each chunk a
// task, so that on a threaded instance the helper threads share them as they share the
// convolution. Separate add and relu ops each read the output and write a new array (on one
// thread); here the output is written once. Each value is what those ops give on the unfused
// output: the same kernels, with the same operands in the same order.

/** What a convolution does to its sums before they come out: add a bias per output channel (or none), then an activation. */
export interface OutputStage {
  readonly bias: Float32Array | null;
  readonly activation: FusedActivation;
}

/** A plain convolution's: the sums as they are. */
export const PLAIN_OUTPUT: OutputStage = { bias: null, activation: 'linear' };

/** The elementwise kernel's step along an operand it moves through: one vector of 4 floats. */
const VECTOR_BYTES = 4 * FLOAT_BYTES;

/**
 * Floats of output rows per task (whole rows, at least one), and of the repeated bias: a task
 * is worth a call (~5 µs of adds), and 10 M outputs make jobs of a few hundred tasks that the
 * threads share evenly.
 */
const CHUNK = 16384;

/**
 * copyOut of `rows` rows of `cols` values, rows `stride` floats apart from float `at`, with
 * `stage` applied first; floats from `free` (16-byte aligned) are scratch. Padded lanes are
 * computed too (whole vectors) and left behind.
 */
export function copyOutStaged(wasm: WasmKernels, out: Float32Array, at: number, rows: number, cols: number, stride: number, free: number, stage: OutputStage): void {
  const { bias, activation } = stage;
  const chunkRows = Math.max(1, Math.floor(CHUNK / stride));
  const [biasAt, zeroAt] = [free, free + (bias ? chunkRows * stride : 0)];
  const floats = wasm.reserve(zeroAt + 4);
  const chunks: [address: number, length: number][] = [];
  for (let first = 0; first < rows; first += chunkRows) chunks.push([(at + first * stride) * FLOAT_BYTES, Math.min(chunkRows, rows - first) * stride]);
  if (bias) {
    copyIn(floats, biasAt, bias, 1, cols, stride);
    repeatRow(floats, biasAt, stride, chunkRows * stride);
    runOverChunks(wasm, 'binary', chunks.map(([chunk, length]) => [OP_CODES.add, chunk, VECTOR_BYTES, biasAt * FLOAT_BYTES, VECTOR_BYTES, chunk, length]));
  }
  if (activation === 'relu') {
    floats.fill(0, zeroAt, zeroAt + 4);
    runOverChunks(wasm, 'binary', chunks.map(([chunk, length]) => [OP_CODES.maximum, chunk, VECTOR_BYTES, zeroAt * FLOAT_BYTES, 0, chunk, length]));
  }
  if (activation === 'sigmoid' || activation === 'tanh') {
    runOverChunks(wasm, 'sigmoidTanh', chunks.map(([chunk, length]) => [TRANSCENDENTAL_MODES[activation], chunk, length]));
  }
  copyOut(out, floats, at, rows, cols, stride);
}

/** The tasks of one elementwise pass, in jobs of as many as the helper threads take. */
function runOverChunks(wasm: WasmKernels, kernel: 'binary' | 'sigmoidTanh', tasks: Task[]): void {
  for (let t = 0; t < tasks.length; t += MAX_TASKS) wasm.runTasks(kernel, tasks.slice(t, t + MAX_TASKS));
}
