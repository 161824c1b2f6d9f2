// Conv3DTranspose against float64 loops written here: each input voxel scatter-adds its
// kernel-weighted copies into the full output, which is then cut where the forward Conv3D with
// TensorFlow's 'same' padding (the lesser half before) would have read it. Values, gradients
// (central finite differences), Keras's output shapes, save and load, a Keras 3 description.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { keras3Files } from './keras3-files.js';
import { expectClose } from './training-api-helpers.js';
import { coordinatesOf, drawKernelAndBias, draws, errorRecorder, expectReferenceGradients, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

type Triple = [number, number, number];

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

interface Case {
  name: string;
  shape: number[];
  filters: number;
  kernelSize: Triple;
  strides: Triple;
  padding: 'valid' | 'same';
  dilationRate?: Triple;
  outputPadding?: Triple;
  /** Keras's output shape, batch null (worked out by hand from Keras's rules). */
  output: (number | null)[];
}

const CASES: Case[] = [
  { name: 'valid, strides [2,1,2], [1,2,3,2,2] → 3', shape: [1, 2, 3, 2, 2], filters: 3, kernelSize: [2, 3, 2], strides: [2, 1, 2], padding: 'valid', output: [null, 4, 5, 4, 3] },
  { name: 'same, strides 2, kernel 3, [2,2,2,3,1] → 2', shape: [2, 2, 2, 3, 1], filters: 2, kernelSize: [3, 3, 3], strides: [2, 2, 2], padding: 'same', output: [null, 4, 4, 6, 2] },
  {
    name: 'same, kernel [3,4,2], strides [2,2,3], outputPadding [1,1,0]', shape: [1, 2, 2, 2, 2], filters: 2, kernelSize: [3, 4, 2], strides: [2, 2, 3], padding: 'same', outputPadding: [1, 1, 0],
    output: [null, 4, 3, 3, 2],
  },
  { name: 'valid, window shorter than the stride, [1,2,1,2,1] → 2', shape: [1, 2, 1, 2, 1], filters: 2, kernelSize: [1, 1, 2], strides: [3, 1, 3], padding: 'valid', output: [null, 6, 1, 6, 2] },
  { name: 'valid, outputPadding [1,0,2]', shape: [1, 2, 2, 2, 1], filters: 1, kernelSize: [2, 2, 2], strides: [2, 1, 3], padding: 'valid', outputPadding: [1, 0, 2], output: [null, 5, 3, 7, 1] },
  { name: 'same, dilation [2,1,1], [1,3,2,2,2] → 2', shape: [1, 3, 2, 2, 2], filters: 2, kernelSize: [2, 2, 2], strides: [1, 1, 1], padding: 'same', dilationRate: [2, 1, 1], output: [null, 3, 2, 2, 2] },
  { name: 'valid, dilation [1,2,3]', shape: [1, 2, 2, 1, 1], filters: 2, kernelSize: [2, 2, 2], strides: [1, 1, 1], padding: 'valid', dilationRate: [1, 2, 3], output: [null, 3, 4, 4, 2] },
];

/**
 * The transposed convolution in float64: scatter-add into the full output (input voxel i reaching
 * i·stride + tap·dilation), then output entry o is full entry o + before, before being the
 * padding TensorFlow's forward 'same' convolution of the output's length puts first (0 for 'valid').
 */
function reference(c: Case, x: readonly number[], kernel: readonly number[], bias: readonly number[]): number[] {
  const [batch, ...sizes] = c.shape as [number, number, number, number, number];
  const channels = sizes[3];
  const dilation = c.dilationRate ?? [1, 1, 1];
  const extent = [0, 1, 2].map((a) => (c.kernelSize[a]! - 1) * dilation[a]! + 1);
  const fullSize = [0, 1, 2].map((a) => (sizes[a]! - 1) * c.strides[a]! + extent[a]!);
  const out = c.output.slice(1, 4) as number[];
  const before = [0, 1, 2].map((a) => (c.padding === 'valid' ? 0 : Math.floor(Math.max((sizes[a]! - 1) * c.strides[a]! + extent[a]! - out[a]!, 0) / 2)));
  const full = new Float64Array(batch * sizeOf(fullSize) * c.filters);
  const kernelShape = [...c.kernelSize, c.filters, channels];
  for (let i = 0; i < x.length; i++) {
    const [b, d, h, w, ch] = coordinatesOf(i, c.shape) as [number, number, number, number, number];
    for (let k = 0; k < kernel.length; k++) {
      const [kd, kh, kw, f, kc] = coordinatesOf(k, kernelShape) as [number, number, number, number, number];
      if (kc !== ch) continue;
      const at = [d * c.strides[0] + kd * dilation[0]!, h * c.strides[1] + kh * dilation[1]!, w * c.strides[2] + kw * dilation[2]!];
      full[(((b * fullSize[0]! + at[0]!) * fullSize[1]! + at[1]!) * fullSize[2]! + at[2]!) * c.filters + f] += x[i]! * kernel[k]!;
    }
  }
  return Array.from({ length: batch * sizeOf(out) * c.filters }, (_, o) => {
    const [b, d, h, w, f] = coordinatesOf(o, [batch, ...out, c.filters]) as [number, number, number, number, number];
    const at = [d + before[0]!, h + before[1]!, w + before[2]!];
    const inside = at.every((v, a) => v < fullSize[a]!);
    return (inside ? full[(((b * fullSize[0]! + at[0]!) * fullSize[1]! + at[1]!) * fullSize[2]! + at[2]!) * c.filters + f]! : 0) + bias[f]!;
  });
}

const layerOf = (c: Case, config: Partial<pc.Conv3DTransposeConfig> = {}): pc.Conv3DTranspose =>
  new pc.Conv3DTranspose(c.filters, c.kernelSize, { strides: c.strides, padding: c.padding, dilationRate: c.dilationRate, outputPadding: c.outputPadding, ...config });

/** Flat 2×2×2×1 volumes up to 4×4×4, then down to two classes. */
function decoder(): pc.Sequential {
  return new pc.Sequential([
    new pc.Reshape([2, 2, 2, 1], { inputShape: [8] }),
    new pc.Conv3DTranspose(3, 3, { strides: 2, padding: 'same', activation: 'relu' }),
    new pc.Conv3DTranspose(2, [2, 1, 2], { outputPadding: [0, 0, 1], strides: [1, 1, 2], kernelRegularizer: 'l2', useBias: false }),
    new pc.GlobalAveragePooling3D(),
    new pc.Dense(2, { activation: 'softmax' }),
  ]);
}

const recordError = errorRecorder('Conv3DTranspose');

for (const backend of MODEL_BACKENDS) {
  describe(`Conv3DTranspose on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(CASES)('$name', (c) => {
      const xValues = draws(sizeOf(c.shape), 1, -2, 2);
      const kernelShape = [...c.kernelSize, c.filters, c.shape[4]!];

      it("makes Keras's kernel; its output matches the float64 scatter in Keras's shape", () => {
        const layer = layerOf(c);
        layer.ensureBuilt(c.shape);
        expect(layer.weights.map((w) => w.shape)).toEqual([kernelShape, [c.filters]]);
        const { kernel, bias } = drawKernelAndBias(layer);
        const y = pc.tidy(() => layer.apply(pc.tensor(xValues, c.shape)) as pc.Tensor);
        const want = reference(c, xValues, kernel, bias);
        recordError('forward', y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-5, 1e-5);
        expect(layer.computeOutputShape([null, ...c.shape.slice(1)])).toEqual(c.output);
        expect(layer.computeOutputShape([null, null, c.shape[2]!, null, c.shape[4]!])).toEqual([null, null, c.output[2], null, c.filters]);
        expect(y.shape).toEqual([c.shape[0], ...c.output.slice(1)]);
        y.dispose();
        layer.dispose();
      });

      it('gradients w.r.t. input, kernel and bias match central finite differences', () => {
        const layer = layerOf(c);
        layer.ensureBuilt(c.shape);
        const { kernel, bias } = drawKernelAndBias(layer);
        const x = pc.tensor(xValues, c.shape);
        expectReferenceGradients({
          layer, x, variables: [layer.kernel!, layer.bias!], values: [xValues, kernel, bias], names: ['input', 'kernel', 'bias'],
          reference: ([moved, k, b]) => reference(c, moved!, k!, b!), seed: 2, record: recordError, label: 'Conv3DTranspose',
        });
        x.dispose();
        layer.dispose();
      });
    });

    it("Keras's docstring example: Conv3DTranspose(32, 2, strides 2) doubles every side", () => {
      expect(new pc.Conv3DTranspose(32, 2, { strides: 2 }).computeOutputShape([4, 10, 8, 12, 128])).toEqual([4, 20, 16, 24, 32]);
    });

    it('a training step leaves no tensor behind; save -> loadModel restores layers, weights and predictions', async () => {
      const model = decoder();
      const x = pc.tensor(draws(3 * 8, 5, -1, 1), [3, 8]);
      expect(model.layers.slice(1, 3).map((l) => l.outputShape)).toEqual([[null, 4, 4, 4, 3], [null, 5, 4, 9, 2]]);
      expectTrainingStepsLeakNothing(model, x);
      await expectSaveLoadRoundTrip(model, x, model.layers);
      expect(model.layers[2]!.getConfig()).toMatchObject({ filters: 2, kernelSize: [2, 1, 2], strides: [1, 1, 2], padding: 'valid', outputPadding: [0, 0, 1], dilationRate: [1, 1, 1], useBias: false });
      expect(model.layers[1]!.getConfig()).toMatchObject({ outputPadding: null, activation: 'relu' });
      x.dispose();
      model.dispose();
    });

    it('reads a Keras 3 description with its weights through loadLayersModel', async () => {
      const c = CASES[1]!;
      const [kernel, bias] = [draws(27 * 2, 16, -1, 1), draws(2, 17, -0.5, 0.5)];
      const model = await pc.loadLayersModel(keras3Files({
        inputs: [{ name: 'volumes', shape: c.shape.slice(1) }],
        layers: [{
          className: 'Conv3DTranspose', name: 'conv3d_transpose', config: {
            filters: 2, kernel_size: [3, 3, 3], strides: [2, 2, 2], padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1, 1], activation: 'linear', use_bias: true,
            kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {} },
            kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
          },
        }],
        weights: [{ name: 'conv3d_transpose/kernel:0', shape: [3, 3, 3, 2, 1], values: kernel }, { name: 'conv3d_transpose/bias:0', shape: [2], values: bias }],
      }));
      expect(model.layers[1]).toBeInstanceOf(pc.Conv3DTranspose);
      const xValues = draws(sizeOf(c.shape), 18, -2, 2);
      const x = pc.tensor(xValues, c.shape);
      const y = model.predict(x) as pc.Tensor;
      const want = reference(c, xValues, kernel, bias);
      recordError('Keras 3 model', y.dataSync(), want);
      expectClose(y.dataSync(), want, 1e-5, 1e-5);
      pc.dispose([x, y]);
      model.dispose();
    });
  });
}

describe('Conv3DTranspose settings', () => {
  beforeEach(async () => {
    await pc.setBackend('naive');
  });

  it.each([
    ['no filters', () => new pc.Conv3DTranspose(0, 3), 'Conv3DTranspose: filters must be a positive integer, got 0'],
    ['a kernel of two sizes', () => new pc.Conv3DTranspose(2, [3, 3] as unknown as Triple), 'Conv3DTranspose: kernelSize must be a positive integer or three of them [depth, height, width], got [3,3]'],
    ['dilation with strides', () => new pc.Conv3DTranspose(2, 3, { strides: 2, dilationRate: [1, 2, 1] }), 'Conv3DTranspose: dilationRate > 1 needs strides 1 (as in Keras), got dilationRate [1,2,1] and strides [2,2,2]'],
    ['outputPadding not below strides', () => new pc.Conv3DTranspose(2, 3, { strides: [2, 1, 2], outputPadding: 1 }), 'Conv3DTranspose: outputPadding must be below strides on every axis (as in Keras), got outputPadding [1,1,1] and strides [2,1,2]'],
    ['a negative outputPadding', () => new pc.Conv3DTranspose(2, 3, { outputPadding: [0, -1, 0] }), 'Conv3DTranspose: outputPadding must be null, a non-negative integer, or one per axis [depth, height, width], got [0,-1,0]'],
    ["padding 'causal'", () => new pc.Conv3DTranspose(2, 3, { padding: 'causal' as 'same' }), "Conv3DTranspose: padding must be 'valid' or 'same', got \"causal\""],
    ['an unknown option', () => new pc.Conv3DTranspose(2, 3, { groups: 2 } as never), "Conv3DTranspose: unknown option 'groups'"],
  ])('refuses %s, naming it', (_, make, message) => {
    expect(make).toThrow(message);
  });

  it('refuses inputs that are not volumes, or of other channels than it was built for, naming the layer', () => {
    const layer = new pc.Conv3DTranspose(2, 3, { name: 't' });
    const [images, volumes, other] = [pc.ones([1, 4, 4, 2]), pc.ones([1, 2, 2, 2, 2]), pc.ones([1, 2, 2, 2, 3])];
    expect(() => layer.apply(images)).toThrow("Conv3DTranspose 't': expected inputs of rank 5 [batch, depth, height, width, channels], got shape [1,4,4,2]");
    pc.tidy(() => layer.apply(volumes));
    expect(() => pc.tidy(() => layer.apply(other))).toThrow("Layer 't': expected inputs with last dimension 2");
    pc.dispose([images, volumes, other]);
  });
});
