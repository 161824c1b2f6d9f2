import { describe, expect, it } from 'vitest';
import { SimdBackend } from '../src/index.js';
import { float32, randomFloats } from './support.js';

// slice, pad and concat copy runs of adjacent memory; these references walk every element by its
// coordinates, so the two must agree exactly, for runs copied by the short loop (≤ 32 values)
// and by `set`, cut in the first, a middle or the last dimension.
const backend = await SimdBackend.create();

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The coordinates of each flat index of `shape`, in row-major order. */
function coordinates(shape: readonly number[]): number[][] {
  return Array.from({ length: size(shape) }, (_, flat) => {
    const c: number[] = [];
    for (let d = shape.length - 1; d >= 0; d--) {
      c[d] = flat % shape[d]!;
      flat = Math.floor(flat / shape[d]!);
    }
    return c;
  });
}

const flatIndex = (c: readonly number[], shape: readonly number[]): number => c.reduce((at, v, d) => at * shape[d]! + v, 0);

function referenceSlice(values: Float32Array, shape: number[], begin: number[], box: number[]): Float32Array {
  return Float32Array.from(coordinates(box), (c) => values[flatIndex(c.map((v, d) => v + begin[d]!), shape)]!);
}

function referencePad(values: Float32Array, shape: number[], paddings: [number, number][], value: number): Float32Array {
  const outShape = shape.map((n, d) => paddings[d]![0] + n + paddings[d]![1]);
  return Float32Array.from(coordinates(outShape), (c) => {
    const inside = c.map((v, d) => v - paddings[d]![0]);
    return inside.every((v, d) => v >= 0 && v < shape[d]!) ? values[flatIndex(inside, shape)]! : value;
  });
}

describe('simd slice', () => {
  it.each([
    ['rows of a matrix (one run)', [6, 50], [2, 0], [3, 50]],
    ['columns of a matrix (a short run per row)', [6, 50], [0, 10], [6, 20]],
    ['columns of a wide matrix (a long run per row)', [4, 300], [0, 40], [4, 200]],
    ['one timestep of a sequence [batch, steps, features]', [5, 28, 64], [0, 7, 0], [5, 1, 64]],
    ['a middle box of a rank-4 tensor', [3, 4, 5, 6], [1, 1, 2, 0], [2, 2, 3, 6]],
    ['a box cut in every dimension', [4, 5, 6], [1, 2, 3], [2, 3, 2]],
    ['a scalar', [], [], []],
    ['an empty box', [3, 4], [1, 0], [0, 4]],
  ])('%s', (_name, shape, begin, box) => {
    const values = randomFloats(size(shape), 11);
    expect(backend.slice(float32(values, shape), begin, box)).toEqual(referenceSlice(values, shape, begin, box));
  });
});

describe('simd pad', () => {
  it.each([
    ["a timestep's gradient back into its sequence", [5, 1, 64], [[0, 0], [7, 20], [0, 0]], 0],
    ['a gate back into its kernel columns (short runs)', [4, 8], [[0, 0], [8, 16]], 0],
    ['around every dimension, with a value', [3, 4, 5], [[1, 2], [0, 3], [2, 1]], -1.5],
    ['nothing to add', [2, 3], [[0, 0], [0, 0]], 0],
  ] as [string, number[], [number, number][], number][])('%s', (_name, shape, paddings, value) => {
    const values = randomFloats(size(shape), 12);
    expect(backend.pad(float32(values, shape), paddings, value)).toEqual(referencePad(values, shape, paddings, value));
  });
});

describe('simd concat', () => {
  it.each([
    ['steps into a sequence (axis 1)', [[4, 1, 40], [4, 2, 40], [4, 1, 40]], 1],
    ['rows (axis 0, one run each)', [[2, 70], [3, 70]], 0],
    ['columns, short and long runs (last axis)', [[3, 5], [3, 100], [3, 1]], 1],
  ] as [string, number[][], number][])('%s', (_name, shapes, axis) => {
    const parts = shapes.map((shape, i) => randomFloats(size(shape), 20 + i));
    const outShape = [...shapes[0]!];
    outShape[axis] = shapes.reduce((n, s) => n + s[axis]!, 0);
    // the reference: each part padded into its place, the pads added (only one is non-zero anywhere)
    let offset = 0;
    const expected = new Float32Array(size(outShape));
    shapes.forEach((shape, i) => {
      const paddings = shape.map((n, d): [number, number] => (d === axis ? [offset, outShape[d]! - offset - n] : [0, 0]));
      referencePad(parts[i]!, shape, paddings, 0).forEach((v, k) => (expected[k]! += v));
      offset += shape[axis]!;
    });
    expect(backend.concat(shapes.map((shape, i) => float32(parts[i]!, shape)), axis)).toEqual(expected);
  });
});
