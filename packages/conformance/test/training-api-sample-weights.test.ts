// fit / evaluate with sampleWeight, classWeight and compile's weightedMetrics, against float64
// closed forms computed here from the model's known weights (Keras 3's semantics: the loss is
// Σ w·loss / batch size, metrics ignore weights, weightedMetrics are Σ w·value / Σ w).
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { blobs, LINEAR, linearModel, linearResiduals as residuals, MODEL_BACKENDS, sumOf } from './training-api-model-support.js';

const { x: X, y: Y, kernel: KERNEL, bias: BIAS } = LINEAR;
const W = [1, 2, 0, 0.5];

function data(): { x: pc.Tensor; y: pc.Tensor; w: pc.Tensor } {
  return { x: pc.tensor(X), y: pc.tensor(Y, [4, 1]), w: pc.tensor(W) };
}

function values(weights: readonly pc.Tensor[]): number[][] {
  return weights.map((t) => Array.from(t.dataSync()));
}

/** Input(2) -> Dense(8, relu) -> Dense(classes, softmax). */
function classifier(classes = 2): pc.Sequential {
  return new pc.Sequential([
    pc.Input({ shape: [2] }),
    new pc.Dense(8, { activation: 'relu', name: 'hidden' }),
    new pc.Dense(classes, { activation: 'softmax', name: 'output' }),
  ]);
}

for (const backend of MODEL_BACKENDS) {
  describe(`sample and class weights on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    it('fit with sampleWeight: the logged loss is Σ w·e² / n and SGD steps along Σ w·e·x', async () => {
      const model = linearModel();
      model.compile({ optimizer: new pc.SGD({ learningRate: 0.1 }), loss: 'mse' });
      const { x, y, w } = data();
      const history = await model.fit(x, y, { sampleWeight: w, batchSize: 4, shuffle: false, verbose: 0 });
      const e = residuals();
      expectClose(history.history.loss!, [sumOf(e.map((r, i) => W[i]! * r * r)) / 4]);
      const gradient = [0, 1].map((j) => (2 / 4) * sumOf(e.map((r, i) => W[i]! * r * X[i]![j]!)));
      const biasGradient = (2 / 4) * sumOf(e.map((r, i) => W[i]! * r));
      expectClose(values(model.weights).flat(), [KERNEL[0]! - 0.1 * gradient[0]!, KERNEL[1]! - 0.1 * gradient[1]!, BIAS - 0.1 * biasGradient]);
      pc.dispose([x, y, w]);
      model.dispose();
    });

    it('evaluate with sampleWeight weighs the loss and weightedMetrics only; the batch size does not change it', async () => {
      const model = linearModel();
      model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'], weightedMetrics: ['mae', new pc.MeanSquaredErrorMetric({ name: 'wmse' })] });
      expect(model.metricsNames).toEqual(['loss', 'mae', 'weighted_mae', 'wmse']);
      const { x, y, w } = data();
      const e = residuals();
      const expected = [
        sumOf(e.map((r, i) => W[i]! * r * r)) / 4,
        sumOf(e.map(Math.abs)) / 4,
        sumOf(e.map((r, i) => W[i]! * Math.abs(r))) / sumOf(W),
        sumOf(e.map((r, i) => W[i]! * r * r)) / sumOf(W),
      ];
      for (const batchSize of [4, 3, 1]) expectClose(await model.evaluate(x, y, { sampleWeight: w, batchSize, verbose: 0 }), expected, 1e-5);
      // Without weights every metric is a plain mean again.
      const unweighted = sumOf(e.map((r) => r * r)) / 4;
      expectClose(await model.evaluate(x, y, { verbose: 0 }), [unweighted, sumOf(e.map(Math.abs)) / 4, sumOf(e.map(Math.abs)) / 4, unweighted], 1e-5);
      pc.dispose([x, y, w]);
      model.dispose();
    });

    it('a [samples, 1] sampleWeight is the same as [samples]', async () => {
      const model = linearModel();
      model.compile({ optimizer: 'sgd', loss: 'mse' });
      const { x, y, w } = data();
      const column = pc.reshape(w, [4, 1]);
      expect(await model.evaluate(x, y, { sampleWeight: column, verbose: 0 })).toEqual(await model.evaluate(x, y, { sampleWeight: w, verbose: 0 }));
      pc.dispose([x, y, w, column]);
      model.dispose();
    });

    it('int32 and bool weights (a 0/1 mask) weigh as their float values; null means no weights, as Keras\'s None', async () => {
      const model = linearModel();
      model.compile({ optimizer: 'sgd', loss: 'mse', weightedMetrics: ['mae'] });
      const { x, y } = data();
      const floats = pc.tensor([1, 2, 0, 1]);
      const ints = pc.tensor([1, 2, 0, 1], [4], 'int32');
      const mask = pc.tensor([1, 1, 0, 1], [4], 'bool');
      const maskAsFloats = pc.tensor([1, 1, 0, 1]);
      const expected = await model.evaluate(x, y, { sampleWeight: floats, verbose: 0 });
      expect(await model.evaluate(x, y, { sampleWeight: ints, verbose: 0 })).toEqual(expected);
      expect(await model.evaluate(x, y, { sampleWeight: mask, verbose: 0 })).toEqual(await model.evaluate(x, y, { sampleWeight: maskAsFloats, verbose: 0 }));
      const unweighted = await model.evaluate(x, y, { verbose: 0 });
      expect(await model.evaluate(x, y, { sampleWeight: null as never, verbose: 0 })).toEqual(unweighted);
      const withNulls = await model.fit(x, y, { sampleWeight: null as never, classWeight: null as never, validationData: [x, y, null as never], verbose: 0 });
      expect(Object.keys(withNulls.history).sort()).toEqual(['loss', 'mae', 'val_loss', 'val_mae']);
      pc.dispose([x, y, floats, ints, mask, maskAsFloats]);
      model.dispose();
    });

    it('validationData [x, y, w] and validationSplit weigh the validation loss too', async () => {
      const { x, y, w } = data();
      const frozen = linearModel();
      frozen.compile({ optimizer: new pc.SGD({ learningRate: 0 }), loss: 'mse' });
      const history = await frozen.fit(x, y, { validationData: [x, y, w], verbose: 0 });
      const e = residuals();
      expectClose(history.history.val_loss!, [sumOf(e.map((r, i) => W[i]! * r * r)) / 4]);
      expectClose(history.history.loss!, [sumOf(e.map((r) => r * r)) / 4]);

      // validationSplit 0.5: the first two rows train with their weights, the last two validate with theirs.
      const split = await frozen.fit(x, y, { sampleWeight: w, validationSplit: 0.5, shuffle: false, verbose: 0 });
      expectClose(split.history.loss!, [(W[0]! * e[0]! ** 2 + W[1]! * e[1]! ** 2) / 2]);
      expectClose(split.history.val_loss!, [(W[2]! * e[2]! ** 2 + W[3]! * e[3]! ** 2) / 2]);
      pc.dispose([x, y, w]);
      frozen.dispose();
    });

    it('a Dataset of [x, y, w] batches trains exactly as tensors with sampleWeight', async () => {
      const { x, y, w } = data();
      const fromTensors = linearModel();
      const fromDataset = linearModel();
      for (const model of [fromTensors, fromDataset]) model.compile({ optimizer: new pc.SGD({ learningRate: 0.05 }), loss: 'mse', weightedMetrics: ['mae'] });
      const a = await fromTensors.fit(x, y, { sampleWeight: w, batchSize: 2, epochs: 3, shuffle: false, verbose: 0 });
      const b = await fromDataset.fit(pc.Dataset.fromTensorSlices([x, y, w]).batch(2), { epochs: 3, verbose: 0 });
      expect(b.history).toEqual(a.history);
      expect(values(fromDataset.weights)).toEqual(values(fromTensors.weights));
      expect(await fromDataset.evaluate(pc.Dataset.fromTensorSlices([x, y, w]).batch(3), { verbose: 0 })).toEqual(await fromTensors.evaluate(x, y, { sampleWeight: w, batchSize: 3, verbose: 0 }));
      pc.dispose([x, y, w]);
      fromTensors.dispose();
      fromDataset.dispose();
    });

    it('classWeight is the sample weight of each label\'s class (unlisted classes weigh 1), for training only', async () => {
      const { x, y } = blobs(40);
      const labels = Array.from(y.dataSync());
      const classWeight = { 1: 3 };
      const perSample = pc.tensor(labels.map((c) => (c === 1 ? 3 : 1)));
      const validation = blobs(10, 2, 11);
      pc.setSeed(5);
      const a = classifier();
      a.compile({ optimizer: new pc.Adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy', weightedMetrics: ['accuracy'] });
      pc.setSeed(5);
      const b = classifier();
      b.compile({ optimizer: new pc.Adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy', weightedMetrics: ['accuracy'] });
      pc.setSeed(9);
      const withClassWeight = await a.fit(x, y, { classWeight, batchSize: 8, epochs: 2, validationData: [validation.x, validation.y], verbose: 0 });
      pc.setSeed(9);
      const withSampleWeight = await b.fit(x, y, { sampleWeight: perSample, batchSize: 8, epochs: 2, validationData: [validation.x, validation.y], verbose: 0 });
      expect(withClassWeight.history).toEqual(withSampleWeight.history);
      expect(values(a.weights)).toEqual(values(b.weights));
      // Validation is not class-weighted: the last val_loss is the plain evaluation of the final model.
      const [valLoss] = await a.evaluate(validation.x, validation.y, { verbose: 0 });
      expectClose([withClassWeight.history.val_loss!.at(-1)!], [valLoss!], 1e-6);
      pc.dispose([x, y, perSample, validation.x, validation.y]);
      a.dispose();
      b.dispose();
    });

    it('classWeight with one-hot labels takes each row\'s argmax; the weighted accuracy is Σ w·correct / Σ w', async () => {
      const { x, y } = blobs(12);
      const labels = Array.from(y.dataSync());
      const oneHot = pc.oneHot(y, 3);
      const model = classifier(3);
      model.compile({ optimizer: new pc.SGD({ learningRate: 0 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'], weightedMetrics: ['accuracy'] });
      const classWeight = { 0: 0.5, 1: 4, 2: 100 };
      const history = await model.fit(x, oneHot, { classWeight, batchSize: 5, verbose: 0 });
      const predicted = model.predict(x);
      const rows = predicted.arraySync() as number[][];
      const correct = rows.map((p, i) => (p.indexOf(Math.max(...p)) === labels[i] ? 1 : 0));
      const weights = labels.map((c) => classWeight[c as 0 | 1]);
      expectClose(history.history.accuracy!, [sumOf(correct) / 12]);
      expectClose(history.history.weighted_accuracy!, [sumOf(correct.map((c, i) => c * weights[i]!)) / sumOf(weights)]);
      const losses = rows.map((p, i) => -Math.log(p[labels[i]!]!));
      expectClose(history.history.loss!, [sumOf(losses.map((l, i) => l * weights[i]!)) / 12], 1e-5);
      pc.dispose([x, y, oneHot, predicted]);
      model.dispose();
    });

    it('bad weights are errors naming what was expected, and change no weight nor leak a tensor', async () => {
      const model = linearModel();
      model.compile({ optimizer: new pc.SGD({ learningRate: 0.1 }), loss: 'mse' });
      const { x, y, w } = data();
      const short = pc.ones([3]);
      const wide = pc.ones([4, 3]);
      const cube = pc.zeros([4, 1, 1]);
      const before = values(model.weights);
      const tensorsBefore = pc.memory().numTensors;
      const ds = pc.Dataset.fromTensorSlices([x, y]).batch(2);
      const triples = pc.Dataset.fromTensorSlices([x, y, w]).batch(2);
      await expect(model.fit(x, y, { sampleWeight: short, verbose: 0 })).rejects.toThrow('fit: sampleWeight must have one entry per sample, got sampleWeight [3] for x [4,2] (4 samples)');
      await expect(model.fit(x, y, { sampleWeight: [1, 2, 3, 4] as never, verbose: 0 })).rejects.toThrow('fit: expected sampleWeight to be a Tensor (or one per output: a list, or keyed by output name), got an array with non-tensors');
      await expect(model.fit(x, y, { sampleWeight: wide, verbose: 0 })).rejects.toThrow("fit: sampleWeight [4,3] does not fit y [4,1]; expected y's leading dimensions (or 1s), such as [4]");
      expect(() => model.trainStep(x, y, wide)).toThrow('mean_squared_error: sampleWeight [4,3] does not fit the per-sample losses [4]');
      await expect(model.fit(x, y, { sampleWeight: w, classWeight: { 0: 2 }, verbose: 0 })).rejects.toThrow('fit: give either sampleWeight or classWeight, not both');
      await expect(model.fit(x, y, { classWeight: { a: 2 } as never, verbose: 0 })).rejects.toThrow("fit: classWeight keys must be class indices (integers >= 0), got 'a'");
      await expect(model.fit(x, y, { classWeight: { '-1': 2 } as never, verbose: 0 })).rejects.toThrow("got '-1'");
      await expect(model.fit(x, y, { classWeight: { 0: Number.NaN }, verbose: 0 })).rejects.toThrow('fit: classWeight[0] must be a finite number, got number NaN');
      await expect(model.fit(x, y, { classWeight: [2, 3] as never, verbose: 0 })).rejects.toThrow('fit: classWeight must be an object mapping class indices to weights ({0: 1, 1: 5}), got object');
      await expect(model.fit(x, cube, { classWeight: { 0: 2 }, verbose: 0 })).rejects.toThrow('fit: classWeight needs labels of shape [batch] or [batch, classes], got y [4,1,1]');
      await expect(model.fit(triples, { classWeight: { 0: 2 }, verbose: 0 })).rejects.toThrow('fit: give either classWeight or sample weights (a dataset yielding [x, y, sampleWeight]), not both');
      await expect(model.fit(ds, { sampleWeight: w, verbose: 0 })).rejects.toThrow('fit: when x is a Dataset, sampleWeight must be omitted (the dataset yields [x, y, sampleWeight] batches)');
      await expect(model.evaluate(x, y, { sampleWeight: short, verbose: 0 })).rejects.toThrow('evaluate: sampleWeight must have one entry per sample');
      await expect(model.fit(x, y, { validationData: [x, y, short], verbose: 0 })).rejects.toThrow('fit (validationData): sampleWeight must have one entry per sample');
      // Refused before the first epoch, not after it has trained.
      const twoColumns = pc.ones([4, 2]);
      await expect(model.fit(x, y, { validationData: [x, y, twoColumns], verbose: 0 })).rejects.toThrow("fit (validationData): sampleWeight [4,2] does not fit y [4,1]; expected y's leading dimensions (or 1s), such as [4]");
      await expect(model.fit(x, y, { validationData: triples.take(0), verbose: 0 })).rejects.toThrow('fit: the validation data has no batches');
      twoColumns.dispose();
      expect(values(model.weights)).toEqual(before);
      expect(pc.memory().numTensors).toBe(tensorsBefore);
      pc.dispose([x, y, w, short, wide, cube]);
      model.dispose();
    });

    it('a weighted metric that rejects its inputs stops the step before the optimizer moves a weight', async () => {
      const model = classifier(3);
      model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', weightedMetrics: ['sparseCategoricalAccuracy'] });
      const { x, y } = blobs(4);
      const oneHot = pc.oneHot(y, 3);
      const w = pc.ones([4]);
      pc.dispose(model.apply(x));
      const before = values(model.weights);
      const tensorsBefore = pc.memory().numTensors;
      await expect(model.fit(x, oneHot, { sampleWeight: w, verbose: 0 })).rejects.toThrow('sparseCategoricalAccuracy: expected labels of shape [4] or [4,1] for yPred [4,3], got [4,3]');
      expect(values(model.weights)).toEqual(before);
      expect(model.optimizer!.iterations).toBe(0);
      expect(pc.memory().numTensors).toBe(tensorsBefore);
      pc.dispose([x, y, oneHot, w]);
      model.dispose();
    });

    it('compile: weightedMetrics must be an array of distinct metrics with distinct log names', () => {
      const model = linearModel();
      const mae = new pc.MeanAbsoluteErrorMetric();
      expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [mae], weightedMetrics: [mae] })).toThrow("compile: the metric object 'mean_absolute_error' is listed twice; each entry needs a Metric of its own");
      expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'], weightedMetrics: ['mae', 'mae'] })).toThrow("compile: two metrics would be logged as 'weighted_mae'; give them distinct names");
      expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', weightedMetrics: ['mae', 'mae'] })).toThrow("compile: two metrics would be logged as 'mae'");
      expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', weightedMetrics: 'mae' as never })).toThrow('compile: weightedMetrics must be a list (or, for a model of several outputs, an object keyed by output name), got "mae"');
      expect(model.metricsNames).toEqual([]);
      model.dispose();
    });
  });
}
