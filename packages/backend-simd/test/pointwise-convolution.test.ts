import type { Conv2DGeometry, FusedActivation } from '@perceptron/core';
import { NaiveBackend } from '@perceptron/backend-naive';
import { describe, expect, it } from 'vitest';
import { SimdBackend } from '../src/index.js';
import { convolutionGeometry as geometry, filterShape, float32, imageShape, outputShape, randomFloats } from './support.js';

// A pointwise convolution (1×1 filter, strides 1, no padding: a SeparableConv2D's second half)
// runs on simd as a product of the pixels by the filter: each of the convolution's kernels gives
// bit for bit what the product kernel gives on the same values seen as matrices, within float32
// summation error of the naive loops.

const backend = await SimdBackend.create({ threads: 1 });
const naive = new NaiveBackend();
const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const bits = (values: ArrayLike<number>): Buffer => Buffer.from(Float32Array.from(values).buffer);

const GEOMETRIES: [string, Conv2DGeometry][] = [
  ['[2, 3, 4, 5] → 4', geometry(2, [3, 4], 5, [1, 1], 4)],
  ["the separable CNN's second pointwise: [3, 6, 6, 32] → 64", geometry(3, [6, 6], 32, [1, 1], 64)],
];

describe('pointwise convolutions on simd run as products', () => {
  for (const [name, g] of GEOMETRIES) {
    const pixels = g.batch * g.inHeight * g.inWidth;
    const [x, filter, dy, bias] = [randomFloats(size(imageShape(g)), 1), randomFloats(size(filterShape(g)), 2), randomFloats(size(outputShape(g)), 3), randomFloats(g.outChannels, 4)];
    const tensors = { x: float32(x, imageShape(g)), filter: float32(filter, filterShape(g)), dy: float32(dy, outputShape(g)), bias: float32(bias, [g.outChannels]) };
    const matrices = { x: float32(x, [pixels, g.inChannels]), filter: float32(filter, [g.inChannels, g.outChannels]), dy: float32(dy, [pixels, g.outChannels]) };

    it(`${name}: the convolution and both gradients are x·filter, dy·filterᵀ and xᵀ·dy`, () => {
      const cases = [
        [backend.conv2d(tensors.x, tensors.filter, g), backend.fusedMatMul(matrices.x, matrices.filter, null, 'linear', false, false), naive.conv2d(tensors.x, tensors.filter, g)],
        [backend.conv2dBackpropInput(tensors.dy, tensors.filter, g), backend.fusedMatMul(matrices.dy, matrices.filter, null, 'linear', false, true), naive.conv2dBackpropInput(tensors.dy, tensors.filter, g)],
        [backend.conv2dBackpropFilter(tensors.x, tensors.dy, g), backend.fusedMatMul(matrices.x, matrices.dy, null, 'linear', true, false), naive.conv2dBackpropFilter(tensors.x, tensors.dy, g)],
      ];
      for (const [got, product, loops] of cases) {
        expect(bits(got!)).toEqual(bits(product!));
        // Terms summed: at most the channels, or every pixel for the filter gradient; values in [-1, 1).
        Array.from(got!).forEach((v, i) => expect(Math.abs(v - loops![i]!)).toBeLessThan(1e-4));
      }
    });

    it(`${name}: the fused convolution adds the bias and applies each activation as the fused product does`, () => {
      for (const activation of ['linear', 'relu', 'sigmoid', 'tanh'] as FusedActivation[]) {
        const got = backend.fusedConv2d(tensors.x, tensors.filter, tensors.bias, activation, g);
        expect(bits(got)).toEqual(bits(backend.fusedMatMul(matrices.x, matrices.filter, tensors.bias, activation, false, false)));
      }
    });
  }

  it('a 1×1 convolution with strides or padding, which is no product, is still right; an empty batch gives a zero filter gradient', () => {
    for (const g of [geometry(2, [5, 4], 3, [1, 1], 2, { strides: [2, 2] }), geometry(1, [3, 3], 3, [1, 1], 2, { pads: [1, 0, 0, 1] })]) {
      const [x, filter] = [float32(randomFloats(size(imageShape(g)), 5), imageShape(g)), float32(randomFloats(size(filterShape(g)), 6), filterShape(g))];
      const [got, want] = [Array.from(backend.conv2d(x, filter, g)), Array.from(naive.conv2d(x, filter, g))];
      expect(got.length).toBe(want.length);
      got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-5));
    }
    const empty = geometry(0, [3, 3], 3, [1, 1], 2);
    const gradient = backend.conv2dBackpropFilter(float32(new Float32Array(0), imageShape(empty)), float32(new Float32Array(0), outputShape(empty)), empty);
    expect(Array.from(gradient)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
