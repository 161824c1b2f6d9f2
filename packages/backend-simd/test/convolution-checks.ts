// The checks of the wasm convolution kernels, full and depthwise, against the naive backend's
// loops, which add in float64 and round once: run on |x| and |filter|, those loops also give
// Σ|terms|, the scale of a float32 sum's rounding error. Each kernel is also run with its tasks
// shared among three threads, whatever its size, and must give the single-threaded values bit
// for bit.
import type { Conv2DGeometry, KernelTensor } from '@perceptron/core';
import { NaiveBackend, type NaiveHandle } from '@perceptron/backend-naive';
import { expect } from 'vitest';
import type { Float32Source } from '../src/array-pool.js';
import type { WasmKernels } from '../src/kernels/wasm-module.js';
import { SimdBackend } from '../src/index.js';
import { float32, outsideSumBound, randomFloats, sharedKernels } from './support.js';

export type Operands = [Float32Array, number[], Float32Array, number[]];

/** A kernel's operands' shapes, and the longest float32 chain it may sum. */
export interface KernelSpec {
  operands(g: Conv2DGeometry): number[][];
  chain(g: Conv2DGeometry): number;
}

type SimdKernel = (wasm: WasmKernels, a: KernelTensor<NaiveHandle>, b: KernelTensor<NaiveHandle>, g: Conv2DGeometry, float32: Float32Source) => Float32Array;
type BackendKernel = (a: KernelTensor<NaiveHandle>, b: KernelTensor<NaiveHandle>, g: Conv2DGeometry) => NaiveHandle;

export const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const abs = (values: Float32Array): Float32Array => values.map(Math.abs);

export interface ConvolutionChecks<N extends string> {
  /** simd on one thread. */
  backend: SimdBackend;
  naive: NaiveBackend;
  /** A wasm instance whose jobs are shared among three threads. */
  shared: WasmKernels;
  run(on: NaiveBackend, kernel: N, operands: Operands, g: Conv2DGeometry): Float32Array;
  runShared(kernel: N, operands: Operands, g: Conv2DGeometry): Float32Array;
  /** Random operands (reshaped by `shape`, e.g. made sparse): simd within float32 summation error of naive, and bit for bit itself when shared. */
  expectLikeNaive(kernel: N, g: Conv2DGeometry, seed: number, shape?: (values: Float32Array, operand: number) => Float32Array): void;
}

/** The checks of the kernels `specs` names, which module `kernels` runs on a wasm instance. */
export async function convolutionChecks<N extends string>(specs: Record<N, KernelSpec>, kernels: Record<N, SimdKernel>): Promise<ConvolutionChecks<N>> {
  const backend = await SimdBackend.create({ threads: 1 });
  const naive = new NaiveBackend();
  const shared = await sharedKernels();
  const run = (on: NaiveBackend, kernel: N, [a, aShape, b, bShape]: Operands, g: Conv2DGeometry): Float32Array =>
    (on as unknown as Record<N, BackendKernel>)[kernel](float32(a, aShape), float32(b, bShape), g) as Float32Array;
  const runShared = (kernel: N, [a, aShape, b, bShape]: Operands, g: Conv2DGeometry): Float32Array =>
    kernels[kernel](shared, float32(a, aShape), float32(b, bShape), g, (n) => new Float32Array(n));
  const expectLikeNaive = (kernel: N, g: Conv2DGeometry, seed: number, shape = (values: Float32Array, _operand: number) => values): void => {
    const [aShape, bShape] = specs[kernel].operands(g);
    const [a, b] = [shape(randomFloats(size(aShape!), seed), 0), shape(randomFloats(size(bShape!), seed + 1), 1)];
    const got = run(backend, kernel, [a, aShape!, b, bShape!], g);
    const want = { values: Float64Array.from(run(naive, kernel, [a, aShape!, b, bShape!], g)), magnitudes: Float64Array.from(run(naive, kernel, [abs(a), aShape!, abs(b), bShape!], g)) };
    expect(got.length).toBe(want.values.length);
    expect(outsideSumBound(got, want, specs[kernel].chain(g))).toEqual([]);
    expect(Buffer.from(runShared(kernel, [a, aShape!, b, bShape!], g).buffer).equals(Buffer.from(got.buffer)), 'shared among threads').toBe(true);
  };
  return { backend, naive, shared, run, runShared, expectLikeNaive };
}
