import {
  Accuracy, BinaryAccuracy, CategoricalAccuracy, getMetric, MatchedAccuracy, Mean, MeanAbsoluteErrorMetric, MeanSquaredErrorMetric, memory, resolveMetric, RootMeanSquaredErrorMetric, setBackend,
  SparseCategoricalAccuracy, tensor, tidy, type Metric,
} from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS } from './training-api-helpers.js';

for (const backend of BACKENDS) {
  describe(`metrics on ${backend}`, () => {
    beforeEach(async () => {
      await setBackend(backend);
    });

    it('Mean: weighted running mean, reset to 0', () => {
      const m = new Mean();
      expect(m.result()).toBe(0);
      expect(m.call([1, 2, 3])).toBe(2);
      m.update(tensor([10, 20]), tensor([3, 1]));
      expect(m.result()).toBeCloseTo((1 + 2 + 3 + 30 + 20) / (3 + 4), 12);
      m.resetStates();
      expect(m.result()).toBe(0);
      m.update(5);
      expect(m.result()).toBe(5);
    });

    it('SparseCategoricalAccuracy accumulates over batches (the lab: train_metric(y_batch, probs))', () => {
      const m = new SparseCategoricalAccuracy();
      const probs1 = tensor([[0.1, 0.7, 0.2], [0.8, 0.1, 0.1], [0.2, 0.2, 0.6], [0.3, 0.4, 0.3]]);
      expect(m.call(tensor([1, 0, 2, 0], [4], 'int32'), probs1)).toBe(0.75);
      const probs2 = tensor([[0.9, 0.05, 0.05], [0.1, 0.1, 0.8]]);
      expect(m.call(tensor([[2], [2]]), probs2)).toBeCloseTo(4 / 6, 12);
      m.resetStates();
      expect(m.result()).toBe(0);
      probs1.dispose();
      probs2.dispose();
    });

    it('CategoricalAccuracy compares argmaxes of one-hot labels and predictions', () => {
      const m = new CategoricalAccuracy();
      m.update(tensor([[0, 0, 1], [0, 1, 0], [1, 0, 0]]), tensor([[0.1, 0.2, 0.7], [0.5, 0.4, 0.1], [0.6, 0.3, 0.1]]));
      expect(m.result()).toBeCloseTo(2 / 3, 12);
    });

    it('BinaryAccuracy thresholds at 0.5 (or the given threshold)', () => {
      const m = new BinaryAccuracy();
      m.update(tensor([[1], [0], [1], [0]]), tensor([[0.7], [0.2], [0.4], [0.51]]));
      expect(m.result()).toBe(0.5);
      const strict = new BinaryAccuracy({ threshold: 0.3 });
      strict.update(tensor([1, 0, 1, 0]), tensor([[0.7], [0.2], [0.4], [0.51]]));
      expect(strict.result()).toBe(0.75);
    });

    it('Accuracy counts exact matches, weighted per sample', () => {
      const m = new Accuracy();
      m.update(tensor([[1], [2], [3], [4]]), tensor([[1], [0], [3], [0]]), tensor([1, 1, 1, 2]));
      expect(m.result()).toBeCloseTo(2 / 5, 12);
    });

    it("MAE / MSE / RMSE metrics reproduce the lab's tables, and RMSE is the root of the running mean", () => {
      const mae = new MeanAbsoluteErrorMetric();
      const mse = new MeanSquaredErrorMetric();
      const rmse = new RootMeanSquaredErrorMetric();
      for (const [errors, expected] of [[[1, 1, 3, 3], [2, 5, Math.sqrt(5)]], [[0, 0, 0, 10], [2.5, 25, 5]]] as const) {
        for (const m of [mae, mse, rmse]) m.resetStates();
        const yTrue = tensor([[0], [0], [0], [0]]);
        const yPred = tensor(errors.map((e) => [e]));
        expect([mae.call(yTrue, yPred), mse.call(yTrue, yPred), rmse.call(yTrue, yPred)].map((v) => Math.round(v * 100) / 100))
          .toEqual(expected.map((v) => Math.round(v * 100) / 100));
        expect(rmse.result()).toBeCloseTo(expected[2], 6);
        yTrue.dispose();
        yPred.dispose();
      }
      // Both tables as two batches of one epoch: sqrt((20 + 100) / 8), not the mean of 2.24 and 5.
      rmse.resetStates();
      rmse.update([[0], [0], [0], [0]], [[1], [1], [3], [3]]);
      rmse.update([[0], [0], [0], [0]], [[0], [0], [0], [10]]);
      expect(rmse.result()).toBeCloseTo(Math.sqrt(120 / 8), 12);
    });

    it('an update leaves memory().numTensors unchanged, inside tidy or not', () => {
      const yTrue = tensor([1, 0], [2], 'int32');
      const yPred = tensor([[0.2, 0.8], [0.9, 0.1]]);
      const before = memory().numTensors;
      const metrics: Metric[] = [new SparseCategoricalAccuracy(), new MeanSquaredErrorMetric(), new RootMeanSquaredErrorMetric(), new Accuracy()];
      const yTrueOneHot = tensor([[0, 1], [1, 0]]);
      const afterInput = memory().numTensors;
      metrics[0]!.update(yTrue, yPred);
      tidy(() => metrics[0]!.call(yTrue, yPred));
      for (const m of metrics.slice(1)) m.update(yTrueOneHot, yPred, [1, 2]);
      expect(memory().numTensors).toBe(afterInput);
      expect(afterInput).toBe(before + 1);
      [yTrue, yPred, yTrueOneHot].forEach((t) => t.dispose());
    });
  });
}

describe('metric names, getMetric and resolveMetric', () => {
  it('carry the Keras names', () => {
    const cases: [Metric, string][] = [
      [new Accuracy(), 'accuracy'], [new BinaryAccuracy(), 'binary_accuracy'], [new CategoricalAccuracy(), 'categorical_accuracy'],
      [new SparseCategoricalAccuracy(), 'sparse_categorical_accuracy'], [new MeanAbsoluteErrorMetric(), 'mean_absolute_error'],
      [new MeanSquaredErrorMetric(), 'mean_squared_error'], [new RootMeanSquaredErrorMetric(), 'root_mean_squared_error'], [new Mean(), 'mean'],
    ];
    for (const [m, name] of cases) expect(m.name).toBe(name);
    expect(new BinaryAccuracy({ threshold: 0.7 }).getConfig()).toEqual({ name: 'binary_accuracy', threshold: 0.7 });
  });

  it('getMetric resolves names and short names, and returns instances as is', () => {
    const cases: [string, abstract new (...args: never[]) => Metric][] = [
      ['accuracy', Accuracy], ['acc', Accuracy], ['sparse_categorical_accuracy', SparseCategoricalAccuracy],
      ['sparseCategoricalAccuracy', SparseCategoricalAccuracy], ['categorical_accuracy', CategoricalAccuracy],
      ['binary_accuracy', BinaryAccuracy], ['mse', MeanSquaredErrorMetric], ['mean_squared_error', MeanSquaredErrorMetric],
      ['mae', MeanAbsoluteErrorMetric], ['rmse', RootMeanSquaredErrorMetric], ['root_mean_squared_error', RootMeanSquaredErrorMetric], ['mean', Mean],
    ];
    for (const [name, cls] of cases) expect(getMetric(name), name).toBeInstanceOf(cls);
    expect(getMetric('mse').name).toBe('mean_squared_error');
    const m = new Mean();
    expect(getMetric(m)).toBe(m);
    expect(() => getMetric('f1')).toThrow(/getMetric: unknown metric 'f1'; expected one of accuracy \(acc\), matchedAccuracy, binaryAccuracy, .*mean/);
    // A saved metric comes back with its settings.
    const restored = getMetric({ className: 'BinaryAccuracy', config: { name: 'strict', threshold: 0.9 } });
    expect(restored).toBeInstanceOf(BinaryAccuracy);
    expect(restored.getConfig()).toEqual({ name: 'strict', threshold: 0.9 });
    expect(getMetric({ className: 'MeanSquaredErrorMetric', config: { name: 'mse' } })).toBeInstanceOf(MeanSquaredErrorMetric);
  });

  it('resolveMetric makes "accuracy" a MatchedAccuracy and names metrics as written', () => {
    expect(resolveMetric('accuracy')).toBeInstanceOf(MatchedAccuracy);
    expect(resolveMetric('acc')).toBeInstanceOf(MatchedAccuracy);
    expect(resolveMetric('acc').name).toBe('acc');
    expect(resolveMetric('accuracy').name).toBe('accuracy');
    expect(resolveMetric('mse').name).toBe('mse');
    expect(resolveMetric('mse')).toBeInstanceOf(MeanSquaredErrorMetric);
    const m = new SparseCategoricalAccuracy();
    expect(resolveMetric(m)).toBe(m);
    expect(() => resolveMetric('top_k')).toThrow(/resolveMetric: unknown metric 'top_k'/);
  });

  it('MatchedAccuracy picks binary, sparse or categorical accuracy from the shapes, as Keras 3', () => {
    const probs = [0.1, 0.7, 0.2, 0.6, 0.3, 0.1, 0.2, 0.2, 0.6, 0.5, 0.4, 0.1]; // argmax 1, 0, 2, 0
    // Labels 1, 0, 0, 0: three of four right, whichever way they are given.
    const cases: [string, ReturnType<typeof tensor>, ReturnType<typeof tensor>, number][] = [
      ['sparse int32 [4]', tensor([1, 0, 0, 0], [4], 'int32'), tensor(probs, [4, 3]), 0.75],
      ['sparse float [4,1]', tensor([[1], [0], [0], [0]]), tensor(probs, [4, 3]), 0.75],
      ['one-hot [4,3]', tensor([0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0], [4, 3]), tensor(probs, [4, 3]), 0.75],
      // One column: thresholded at 0.5 (exact-match accuracy would give 0 here).
      ['binary [4,1]', tensor([[1], [0], [1], [0]]), tensor([[0.98], [0.05], [0.88], [0.62]]), 0.75],
      ['binary labels [4] against [4,1]', tensor([1, 0, 1, 0]), tensor([[0.98], [0.05], [0.88], [0.62]]), 0.75],
    ];
    for (const [title, labels, predictions, expected] of cases) {
      const metric = resolveMetric('accuracy');
      expect(metric.call(labels, predictions), title).toBeCloseTo(expected, 12);
      labels.dispose();
      predictions.dispose();
    }
  });
});
