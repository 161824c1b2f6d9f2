// Regularizers (L1, L2, L1L2), activity regularizers and addLoss, with Keras 3's semantics:
// penalties are l1·Σ|x| and l2·Σx² (no ½), `layer.losses` holds the latest forward pass's added
// losses and the penalties of trainable weights, and fit/evaluate add them to the compiled loss.
// Expectations are float64 closed forms computed here from the known weights.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { LINEAR, linearModel, linearOutputs, linearResiduals as residuals, MODEL_BACKENDS, sumOf } from './training-api-model-support.js';

const { x: X, y: Y, kernel: KERNEL, bias: BIAS } = LINEAR;
const valuesOf = (t: pc.Tensor) => Array.from(t.dataSync());

for (const backend of MODEL_BACKENDS) {
  describe(`regularizers on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    it('L1, L2 and L1L2 are l1·Σ|x| + l2·Σx², with Keras\'s defaults, and their gradients are l1·sign(x) + 2·l2·x', () => {
      const values = [1, -2, 3, 0.5];
      const x = pc.variable(pc.tensor(values, [2, 2]));
      const absSum = sumOf(values.map(Math.abs));
      const squareSum = sumOf(values.map((v) => v * v));
      pc.tidy(() => {
        expectClose(valuesOf(new pc.L1().call(x)), [0.01 * absSum]);
        expectClose(valuesOf(new pc.L2().call(x)), [0.01 * squareSum]);
        expectClose(valuesOf(new pc.L1L2().call(x)), [0]);
        expectClose(valuesOf(pc.getRegularizer('l1_l2').call(x)), [0]);
        expectClose(valuesOf(pc.getRegularizer({ className: 'L1L2', config: { l1: 0.1, l2: 0.2 } }).call(x)), [0.1 * absSum + 0.2 * squareSum]);
        const tape = new pc.GradientTape();
        const penalty = tape.record(() => new pc.L1L2({ l1: 0.1, l2: 0.2 }).call(x));
        expectClose(valuesOf(tape.gradient(penalty, x)!), values.map((v) => 0.1 * Math.sign(v) + 2 * 0.2 * v));
      });
      expect(pc.getRegularizer('L2').getConfig()).toEqual({ l2: 0.01 });
      expect(new pc.L1L2({ l1: 0.3 }).getConfig()).toEqual({ l1: 0.3, l2: 0 });
      x.dispose();
    });

    it('bad factors and names are errors naming the regularizer and what was given', () => {
      expect(() => new pc.L2({ l2: -1 })).toThrow('L2: l2 must be a non-negative number, got -1');
      expect(() => new pc.L1({ l1: Number.NaN })).toThrow('L1: l1 must be a non-negative number, got NaN');
      expect(() => new pc.L1L2({ l2: '0.1' as never })).toThrow('L1L2: l2 must be a non-negative number, got "0.1"');
      expect(() => pc.getRegularizer('l3')).toThrow("getRegularizer: unknown regularizer 'l3'; expected one of l1, l2, l1L2");
      // Keras's positional form, and settings a regularizer does not have, are not silently dropped.
      expect(() => new pc.L2(0.5 as never)).toThrow('L2: expected an options object, got number');
      expect(() => new pc.L2({ l2: 0.5, l1: 3 } as never)).toThrow("L2: unknown option 'l1'; expected one of l2");
      expect(() => new pc.Dense(2, { kernelRegularizer: 'l3' })).toThrow("unknown regularizer 'l3'");
      const layer = new pc.Dense(1);
      expect(() => layer.addLoss(pc.tensor([1], [1], 'int32'))).toThrow(`Layer '${layer.name}'.addLoss: expected a float32 tensor, got int32 [1]`);
    });

    it('a Dense layer\'s kernel and bias penalties are its losses while it is trainable', () => {
      const model = linearModel({ kernelRegularizer: new pc.L2({ l2: 0.1 }), biasRegularizer: 'l1' });
      const penalties = pc.tidy(() => model.losses.map((t) => valuesOf(t)[0]!));
      expectClose(penalties, [0.1 * sumOf(KERNEL.map((k) => k * k)), 0.01 * Math.abs(BIAS)]);
      model.trainable = false;
      expect(model.losses).toEqual([]);
      model.dispose();
    });

    it('fit and evaluate add the penalties to the loss; SGD steps along the regularized gradient', async () => {
      const model = linearModel({ kernelRegularizer: new pc.L2({ l2: 0.1 }) });
      model.compile({ optimizer: new pc.SGD({ learningRate: 0.1 }), loss: 'mse' });
      const x = pc.tensor(X);
      const y = pc.tensor(Y, [4, 1]);
      const e = residuals();
      const mse = sumOf(e.map((r) => r * r)) / 4;
      const penalty = 0.1 * sumOf(KERNEL.map((k) => k * k));
      expectClose(await model.evaluate(x, y, { verbose: 0 }), [mse + penalty]);
      const history = await model.fit(x, y, { batchSize: 4, shuffle: false, verbose: 0 });
      expectClose(history.history.loss!, [mse + penalty]);
      const kernelGradient = [0, 1].map((j) => (2 / 4) * sumOf(e.map((r, i) => r * X[i]![j]!)) + 2 * 0.1 * KERNEL[j]!);
      const biasGradient = (2 / 4) * sumOf(e);
      expectClose(model.weights.flatMap(valuesOf), [KERNEL[0]! - 0.1 * kernelGradient[0]!, KERNEL[1]! - 0.1 * kernelGradient[1]!, BIAS - 0.1 * biasGradient]);
      pc.dispose([x, y]);
      model.dispose();
    });

    it('an activity regularizer penalizes the latest output per sample (÷ batch, as Keras); addLoss in a custom layer joins the model\'s losses', async () => {
      class HalfSum extends pc.Layer {
        override call(inputs: pc.Tensor): pc.Tensor {
          this.addLoss(pc.mul(inputs, 0.5));
          return inputs;
        }
      }
      const model = new pc.Sequential([pc.Input({ shape: [2] }), new pc.Dense(1, { name: 'linear', activityRegularizer: new pc.L1({ l1: 0.5 }) }), new HalfSum()]);
      const kernel = pc.tensor(KERNEL, [2, 1]);
      const bias = pc.tensor([BIAS]);
      model.setWeights([kernel, bias]);
      const outputs = linearOutputs();
      const first = pc.tensor(X);
      const second = pc.tensor(X.slice(0, 2));
      pc.tidy(() => {
        model.apply(first);
        const [activity, added] = model.losses;
        expectClose(valuesOf(activity!), [0.5 * sumOf(outputs.map(Math.abs)) / 4]);
        expectClose(valuesOf(added!), outputs.map((o) => 0.5 * o));
        // A new outermost call replaces the losses of the last one.
        model.apply(second);
        expect(model.losses).toHaveLength(2);
        expectClose(valuesOf(model.losses[0]!), [0.5 * sumOf(outputs.slice(0, 2).map(Math.abs)) / 2]);
        // Calling `call` directly, as a hand-written loop may, still collects the layers' losses.
        model.call(first);
        expectClose(model.losses.map((t) => sumOf(valuesOf(t))), [0.5 * sumOf(outputs.map(Math.abs)) / 4, 0.5 * sumOf(outputs)]);
      });
      // After the step that made them is over, its losses are gone rather than freed tensors.
      expect(model.losses).toEqual([]);
      model.compile({ optimizer: new pc.SGD({ learningRate: 0 }), loss: 'mse' });
      const y = pc.tensor(Y, [4, 1]);
      const e = residuals();
      const [loss] = await model.evaluate(first, y, { verbose: 0 });
      expectClose([loss!], [sumOf(e.map((r) => r * r)) / 4 + 0.5 * sumOf(outputs.map(Math.abs)) / 4 + 0.5 * sumOf(outputs)], 1e-5);
      pc.dispose([kernel, bias, first, second, y]);
      model.dispose();
    });

    it('a regularizer class of the user\'s own loads once registered', async () => {
      // Registration is for the whole process: each backend's run registers a name of its own.
      const name = `Cube_${backend}`;
      class Cube extends pc.Regularizer {
        readonly className = name;
        constructor(readonly factor = 1) { super(); }
        call(x: pc.Tensor) { return pc.mul(pc.sum(pc.mul(pc.square(x), pc.abs(x))), this.factor); }
        getConfig() { return { factor: this.factor }; }
      }
      const store = pc.memoryStore();
      const model = linearModel({ kernelRegularizer: new Cube(2) });
      await model.save(store);
      await expect(pc.loadModel(store)).rejects.toThrow(`getRegularizer: unknown regularizer '${name}'`);
      pc.registerSerializable('regularizer', name, (config) => new Cube(config.factor as number));
      const loaded = await pc.loadModel(store);
      const penalty = pc.tidy(() => loaded.losses.map((t) => valuesOf(t)[0]!));
      expectClose(penalty, [2 * sumOf(KERNEL.map((k) => Math.abs(k) ** 3))]);
      model.dispose();
      loaded.dispose();
    });

    it('regularizers survive save and load; training with them leaks no tensor', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'perceptron-regularizers-'));
      try {
        const model = linearModel({ kernelRegularizer: new pc.L1L2({ l1: 0.01, l2: 0.02 }), activityRegularizer: 'l2' });
        model.compile({ optimizer: 'sgd', loss: 'mse' });
        const x = pc.tensor(X);
        const y = pc.tensor(Y, [4, 1]);
        await model.fit(x, y, { verbose: 0 });
        const before = pc.memory().numTensors;
        await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0 });
        await model.evaluate(x, y, { verbose: 0 });
        expect(pc.memory().numTensors).toBe(before);
        await model.save(dir);
        const loaded = await pc.loadModel(dir);
        const dense = loaded.layers[0] as pc.Dense;
        expect(dense.kernelRegularizer).toBeInstanceOf(pc.L1L2);
        expect(dense.kernelRegularizer!.getConfig()).toEqual({ l1: 0.01, l2: 0.02 });
        expect(dense.biasRegularizer).toBeNull();
        expect(dense.activityRegularizer).toBeInstanceOf(pc.L2);
        expect(await loaded.evaluate(x, y, { verbose: 0 })).toEqual(await model.evaluate(x, y, { verbose: 0 }));
        pc.dispose([x, y]);
        model.dispose();
        loaded.dispose();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
