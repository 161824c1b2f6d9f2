import type { FusedActivation } from '@perceptron/core';
import { describe, expect, it } from 'vitest';
import { SimdBackend } from '../src/index.js';
import { K_BLOCK } from '../src/kernels/matmul.js';
import { float32, randomFloats, referenceProduct } from './support.js';

const backend = await SimdBackend.create();

const ACTIVATIONS: Record<FusedActivation, (z: number) => number> = {
  linear: (z) => z,
  relu: (z) => Math.max(0, z),
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  tanh: Math.tanh,
};

// Shapes with rows and columns off the kernel's 4×8 blocks, the lab's layers, and an inner
// dimension summed in blocks (bias and activation then come after the blocks' sum), and single
// columns (the dot kernel; gemm with both operands transposed).
const SIZES: [m: number, k: number, n: number][] = [[1, 1, 1], [5, 17, 3], [6, 9, 13], [32, 784, 16], [32, 32, 10], [3, 0, 4], [3, 2 * K_BLOCK + 3, 5], [9, 40, 1], [2, 2 * K_BLOCK + 3, 1]];

describe('simd fusedMatMul = activation(a·b + bias), in float64 up to float32 summation error', () => {
  for (const [name, activation] of Object.entries(ACTIVATIONS) as [FusedActivation, (z: number) => number][]) {
    for (const withBias of [false, true]) {
      for (const [m, k, n] of SIZES) {
        for (const [transposeA, transposeB] of [[false, false], [true, true]] as const) {
          it(`${name}${withBias ? ' + bias' : ''} ${m}×${k}×${n}${transposeA ? ' Aᵀ Bᵀ' : ''}`, () => {
            // Scaled up so that relu, sigmoid and tanh see both signs and their flat parts.
            const a = randomFloats(m * k, m + k).map((x) => 3 * x);
            const b = randomFloats(k * n, n + k + 1);
            const bias = withBias ? randomFloats(n, n) : null;
            const got = backend.fusedMatMul(
              float32(a, transposeA ? [k, m] : [m, k]), float32(b, transposeB ? [n, k] : [k, n]),
              bias ? float32(bias, [n]) : null, name, transposeA, transposeB,
            ) as Float32Array;
            const { values, magnitudes } = referenceProduct(a, b, m, k, n, transposeA, transposeB);
            expect(got.length).toBe(m * n);
            const bad: string[] = [];
            for (let i = 0; i < m; i++) {
              for (let j = 0; j < n; j++) {
                const at = i * n + j;
                const z = values[at]! + (bias ? bias[j]! : 0);
                // Every activation here has slope ≤ 1, so the sum's error bound carries over; the
                // bias add and the activation itself add a few float32 roundings.
                const bound = 2 * (k + 2) * 2 ** -24 * (magnitudes[at]! + Math.abs(z)) + 4 * 2 ** -24 * Math.abs(activation(z)) + 1e-30;
                if (!(Math.abs(got[at]! - activation(z)) <= bound)) bad.push(`(${i}, ${j}): ${got[at]} vs ${activation(z)}`);
              }
            }
            expect(bad).toEqual([]);
          });
        }
      }
    }
  }

  it('relu keeps NaN and maps −0 to 0, as the relu kernel does', () => {
    const a = Float32Array.from([Number.NaN, -0, 0, 1]);
    const got = backend.fusedMatMul(float32(a, [4, 1]), float32(Float32Array.from([1]), [1, 1]), null, 'relu', false, false);
    expect([...got]).toEqual([Number.NaN, 0, 0, 1]);
    expect(Object.is(got[1], 0)).toBe(true);
  });

  it('relu keeps NaN and gives +0 for negative sums when k is summed in blocks too', () => {
    const k = K_BLOCK + 1;
    const a = new Float32Array(2 * k).fill(-1);
    a[7] = Number.NaN;
    const got = backend.fusedMatMul(float32(a, [2, k]), float32(new Float32Array(k).fill(1), [k, 1]), null, 'relu', false, false);
    expect([...got]).toEqual([Number.NaN, 0]);
    expect(Object.is(got[1], 0)).toBe(true);
  });
});
