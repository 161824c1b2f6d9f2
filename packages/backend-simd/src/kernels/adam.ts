import type { FusedKernels, KernelTensor } from '@perceptron/core';
import { FIRST_FLOAT, FLOAT_BYTES, type WasmKernels } from './wasm-module.js';
import type { Float32Source } from '../array-pool.js';

/** lr, beta1, beta2, epsilon and step, as core passes them. */
export type AdamAttributes = Parameters<NonNullable<FusedKernels<unknown>['adamUpdate']>>[4];

/** Floats per array per pass: four arrays of 16 K floats (256 KB) stay in a core's L2 cache. */
const CHUNK = 16384;

/**
 * One Adam step (Keras 3's formula, as the naive kernel documents it) in the wasm kernel, four
 * lanes at a time and in float32 throughout, as core's composite ops compute it; the naive
 * kernel computes each element in float64 and rounds once. Moments that would turn subnormal
 * become 0, which changes no weight (kernels.wat says why). Large variables go through in
 * chunks, so that what is copied in is still in cache when it is updated and copied out.
 * `float32` gives the output arrays (each is written in full).
 */
export function adamUpdate(
  wasm: WasmKernels, variable: KernelTensor, gradient: KernelTensor, m: KernelTensor, v: KernelTensor, attrs: AdamAttributes,
  float32: Float32Source,
): [Float32Array, Float32Array, Float32Array] {
  const { lr, beta1, beta2, epsilon, step } = attrs;
  const alpha = (lr * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
  const [x, g, m0, v0] = [variable.handle, gradient.handle, m.handle, v.handle] as Float32Array[];
  const size = x!.length;
  const [nextX, nextM, nextV] = [float32(size), float32(size), float32(size)];
  // Four regions of CHUNK floats: x, g, m, v. The kernel updates x, m and v in place.
  const [xAt, gAt, mAt, vAt] = [FIRST_FLOAT, FIRST_FLOAT + CHUNK, FIRST_FLOAT + 2 * CHUNK, FIRST_FLOAT + 3 * CHUNK];
  const floats = wasm.reserve(FIRST_FLOAT + 4 * CHUNK);
  for (let start = 0; start < size; start += CHUNK) {
    const end = Math.min(start + CHUNK, size);
    const count = end - start;
    floats.set(x!.subarray(start, end), xAt);
    floats.set(g!.subarray(start, end), gAt);
    floats.set(m0!.subarray(start, end), mAt);
    floats.set(v0!.subarray(start, end), vAt);
    wasm.run.adam(xAt * FLOAT_BYTES, gAt * FLOAT_BYTES, mAt * FLOAT_BYTES, vAt * FLOAT_BYTES, count, alpha, 1 - beta1, 1 - beta2, epsilon);
    nextX.set(floats.subarray(xAt, xAt + count), start);
    nextM.set(floats.subarray(mAt, mAt + count), start);
    nextV.set(floats.subarray(vAt, vAt + count), start);
  }
  return [nextX, nextM, nextV];
}
