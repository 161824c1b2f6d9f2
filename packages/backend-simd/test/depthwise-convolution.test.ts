import type { Conv2DGeometry } from '@perceptron/core';
import { describe, expect, it } from 'vitest';
import * as depthwise from '../src/kernels/depthwise-convolution.js';
import { convolutionChecks, size, type Operands } from './convolution-checks.js';
import { convolutionGeometry, imageShape, outputShape, randomFloats } from './support.js';

// The wasm depthwise kernels against the naive backend's loops (convolution-checks.ts).

/** A depthwise geometry: `channels` in, `multiplier` outputs each. */
const geometry = (batch: number, image: [number, number], channels: number, filter: [number, number], multiplier: number, options?: Parameters<typeof convolutionGeometry>[5]): Conv2DGeometry =>
  convolutionGeometry(batch, image, channels, filter, channels * multiplier, options);
const filterShape = (g: Conv2DGeometry): number[] => [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels / g.inChannels];

/** Each kernel: its operands' shapes, and the longest float32 chain it may sum. */
const KERNELS = {
  depthwiseConv2d: {
    operands: (g: Conv2DGeometry) => [imageShape(g), filterShape(g)],
    chain: (g: Conv2DGeometry) => g.filterHeight * g.filterWidth,
  },
  depthwiseConv2dBackpropInput: {
    operands: (g: Conv2DGeometry) => [outputShape(g), filterShape(g)],
    chain: (g: Conv2DGeometry) => g.filterHeight * g.filterWidth * (g.outChannels / g.inChannels),
  },
  depthwiseConv2dBackpropFilter: {
    operands: (g: Conv2DGeometry) => [imageShape(g), outputShape(g)],
    // Runs of whole images in float32 (up to 1024 positions, or one image), added in float64.
    chain: (g: Conv2DGeometry) => Math.max(g.outHeight * g.outWidth, 1024) + g.batch,
  },
} as const;
type KernelName = keyof typeof KERNELS;

const { backend, shared, run, runShared, expectLikeNaive } = await convolutionChecks<KernelName>(KERNELS, depthwise);

const GEOMETRIES: [string, Conv2DGeometry][] = [
  ["3×3 'same', 16 channels (whole vectors), batch 32 of 28×28: shared on a threaded backend, 32 filter-gradient runs", geometry(32, [28, 28], 16, [3, 3], 1, { pads: [1, 1, 1, 1] })],
  ["3×3 'same', 32 channels, batch 32 of 14×14: 7 filter-gradient runs of 5 images", geometry(32, [14, 14], 32, [3, 3], 1, { pads: [1, 1, 1, 1] })],
  ["3×3 strides 2 'same', 5 channels (a padded vector), multiplier 3", geometry(3, [9, 8], 5, [3, 3], 3, { strides: [2, 2], pads: [1, 1, 0, 1] })],
  ['3×3 dilations 2, padded 2 all round, 3 channels × 3 (three vectors, one padded)', geometry(2, [7, 6], 3, [3, 3], 3, { dilations: [2, 2], pads: [2, 2, 2, 2] })],
  ['3×2 strides [2, 1], padded 1 / 1 / 0 / 1, one channel', geometry(2, [7, 6], 1, [3, 2], 1, { strides: [2, 1], pads: [1, 1, 0, 1] })],
  ['5×5 dilations [1, 2] past an image smaller than the window, 3 channels', geometry(2, [3, 4], 3, [5, 5], 1, { dilations: [1, 2], pads: [2, 2, 4, 4] })],
  ['windows wholly in the padding (padded 3 all round, 1×1 filter, strides 2), 16 channels × 3', geometry(1, [4, 4], 16, [1, 1], 3, { strides: [2, 2], pads: [3, 3, 3, 3] })],
  ['valid 2×2, one channel × 3, batch 1', geometry(1, [5, 5], 1, [2, 2], 3)],
];

describe('the simd depthwise kernels match float64 loops within float32 summation error', () => {
  for (const [name, g] of GEOMETRIES) {
    for (const kernel of Object.keys(KERNELS) as KernelName[]) {
      it(`${kernel}: ${name}`, () => expectLikeNaive(kernel, g, g.inChannels * 100 + g.outChannels));
    }
  }

  it('the first two geometries are worth sharing, the others not', () => {
    expect(GEOMETRIES.map(([, g]) => depthwise.depthwiseWorthSharing(g))).toEqual([true, true, false, false, false, false, false, false]);
  });

  it('an empty batch gives an empty output and input gradient, and a zero filter gradient', () => {
    const g = geometry(0, [5, 5], 3, [3, 3], 2);
    const images: Operands = [new Float32Array(0), imageShape(g), new Float32Array(0), outputShape(g)];
    const zeros = new Array(size(filterShape(g))).fill(0);
    expect([...run(backend, 'depthwiseConv2dBackpropFilter', images, g)]).toEqual(zeros);
    expect([...runShared('depthwiseConv2dBackpropFilter', images, g)]).toEqual(zeros);
    const filter = randomFloats(size(filterShape(g)), 1);
    expect(run(backend, 'depthwiseConv2d', [new Float32Array(0), imageShape(g), filter, filterShape(g)], g)).toHaveLength(0);
    expect(run(backend, 'depthwiseConv2dBackpropInput', [new Float32Array(0), outputShape(g), filter, filterShape(g)], g)).toHaveLength(0);
  });

  it('helper threads take part in the shared kernels', async () => {
    // The calling thread takes tasks too, and on a busy machine it may take all of a job's
    // before a helper wakes: so ask again, for up to 10 s.
    const g = GEOMETRIES[0]![1];
    const operands: Operands = [randomFloats(size(imageShape(g)), 1), imageShape(g), randomFloats(size(filterShape(g)), 2), filterShape(g)];
    const before = shared.tasksByHelpers;
    for (const deadline = Date.now() + 10_000; shared.tasksByHelpers === before && Date.now() < deadline;) {
      runShared('depthwiseConv2d', operands, g);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(shared.tasksByHelpers).toBeGreaterThan(before);
  });

  it('leaves its inputs unchanged', () => {
    const g = GEOMETRIES[2]![1];
    for (const kernel of Object.keys(KERNELS) as KernelName[]) {
      const [aShape, bShape] = KERNELS[kernel].operands(g);
      const [a, b] = [randomFloats(size(aShape!), 1), randomFloats(size(bShape!), 2)];
      const [aCopy, bCopy] = [a.slice(), b.slice()];
      run(backend, kernel, [a, aShape!, b, bShape!], g);
      expect([a, b]).toEqual([aCopy, bCopy]);
    }
  });
});
