import type * as tf from '@tensorflow/tfjs-core';
import { RandomGenerator, type KernelTensor } from '@perceptron/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { REDUCTION_BLOCK, blockSizeFor } from '../src/long-reductions.js';
import type { TfjsBackend } from '../src/tfjs-backend.js';
import { NODE_BACKENDS, backendFor } from './backends.js';

const U = 2 ** -24;

/** Seeded float32 values in [low, low + 1). */
function randomFloats(size: number, seed: number, low = -0.5): Float32Array {
  const g = new RandomGenerator(seed);
  return Float32Array.from({ length: size }, () => low + g.nextFloat());
}

/** Row-major strides of `shape`. */
const stridesOf = (shape: readonly number[]): number[] => shape.map((_, d) => shape.slice(d + 1).reduce((p, s) => p * s, 1));

/** Σ over `axes` in float64, with Σ|x| per output: the scale of a float32 sum's rounding error. */
function referenceSum(x: Float32Array, shape: number[], axes: number[]): { values: number[]; magnitudes: number[] } {
  const kept = shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const keptStrides = stridesOf(kept.map((d) => shape[d]!));
  const strides = stridesOf(shape);
  const size = kept.reduce((p, d) => p * shape[d]!, 1);
  const values = new Array<number>(size).fill(0);
  const magnitudes = new Array<number>(size).fill(0);
  for (let flat = 0; flat < x.length; flat++) {
    const out = kept.reduce((o, d, i) => o + (Math.floor(flat / strides[d]!) % shape[d]!) * keptStrides[i]!, 0);
    values[out]! += x[flat]!;
    magnitudes[out]! += Math.abs(x[flat]!);
  }
  return { values, magnitudes };
}

/** Where `got` is further from the float64 value than chains of at most `chain` float32 additions may be. */
function outsideBound(got: ArrayLike<number>, want: { values: number[]; magnitudes: number[] }, chain: number): string[] {
  return want.values.flatMap((value, i) => {
    const bound = 2 * ((chain + 1) * U * want.magnitudes[i]! + U * Math.abs(value)) + 1e-30;
    return Math.abs(got[i]! - value) <= bound ? [] : [`[${i}] ${got[i]} vs ${value}`];
  });
}

it('blocks divide the reduction when a divisor from half a block to a block exists, else the last one is padded', () => {
  expect(blockSizeFor(10_000_000)).toBe(4000);
  expect(blockSizeFor(1 << 20)).toBe(REDUCTION_BLOCK);
  expect(blockSizeFor(2 * 2053)).toBe(2053);
  expect(blockSizeFor(4099)).toBe(REDUCTION_BLOCK);
  expect(blockSizeFor(2 * REDUCTION_BLOCK + 3)).toBe(REDUCTION_BLOCK);
});

describe.each(NODE_BACKENDS)('tfjs %s: reductions longer than a block stay within a block’s rounding error', (tfName) => {
  let backend: TfjsBackend;
  const uploaded: tf.Tensor[] = [];
  beforeAll(async () => {
    backend = await backendFor(tfName);
  });
  const input = (values: Float32Array, shape: number[]): KernelTensor<tf.Tensor> => {
    const handle = backend.upload(values, shape, 'float32');
    uploaded.push(handle);
    return { handle, shape, dtype: 'float32' };
  };
  const readAndDispose = (handle: tf.Tensor, shape: number[]): Float32Array => {
    const values = backend.read({ handle, shape, dtype: 'float32' }) as Float32Array;
    handle.dispose();
    return values;
  };

  it('the sum of a million positive values, where one float32 chain drifts', () => {
    const n = 1_000_000;
    // values near 0.1: a running total near 10^5 has a float32 spacing of 2^-7, so each
    // addition rounds away a visible part of the next value
    const x = randomFloats(n, 1, 0).map((v) => 0.1 + 0.01 * v);
    let chain = 0;
    for (const v of x) chain = Math.fround(chain + v);
    const { values } = referenceSum(x, [n], [0]);
    // the case matters: a single float32 chain is off in the fourth digit
    expect(Math.abs(chain - values[0]!) / values[0]!).toBeGreaterThan(1e-4);
    const got = readAndDispose(backend.sum(input(x, [n]), [0]), []);
    expect(Math.abs(got[0]! - values[0]!) / values[0]!).toBeLessThan(1e-5);
  });

  it.each([
    // blocks that divide the length (2,500, 2,800, 2,250) and one that does not (4,099 is prime)
    [[5000, 3], [0]], [[3, 5000], [1]], [[70, 3, 80], [0, 2]], [[2, 4500, 2], [1]], [[3, 4099], [1]],
  ])('sum of %j over axes %j', (shape, axes) => {
    const x = randomFloats(shape.reduce((p, d) => p * d, 1), 2);
    const want = referenceSum(x, shape, axes);
    const length = axes.reduce((p, a) => p * shape[a]!, 1);
    const outShape = shape.filter((_, d) => !axes.includes(d));
    const got = readAndDispose(backend.sum(input(x, shape), axes), outShape);
    expect(outsideBound(got, want, REDUCTION_BLOCK + Math.ceil(length / REDUCTION_BLOCK))).toEqual([]);
  });

  it.each([[false, false], [true, false], [false, true], [true, true]])('batched matMul with k = 2·block + 3, transposeA %s, transposeB %s', (transposeA, transposeB) => {
    const [batch, m, k, n] = [2, 3, 2 * REDUCTION_BLOCK + 3, 4];
    const a = randomFloats(batch * m * k, 3);
    const b = randomFloats(batch * k * n, 4);
    const aShape = transposeA ? [batch, k, m] : [batch, m, k];
    const bShape = transposeB ? [batch, n, k] : [batch, k, n];
    const got = readAndDispose(backend.matMul(input(a, aShape), input(b, bShape), transposeA, transposeB), [batch, m, n]);
    // the product in float64 as a sum over k of a(i, p)·b(p, j), per batch entry
    const terms = new Float32Array(batch * m * n * k);
    for (let t = 0; t < batch; t++) {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          for (let p = 0; p < k; p++) {
            const aAt = t * m * k + (transposeA ? p * m + i : i * k + p);
            const bAt = t * k * n + (transposeB ? j * k + p : p * n + j);
            terms[((t * m + i) * n + j) * k + p] = a[aAt]! * b[bAt]!;
          }
        }
      }
    }
    const want = referenceSum(terms, [batch * m * n, k], [1]);
    expect(outsideBound(got, want, REDUCTION_BLOCK + 3 + 2)).toEqual([]);
  });

  it('fusedMatMul with a long k adds the bias and applies the activation after the blocks', () => {
    const [m, k, n] = [3, REDUCTION_BLOCK + 10, 5];
    const a = randomFloats(m * k, 5);
    const b = randomFloats(k * n, 6);
    const bias = randomFloats(n, 7);
    const got = readAndDispose(backend.fusedMatMul(input(a, [m, k]), input(b, [k, n]), input(bias, [n]), 'relu', false, false), [m, n]);
    const terms = new Float32Array(m * n * k);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) terms[(i * n + j) * k + p] = a[i * k + p]! * b[p * n + j]!;
    const sums = referenceSum(terms, [m * n, k], [1]);
    const want = { values: sums.values.map((v, at) => Math.max(0, v + bias[at % n]!)), magnitudes: sums.magnitudes.map((v, at) => v + Math.abs(bias[at % n]!)) };
    expect(outsideBound(got, want, REDUCTION_BLOCK + 4)).toEqual([]);
  });

  it('the dot product of two long positive vectors', () => {
    const k = 1_000_000;
    const a = randomFloats(k, 8, 0);
    const b = randomFloats(k, 9, 0);
    let exact = 0;
    for (let p = 0; p < k; p++) exact += a[p]! * b[p]!;
    const got = readAndDispose(backend.matMul(input(a, [1, 1, k]), input(b, [1, k, 1]), false, false), [1, 1, 1]);
    expect(Math.abs(got[0]! - exact) / exact).toBeLessThan(1e-5);
    for (const handle of uploaded.splice(0)) handle.dispose();
  });
});
