import { RandomGenerator, type Conv2DGeometry, type KernelTensor } from '@perceptron/core';
import type { NaiveHandle } from '@perceptron/backend-naive';
import * as workerThreads from 'node:worker_threads';
import { nodeHelperHost } from '../src/kernels/helper-hosts.js';
import { WasmKernels } from '../src/kernels/wasm-module.js';

/** Seeded float32 values in [-1, 1). */
export function randomFloats(size: number, seed: number): Float32Array {
  const g = new RandomGenerator(seed);
  return Float32Array.from({ length: size }, () => 2 * g.nextFloat() - 1);
}

export function float32(handle: Float32Array, shape: number[]): KernelTensor<NaiveHandle> {
  return { handle, shape, dtype: 'float32' };
}

/** A product in float64, with Σ|a·b| per element: the scale of a float32 sum's rounding error. */
export interface Reference { values: Float64Array; magnitudes: Float64Array }

/**
 * One m×k by k×n product from operands stored as the kernel receives them (A as m×k, or k×m
 * when transposeA; B as k×n, or n×k when transposeB), summed in float64.
 */
export function referenceProduct(
  a: Float32Array, b: Float32Array, m: number, k: number, n: number, transposeA: boolean, transposeB: boolean,
): Reference {
  const values = new Float64Array(m * n);
  const magnitudes = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let magnitude = 0;
      for (let p = 0; p < k; p++) {
        const term = a[transposeA ? p * m + i : i * k + p]! * b[transposeB ? j * k + p : p * n + j]!;
        sum += term;
        magnitude += Math.abs(term);
      }
      values[i * n + j] = sum;
      magnitudes[i * n + j] = magnitude;
    }
  }
  return { values, magnitudes };
}

/**
 * Indexes where `got` is further from `want` than a float32 sum of k products may be: each
 * product and each addition rounds once (unit roundoff 2^-24), so the error is at most
 * (k + 1)·2^-24·Σ|a·b|, plus the final rounding of the value; the bound allows twice that.
 */
export function outsideSumBound(got: Float32Array, want: Reference, k: number): number[] {
  const u = 2 ** -24;
  const bad: number[] = [];
  for (let i = 0; i < got.length; i++) {
    const bound = 2 * ((k + 1) * u * want.magnitudes[i]! + u * Math.abs(want.values[i]!)) + 1e-30;
    if (!(Math.abs(got[i]! - want.values[i]!) <= bound)) bad.push(i);
  }
  return bad;
}

/** A convolution's geometry as core plans it, from the image, filter and settings. */
export function convolutionGeometry(batch: number, [inHeight, inWidth]: [number, number], inChannels: number, [filterHeight, filterWidth]: [number, number], outChannels: number,
  { strides = [1, 1], dilations = [1, 1], pads = [0, 0, 0, 0] }: { strides?: [number, number]; dilations?: [number, number]; pads?: [number, number, number, number] } = {}): Conv2DGeometry {
  const [padTop, padBottom, padLeft, padRight] = pads;
  const out = (input: number, taps: number, stride: number, dilation: number, before: number, after: number): number =>
    Math.floor((before + input + after - (taps - 1) * dilation - 1) / stride) + 1;
  return {
    batch, inHeight, inWidth, inChannels, outChannels, filterHeight, filterWidth,
    outHeight: out(inHeight, filterHeight, strides[0], dilations[0], padTop, padBottom),
    outWidth: out(inWidth, filterWidth, strides[1], dilations[1], padLeft, padRight),
    strideHeight: strides[0], strideWidth: strides[1], dilationHeight: dilations[0], dilationWidth: dilations[1],
    padTop, padBottom, padLeft, padRight,
  };
}

export const imageShape = (g: Conv2DGeometry): number[] => [g.batch, g.inHeight, g.inWidth, g.inChannels];
export const filterShape = (g: Conv2DGeometry): number[] => [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels];
export const outputShape = (g: Conv2DGeometry): number[] => [g.batch, g.outHeight, g.outWidth, g.outChannels];

/**
 * Kernels that share every job's tasks among `threads` threads, whatever its size, with the
 * helpers ready (waiting up to 10 s): an empty job starts them.
 */
export async function sharedKernels(threads = 3): Promise<WasmKernels> {
  const kernels = await WasmKernels.create(threads, nodeHelperHost(workerThreads));
  kernels.runTasks('gemm', []);
  for (const deadline = Date.now() + 10_000; kernels.threadsAtWork < threads && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 10));
  return kernels;
}
