import {
  Adam, Dense, GradientTape, Sequential, add, dispose, getBackend, matMul, mul, randomNormal, reshape, setBackend, setSeed, sum, tensor,
  type Tensor,
} from '@perceptron/core';
import '@perceptron/backend-naive';
import { describe, expect, it } from 'vitest';
import { ArrayPool, MAX_PER_LENGTH, MIN_LENGTH } from '../src/array-pool.js';
import { SimdBackend } from '../src/index.js';

const LARGE = 65536;

describe('ArrayPool', () => {
  it('hands a released array to the next output of its length, and leaves the tiny ones to V8', () => {
    const pool = new ArrayPool();
    const pooled = new Float32Array(MIN_LENGTH);
    const tiny = new Float32Array(MIN_LENGTH - 1);
    pool.release(pooled);
    pool.release(tiny);
    expect(pool.stats).toEqual({ freeArrays: 1, freeBytes: 4 * MIN_LENGTH });
    expect(pool.float32(MIN_LENGTH - 1)).not.toBe(tiny);
    expect(pool.float32(2 * MIN_LENGTH)).toHaveLength(2 * MIN_LENGTH);
    expect(pool.float32(MIN_LENGTH)).toBe(pooled);
    expect(pool.float32(MIN_LENGTH)).not.toBe(pooled);
    expect(pool.stats.freeBytes).toBe(0);
  });

  it('frees a shared array only when its last holder releases it', () => {
    const pool = new ArrayPool();
    const array = new Float32Array(LARGE);
    pool.shared(array);
    pool.shared(array);
    pool.release(array);
    pool.release(array);
    expect(pool.stats).toEqual({ freeArrays: 0, freeBytes: 0 });
    pool.release(array);
    expect(pool.float32(LARGE)).toBe(array);
  });

  it('never gives one array to two outputs, nor pools views, other types or more than it may hold', () => {
    const pool = new ArrayPool();
    const array = new Float32Array(LARGE);
    pool.release(array);
    pool.release(array);
    expect(pool.stats.freeArrays).toBe(1);
    pool.release(new Float32Array(2 * LARGE).subarray(0, LARGE));
    pool.release(new Int32Array(LARGE));
    expect(pool.stats.freeArrays).toBe(1);
    for (let i = 0; i < MAX_PER_LENGTH + 5; i++) pool.release(new Float32Array(LARGE));
    expect(pool.stats.freeArrays).toBe(MAX_PER_LENGTH);
  });
});

describe('simd reuses the arrays of disposed tensors without touching live ones', () => {
  const values = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed));

  it('a reshaped tensor keeps its values after the tensor it came from is disposed and outputs of its size are made', async () => {
    await setBackend('simd');
    const original = values(LARGE, 1);
    const x = tensor(original, [256, 256]);
    const y = reshape(x, [LARGE]);
    x.dispose();
    const other = tensor(values(LARGE, 2), [256, 256]);
    const outputs = [add(other, other), mul(other, other), matMul(other, other)];
    expect(y.dataSync()).toEqual(original);
    y.dispose();
    // Now the array is free: the next output of its size reuses it, with the right values.
    const reused = add(other, other);
    expect(reused.dataSync()).toEqual(outputs[0]!.dataSync());
    dispose([other, reused, ...outputs]);
  });

  it('upload copies into a pooled array: the caller may reuse theirs, and a freed array comes back', async () => {
    const backend = await SimdBackend.create({ threads: 1 });
    const values = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    const first = backend.upload(values, [20], 'float32');
    values.fill(0);
    expect([...first]).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    backend.disposeHandle(first);
    const second = backend.upload(values, [20], 'float32');
    expect(second).toBe(first);
    expect([...second]).toEqual(new Array(20).fill(0));
    expect(backend.upload(Int32Array.from([7]), [1], 'int32')).toBeInstanceOf(Int32Array);
  });

  it('a value a tape still needs survives its disposal, and the gradient is right', async () => {
    await setBackend('simd');
    const v = values(LARGE, 3);
    const x = tensor(v, [LARGE]);
    const tape = new GradientTape();
    tape.watch(x);
    const squared = tape.record(() => mul(x, x));
    const loss = tape.record(() => sum(mul(squared, squared)));
    // squared is disposed while the tape holds it for the gradient; new outputs of its size follow.
    squared.dispose();
    const fillers = [add(x, x), mul(x, x)];
    const [gradient] = tape.gradient(loss, [x]) as Tensor[];
    // d/dx Σ (x²)² = 4x³, as the float32 ops compute it: 2·s, then 2·(2s·x), with s = x².
    const expected = Array.from(v, (value) => 2 * Math.fround(2 * Math.fround(value * value) * value));
    expect(Array.from(gradient!.dataSync())).toEqual(expected);
    dispose([x, loss, gradient!, ...fillers]);
  });

  it('training a 256-512-10 MLP with Adam gives naive\'s losses and reuses arrays along the way', async () => {
    const losses = async (backend: string): Promise<number[]> => {
      await setBackend(backend);
      setSeed(5);
      const model = new Sequential([new Dense({ units: 512, activation: 'relu', inputShape: [256] }), new Dense({ units: 10, activation: 'softmax' })]);
      model.compile({ optimizer: new Adam({ learningRate: 1e-3 }), loss: 'sparseCategoricalCrossentropy' });
      const x = randomNormal([64, 256]);
      const y = tensor(Int32Array.from({ length: 64 }, (_, i) => i % 10), [64], 'int32');
      const history = await model.fit(x, y, { epochs: 6, batchSize: 64, verbose: 0 });
      dispose([x, y]);
      model.optimizer?.dispose();
      model.dispose();
      return history.history.loss as number[];
    };
    const naive = await losses('naive');
    const simd = await losses('simd');
    expect(Math.max(...simd.map((l, i) => Math.abs(l - naive[i]!)))).toBeLessThan(1e-5);
    expect(naive[5]!).toBeLessThan(naive[0]!);
    // The 256×512 kernel, its moments and gradients went back to the pool.
    expect((getBackend() as SimdBackend).poolStats.freeArrays).toBeGreaterThan(0);
  });
});
