import type { KernelTensor } from '@perceptron/core';
import { FIRST_FLOAT, FLOAT_BYTES, type WasmKernels } from './wasm-module.js';
import type { Float32Source } from '../array-pool.js';

/** The functions kernels.wat's `sigmoidTanh` computes, by its `mode`. */
export const TRANSCENDENTAL_MODES = { sigmoid: 0, tanh: 1 } as const;
export type TranscendentalName = keyof typeof TRANSCENDENTAL_MODES;

/** Floats per kernel call: one region of 16 K floats (64 KB) stays in a core's L2 cache between copying in, computing and copying out. */
const CHUNK = 16384;

/**
 * float32 sigmoid or tanh in the wasm kernel, in place in one region of its memory, a chunk at a
 * time; null (the caller falls back to the naive kernel) for other dtypes. Each value is computed in
 * float64 and rounded once, within an ulp of the naive kernel's (kernels.wat says why).
 * `float32` gives the output array (written in full).
 */
export function wasmTranscendental(wasm: WasmKernels, name: TranscendentalName, x: KernelTensor, float32: Float32Source): Float32Array | null {
  if (x.dtype !== 'float32') return null;
  const values = x.handle as Float32Array;
  const out = float32(values.length);
  const floats = wasm.reserve(FIRST_FLOAT + CHUNK);
  for (let start = 0; start < values.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, values.length);
    floats.set(values.subarray(start, end), FIRST_FLOAT);
    wasm.run.sigmoidTanh(TRANSCENDENTAL_MODES[name], FIRST_FLOAT * FLOAT_BYTES, end - start);
    out.set(floats.subarray(FIRST_FLOAT, FIRST_FLOAT + end - start), start);
  }
  return out;
}
