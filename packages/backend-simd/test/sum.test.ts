import { describe, expect, it } from 'vitest';
import { SimdBackend } from '../src/index.js';
import { float32, randomFloats } from './support.js';

// Sums over consecutive axes against index loops that add each output's values in increasing
// order in float64 and round once (the contract: the naive kernel's order and rounding), so
// they must agree exactly.
const backend = await SimdBackend.create();

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

function referenceSum(values: Float32Array, shape: number[], axes: number[]): Float32Array {
  const outer = size(shape.slice(0, axes[0]));
  const length = size(shape.slice(axes[0], axes[axes.length - 1]! + 1));
  const inner = size(shape.slice(axes[axes.length - 1]! + 1));
  const out = new Float32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let sum = 0;
      for (let j = 0; j < length; j++) sum += values[(o * length + j) * inner + i]!;
      out[o * inner + i] = Math.fround(sum);
    }
  }
  return out;
}

const sum = (values: Float32Array, shape: number[], axes: number[]): Float32Array => backend.sum(float32(values, shape), axes) as Float32Array;

describe('simd sum over consecutive axes', () => {
  const CASES: [string, number[], number[]][] = [
    ["the demo CNN's bias gradient: [32,26,26,8] over all axes but the channels (many chunks of rows)", [32, 26, 26, 8], [0, 1, 2]],
    ['an odd number of columns (the last one alone)', [3, 5, 7], [0, 1]],
    ['one column', [4, 3, 1], [0, 1]],
    ['a middle axis (outer 2, inner 4)', [2, 3, 4], [1]],
    ['middle axes of [4,5,3,2]', [4, 5, 3, 2], [1, 2]],
    ['rows longer than a chunk (one row per kernel call)', [3, 17000], [0]],
    ['the last axis (one chain per output, in a JavaScript loop)', [3, 1000], [1]],
    ['every axis', [6, 7], [0, 1]],
  ];
  it.each(CASES)('%s', (_name, shape, axes) => {
    const values = randomFloats(size(shape), shape.length * 31 + size(shape));
    expect(sum(values, shape, axes)).toEqual(referenceSum(values, shape, axes));
  });

  it('adds in float64: 1e8 + 1 − 1e8 down a column is 1 (a float32 chain would give 0)', () => {
    expect(Array.from(sum(Float32Array.from([1e8, 2e8, 1, 3, -1e8, -2e8]), [3, 2], [0]))).toEqual([1, 3]);
  });

  it('NaN and infinities reach their column only', () => {
    const values = Float32Array.from([NaN, 1, Infinity, 2, 3, Infinity, -Infinity, 4, 5, 6, 7, 8]);
    expect(Array.from(sum(values, [3, 4], [0]))).toEqual([NaN, Infinity, NaN, 14]);
  });

  it('empty summed axes give zeros', () => {
    expect(Array.from(sum(new Float32Array(0), [2, 0, 3], [1]))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(sum(new Float32Array(0), [0, 3], [0]))).toEqual([0, 0, 0]);
  });

  it('reuses memory that earlier sums left dirty', () => {
    const shape = [5, 9];
    const values = randomFloats(size(shape), 7);
    sum(randomFloats(2000, 8), [100, 20], [0]);
    expect(sum(values, shape, [0])).toEqual(referenceSum(values, shape, [0]));
  });
});
