// Conv1D against a float64 loop written from Keras's definition (conv1d-reference.ts): values
// for 'valid', 'same' and 'causal' padding with strides and dilation, gradients (central finite
// differences), the causal property, training, saving, bad configs and leaks.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { drawKernelAndBias, draws, errorRecorder, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, finiteDifferences } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';
import { conv1dReference as fullReference, type Window1D } from './conv1d-reference.js';

interface Conv1DCase extends Window1D {
  name: string;
  /** [batch, steps, channels] */
  shape: [number, number, number];
  filters: number;
  groups?: number;
}

const CASES: Conv1DCase[] = [
  { name: 'valid, kernel 3', shape: [2, 7, 3], filters: 4, kernelSize: 3, strides: 1, dilationRate: 1, padding: 'valid' },
  { name: 'valid, strides 3', shape: [1, 10, 2], filters: 3, kernelSize: 2, strides: 3, dilationRate: 1, padding: 'valid' },
  { name: 'same, kernel 4, strides 2 (more padding after)', shape: [2, 9, 2], filters: 2, kernelSize: 4, strides: 2, dilationRate: 1, padding: 'same' },
  { name: 'causal, kernel 3, dilation 2', shape: [2, 8, 3], filters: 2, kernelSize: 3, strides: 1, dilationRate: 2, padding: 'causal' },
  { name: 'causal, kernel 2, strides 2', shape: [1, 7, 2], filters: 3, kernelSize: 2, strides: 2, dilationRate: 1, padding: 'causal' },
  { name: 'same, kernel 3, 4 channels → 6 filters in 2 groups', shape: [2, 6, 4], filters: 6, kernelSize: 3, strides: 1, dilationRate: 1, padding: 'same', groups: 2 },
];

const conv1dReference = (c: Conv1DCase, x: readonly number[], kernel: readonly number[], bias: readonly number[]): number[] =>
  fullReference(c, c.shape, x, kernel, bias, 'full', c.groups);

/** The layer built for the case, kernel and bias set to draws. */
function builtLayer(c: Conv1DCase): { layer: pc.Conv1D; kernel: number[]; bias: number[] } {
  const layer = new pc.Conv1D(c.filters, c.kernelSize, { strides: c.strides, dilationRate: c.dilationRate, padding: c.padding, groups: c.groups });
  layer.ensureBuilt(c.shape);
  return { layer, ...drawKernelAndBias(layer) };
}

const recordError = errorRecorder('conv1d');

for (const backend of MODEL_BACKENDS) {
  describe(`Conv1D on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(CASES)('$name', (c) => {
      const xValues = draws(c.shape.reduce((a, b) => a * b, 1), 1, -2, 2);

      it('values match the float64 loop, and the symbolic shape agrees', () => {
        const { layer, kernel, bias } = builtLayer(c);
        const y = pc.tidy(() => layer.apply(pc.tensor(xValues, c.shape)));
        const want = conv1dReference(c, xValues, kernel, bias);
        recordError('forward values', y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-5, 1e-6);
        expect(layer.computeOutputShape([null, c.shape[1], c.shape[2]])).toEqual([null, y.shape[1], c.filters]);
        y.dispose();
        layer.dispose();
      });

      it('gradients w.r.t. the input and the kernel match central finite differences', () => {
        const { layer, kernel, bias } = builtLayer(c);
        const x = pc.tensor(xValues, c.shape);
        const outputSize = conv1dReference(c, xValues, kernel, bias).length;
        const weights = draws(outputSize, 5, -1, 1);
        const tape = new pc.GradientTape();
        const loss = tape.record(() => {
          tape.watch(x);
          const y = layer.apply(x);
          return pc.sum(pc.mul(y, pc.tensor(weights, y.shape)));
        });
        const [dx, dKernel] = tape.gradient(loss, [x, layer.kernel!]);
        const wantDx = finiteDifferences(xValues, weights, (moved) => conv1dReference(c, moved, kernel, bias));
        const wantDKernel = finiteDifferences(kernel, weights, (moved) => conv1dReference(c, xValues, moved, bias));
        recordError('gradient w.r.t. input', dx!.dataSync(), wantDx);
        recordError('gradient w.r.t. kernel', dKernel!.dataSync(), wantDKernel);
        expectClose(dx!.dataSync(), wantDx, 1e-3, 1e-4);
        expectClose(dKernel!.dataSync(), wantDKernel, 1e-3, 1e-4);
        pc.dispose([x, loss, dx!, dKernel!]);
        layer.dispose();
      });
    });

    it("'causal' output at step t does not change when later steps do", () => {
      const c = CASES[3]!;
      const { layer } = builtLayer(c);
      const [batch, steps, channels] = c.shape;
      const xValues = draws(batch * steps * channels, 6, -1, 1);
      const changed = xValues.map((v, i) => (Math.floor(i / channels) % steps >= 5 ? v + 3 : v));
      const [y, yChanged] = [xValues, changed].map((values) => pc.tidy(() => layer.apply(pc.tensor(values, c.shape))));
      const rows = (t: pc.Tensor) => Array.from(t.dataSync()).filter((_, i) => Math.floor(i / c.filters) % steps < 5);
      expect(rows(yChanged!)).toEqual(rows(y!));
      expect(Array.from(yChanged!.dataSync())).not.toEqual(Array.from(y!.dataSync()));
      pc.dispose([y!, yChanged!]);
      layer.dispose();
    });

    it('a Conv1D network learns to tell a rising sequence from a falling one with fit, and saves and loads', async () => {
      const n = 64;
      const steps = 12;
      const generator = new pc.RandomGenerator(11);
      const x = new Float32Array(n * steps);
      const y = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        y[i] = i % 2;
        const start = generator.nextFloat();
        for (let t = 0; t < steps; t++) x[i * steps + t] = start + (y[i] ? 1 : -1) * 0.1 * t + 0.05 * generator.nextNormal();
      }
      const model = new pc.Sequential([
        pc.Input({ shape: [steps, 1] }),
        new pc.Conv1D(4, 3, { activation: 'relu', padding: 'causal' }),
        new pc.Conv1D(4, 2, { strides: 2, activation: 'relu' }),
        new pc.Flatten(),
        new pc.Dense(2, { activation: 'softmax' }),
      ]);
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      const [xs, ys] = [pc.tensor(x, [n, steps, 1]), pc.tensor(y, [n], 'int32')];
      const history = await model.fit(xs, ys, { epochs: 15, batchSize: 16, verbose: 0 });
      expect(history.history.accuracy!.at(-1)!).toBeGreaterThan(0.95);
      await expectSaveLoadRoundTrip(model, xs, model.layers);
      expectTrainingStepsLeakNothing(model, xs);
      pc.dispose([xs, ys]);
      model.dispose();
    });

    it('refuses bad settings and inputs, naming the layer, what was expected and what was given', () => {
      expect(() => new pc.Conv1D(0, 3)).toThrow('Conv1D: filters must be a positive integer, got 0');
      expect(() => new pc.Conv1D(2, 2.5)).toThrow('Conv1D: kernelSize must be a positive integer, got 2.5');
      expect(() => new pc.Conv1D(2, 3, { padding: 'full' as never })).toThrow("Conv1D: padding must be one of 'valid', 'same', 'causal', got \"full\"");
      expect(() => new pc.Conv1D(2, 3, { strides: 2, dilationRate: 2 })).toThrow('Conv1D: dilationRate > 1 needs strides 1 (as in Keras), got dilationRate 2 and strides 2');
      expect(() => new pc.Conv1D(3, 3, { groups: 2 })).toThrow('Conv1D: filters must be a multiple of groups, got filters 3 and groups 2');
      const layer = new pc.Conv1D(2, 4, { name: 'c1', dilationRate: 2 });
      expect(() => layer.apply(pc.ones([1, 6, 3]))).toThrow("Conv1D 'c1': with padding 'valid' the input needs at least 7 steps (the dilated kernel's span), got 6 (shape [1,6,3])");
      expect(() => layer.apply(pc.ones([1, 6]))).toThrow("Conv1D 'c1': expected inputs of rank 3 [batch, steps, channels], got shape [1,6]");
      expect(layer.built).toBe(false);
    });
  });
}
