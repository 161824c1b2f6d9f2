import { describe, expect, it } from 'vitest';
import { SimdBackend } from '../src/index.js';
import { float32, randomFloats } from './support.js';

const backend = await SimdBackend.create();

/** softmax of each row in float64, from its definition exp(x_i) / Σ exp(x_j), shifted by the max. */
function referenceLogSoftmax(x: Float32Array, width: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let start = 0; start < x.length; start += width) {
    const row = [...x.subarray(start, start + width)];
    const max = Math.max(...row);
    const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
    row.forEach((v, j) => { out[start + j] = v - max - logSum; });
  }
  return out;
}

const ROWS: [label: string, values: Float32Array, width: number][] = [
  ['random 7×10', randomFloats(70, 1).map((v) => 5 * v), 10],
  ['one row of 1', Float32Array.from([3]), 1],
  ['large logits (±1e4)', Float32Array.from([1e4, 1e4 - 1, -1e4, 0, 1e4, 1e4 + 2, 1e4 - 3, -1e4]), 4],
  ['equal logits', new Float32Array(6).fill(-7), 3],
];

describe('simd softmax and logSoftmax match float64 row by row', () => {
  for (const [label, x, width] of ROWS) {
    it(label, () => {
      const logits = float32(x, [x.length / width, width]);
      const logWant = referenceLogSoftmax(x, width);
      const soft = backend.softmax(logits) as Float32Array;
      const logSoft = backend.logSoftmax(logits) as Float32Array;
      // One float32 rounding of a float64 value (2^-24 relative), with room for exp and log.
      for (let i = 0; i < x.length; i++) {
        const want = Math.exp(logWant[i]!);
        expect(Math.abs(soft[i]! - want)).toBeLessThanOrEqual(4 * 2 ** -24 * want + 1e-45);
        expect(Math.abs(logSoft[i]! - logWant[i]!)).toBeLessThanOrEqual(4 * 2 ** -24 * Math.abs(logWant[i]!) + 1e-12);
      }
    });
  }

  it('softmax rows sum to 1 and are finite for logits of 1e4', () => {
    const soft = backend.softmax(float32(Float32Array.from([1e4, 1e4, -1e4, 1e4]), [1, 4]));
    expect([...soft]).toEqual([1 / 3, 1 / 3, 0, 1 / 3].map(Math.fround));
  });

  it('a NaN makes its row NaN and leaves other rows alone', () => {
    const soft = backend.softmax(float32(Float32Array.from([Number.NaN, 1, 0, 0]), [2, 2]));
    expect([...soft]).toEqual([Number.NaN, Number.NaN, 0.5, 0.5]);
  });
});
