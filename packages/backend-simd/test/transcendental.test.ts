import { NaiveBackend } from '@perceptron/backend-naive';
import { describe, expect, it } from 'vitest';
import { SimdBackend } from '../src/index.js';
import type { TranscendentalName } from '../src/kernels/transcendental.js';

const backend = await SimdBackend.create();

/** The functions in float64 from Math.exp and Math.expm1, in forms that neither overflow nor cancel. */
const REFERENCE: Record<TranscendentalName, (x: number) => number> = {
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  tanh: (x) => -Math.sign(x) * Math.expm1(-2 * Math.abs(x)) / (2 + Math.expm1(-2 * Math.abs(x))),
};

/**
 * The kernel's bound (kernels.wat): a float32 rounding, half an ulp, of a float64 value within
 * ~1e-11 of the true one. Relative to the true value, or to the smallest normal float32 below it
 * (subnormals have a fixed ulp).
 */
const BOUND = 2 ** -24 + 1e-10;
const SMALLEST_NORMAL = 2 ** -126;

const SPECIAL = [
  Number.NaN, Infinity, -Infinity, 0, -0, 2 ** -149, -(2 ** -149), 2 ** -130, -(2 ** -130), 1e-30, -1e-30,
  88, -88, 89, -89, 20, -20, 9, -9, 104, -104, 200, -200, 1e30, -1e30, 3.4e38, -3.4e38,
];

/** Every 2^-10 over [−100, 100] (odd in count, more than one kernel chunk), then float32 bit patterns 997 apart over the whole range, both signs. */
function sweep(): Float32Array {
  const values: number[] = [...SPECIAL];
  for (let x = -100; x <= 100; x += 2 ** -10) values.push(x);
  const bits = new Uint32Array(1);
  const float = new Float32Array(bits.buffer);
  for (let pattern = 0; pattern < 0x7f800000; pattern += 997) {
    for (const sign of [0, 0x80000000]) {
      bits[0] = pattern | sign;
      values.push(float[0]!);
    }
  }
  return Float32Array.from(values);
}

const x = sweep();
const original = x.slice();

for (const name of Object.keys(REFERENCE) as TranscendentalName[]) {
  describe(`simd ${name} (the wasm kernel) against float64`, () => {
    const got = backend[name]({ handle: x, shape: [x.length], dtype: 'float32' }) as Float32Array;

    it('leaves its input alone and gives float32', () => {
      expect(got).toBeInstanceOf(Float32Array);
      expect(got.length).toBe(x.length);
      expect(x.every((v, i) => Object.is(v, original[i]))).toBe(true);
    });

    it(`is within half an ulp (plus 1e-10) of the true value over ${x.length} inputs`, () => {
      let worst = { error: 0, x: 0 };
      const bad: string[] = [];
      for (let i = 0; i < x.length; i++) {
        const expected = REFERENCE[name](x[i]!);
        if (Number.isNaN(expected)) continue;
        const error = Math.abs(got[i]! - expected) / Math.max(Math.abs(expected), SMALLEST_NORMAL);
        if (!(error <= BOUND) && bad.length < 10) bad.push(`${x[i]} → ${got[i]}, expected ${expected}`);
        if (error > worst.error) worst = { error, x: x[i]! };
      }
      expect(bad).toEqual([]);
      expect(worst.error).toBeGreaterThan(0);
    });

    // Within 1e-11 before rounding, it rounds the other way only for float64 values that close
    // to halfway between two floats: 12 of 44 M float32 inputs (every 97th bit pattern). One term
    // less in the series made that 663, which the bound above does not see.
    it('rounds as the float64 value does in all but 1 in 1 000 000 inputs', () => {
      let misses = 0;
      for (let i = 0; i < x.length; i++) {
        const expected = Math.fround(REFERENCE[name](x[i]!));
        if (!Object.is(got[i], expected) && !Number.isNaN(expected)) misses++;
      }
      expect(misses).toBeLessThan(x.length / 1_000_000);
    });

    it('rounds to exactly 0, ±1 (and 1 for sigmoid) where the float64 value rounds to them, and keeps NaN and a zero\'s sign', () => {
      const bad: string[] = [];
      for (let i = 0; i < x.length; i++) {
        const expected = Math.fround(REFERENCE[name](x[i]!));
        const exact = Number.isNaN(expected) || Math.abs(expected) === 1 || expected === 0;
        if (exact && !Object.is(got[i], expected) && bad.length < 10) bad.push(`${x[i]} → ${got[i]}, expected ${expected}`);
      }
      expect(bad).toEqual([]);
    });
  });
}

it('sigmoid(±0) is 0.5 and tanh keeps ±0, as the float64 functions do', () => {
  const zeros = { handle: Float32Array.from([0, -0]), shape: [2], dtype: 'float32' as const };
  expect([...backend.sigmoid(zeros)]).toEqual([0.5, 0.5]);
  const tanh = backend.tanh(zeros);
  expect([Object.is(tanh[0], 0), Object.is(tanh[1], -0)]).toEqual([true, true]);
});

it('int32 inputs keep the naive kernels', () => {
  const ints = { handle: Int32Array.from([0, 1, -3]), shape: [3], dtype: 'int32' as const };
  const naive = new NaiveBackend();
  expect(backend.sigmoid(ints)).toEqual(naive.sigmoid(ints));
  expect(backend.tanh(ints)).toEqual(naive.tanh(ints));
});
