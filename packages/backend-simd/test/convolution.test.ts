import type { Conv2DGeometry } from '@perceptron/core';
import { describe, expect, it } from 'vitest';
import * as convolution from '../src/kernels/convolution.js';
import { K_BLOCK } from '../src/kernels/matmul.js';
import { convolutionChecks, size, type Operands } from './convolution-checks.js';
import { convolutionGeometry as geometry, filterShape, imageShape, outputShape, randomFloats } from './support.js';

// The wasm convolution kernels against the naive backend's loops (convolution-checks.ts).

/** Each kernel: its operands' shapes, and the longest float32 chain it may sum. */
const KERNELS = {
  conv2d: {
    operands: (g: Conv2DGeometry) => [imageShape(g), filterShape(g)],
    chain: (g: Conv2DGeometry) => g.filterHeight * g.filterWidth * g.inChannels,
  },
  conv2dBackpropInput: {
    operands: (g: Conv2DGeometry) => [outputShape(g), filterShape(g)],
    chain: (g: Conv2DGeometry) => g.filterHeight * g.filterWidth * g.outChannels,
  },
  conv2dBackpropFilter: {
    operands: (g: Conv2DGeometry) => [imageShape(g), outputShape(g)],
    // Runs of whole images up to K_BLOCK positions in float32, the runs added in float64.
    chain: (g: Conv2DGeometry) => Math.max(g.outHeight * g.outWidth, K_BLOCK) + g.batch,
  },
} as const;
type KernelName = keyof typeof KERNELS;

const { backend, naive, shared, run, runShared, expectLikeNaive } = await convolutionChecks<KernelName>(KERNELS, convolution);

const GEOMETRIES: [string, Conv2DGeometry][] = [
  ["the demo CNN's first convolution: 3×3, one channel → 8 (one whole panel), batch 32 (6 runs for the filter gradient)", geometry(32, [28, 28], 1, [3, 3], 8)],
  ["the demo CNN's second: 3×3 strides 2, 8 → 16 (two panels), batch 32 (one run, shared by taps)", geometry(32, [13, 13], 8, [3, 3], 16, { strides: [2, 2] })],
  ['3×3, one channel → 8, MNIST-sized', geometry(2, [28, 28], 1, [3, 3], 8)],
  ['3×3 strides 2, 8 → 16 (two panels)', geometry(3, [13, 13], 8, [3, 3], 16, { strides: [2, 2] })],
  ['3×2 strides [2,1], padded 1 / 1 / 0 / 1, 3 → 3 (a padded panel)', geometry(2, [7, 6], 3, [3, 2], 3, { strides: [2, 1], pads: [1, 1, 0, 1] })],
  ['3×3 dilations 2, padded 2 all round, 2 → 9 (one panel and one padded)', geometry(1, [7, 6], 2, [3, 3], 9, { dilations: [2, 2], pads: [2, 2, 2, 2] })],
  ['strides 3 past a 2×2 filter, padded after, 1 → 2', geometry(2, [7, 7], 1, [2, 2], 2, { strides: [3, 3], pads: [0, 1, 0, 1] })],
  // A 1×1 filter with strides 1 and no padding runs as a product (pointwise-convolution.test.ts).
  ['1×1 strides 2, 5 → 4', geometry(2, [5, 4], 5, [1, 1], 4, { strides: [2, 2] })],
];

describe('the simd convolution kernels match float64 loops within float32 summation error', () => {
  for (const [name, g] of GEOMETRIES) {
    for (const kernel of Object.keys(KERNELS) as KernelName[]) {
      it(`${kernel}: ${name}`, () => expectLikeNaive(kernel, g, g.inChannels * 100 + g.outChannels));
    }
  }

  it('the convolution and its filter gradient skip the zeros of mostly-zero images (90% here) and stay right', () => {
    const g = geometry(4, [12, 12], 2, [3, 3], 5, { pads: [1, 1, 1, 1] });
    const sparse = (values: Float32Array, operand: number): Float32Array => (operand === 0 ? values.map((v, i) => (i % 10 === 0 ? v : 0)) : values);
    expectLikeNaive('conv2d', g, 5, sparse);
    expectLikeNaive('conv2dBackpropFilter', g, 7, sparse);
  });

  it(`the filter gradient sums more than K_BLOCK (${K_BLOCK}) output positions in float32 runs added in float64`, () => {
    const g = geometry(45, [16, 16], 2, [3, 3], 3);
    expect(g.batch * g.outHeight * g.outWidth).toBeGreaterThan(2 * K_BLOCK);
    expectLikeNaive('conv2dBackpropFilter', g, 9);
  });

  it('an empty batch gives a zero filter gradient', () => {
    const g = geometry(0, [5, 5], 2, [3, 3], 3);
    const operands: Operands = [new Float32Array(0), imageShape(g), new Float32Array(0), outputShape(g)];
    expect([...run(backend, 'conv2dBackpropFilter', operands, g)]).toEqual(new Array(size(filterShape(g))).fill(0));
    expect([...runShared('conv2dBackpropFilter', operands, g)]).toEqual(new Array(size(filterShape(g))).fill(0));
  });

  it('shared jobs posted back to back come out right (helpers woken late join whichever job is posted)', () => {
    const g = GEOMETRIES[3]![1];
    const kernels = Object.keys(KERNELS) as KernelName[];
    const cases = kernels.map((kernel, i) => {
      const [aShape, bShape] = KERNELS[kernel].operands(g);
      const operands: Operands = [randomFloats(size(aShape!), 10 + i), aShape!, randomFloats(size(bShape!), 20 + i), bShape!];
      return { kernel, operands, want: Buffer.from(run(backend, kernel, operands, g).buffer) };
    });
    for (let round = 0; round < 300; round++) {
      const { kernel, operands, want } = cases[round % cases.length]!;
      expect(Buffer.from(runShared(kernel, operands, g).buffer).equals(want), `${kernel}, round ${round}`).toBe(true);
    }
  });

  it('helper threads take part in the shared kernels', async () => {
    // The calling thread takes tasks too, and on a busy machine it may take all of a job's
    // before a helper wakes: so ask again, for up to 10 s.
    const g = GEOMETRIES[0]![1];
    const operands: Operands = [randomFloats(size(imageShape(g)), 1), imageShape(g), randomFloats(size(filterShape(g)), 2), filterShape(g)];
    const before = shared.tasksByHelpers;
    for (const deadline = Date.now() + 10_000; shared.tasksByHelpers === before && Date.now() < deadline;) {
      runShared('conv2d', operands, g);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(shared.threadsAtWork).toBe(3);
    expect(shared.tasksByHelpers).toBeGreaterThan(before);
  });

  it('0·∞ is NaN as in the loops, though zeros of the image are skipped', () => {
    const g = geometry(1, [6, 6], 1, [3, 3], 2);
    const x = new Float32Array(36).fill(0);
    x[0] = 1;
    const filter = randomFloats(18, 3);
    filter[17] = Infinity;
    const operands: Operands = [x, imageShape(g), filter, filterShape(g)];
    const nans = (values: Float32Array): number[] => [...values.keys()].filter((i) => Number.isNaN(values[i]));
    expect(nans(run(backend, 'conv2d', operands, g))).toEqual(nans(run(naive, 'conv2d', operands, g)));
    expect(nans(run(naive, 'conv2d', operands, g)).length).toBeGreaterThan(0);
  });

  it('leaves its inputs unchanged', () => {
    const g = GEOMETRIES[4]![1];
    for (const kernel of Object.keys(KERNELS) as KernelName[]) {
      const [aShape, bShape] = KERNELS[kernel].operands(g);
      const [a, b] = [randomFloats(size(aShape!), 1), randomFloats(size(bShape!), 2)];
      const [aCopy, bCopy] = [a.slice(), b.slice()];
      run(backend, kernel, [a, aShape!, b, bShape!], g);
      expect([a, b]).toEqual([aCopy, bCopy]);
    }
  });
});
