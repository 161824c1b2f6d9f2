import type { Pool2DGeometry } from '@perceptron/core';
import { NaiveBackend } from '@perceptron/backend-naive';
import { describe, expect, it } from 'vitest';
import * as pooling from '../src/kernels/pooling.js';
import { SimdBackend } from '../src/index.js';
import { float32, outsideSumBound, randomFloats, sharedKernels } from './support.js';

// The wasm pooling kernels against the naive backend's loops, which add in float64 and round
// once: the max poolings must agree exactly (the same values, the same picks, ties included);
// the sums within float32 summation error, whose scale the loops give when run on |x| or |dy|.
// Each is also run with its images shared among three threads, whatever its size, and must
// give the single-threaded values bit for bit.
const backend = await SimdBackend.create({ threads: 1 });
const naive = new NaiveBackend();
const shared = await sharedKernels();

function geometry(batch: number, [inHeight, inWidth]: [number, number], channels: number, [windowHeight, windowWidth]: [number, number],
  { strides = [windowHeight, windowWidth], pads = [0, 0, 0, 0] }: { strides?: [number, number]; pads?: [number, number, number, number] } = {}): Pool2DGeometry {
  const [padTop, padBottom, padLeft, padRight] = pads;
  const out = (input: number, window: number, stride: number, before: number, after: number): number => Math.floor((before + input + after - window) / stride) + 1;
  return {
    batch, inHeight, inWidth, channels, windowHeight, windowWidth,
    outHeight: out(inHeight, windowHeight, strides[0], padTop, padBottom), outWidth: out(inWidth, windowWidth, strides[1], padLeft, padRight),
    strideHeight: strides[0], strideWidth: strides[1], padTop, padBottom, padLeft, padRight,
  };
}

const imageShape = (g: Pool2DGeometry): number[] => [g.batch, g.inHeight, g.inWidth, g.channels];
const outputShape = (g: Pool2DGeometry): number[] => [g.batch, g.outHeight, g.outWidth, g.channels];
const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const abs = (values: Float32Array): Float32Array => values.map(Math.abs);
/** How many windows hold one input position, at most: the terms a gradient adds there. */
const overlaps = (g: Pool2DGeometry): number => Math.ceil(g.windowHeight / g.strideHeight) * Math.ceil(g.windowWidth / g.strideWidth);

const GEOMETRIES: [string, Pool2DGeometry][] = [
  ["2×2 tiles, 8 channels (two whole vectors): the demo CNN's pooling", geometry(2, [26, 26], 8, [2, 2])],
  ["the demo CNN's pooling at its batch of 32", geometry(32, [26, 26], 8, [2, 2])],
  ["3×3 strides 2, 'same' (padded 1 all round), 3 channels (a padded vector)", geometry(2, [7, 7], 3, [3, 3], { strides: [2, 2], pads: [1, 1, 1, 1] })],
  ['2×3 strides [2,1], padded 0 / 1 / 1 / 1, one channel', geometry(3, [5, 6], 1, [2, 3], { strides: [2, 1], pads: [0, 1, 1, 1] })],
  ['2×2 strides 3 (rows and columns no window reads), 5 channels', geometry(2, [8, 7], 5, [2, 2], { strides: [3, 3] })],
  ["4×4 strides 1, 'same' (one before, two after), 4 channels", geometry(1, [5, 6], 4, [4, 4], { strides: [1, 1], pads: [1, 2, 1, 2] })],
  ['the window as large as the image, 6 channels', geometry(2, [3, 4], 6, [3, 4])],
];

const run = (on: NaiveBackend, x: Float32Array, dy: Float32Array, g: Pool2DGeometry) => ({
  maxPool2d: on.maxPool2d(float32(x, imageShape(g)), g) as Float32Array,
  avgPool2d: on.avgPool2d(float32(x, imageShape(g)), g) as Float32Array,
  maxPool2dBackprop: on.maxPool2dBackprop(float32(dy, outputShape(g)), float32(x, imageShape(g)), g) as Float32Array,
  avgPool2dBackprop: on.avgPool2dBackprop(float32(dy, outputShape(g)), g) as Float32Array,
});

/** The kernels run with the shared instance. */
const runShared = (x: Float32Array, dy: Float32Array, g: Pool2DGeometry) => {
  const float32Array = (n: number): Float32Array => new Float32Array(n);
  return {
    maxPool2d: pooling.maxPool2d(shared, float32(x, imageShape(g)), g, float32Array),
    avgPool2d: pooling.avgPool2d(shared, float32(x, imageShape(g)), g, float32Array),
    maxPool2dBackprop: pooling.maxPool2dBackprop(shared, float32(dy, outputShape(g)), float32(x, imageShape(g)), g, float32Array),
    avgPool2dBackprop: pooling.avgPool2dBackprop(shared, float32(dy, outputShape(g)), g, float32Array),
  };
};

function expectLikeNaive(g: Pool2DGeometry, x: Float32Array, dy: Float32Array): void {
  const [got, want] = [run(backend, x, dy, g), run(naive, x, dy, g)];
  for (const [name, values] of Object.entries(runShared(x, dy, g))) {
    expect(Buffer.from(values.buffer).equals(Buffer.from(got[name as keyof typeof got].buffer)), `${name} shared among threads`).toBe(true);
  }
  expect(got.maxPool2d).toEqual(want.maxPool2d);
  // The sums' scale Σ|terms|: the same loops on |x| or |dy| (the max's picks still made on x).
  const sums = {
    avgPool2d: { scale: naive.avgPool2d(float32(abs(x), imageShape(g)), g), terms: g.windowHeight * g.windowWidth },
    maxPool2dBackprop: { scale: naive.maxPool2dBackprop(float32(abs(dy), outputShape(g)), float32(x, imageShape(g)), g), terms: overlaps(g) },
    avgPool2dBackprop: { scale: naive.avgPool2dBackprop(float32(abs(dy), outputShape(g)), g), terms: overlaps(g) },
  };
  for (const [name, { scale, terms }] of Object.entries(sums) as [keyof typeof sums, (typeof sums)[keyof typeof sums]][]) {
    const reference = { values: Float64Array.from(want[name]), magnitudes: Float64Array.from(scale as Float32Array) };
    expect(outsideSumBound(got[name], reference, terms), name).toEqual([]);
  }
}

describe('the simd pooling kernels match the naive loops', () => {
  for (const [name, g] of GEOMETRIES) {
    it(name, () => expectLikeNaive(g, randomFloats(size(imageShape(g)), g.channels), randomFloats(size(outputShape(g)), g.channels + 1)));
  }

  it('ties: each window\'s gradient goes to its first maximum, row-major, as in the loops', () => {
    for (const [, g] of GEOMETRIES.slice(0, 4)) {
      // Values in {-1, 0, 1}: most windows hold their maximum more than once.
      const x = randomFloats(size(imageShape(g)), 7).map((v) => Math.round(v));
      expectLikeNaive(g, x, randomFloats(size(outputShape(g)), 8));
    }
  });

  it('a NaN in a window makes its maximum NaN, as Math.max in the loops', () => {
    const g = GEOMETRIES[2]![1];
    const x = randomFloats(size(imageShape(g)), 9);
    x[5] = NaN;
    const got = backend.maxPool2d(float32(x, imageShape(g)), g) as Float32Array;
    const nans = (values: Float32Array): number[] => [...values.keys()].filter((i) => Number.isNaN(values[i]));
    expect(nans(got)).toEqual(nans(naive.maxPool2d(float32(x, imageShape(g)), g) as Float32Array));
    expect(nans(got).length).toBeGreaterThan(0);
  });

  it('leaves its inputs unchanged', () => {
    const g = GEOMETRIES[2]![1];
    const [x, dy] = [randomFloats(size(imageShape(g)), 1), randomFloats(size(outputShape(g)), 2)];
    const [xCopy, dyCopy] = [x.slice(), dy.slice()];
    run(backend, x, dy, g);
    expect([x, dy]).toEqual([xCopy, dyCopy]);
  });
});
