import type { Conv2DGeometry, FusedActivation, KernelTensor } from '@perceptron/core';
import type { NaiveHandle } from '@perceptron/backend-naive';
import { describe, expect, it } from 'vitest';
import { SimdBackend } from '../src/index.js';
import { conv2d, convolutionWorthSharing } from '../src/kernels/convolution.js';
import { depthwiseConv2d, depthwiseWorthSharing } from '../src/kernels/depthwise-convolution.js';
import { MAX_TASKS } from '../src/kernels/helper-threads.js';
import { convolutionGeometry, filterShape, float32, imageShape, outputShape, randomFloats, sharedKernels } from './support.js';

// The fused convolutions (bias and activation applied in wasm memory, kernels/output-stage.ts)
// against what core composes from simd's own kernels when a backend has none: the convolution,
// then add, then relu, sigmoid or tanh. They run the same elementwise kernels on the same
// operands, so every value must match bit for bit (NaN included), on the calling thread over
// plain memory and with the convolution and the stage shared among three threads.

const backend = await SimdBackend.create({ threads: 1 });
const shared = await sharedKernels();

type T = KernelTensor<NaiveHandle>;

/** Each kind: its kernel module's function, the backend's plain and fused kernels, the filter's shape, whether the backend would share it. */
const KINDS = {
  conv2d: {
    kernel: conv2d,
    plain: (x: T, f: T, g: Conv2DGeometry) => backend.conv2d(x, f, g),
    fused: (x: T, f: T, b: T | null, a: FusedActivation, g: Conv2DGeometry) => backend.fusedConv2d(x, f, b, a, g),
    filterShape,
    worthSharing: convolutionWorthSharing,
  },
  depthwiseConv2d: {
    kernel: depthwiseConv2d,
    plain: (x: T, f: T, g: Conv2DGeometry) => backend.depthwiseConv2d(x, f, g),
    fused: (x: T, f: T, b: T | null, a: FusedActivation, g: Conv2DGeometry) => backend.fusedDepthwiseConv2d(x, f, b, a, g),
    filterShape: (g: Conv2DGeometry) => [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels / g.inChannels],
    worthSharing: depthwiseWorthSharing,
  },
} as const;
type Kind = keyof typeof KINDS;

/** A depthwise geometry: `channels` in, `multiplier` outputs each. */
const depthwise = (batch: number, image: [number, number], channels: number, multiplier: number, pads: [number, number, number, number]): Conv2DGeometry =>
  convolutionGeometry(batch, image, channels, [3, 3], channels * multiplier, { pads });

const CASES: [Kind, string, Conv2DGeometry][] = [
  ['conv2d', 'small: 3 → 11 channels (a padded panel), strides 2', convolutionGeometry(2, [7, 6], 3, [3, 3], 11, { strides: [2, 2], pads: [1, 1, 0, 1] })],
  ['conv2d', `large: batch 400 of 28×28, 1 → 13 channels, more than ${MAX_TASKS} chunks`, convolutionGeometry(400, [28, 28], 1, [3, 3], 13)],
  ['conv2d', 'an empty batch', convolutionGeometry(0, [5, 5], 2, [3, 3], 3)],
  ['depthwiseConv2d', 'small: 3 channels × 2 (a padded vector)', depthwise(2, [7, 6], 3, 2, [1, 1, 1, 1])],
  ['depthwiseConv2d', 'large: 5 channels × 1, batch 32 of 28×28', depthwise(32, [28, 28], 5, 1, [1, 1, 1, 1])],
  ['depthwiseConv2d', 'large: 3 channels × 2, batch 32 of 28×28', depthwise(32, [28, 28], 3, 2, [1, 1, 1, 1])],
  ['depthwiseConv2d', 'an empty batch', depthwise(0, [5, 5], 2, 2, [0, 0, 0, 0])],
];

/** Operands scaled so that the sums take both signs and reach sigmoid's and tanh's flat parts; a few NaN in the images. */
function operands(kind: Kind, g: Conv2DGeometry): [T, T, T] {
  const x = randomFloats(imageShape(g).reduce((a, b) => a * b, 1), g.outChannels).map((v, i) => (i % 97 === 5 ? Number.NaN : 3 * v));
  const f = randomFloats(KINDS[kind].filterShape(g).reduce((a, b) => a * b, 1), g.inChannels);
  return [float32(x, imageShape(g)), float32(f, KINDS[kind].filterShape(g)), float32(randomFloats(g.outChannels, 7), [g.outChannels])];
}

/** What core composes on simd: the convolution, the add, the activation's kernel. */
function composite(kind: Kind, x: T, f: T, bias: T | null, activation: FusedActivation, g: Conv2DGeometry): Float32Array {
  const shape = outputShape(g);
  const z = KINDS[kind].plain(x, f, g) as Float32Array;
  const biased = bias ? float32(backend.add(float32(z, shape), bias, shape) as Float32Array, shape) : float32(z, shape);
  const activated = { linear: () => biased.handle, relu: () => backend.relu(biased), sigmoid: () => backend.sigmoid(biased), tanh: () => backend.tanh(biased) };
  return activated[activation]() as Float32Array;
}

const bits = (values: Float32Array): Buffer => Buffer.from(values.buffer, values.byteOffset, values.byteLength);

describe('simd fusedConv2d and fusedDepthwiseConv2d equal the convolution, add and activation kernels bit for bit', () => {
  for (const [kind, name, g] of CASES) {
    for (const activation of ['linear', 'relu', 'sigmoid', 'tanh'] as const) {
      for (const withBias of [true, false]) {
        it(`${kind}, ${name}: ${activation}${withBias ? ' + bias' : ''}`, () => {
          const [x, f, b] = operands(kind, g);
          const bias = withBias ? b : null;
          const want = composite(kind, x, f, bias, activation, g);
          expect(want.length).toBe(outputShape(g).reduce((s, d) => s * d, 1));
          const alone = KINDS[kind].fused(x, f, bias, activation, g) as Float32Array;
          expect(bits(alone).equals(bits(want)), 'on the calling thread').toBe(true);
          const stage = { bias: bias ? (bias.handle as Float32Array) : null, activation };
          const together = KINDS[kind].kernel(shared, x, f, g, (n) => new Float32Array(n), stage);
          expect(bits(together).equals(bits(want)), 'shared among threads').toBe(true);
        });
      }
    }
  }

  it('the cases cover convolutions the threaded backend runs alone and shares, with NaN reaching the outputs', () => {
    const [small, large] = CASES.filter(([, name]) => !name.startsWith('an empty'));
    expect(KINDS[small![0]].worthSharing(small![2])).toBe(false);
    expect(KINDS[large![0]].worthSharing(large![2])).toBe(true);
    expect(CASES.filter(([kind, , g]) => KINDS[kind].worthSharing(g)).length).toBe(3);
    const [x, f, b] = operands('conv2d', large![2]);
    expect(Array.from(backend.fusedConv2d(x, f, b, 'relu', large![2]) as Float32Array).some(Number.isNaN)).toBe(true);
  });

  it('relu gives +0 for negative sums and keeps NaN, as the relu kernel does', () => {
    const g = convolutionGeometry(1, [1, 3], 1, [1, 1], 1);
    const x = float32(Float32Array.from([-2, Number.NaN, 0.5]), imageShape(g));
    const got = backend.fusedConv2d(x, float32(Float32Array.from([1]), [1, 1, 1, 1]), float32(Float32Array.from([-0.5]), [1]), 'relu', g) as Float32Array;
    expect([...got]).toEqual([0, Number.NaN, 0]);
    expect(Object.is(got[0], 0) && Object.is(got[2], 0)).toBe(true);
  });
});
