import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { MODEL_BACKENDS, MultilayerPerceptron, PerceptronLayer } from './training-api-model-support.js';

for (const backend of MODEL_BACKENDS) {
  describe(`layers on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    it('PerceptronLayer: built on the first call, weights equal [w, b], output x·w + b', () => {
      const layer = new PerceptronLayer(3);
      expect(layer.built).toBe(false);
      expect(layer.weights).toEqual([]);
      const x = pc.tensor([[1, 2], [3, 4]]);
      const y = layer.apply(x);
      expect(layer.built).toBe(true);
      expect(layer.weights).toEqual([layer.w, layer.b]);
      expect(layer.weights.map((w) => w.name)).toEqual([`${layer.name}/w`, `${layer.name}/b`]);
      expect(layer.w.shape).toEqual([2, 3]);
      expect(layer.trainableWeights).toEqual([layer.w, layer.b]);
      expect(layer.nonTrainableWeights).toEqual([]);
      const w = layer.w.dataSync();
      const expected = [0, 1].flatMap((r) => [0, 1, 2].map((c) => [1, 2, 3, 4][2 * r]! * w[c]! + [1, 2, 3, 4][2 * r + 1]! * w[3 + c]!));
      expectClose(y.dataSync(), expected, 1e-6, 1e-6);
      expect(layer.countParams()).toBe(2 * 3 + 3);
      expect(layer.outputShape).toEqual([null, 3]);
      pc.dispose([x, y]);
      layer.dispose();
    });

    it('MultilayerPerceptron tracks its three child layers: 6 weights, 6 trainable, 0 non-trainable', () => {
      const mlp = new MultilayerPerceptron(10);
      const x = pc.ones([2, 5]);
      const probs = mlp.apply(x);
      expect(probs.shape).toEqual([2, 10]);
      expect(mlp.weights).toHaveLength(6);
      expect(mlp.trainableWeights).toHaveLength(6);
      expect(mlp.nonTrainableWeights).toHaveLength(0);
      expect(mlp.weights).toEqual([mlp.perceptronLayer1.w, mlp.perceptronLayer1.b, mlp.perceptronLayer2.w, mlp.perceptronLayer2.b, mlp.perceptronLayer3.w, mlp.perceptronLayer3.b]);
      expect(mlp.layers).toEqual([mlp.perceptronLayer1, mlp.perceptronLayer2, mlp.perceptronLayer3]);
      mlp.trainable = false;
      expect(mlp.trainableWeights).toHaveLength(0);
      expect(mlp.nonTrainableWeights).toHaveLength(6);
      expect(mlp.perceptronLayer2.trainable).toBe(false);
      pc.dispose([x, probs]);
      mlp.dispose();
    });

    it('layers held in plain objects and nested arrays are tracked too, as Keras tracks dicts and lists', () => {
      class Heads extends pc.Model {
        readonly heads = { a: new pc.Dense(2, { name: 'a' }), b: new pc.Dense(2, { name: 'b' }) };
        readonly stages = [[new pc.Dense(3, { name: 'inner' })], [], { last: new pc.Dense(2, { name: 'last' }) }];
        override call(x: pc.Tensor) {
          const inner = (this.stages[0] as pc.Dense[])[0]!.apply(x) as pc.Tensor;
          return pc.add(this.heads.a.apply(inner) as pc.Tensor, this.heads.b.apply(inner) as pc.Tensor);
        }
      }
      const model = new Heads();
      const x = pc.ones([1, 4]);
      pc.dispose(model.apply(x));
      expect(model.layers.map((l) => l.name)).toEqual(['a', 'b', 'inner', 'last']);
      expect(model.trainableWeights.map((w) => w.name)).toEqual(['a/kernel', 'a/bias', 'b/kernel', 'b/bias', 'inner/kernel', 'inner/bias']);
      x.dispose();
      model.dispose();
    });

    it('apply frees what a call makes on the way: outside tidy only the output and the added losses remain', () => {
      const model = new pc.Sequential([new pc.Dense(4, { activation: 'relu' }), new pc.Dense(3, { activityRegularizer: 'l2' })]);
      const x = pc.tensor([[1, -2], [0.5, 3]]);
      pc.dispose(model.apply(x));
      const before = pc.memory().numTensors;
      const y = model.apply(x);
      const [activityLoss] = model.losses;
      // The second Dense's activity penalty, 0.01·Σy²/batch, is handed out of both layers' scopes.
      expect(pc.memory().numTensors).toBe(before + 2);
      expectClose(activityLoss!.dataSync(), [0.01 * [...y.dataSync()].reduce((s, v) => s + v * v, 0) / 2]);
      pc.dispose([x, y, activityLoss!]);
      model.dispose();
    });

    it('a constant a layer makes in build lives with the layer, even when first built inside tidy and inside its parent', () => {
      class Masked extends pc.Layer {
        mask!: pc.Tensor;
        override build(inputShape: pc.Shape) {
          this.mask = pc.tensor(Array.from({ length: inputShape[1]! }, (_, i) => i % 2));
        }
        override call(x: pc.Tensor) {
          return pc.mul(x, this.mask);
        }
      }
      class Outer extends pc.Model {
        readonly masked = new Masked();
        override call(x: pc.Tensor) {
          return this.masked.apply(pc.add(x, 1));
        }
      }
      const model = new Outer();
      const x = pc.tensor([[1, 2, 3, 4]]);
      const first = pc.tidy(() => Array.from(model.apply(x).dataSync()));
      expect(first).toEqual([0, 3, 0, 5]);
      expect(model.masked.mask.isDisposed).toBe(false);
      const again = model.apply(x);
      expect(Array.from(again.dataSync())).toEqual([0, 3, 0, 5]);
      pc.dispose([x, again, model.masked.mask]);
      model.dispose();
    });

    it('a tape differentiates through the intermediates that apply freed, and releases them after', () => {
      const hidden = new pc.Dense(3, { activation: 'relu' });
      const output = new pc.Dense(2);
      const model = new pc.Sequential([hidden, output]);
      const xValues = [[1, -2], [0.5, 3], [-1, 1]];
      const x = pc.tensor(xValues);
      pc.dispose(model.apply(x));
      const before = pc.memory().numTensors;
      const tape = new pc.GradientTape();
      let y!: pc.Tensor;
      const loss = tape.record(() => pc.sum((y = model.apply(x))));
      const [kernelGrad, biasGrad] = tape.gradient(loss, output.trainableWeights);
      // d Σ(h·W + b) / dW[i][j] = Σ_rows h[i], and / db[j] = rows, with h = relu(x·W1 + b1) in float64.
      const w1 = hidden.kernel!.arraySync() as number[][];
      const b1 = hidden.bias!.dataSync();
      const h = xValues.map((row) => [0, 1, 2].map((j) => Math.max(0, row[0]! * w1[0]![j]! + row[1]! * w1[1]![j]! + b1[j]!)));
      const hSums = [0, 1, 2].map((i) => h.reduce((s, row) => s + row[i]!, 0));
      expectClose(kernelGrad!.dataSync(), hSums.flatMap((s) => [s, s]));
      expectClose(biasGrad!.dataSync(), [3, 3]);
      pc.dispose([y, loss, kernelGrad!, biasGrad!]);
      expect(pc.memory().numTensors).toBe(before);
      x.dispose();
      model.dispose();
    });

    it('default names are the class name in snake_case, numbered after the first', () => {
      pc.clearSession();
      expect(new PerceptronLayer().name).toBe('perceptron_layer');
      expect(new PerceptronLayer().name).toBe('perceptron_layer_1');
      expect(new pc.Dense(2).name).toBe('dense');
      expect(new pc.Dense(2).name).toBe('dense_1');
      expect(new MultilayerPerceptron(3, {}).name).toBe('multilayer_perceptron');
      expect(new pc.Dense(2, { name: 'out' }).name).toBe('out');
      // As Keras's to_snake_case: a digit does not start a word.
      expect(new pc.Conv2D(2, 3).name).toBe('conv2d');
      expect(new pc.MaxPooling2D().name).toBe('max_pooling2d');
      expect(new pc.GlobalAveragePooling2D().name).toBe('global_average_pooling2d');
      expect(new pc.BatchNormalization().name).toBe('batch_normalization');
    });

    it('a built layer rejects inputs with another last dimension, naming both sizes', () => {
      const layer = new PerceptronLayer(4, { name: 'p' });
      pc.dispose(layer.apply(pc.ones([2, 3])));
      expect(() => layer.apply(pc.ones([2, 5]))).toThrow(/Layer 'p': expected inputs with last dimension 3 .*got last dimension 5/);
      const dense = new pc.Dense(2, { name: 'd', inputShape: [3] });
      expect(() => dense.apply(pc.ones([1, 4]))).toThrow(/Layer 'd': expected inputs of shape \[-1,3\].*got \[1,4\]/);
      layer.dispose();
    });

    it('Dense computes activation(x·kernel + bias) with each activation', () => {
      const x = pc.tensor([[0.5, -1], [2, 0.25]]);
      for (const activation of ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'softplus', 'elu'] as const) {
        const layer = new pc.Dense(3, { activation, kernelInitializer: 'glorotUniform', biasInitializer: 'randomNormal' });
        const y = layer.apply(x);
        const k = layer.kernel!.dataSync();
        const b = layer.bias!.dataSync();
        const xs = [[0.5, -1], [2, 0.25]];
        const z = xs.map((row) => [0, 1, 2].map((c) => row[0]! * k[c]! + row[1]! * k[3 + c]! + b[c]!));
        const f: Record<string, (v: number, row: number[]) => number> = {
          linear: (v) => v, relu: (v) => Math.max(v, 0), sigmoid: (v) => 1 / (1 + Math.exp(-v)), tanh: Math.tanh,
          softmax: (v, row) => Math.exp(v) / row.reduce((s, u) => s + Math.exp(u), 0),
          softplus: (v) => Math.log1p(Math.exp(v)), elu: (v) => (v > 0 ? v : Math.expm1(v)),
        };
        expectClose(y.dataSync(), z.flatMap((row) => row.map((v) => f[activation]!(v, row))), 1e-5, 1e-6);
        pc.dispose(y);
        layer.dispose();
      }
      x.dispose();
    });

    it('softplus keeps its tail far below 0, where log(1 + exp(x)) rounds to 0', () => {
      const x = pc.tensor([-10, -20, -30, -88]);
      const y = new pc.Activation('softplus').apply(x);
      expectClose(y.dataSync(), [-10, -20, -30, -88].map((v) => Math.log1p(Math.exp(v))), 1e-5, 0);
      pc.dispose([x, y]);
    });

    it('Dense applies to the last axis of rank-3 inputs; Flatten and Activation', () => {
      const x = pc.reshape(pc.range(0, 12), [2, 3, 2]);
      const flat = new pc.Flatten().apply(x);
      expect(flat.shape).toEqual([2, 6]);
      expect(Array.from(flat.dataSync())).toEqual(Array.from({ length: 12 }, (_, i) => i));
      const empty = pc.zeros([0, 3, 4]);
      const emptyFlat = new pc.Flatten().apply(empty);
      expect(emptyFlat.shape).toEqual([0, 12]);
      pc.dispose([empty, emptyFlat]);
      const dense = new pc.Dense(4, { kernelInitializer: 'ones', biasInitializer: 'zeros' });
      const y = dense.apply(x);
      expect(y.shape).toEqual([2, 3, 4]);
      expect(Array.from(y.dataSync())).toEqual([0, 1, 2, 3, 4, 5].flatMap((r) => Array(4).fill(2 * r * 2 + 1)));
      const act = new pc.Activation('relu').apply(pc.tensor([[-1, 2]]));
      expect(Array.from(act.dataSync())).toEqual([0, 2]);
      expect(() => new pc.Activation('nope')).toThrow(/Unknown activation 'nope'/);
      pc.dispose([x, flat, y, act]);
      dense.dispose();
    });

    it('Dropout drops only while training, scales the kept by 1/(1-rate), and repeats with its seed', () => {
      const x = pc.ones([4, 50]);
      const dropout = new pc.Dropout(0.25, { seed: 3 });
      const inference = dropout.apply(x);
      expect(Array.from(inference.dataSync()).every((v) => v === 1)).toBe(true);
      const trained = Array.from(dropout.apply(x, { training: true }).dataSync());
      expect(trained.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
      const dropped = trained.filter((v) => v === 0).length / trained.length;
      expect(dropped).toBeGreaterThan(0.15);
      expect(dropped).toBeLessThan(0.35);
      const again = Array.from(new pc.Dropout(0.25, { seed: 3 }).apply(x, { training: true }).dataSync());
      expect(again).toEqual(trained);
      const second = Array.from(dropout.apply(x, { training: true }).dataSync());
      expect(second).not.toEqual(trained);
      // Rate 1 (allowed by Keras) drops everything while training and nothing outside it.
      const all = new pc.Dropout(1);
      expect(Array.from(all.apply(x, { training: true }).dataSync()).every((v) => v === 0)).toBe(true);
      expect(Array.from(all.apply(x).dataSync()).every((v) => v === 1)).toBe(true);
      expect(() => new pc.Dropout(1.5)).toThrow('Dropout: rate must be in [0, 1], got 1.5');
      // The flag reaches layers applied inside a model's call.
      const model = new pc.Sequential([new pc.Dropout(0.5, { seed: 1 })]);
      expect(Array.from(model.apply(x, { training: true }).dataSync()).some((v) => v === 0)).toBe(true);
      expect(Array.from(model.apply(x).dataSync()).every((v) => v === 1)).toBe(true);
    });

    it('getConfig / fromConfig round trip through the class registry', () => {
      const dense = new pc.Dense(7, { activation: 'tanh', useBias: false, name: 'd7', inputShape: [3] });
      const config = pc.serializeLayer(dense);
      expect(config).toEqual({
        className: 'Dense',
        config: { name: 'd7', trainable: true, dtype: 'float32', batchInputShape: [null, 3], units: 7, activation: 'tanh', useBias: false, kernelInitializer: 'glorotUniform', biasInitializer: 'zeros', kernelRegularizer: null, biasRegularizer: null },
      });
      const rebuilt = pc.deserializeLayer(JSON.parse(JSON.stringify(config)));
      expect(rebuilt).toBeInstanceOf(pc.Dense);
      expect(rebuilt.getConfig()).toEqual(config.config);

      const perceptron = new PerceptronLayer(5, { name: 'p5' });
      const serialized = pc.serializeLayer(perceptron);
      expect(serialized).toEqual({ className: 'PerceptronLayer', config: { name: 'p5', trainable: true, dtype: 'float32', neurons: 5 } });
      const back = pc.deserializeLayer(serialized) as PerceptronLayer;
      expect(back).toBeInstanceOf(PerceptronLayer);
      expect(back.neurons).toBe(5);
      expect(back.name).toBe('p5');
      expect(pc.getRegisteredClass('PerceptronLayer')).toBe(PerceptronLayer);
      expect(() => pc.getRegisteredClass('Unregistered')).toThrow(/Unknown layer class 'Unregistered': register it with registerClass\(Unregistered\)/);
    });

    it('the default fromConfig says when a constructor does not take the config', () => {
      class Scaled extends pc.Layer {
        constructor(readonly factor = 2, config: pc.LayerConfig = {}) {
          super(config);
        }
        override getConfig() {
          return { ...super.getConfig(), factor: this.factor };
        }
      }
      pc.registerClass(Scaled);
      expect(() => pc.deserializeLayer({ className: 'Scaled', config: { name: 's', factor: 3 } })).toThrow(/Scaled.fromConfig: new Scaled\(config\) did not restore 'name', 'factor'.*define static fromConfig/);
    });
  });
}
