// DepthwiseConv2D and SeparableConv2D against float64 loops written here (each channel convolved
// with its own kernels, no sum across channels; then, for SeparableConv2D, a 1×1 convolution):
// values, output shapes, gradients by central finite differences, CNNs trained with fit and
// saved, bad configs and leaks.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { drawKernelAndBias, draws, errorRecorder, expectReferenceGradients, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, stripeImages } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

type Pair = [number, number];

interface DepthwiseCase {
  name: string;
  shape: number[];
  kernel: Pair;
  multiplier: number;
  strides: Pair;
  padding: 'valid' | 'same';
  dilation: Pair;
}

const CASES: DepthwiseCase[] = [
  { name: '3×3 same, [2,5,5,3], multiplier 1', shape: [2, 5, 5, 3], kernel: [3, 3], multiplier: 1, strides: [1, 1], padding: 'same', dilation: [1, 1] },
  { name: '2×3 valid strides 2, [1,6,7,2], multiplier 2', shape: [1, 6, 7, 2], kernel: [2, 3], multiplier: 2, strides: [2, 2], padding: 'valid', dilation: [1, 1] },
  { name: '3×3 same dilation 2, [1,6,5,2], multiplier 3', shape: [1, 6, 5, 2], kernel: [3, 3], multiplier: 3, strides: [1, 1], padding: 'same', dilation: [2, 2] },
];

/** Keras's output length and padding before along one axis. */
function axis(input: number, size: number, stride: number, dilation: number, padding: 'valid' | 'same'): { output: number; before: number } {
  const span = (size - 1) * dilation + 1;
  if (padding === 'valid') return { output: Math.floor((input - span) / stride) + 1, before: 0 };
  const output = Math.ceil(input / stride);
  return { output, before: Math.floor(Math.max((output - 1) * stride + span - input, 0) / 2) };
}

/** out[b, oy, ox, c·M + m] = Σ_ij x[b, y, x, c]·kernel[i, j, c, m] + bias[c·M + m], in float64. */
function depthwiseReference(x: readonly number[], c: DepthwiseCase, kernel: readonly number[], bias: readonly number[]): number[] {
  const [batch, height, width, channels] = c.shape as [number, number, number, number];
  const rows = axis(height, c.kernel[0], c.strides[0], c.dilation[0], c.padding);
  const cols = axis(width, c.kernel[1], c.strides[1], c.dilation[1], c.padding);
  const outChannels = channels * c.multiplier;
  const out: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < rows.output; oy++) {
      for (let ox = 0; ox < cols.output; ox++) {
        for (let o = 0; o < outChannels; o++) {
          const [channel, m] = [Math.floor(o / c.multiplier), o % c.multiplier];
          let sum = bias[o]!;
          for (let i = 0; i < c.kernel[0]; i++) {
            for (let j = 0; j < c.kernel[1]; j++) {
              const y = oy * c.strides[0] + i * c.dilation[0] - rows.before;
              const xx = ox * c.strides[1] + j * c.dilation[1] - cols.before;
              if (y < 0 || y >= height || xx < 0 || xx >= width) continue;
              sum += x[((b * height + y) * width + xx) * channels + channel]! * kernel[((i * c.kernel[1] + j) * channels + channel) * c.multiplier + m]!;
            }
          }
          out.push(sum);
        }
      }
    }
  }
  return out;
}

const recordError = errorRecorder('depthwise and separable convolutions');

for (const backend of MODEL_BACKENDS) {
  describe(`DepthwiseConv2D on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(CASES)('$name', (c) => {
      const xValues = draws(c.shape.reduce((a, b) => a * b, 1), 1, -2, 2);

      it('values, gradients (input, kernel, bias) and the output shape match the float64 loop', () => {
        const layer = new pc.DepthwiseConv2D(c.kernel, { depthMultiplier: c.multiplier, strides: c.strides, padding: c.padding, dilationRate: c.dilation });
        layer.ensureBuilt(c.shape);
        expect(layer.kernel!.shape).toEqual([...c.kernel, c.shape[3]!, c.multiplier]);
        const { kernel, bias } = drawKernelAndBias(layer);
        const x = pc.tensor(xValues, c.shape);
        const y = pc.tidy(() => layer.apply(x));
        const want = depthwiseReference(xValues, c, kernel, bias);
        recordError('values', y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-5, 1e-5);
        expect(layer.computeOutputShape([null, ...c.shape.slice(1)])).toEqual([null, ...y.shape.slice(1)]);
        expectReferenceGradients({
          layer, x, variables: [layer.kernel!, layer.bias!], values: [xValues, kernel, bias], names: ['input', 'kernel', 'bias'],
          reference: ([moved, k, b]) => depthwiseReference(moved!, c, k!, b!), seed: 2, record: recordError, label: 'DepthwiseConv2D',
        });
        pc.dispose([x, y]);
        layer.dispose();
      });
    });

    describe.each(CASES)('SeparableConv2D $name → 2 filters', (c) => {
      const xValues = draws(c.shape.reduce((a, b) => a * b, 1), 6, -2, 2);
      const channels = c.shape[3]! * c.multiplier;
      /** The depthwise loop without its bias, then each position's channels·M values times the pointwise kernel, plus the bias. */
      const separableReference = (x: readonly number[], depthwise: readonly number[], pointwise: readonly number[], bias: readonly number[]): number[] => {
        const inner = depthwiseReference(x, c, depthwise, new Array<number>(channels).fill(0));
        return Array.from({ length: (inner.length / channels) * 2 }, (_, k) => {
          const [at, f] = [Math.floor(k / 2), k % 2];
          return inner.slice(at * channels, (at + 1) * channels).reduce((sum, v, i) => sum + v * pointwise[i * 2 + f]!, bias[f]!);
        });
      };

      it("values and gradients (input, both kernels, bias) match the float64 loops; Keras's weights in Keras's order", () => {
        const layer = new pc.SeparableConv2D(2, c.kernel, { depthMultiplier: c.multiplier, strides: c.strides, padding: c.padding, dilationRate: c.dilation });
        layer.ensureBuilt(c.shape);
        expect(layer.weights.map((w) => [w.name.split('/').at(-1), w.shape])).toEqual([['depthwise_kernel', [...c.kernel, c.shape[3]!, c.multiplier]], ['pointwise_kernel', [1, 1, channels, 2]], ['bias', [2]]]);
        const [depthwise, pointwise, bias] = [draws(layer.depthwiseKernel!.size, 7, -1, 1), draws(layer.pointwiseKernel!.size, 8, -1, 1), draws(2, 9, -0.5, 0.5)];
        pc.tidy(() => [layer.depthwiseKernel!, layer.pointwiseKernel!, layer.bias!].forEach((w, k) => w.assign(pc.tensor([depthwise, pointwise, bias][k]!, w.shape))));
        const x = pc.tensor(xValues, c.shape);
        const y = pc.tidy(() => layer.apply(x));
        const want = separableReference(xValues, depthwise, pointwise, bias);
        recordError('SeparableConv2D values', y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-5, 1e-5);
        expect(layer.computeOutputShape([null, ...c.shape.slice(1)])).toEqual([null, ...y.shape.slice(1)]);
        expectReferenceGradients({
          layer, x, variables: [layer.depthwiseKernel!, layer.pointwiseKernel!, layer.bias!], values: [xValues, depthwise, pointwise, bias],
          names: ['input', 'depthwise kernel', 'pointwise kernel', 'bias'],
          reference: ([moved, d, p, b]) => separableReference(moved!, d!, p!, b!), seed: 10, record: recordError, label: 'SeparableConv2D',
        });
        pc.dispose([x, y]);
        layer.dispose();
      });
    });

    it('a depthwise-separable CNN (DepthwiseConv2D, then a 1×1 Conv2D) learns stripes with fit, saves and loads, and leaks nothing', async () => {
      const { pixels, labels } = stripeImages(64, 8, 31);
      const [x, y] = [pc.tensor(pixels, [64, 8, 8, 1]), pc.tensor(labels, [64], 'int32')];
      const model = new pc.Sequential([
        pc.Input({ shape: [8, 8, 1] }),
        new pc.Conv2D(4, 3, { padding: 'same', activation: 'relu' }),
        new pc.DepthwiseConv2D(3, { depthMultiplier: 2, activation: 'relu', name: 'depthwise' }),
        new pc.Conv2D(6, 1, { activation: 'relu' }),
        new pc.GlobalAveragePooling2D(),
        new pc.Dense(2, { activation: 'softmax' }),
      ]);
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy' });
      const history = await model.fit(x, y, { epochs: 8, batchSize: 16, verbose: 0 });
      const losses = history.history.loss!;
      expect(losses.at(-1)!).toBeLessThan(0.5 * losses[0]!);
      expect(model.getLayer('depthwise').getConfig()).toMatchObject({ depthMultiplier: 2, depthwiseInitializer: 'glorotUniform', kernelSize: [3, 3] });
      await expectSaveLoadRoundTrip(model, x, model.layers);
      expectTrainingStepsLeakNothing(model, x);
      pc.dispose([x, y]);
      model.optimizer?.dispose();
      model.dispose();
    });

    it('a SeparableConv2D CNN learns stripes with fit, saves and loads with its configs, and leaks nothing', async () => {
      const { pixels, labels } = stripeImages(64, 8, 33);
      const [x, y] = [pc.tensor(pixels, [64, 8, 8, 1]), pc.tensor(labels, [64], 'int32')];
      const separable = new pc.SeparableConv2D(6, 3, { depthMultiplier: 2, padding: 'same', activation: 'relu', pointwiseRegularizer: 'l2' });
      const model = new pc.Sequential([
        pc.Input({ shape: [8, 8, 1] }),
        new pc.Conv2D(3, 3, { padding: 'same', activation: 'relu' }),
        separable,
        new pc.GlobalAveragePooling2D(),
        new pc.Dense(2, { activation: 'softmax' }),
      ]);
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy' });
      const history = await model.fit(x, y, { epochs: 8, batchSize: 16, verbose: 0 });
      const losses = history.history.loss!;
      expect(losses.at(-1)!).toBeLessThan(0.5 * losses[0]!);
      expect(separable.getConfig()).toMatchObject({ filters: 6, depthMultiplier: 2, depthwiseInitializer: 'glorotUniform', pointwiseInitializer: 'glorotUniform', depthwiseRegularizer: null });
      expect(separable.getConfig().pointwiseRegularizer).not.toBeNull();
      expect(separable.losses).toHaveLength(1); // the pointwise kernel's L2
      await expectSaveLoadRoundTrip(model, x, model.layers);
      expectTrainingStepsLeakNothing(model, x);
      pc.dispose([x, y]);
      model.optimizer?.dispose();
      model.dispose();
    });

    it('bad configs and inputs are errors naming the layer, what it expected and what it got', () => {
      expect(() => new pc.DepthwiseConv2D(3, { depthMultiplier: 0 })).toThrow('DepthwiseConv2D: depthMultiplier must be a positive integer, got 0');
      expect(() => new pc.DepthwiseConv2D([3, 0])).toThrow('DepthwiseConv2D: kernelSize must be a positive integer or two of them [height, width], got [3,0]');
      expect(() => new pc.DepthwiseConv2D(3, { strides: 2, dilationRate: 2 })).toThrow('DepthwiseConv2D: dilationRate > 1 needs strides 1 (as in Keras), got dilationRate [2,2] and strides [2,2]');
      expect(() => new pc.DepthwiseConv2D(3, { name: 'd' }).apply(pc.ones([2, 12]))).toThrow("DepthwiseConv2D 'd': expected inputs of rank 4 [batch, height, width, channels], got shape [2,12]");
      expect(() => new pc.DepthwiseConv2D(3, { name: 'd2' }).apply(pc.ones([1, 2, 5, 1]))).toThrow("DepthwiseConv2D 'd2': with padding 'valid' the input must be at least as large as the 3×3 window, got 2×5");
      expect(() => new pc.SeparableConv2D(0, 3)).toThrow('SeparableConv2D: filters must be a positive integer, got 0');
      expect(() => new pc.SeparableConv2D(2, 3, { depthMultiplier: 1.5 })).toThrow('SeparableConv2D: depthMultiplier must be a positive integer, got 1.5');
      expect(() => new pc.SeparableConv2D(2, 3, { name: 's' }).apply(pc.ones([2, 12]))).toThrow("SeparableConv2D 's': expected inputs of rank 4 [batch, height, width, channels], got shape [2,12]");
    });
  });
}
