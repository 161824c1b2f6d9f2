// DepthwiseConv1D and SeparableConv1D against the float64 loops of conv1d-reference.ts (each
// channel convolved along the steps with its own kernels; then, for SeparableConv1D, each step's
// channels mixed by the pointwise kernel): values, output shapes, gradients by central finite
// differences, the causal property, a network trained with fit and saved, bad configs and leaks.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { conv1dReference, type Window1D } from './conv1d-reference.js';
import { expectClose } from './training-api-helpers.js';
import { drawKernelAndBias, draws, errorRecorder, expectReferenceGradients, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

interface DepthwiseCase extends Window1D {
  name: string;
  /** [batch, steps, channels] */
  shape: [number, number, number];
  multiplier: number;
}

const CASES: DepthwiseCase[] = [
  { name: 'valid, kernel 3, strides 2, multiplier 2', shape: [2, 9, 3], kernelSize: 3, strides: 2, dilationRate: 1, padding: 'valid', multiplier: 2 },
  { name: 'same, kernel 4 (more padding after), multiplier 1', shape: [1, 7, 2], kernelSize: 4, strides: 1, dilationRate: 1, padding: 'same', multiplier: 1 },
  { name: 'causal, kernel 3, dilation 2, multiplier 3', shape: [2, 8, 2], kernelSize: 3, strides: 1, dilationRate: 2, padding: 'causal', multiplier: 3 },
];

const FILTERS = 2;
const settingsOf = (c: DepthwiseCase) => ({ strides: c.strides, dilationRate: c.dilationRate, padding: c.padding, depthMultiplier: c.multiplier });

/** The depthwise loop without its bias, then each step's channels·M values times the pointwise kernel [1, channels·M, FILTERS], plus the bias. */
function separableReference(c: DepthwiseCase, x: readonly number[], depthwise: readonly number[], pointwise: readonly number[], bias: readonly number[]): number[] {
  const channels = c.shape[2] * c.multiplier;
  const inner = conv1dReference(c, c.shape, x, depthwise, new Array<number>(channels).fill(0), 'depthwise');
  return conv1dReference({ kernelSize: 1, strides: 1, dilationRate: 1, padding: 'valid' }, [c.shape[0], inner.length / (c.shape[0] * channels), channels], inner, pointwise, bias, 'full');
}

const recordError = errorRecorder('depthwise and separable 1-D convolutions');

for (const backend of MODEL_BACKENDS) {
  describe(`DepthwiseConv1D and SeparableConv1D on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(CASES)('$name', (c) => {
      const xValues = draws(c.shape.reduce((a, b) => a * b, 1), 1, -2, 2);

      it('DepthwiseConv1D: values, gradients (input, kernel, bias) and the output shape match the float64 loop', () => {
        const layer = new pc.DepthwiseConv1D(c.kernelSize, settingsOf(c));
        layer.ensureBuilt(c.shape);
        expect(layer.kernel!.shape).toEqual([c.kernelSize, c.shape[2], c.multiplier]);
        const { kernel, bias } = drawKernelAndBias(layer);
        const x = pc.tensor(xValues, c.shape);
        const y = pc.tidy(() => layer.apply(x));
        const want = conv1dReference(c, c.shape, xValues, kernel, bias, 'depthwise');
        recordError('DepthwiseConv1D values', y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-5, 1e-5);
        expect(layer.computeOutputShape([null, c.shape[1], c.shape[2]])).toEqual([null, ...y.shape.slice(1)]);
        expectReferenceGradients({
          layer, x, variables: [layer.kernel!, layer.bias!], values: [xValues, kernel, bias], names: ['input', 'kernel', 'bias'],
          reference: ([moved, k, b]) => conv1dReference(c, c.shape, moved!, k!, b!, 'depthwise'), seed: 2, record: recordError, label: 'DepthwiseConv1D',
        });
        pc.dispose([x, y]);
        layer.dispose();
      });

      it("SeparableConv1D: values and gradients (input, both kernels, bias) match the float64 loops; Keras's weights in Keras's order", () => {
        const layer = new pc.SeparableConv1D(FILTERS, c.kernelSize, settingsOf(c));
        layer.ensureBuilt(c.shape);
        const channels = c.shape[2] * c.multiplier;
        expect(layer.weights.map((w) => [w.name.split('/').at(-1), w.shape])).toEqual([['depthwise_kernel', [c.kernelSize, c.shape[2], c.multiplier]], ['pointwise_kernel', [1, channels, FILTERS]], ['bias', [FILTERS]]]);
        const [depthwise, pointwise, bias] = [draws(layer.depthwiseKernel!.size, 7, -1, 1), draws(layer.pointwiseKernel!.size, 8, -1, 1), draws(FILTERS, 9, -0.5, 0.5)];
        pc.tidy(() => [layer.depthwiseKernel!, layer.pointwiseKernel!, layer.bias!].forEach((w, k) => w.assign(pc.tensor([depthwise, pointwise, bias][k]!, w.shape))));
        const x = pc.tensor(xValues, c.shape);
        const y = pc.tidy(() => layer.apply(x));
        const want = separableReference(c, xValues, depthwise, pointwise, bias);
        recordError('SeparableConv1D values', y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-5, 1e-5);
        expect(layer.computeOutputShape([null, c.shape[1], c.shape[2]])).toEqual([null, ...y.shape.slice(1)]);
        expectReferenceGradients({
          layer, x, variables: [layer.depthwiseKernel!, layer.pointwiseKernel!, layer.bias!], values: [xValues, depthwise, pointwise, bias],
          names: ['input', 'depthwise kernel', 'pointwise kernel', 'bias'],
          reference: ([moved, d, p, b]) => separableReference(c, moved!, d!, p!, b!), seed: 10, record: recordError, label: 'SeparableConv1D',
        });
        pc.dispose([x, y]);
        layer.dispose();
      });
    });

    it("'causal' DepthwiseConv1D output at step t does not change when later steps do", () => {
      const c = CASES[2]!;
      const layer = new pc.DepthwiseConv1D(c.kernelSize, settingsOf(c));
      const [batch, steps, channels] = c.shape;
      const xValues = draws(batch * steps * channels, 6, -1, 1);
      const changed = xValues.map((v, i) => (Math.floor(i / channels) % steps >= 5 ? v + 3 : v));
      const [y, yChanged] = [xValues, changed].map((values) => pc.tidy(() => layer.apply(pc.tensor(values, c.shape))));
      const early = (t: pc.Tensor) => Array.from(t.dataSync()).filter((_, i) => Math.floor(i / (channels * c.multiplier)) % steps < 5);
      expect(early(yChanged!)).toEqual(early(y!));
      expect(Array.from(yChanged!.dataSync())).not.toEqual(Array.from(y!.dataSync()));
      pc.dispose([y!, yChanged!]);
      layer.dispose();
    });

    it('a network of both learns to tell a rising sequence from a falling one with fit, saves and loads with its configs, and leaks nothing', async () => {
      const [n, steps] = [64, 12];
      const generator = new pc.RandomGenerator(13);
      const x = new Float32Array(n * steps * 2);
      const y = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        y[i] = i % 2;
        const start = generator.nextFloat();
        for (let t = 0; t < steps; t++) {
          x[(i * steps + t) * 2] = start + (y[i] ? 1 : -1) * 0.1 * t + 0.05 * generator.nextNormal();
          x[(i * steps + t) * 2 + 1] = generator.nextNormal() * 0.1;
        }
      }
      const depthwise = new pc.DepthwiseConv1D(3, { depthMultiplier: 2, padding: 'causal', activation: 'relu', name: 'depthwise' });
      const separable = new pc.SeparableConv1D(4, 2, { strides: 2, activation: 'relu', pointwiseRegularizer: 'l2', name: 'separable' });
      const model = new pc.Sequential([pc.Input({ shape: [steps, 2] }), depthwise, separable, new pc.Flatten(), new pc.Dense(2, { activation: 'softmax' })]);
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      const [xs, ys] = [pc.tensor(x, [n, steps, 2]), pc.tensor(y, [n], 'int32')];
      const history = await model.fit(xs, ys, { epochs: 15, batchSize: 16, verbose: 0 });
      expect(history.history.accuracy!.at(-1)!).toBeGreaterThan(0.95);
      expect(depthwise.getConfig()).toMatchObject({ kernelSize: 3, padding: 'causal', depthMultiplier: 2, depthwiseInitializer: 'glorotUniform', depthwiseRegularizer: null });
      expect(separable.getConfig()).toMatchObject({ filters: 4, kernelSize: 2, strides: 2, depthMultiplier: 1, depthwiseInitializer: 'glorotUniform', pointwiseInitializer: 'glorotUniform' });
      expect(separable.losses).toHaveLength(1); // the pointwise kernel's L2
      await expectSaveLoadRoundTrip(model, xs, model.layers);
      expectTrainingStepsLeakNothing(model, xs);
      pc.dispose([xs, ys]);
      model.optimizer?.dispose();
      model.dispose();
    });

    it('bad configs and inputs are errors naming the layer, what it expected and what it got, and build nothing', () => {
      expect(() => new pc.DepthwiseConv1D(3, { depthMultiplier: 0 })).toThrow('DepthwiseConv1D: depthMultiplier must be a positive integer, got 0');
      expect(() => new pc.DepthwiseConv1D(0)).toThrow('DepthwiseConv1D: kernelSize must be a positive integer, got 0');
      expect(() => new pc.DepthwiseConv1D(3, { padding: 'full' as never })).toThrow("DepthwiseConv1D: padding must be one of 'valid', 'same', 'causal', got \"full\"");
      expect(() => new pc.SeparableConv1D(0, 3)).toThrow('SeparableConv1D: filters must be a positive integer, got 0');
      expect(() => new pc.SeparableConv1D(2, 3, { strides: 2, dilationRate: 2 })).toThrow('SeparableConv1D: dilationRate > 1 needs strides 1 (as in Keras), got dilationRate 2 and strides 2');
      const layer = new pc.DepthwiseConv1D(4, { name: 'd1', dilationRate: 2 });
      expect(() => layer.apply(pc.ones([1, 6, 3]))).toThrow("DepthwiseConv1D 'd1': with padding 'valid' the input needs at least 7 steps (the dilated kernel's span), got 6 (shape [1,6,3])");
      expect(() => new pc.SeparableConv1D(2, 3, { name: 's1' }).apply(pc.ones([2, 12]))).toThrow("SeparableConv1D 's1': expected inputs of rank 3 [batch, steps, channels], got shape [2,12]");
      expect(layer.built).toBe(false);
    });
  });
}
