// Keras's preprocessing layers Normalization and Rescaling against float64 statistics and formulas
// written here: adapt on a tensor, on batches (a Dataset of [x, y], a plain list) and per axis or
// for all values, the given-statistics and inverted forms, training a model that starts with one,
// saving and loading it, bad input named, and nothing leaked.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { coordinatesOf, draws, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

/** Mean and biased variance in float64 of the values of `x` (row-major `shape`) for each index of the kept axes. */
function statistics(x: readonly number[], shape: readonly number[], kept: readonly number[]): { mean: number[]; variance: number[] } {
  const keptSize = kept.reduce((n, a) => n * shape[a]!, 1);
  const groups: number[][] = Array.from({ length: keptSize }, () => []);
  x.forEach((v, flat) => {
    const coordinates = coordinatesOf(flat, shape);
    groups[kept.reduce((k, a) => k * shape[a]! + coordinates[a]!, 0)]!.push(v);
  });
  const mean = groups.map((g) => g.reduce((s, v) => s + v, 0) / g.length);
  return { mean, variance: groups.map((g, i) => g.reduce((s, v) => s + (v - mean[i]!) ** 2, 0) / g.length) };
}

/** Features of different scales and offsets, as a table of measurements: column j is about 10^j·(j + 1) ± 10^j. */
function measurements(rows: number, columns: number, seed: number): number[] {
  return draws(rows * columns, seed, -1, 1).map((v, i) => Math.fround((10 ** (i % columns)) * ((i % columns) + 1 + v)));
}

for (const backend of MODEL_BACKENDS) {
  describe(`preprocessing layers on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(5);
    });

    describe('Normalization', () => {
      it('adapt on a tensor learns each feature\'s mean and variance, and the layer standardizes with them', async () => {
        const values = measurements(40, 3, 1);
        const x = pc.tensor(values, [40, 3]);
        const layer = new pc.Normalization();
        await layer.adapt(x);
        const want = statistics(values, [40, 3], [1]);
        expectClose(layer.mean!.dataSync(), want.mean, 1e-6, 1e-6);
        expectClose(layer.variance!.dataSync(), want.variance, 1e-5, 1e-6);
        expect(layer.trainableWeights).toEqual([]);
        const y = pc.tidy(() => layer.apply(x) as pc.Tensor);
        expectClose(y.dataSync(), values.map((v, i) => (v - want.mean[i % 3]!) / Math.sqrt(want.variance[i % 3]!)), 1e-5, 1e-5);
        pc.dispose([x, y]);
        layer.dispose();
      });

      it('adapt on batches (a Dataset of [x, y], or a list) gives what adapt on the whole tensor gives, and frees the batches a Dataset made', async () => {
        const values = measurements(50, 4, 2);
        const x = pc.tensor(values, [50, 4]);
        const labels = pc.zeros([50]);
        const whole = new pc.Normalization();
        await whole.adapt(x);
        const fromDataset = new pc.Normalization();
        const ones = pc.ones([3, 4]);
        await fromDataset.adapt(ones); // makes its weights; the next adapt replaces what it learnt
        const before = pc.memory().numTensors;
        await fromDataset.adapt(pc.Dataset.fromTensorSlices([x, labels]).batch(16));
        expect(pc.memory().numTensors).toBe(before);
        const fromList = new pc.Normalization();
        const parts = [pc.slice(x, [0, 0], [7, -1]), pc.slice(x, [7, 0], [43, -1])];
        await fromList.adapt(parts);
        for (const layer of [fromDataset, fromList]) {
          expectClose(layer.mean!.dataSync(), whole.mean!.dataSync(), 1e-6, 1e-6);
          expectClose(layer.variance!.dataSync(), whole.variance!.dataSync(), 1e-5, 1e-6);
        }
        pc.dispose([x, labels, ones, ...parts]);
        for (const layer of [whole, fromDataset, fromList]) layer.dispose();
      });

      it.each([
        { axis: null, kept: [], shape: [6, 2, 3] },
        { axis: [1, 2], kept: [1, 2], shape: [8, 2, 3] },
        { axis: 1, kept: [1], shape: [8, 2, 3] },
      ])('axis $axis keeps statistics for axes $kept of $shape', async ({ axis, kept, shape }) => {
        const values = draws(shape.reduce((a, b) => a * b, 1), 3, -2, 5);
        const x = pc.tensor(values, shape);
        const layer = new pc.Normalization({ axis });
        await layer.adapt(x);
        const want = statistics(values, shape, kept);
        expect(layer.mean!.shape).toEqual(kept.map((a) => shape[a]!));
        expectClose(layer.mean!.dataSync(), want.mean, 1e-6, 1e-6);
        expectClose(layer.variance!.dataSync(), want.variance, 1e-5, 1e-6);
        const y = pc.tidy(() => layer.apply(x) as pc.Tensor);
        const standardized = statistics(Array.from(y.dataSync()), shape, kept);
        expectClose(standardized.mean, standardized.mean.map(() => 0), 0, 1e-5);
        expectClose(standardized.variance, standardized.variance.map(() => 1), 1e-4, 1e-5);
        pc.dispose([x, y]);
        layer.dispose();
      });

      it('takes a given mean and variance, and inverts: the inverted layer turns standardized values back', () => {
        const x = pc.tensor([[1, 2, 3], [4, 5, 6]]);
        const given = new pc.Normalization({ mean: [1, 2, 3], variance: [4, 1, 0.25] });
        const inverted = new pc.Normalization({ mean: [1, 2, 3], variance: [4, 1, 0.25], invert: true });
        const scalar = new pc.Normalization({ mean: 3, variance: 2 });
        const [y, back, z] = pc.tidy(() => [given.apply(x) as pc.Tensor, inverted.apply(given.apply(x) as pc.Tensor) as pc.Tensor, scalar.apply(x) as pc.Tensor]);
        expectClose(y!.dataSync(), [0, 0, 0, 1.5, 3, 6], 1e-6, 1e-7);
        expectClose(back!.dataSync(), [1, 2, 3, 4, 5, 6], 1e-6, 1e-6);
        expectClose(z!.dataSync(), [1, 2, 3, 4, 5, 6].map((v) => (v - 3) / Math.SQRT2), 1e-6, 1e-7);
        pc.dispose([x, y!, back!, z!]);
        for (const layer of [given, inverted, scalar]) layer.dispose();
      });

      it('a constant feature becomes 0, not NaN, and an unadapted layer passes values through', async () => {
        const x = pc.tensor([[5, 1], [5, 2], [5, 3]]);
        const layer = new pc.Normalization();
        const through = pc.tidy(() => layer.apply(x) as pc.Tensor);
        expect(Array.from(through.dataSync())).toEqual([5, 1, 5, 2, 5, 3]);
        await layer.adapt(x);
        const y = pc.tidy(() => layer.apply(x) as pc.Tensor);
        expectClose(y.dataSync(), [0, -Math.sqrt(1.5), 0, 0, 0, Math.sqrt(1.5)], 1e-6, 1e-6);
        pc.dispose([x, through, y]);
        layer.dispose();
      });

      it('a model that starts with an adapted Normalization trains, saves and loads with its statistics, and leaks nothing', async () => {
        const values = measurements(64, 3, 4);
        const x = pc.tensor(values, [64, 3]);
        // the label: whether the standardized features sum above 0, which raw magnitudes would hide
        const { mean, variance } = statistics(values, [64, 3], [1]);
        const labels = Array.from({ length: 64 }, (_, r) => ([0, 1, 2].reduce((s, j) => s + (values[r * 3 + j]! - mean[j]!) / Math.sqrt(variance[j]!), 0) > 0 ? 1 : 0));
        const y = pc.tensor(labels, [64, 1]);
        const normalization = new pc.Normalization({ name: 'standardize' });
        await normalization.adapt(x);
        const model = new pc.Sequential([pc.Input({ shape: [3] }), normalization, new pc.Dense(1, { activation: 'sigmoid' })]);
        model.compile({ optimizer: new pc.Adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
        const history = await model.fit(x, y, { epochs: 30, batchSize: 16, verbose: 0 });
        const accuracy = history.history.accuracy!;
        expect(accuracy.at(-1)).toBeGreaterThanOrEqual(0.95);
        expectClose(normalization.mean!.dataSync(), mean, 1e-6, 1e-6); // training leaves the statistics alone
        await expectSaveLoadRoundTrip(model, x, [normalization]);
        expectTrainingStepsLeakNothing(model, x);
        pc.dispose([x, y]);
        model.optimizer?.dispose();
        model.dispose();
      });

      it('names what is wrong: mean without variance, statistics that do not fit, adapt after given statistics, mismatched or empty data', async () => {
        expect(() => new pc.Normalization({ mean: 1 })).toThrow('Normalization: mean and variance are given together or not at all, got mean 1 and variance undefined');
        expect(() => new pc.Normalization({ axis: 'last' as never })).toThrow('Normalization: axis must be an integer, a non-empty array of integers or null, got "last"');
        const misfit = new pc.Normalization({ name: 'n', mean: [1, 2], variance: [1, 1] });
        expect(() => misfit.apply(pc.ones([2, 3]))).toThrow("Normalization 'n': the 2 values of mean do not broadcast to the kept axes' shape [3]");
        await expect(new pc.Normalization({ name: 'g', mean: 0, variance: 1 }).adapt(pc.ones([2, 2]))).rejects.toThrow("Normalization 'g': adapt() would replace the mean and variance it was given");
        const layer = new pc.Normalization({ name: 'a' });
        await layer.adapt(pc.ones([4, 3]));
        await expect(layer.adapt(pc.ones([4, 2]))).rejects.toThrow("Normalization 'a': adapt() got a batch of shape [4,2], but the layer keeps axes [1] of shape [4,3]");
        await expect(new pc.Normalization({ name: 'e' }).adapt([])).rejects.toThrow("Normalization 'e': adapt() got no data (an empty dataset or list)");
        await expect(new pc.Normalization({ name: 's' }).adapt(['text'])).rejects.toThrow("Normalization 's': adapt() expected tensors or [x, y] batches of them, got string");
        expect(() => new pc.Normalization({ name: 'b', axis: 0 }).apply(pc.ones([2, 3]))).toThrow("Normalization 'b': axis 0 is out of range for inputs of shape [2,3]");
        layer.dispose();
      });
    });

    describe('Rescaling', () => {
      it('scales and offsets, casting integer pixels to float32', () => {
        const pixels = pc.tensor(Int32Array.from([0, 51, 255, 128]), [1, 2, 2], 'int32');
        const y = pc.tidy(() => new pc.Rescaling({ scale: 1 / 127.5, offset: -1 }).apply(pixels) as pc.Tensor);
        expect(y.dtype).toBe('float32');
        expectClose(y.dataSync(), [0, 51, 255, 128].map((v) => v / 127.5 - 1), 1e-6, 1e-7);
        pc.dispose([pixels, y]);
      });

      it('scales each channel by its own factor, and keeps its settings through a save', async () => {
        const x = pc.tensor(draws(12, 6, 0, 255), [2, 2, 3]);
        const layer = new pc.Rescaling({ scale: [1, 0.5, 0.25], offset: [0, 1, 2], name: 'per_channel' });
        const y = pc.tidy(() => layer.apply(x) as pc.Tensor);
        const values = Array.from(x.dataSync());
        expectClose(y.dataSync(), values.map((v, i) => v * [1, 0.5, 0.25][i % 3]! + [0, 1, 2][i % 3]!), 1e-6, 1e-6);
        const model = new pc.Sequential([pc.Input({ shape: [2, 3] }), layer]);
        await expectSaveLoadRoundTrip(model, x, [layer]);
        pc.dispose([x, y]);
        model.dispose();
      });

      it('names a bad scale and a list that does not fit the last axis', () => {
        expect(() => new pc.Rescaling({ scale: 'a' as never })).toThrow('Rescaling: scale must be a finite number or a non-empty list of them, got "a"');
        expect(() => new pc.Rescaling({ scale: 1, offset: [] })).toThrow('Rescaling: offset must be a finite number or a non-empty list of them, got []');
        expect(() => new pc.Rescaling({ name: 'r', scale: [1, 2] }).apply(pc.ones([2, 3]))).toThrow("Rescaling 'r': a list of 2 factors scales the last axis, but the inputs have shape [2,3]");
      });
    });
  });
}
