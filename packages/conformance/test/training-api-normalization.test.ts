// BatchNormalization and LayerNormalization against a float64 computation written here: values,
// gradients (central finite differences), the moving statistics, training, saving, bad configs
// and leaks.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { draws, errorRecorder, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, finiteDifferences } from './training-api-layer-checks.js';
import { blobs, MODEL_BACKENDS } from './training-api-model-support.js';

/** The float64 reference's inputs: which axes the statistics run over, which the weights span. */
interface Geometry {
  shape: number[];
  /** Axes the mean and variance are taken over. */
  reduce: number[];
  /** Axes gamma and beta span. */
  weightAxes: number[];
}

interface Affine {
  gamma: number[];
  beta: number[];
}

/** Per statistics group (the coordinates off the reduced axes, row-major): mean and variance. */
interface Moments {
  mean: number[];
  variance: number[];
}

const EPSILON = 1e-3;

function coordinatesOf(index: number, shape: readonly number[]): number[] {
  const coordinates = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    coordinates[axis] = index % shape[axis]!;
    index = Math.floor(index / shape[axis]!);
  }
  return coordinates;
}

/** Row-major index of `coordinates` restricted to `axes`. */
function indexAlong(coordinates: readonly number[], shape: readonly number[], axes: readonly number[]): number {
  return axes.reduce((index, axis) => index * shape[axis]! + coordinates[axis]!, 0);
}

/** For each element of a tensor of `g.shape`: its statistics group and its weight index. */
function layout(g: Geometry): { group: number[]; weight: number[]; groups: number } {
  const kept = g.shape.map((_, axis) => axis).filter((axis) => !g.reduce.includes(axis));
  const size = g.shape.reduce((a, b) => a * b, 1);
  const all = Array.from({ length: size }, (_, i) => coordinatesOf(i, g.shape));
  return {
    group: all.map((c) => indexAlong(c, g.shape, kept)),
    weight: all.map((c) => indexAlong(c, g.shape, g.weightAxes)),
    groups: kept.reduce((n, axis) => n * g.shape[axis]!, 1),
  };
}

/** The batch's (or sample's) mean and biased variance per group, in float64. */
function momentsOf(x: readonly number[], g: Geometry): Moments {
  const { group, groups } = layout(g);
  const count = x.length / groups;
  const mean = new Array<number>(groups).fill(0);
  x.forEach((v, i) => (mean[group[i]!]! += v / count));
  const variance = new Array<number>(groups).fill(0);
  x.forEach((v, i) => (variance[group[i]!]! += (v - mean[group[i]!]!) ** 2 / count));
  return { mean, variance };
}

/** (x − mean) / sqrt(variance + ε) · γ + β in float64, with the given statistics or x's own. */
function normalizeReference(x: readonly number[], g: Geometry, affine: Affine, stats: Moments = momentsOf(x, g)): number[] {
  const { group, weight } = layout(g);
  return x.map((v, i) => {
    const [k, w] = [group[i]!, weight[i]!];
    return ((v - stats.mean[k]!) / Math.sqrt(stats.variance[k]! + EPSILON)) * affine.gamma[w]! + affine.beta[w]!;
  });
}

type Normalization = pc.BatchNormalization | pc.LayerNormalization;

interface NormCase extends Geometry {
  name: string;
  make(): Normalization;
}

const CASES: NormCase[] = [
  { name: 'BatchNormalization, axis -1, [6, 3]', make: () => new pc.BatchNormalization(), shape: [6, 3], reduce: [0], weightAxes: [1] },
  { name: 'BatchNormalization, axis 1, [4, 3, 2]', make: () => new pc.BatchNormalization({ axis: 1 }), shape: [4, 3, 2], reduce: [0, 2], weightAxes: [1] },
  { name: 'LayerNormalization, axis -1, [4, 5]', make: () => new pc.LayerNormalization(), shape: [4, 5], reduce: [1], weightAxes: [1] },
  { name: 'LayerNormalization, axis [1, 2], [3, 2, 4]', make: () => new pc.LayerNormalization({ axis: [1, -1] }), shape: [3, 2, 4], reduce: [1, 2], weightAxes: [1, 2] },
  { name: 'LayerNormalization, axis 1, [3, 4, 2]', make: () => new pc.LayerNormalization({ axis: 1 }), shape: [3, 4, 2], reduce: [1], weightAxes: [1] },
];

/** `layer` built for `shape`, with gamma and beta set to draws (the defaults 1 and 0 would hide mistakes). */
function builtLayer<L extends Normalization>(layer: L, shape: number[]): { layer: L; affine: Affine } {
  layer.ensureBuilt(shape);
  const size = layer.gamma!.size;
  const affine = { gamma: draws(size, 3, 0.5, 2), beta: draws(size, 4, -1, 1) };
  pc.tidy(() => {
    layer.gamma!.assign(pc.tensor(affine.gamma, layer.gamma!.shape));
    layer.beta!.assign(pc.tensor(affine.beta, layer.beta!.shape));
  });
  return { layer, affine };
}

const recordError = errorRecorder('normalization');

for (const backend of MODEL_BACKENDS) {
  describe(`normalization layers on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(CASES)('$name', (c) => {
      const xValues = draws(c.shape.reduce((a, b) => a * b, 1), 1, -2, 3);

      it('forward (training) matches the float64 computation', () => {
        const { layer, affine } = builtLayer(c.make(), c.shape);
        const y = pc.tidy(() => layer.apply(pc.tensor(xValues, c.shape), { training: true }));
        const want = normalizeReference(xValues, c, affine);
        recordError('forward values', y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-5, 1e-5);
        y.dispose();
        layer.dispose();
      });

      it('gradients w.r.t. input, gamma and beta match central finite differences', () => {
        const { layer, affine } = builtLayer(c.make(), c.shape);
        const w = draws(xValues.length, 2, -1, 1);
        const x = pc.tensor(xValues, c.shape);
        const got = pc.tidy(() => {
          const tape = new pc.GradientTape();
          tape.watch(x);
          const loss = tape.record(() => pc.sum(pc.mul(layer.apply(x, { training: true }), pc.tensor(w, c.shape))));
          return tape.gradient(loss, [x, layer.gamma!, layer.beta!]).map((g) => Array.from(g!.dataSync()));
        });
        const want = [
          finiteDifferences(xValues, w, (moved) => normalizeReference(moved, c, affine)),
          finiteDifferences(affine.gamma, w, (gamma) => normalizeReference(xValues, c, { ...affine, gamma })),
          finiteDifferences(affine.beta, w, (beta) => normalizeReference(xValues, c, { ...affine, beta })),
        ];
        ['input', 'gamma', 'beta'].forEach((name, k) => {
          recordError(`gradient w.r.t. ${name}`, got[k]!, want[k]!);
          expectClose(got[k]!, want[k]!, 1e-4, 1e-5);
        });
        x.dispose();
        layer.dispose();
      });
    });

    it('BatchNormalization: the moving statistics after three training calls follow the closed form', () => {
      const c = CASES[1]!;
      const momentum = 0.8;
      const layer = new pc.BatchNormalization({ axis: 1, momentum });
      const xValues = draws(24, 5, -1, 4);
      const x = pc.tensor(xValues, c.shape);
      for (let call = 0; call < 3; call++) pc.tidy(() => layer.apply(x, { training: true }));
      // From mean 0 and variance 1, after k calls on the same batch: m^k·start + (1 − m^k)·batch.
      const { mean, variance } = momentsOf(xValues, c);
      const kept = momentum ** 3;
      expectClose(layer.movingMean!.dataSync(), mean.map((m) => (1 - kept) * m), 1e-5, 1e-6);
      expectClose(layer.movingVariance!.dataSync(), variance.map((v) => kept + (1 - kept) * v), 1e-5, 1e-6);
      x.dispose();
      layer.dispose();
    });

    it('BatchNormalization: inference uses the moving statistics and leaves them alone; so does a frozen layer in training', () => {
      const c = CASES[0]!;
      const { layer, affine } = builtLayer(new pc.BatchNormalization(), c.shape);
      const trainingBatch = pc.tensor(draws(18, 6, 0, 5), c.shape);
      pc.tidy(() => layer.apply(trainingBatch, { training: true }));
      const moving = { mean: Array.from(layer.movingMean!.dataSync()), variance: Array.from(layer.movingVariance!.dataSync()) };
      expect(moving.mean.some((m) => m !== 0)).toBe(true);
      const xValues = draws(18, 7, -2, 2);
      const x = pc.tensor(xValues, c.shape);
      const want = normalizeReference(xValues, c, affine, moving);
      const inference = pc.tidy(() => Array.from(layer.apply(x).dataSync()));
      expectClose(inference, want, 1e-5, 1e-5);
      layer.trainable = false;
      expect(layer.trainableWeights).toEqual([]);
      const frozen = pc.tidy(() => Array.from(layer.apply(x, { training: true }).dataSync()));
      expectClose(frozen, want, 1e-5, 1e-5);
      expect(Array.from(layer.movingMean!.dataSync())).toEqual(moving.mean);
      expect(Array.from(layer.movingVariance!.dataSync())).toEqual(moving.variance);
      pc.dispose([trainingBatch, x]);
      layer.dispose();
    });

    it('weights: gamma, beta trainable, the moving statistics not; center and scale false drop beta and gamma', () => {
      const layer = new pc.BatchNormalization({ name: 'bn' });
      layer.ensureBuilt([2, 3]);
      expect(layer.weights.map((w) => w.name)).toEqual(['bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance']);
      expect(layer.trainableWeights.map((w) => w.name)).toEqual(['bn/gamma', 'bn/beta']);
      expect(layer.nonTrainableWeights.map((w) => w.name)).toEqual(['bn/moving_mean', 'bn/moving_variance']);
      const bare = new pc.LayerNormalization({ center: false, scale: false });
      const xValues = [1, 2, 4, -1, 0, 7];
      const y = pc.tidy(() => bare.apply(pc.tensor(xValues, [2, 3])));
      expect(bare.weights).toEqual([]);
      const g = CASES[2]!;
      expectClose(y.dataSync(), normalizeReference(xValues, { ...g, shape: [2, 3] }, { gamma: [1, 1, 1], beta: [0, 0, 0] }), 1e-5, 1e-5);
      y.dispose();
      layer.dispose();
    });

    it('gamma and beta regularizers join the layer losses', () => {
      const layer = new pc.BatchNormalization({ gammaRegularizer: new pc.L2({ l2: 0.1 }), betaRegularizer: 'l1' });
      layer.ensureBuilt([2, 3]);
      const penalties = pc.tidy(() => layer.losses.map((loss) => loss.dataSync()[0]!));
      expectClose(penalties, [0.1 * 3, 0], 1e-6);
      layer.dispose();
    });

    it('a Sequential with BatchNormalization trains with fit: the loss falls and the moving statistics move', async () => {
      const { x, y } = blobs(96, 2, 11);
      const bn = new pc.BatchNormalization({ momentum: 0.9 });
      const model = new pc.Sequential([pc.Input({ shape: [2] }), new pc.Dense(8), bn, new pc.Activation('relu'), new pc.Dense(2, { activation: 'softmax' })]);
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy' });
      const history = await model.fit(x, y, { epochs: 6, batchSize: 16, verbose: 0 });
      const losses = history.history['loss']!;
      expect(losses[losses.length - 1]!).toBeLessThan(0.5 * losses[0]!);
      expect(Array.from(bn.movingMean!.dataSync()).some((m) => m !== 0)).toBe(true);
      expect(Array.from(bn.movingVariance!.dataSync()).some((v) => v !== 1)).toBe(true);
      expect(model.nonTrainableWeights).toEqual([bn.movingMean, bn.movingVariance]);
      pc.dispose([x, y]);
      model.dispose();
    });

    it('save -> loadModel restores both layers, the moving statistics and predictions; configs round trip', async () => {
      const { x, y } = blobs(32, 4, 12);
      const model = new pc.Sequential([
        pc.Input({ shape: [4] }),
        new pc.Dense(6),
        new pc.BatchNormalization({ momentum: 0.5, epsilon: 1e-2, gammaInitializer: new pc.RandomUniform({ minval: 0.5, maxval: 1.5, seed: 3 }), betaRegularizer: 'l2' }),
        new pc.LayerNormalization({ axis: [-1], center: false }),
        new pc.Dense(2, { activation: 'softmax' }),
      ]);
      model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
      await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
      await expectSaveLoadRoundTrip(model, x, model.layers.slice(1, 3));
      pc.dispose([x, y]);
      model.dispose();
    });

    it('bad configs are errors naming the layer, what it expected and what it got', () => {
      const x = pc.ones([2, 3]);
      expect(() => new pc.BatchNormalization({ momentum: 1.5 })).toThrow('BatchNormalization: momentum must be a number in [0, 1], got 1.5');
      expect(() => new pc.BatchNormalization({ momentum: -0.1 })).toThrow('BatchNormalization: momentum must be a number in [0, 1], got -0.1');
      expect(() => new pc.BatchNormalization({ epsilon: 0 })).toThrow('BatchNormalization: epsilon must be a finite number > 0, got 0');
      expect(() => new pc.LayerNormalization({ epsilon: -1e-3 })).toThrow('LayerNormalization: epsilon must be a finite number > 0, got -0.001');
      expect(() => new pc.BatchNormalization({ axis: 1.5 })).toThrow('BatchNormalization: axis must be an integer, got 1.5');
      expect(() => new pc.LayerNormalization({ axis: [] })).toThrow('LayerNormalization: axis must be an integer or a non-empty array of integers, got []');
      expect(() => new pc.BatchNormalization({ axis: 2, name: 'bn' }).apply(x)).toThrow(
        "BatchNormalization 'bn': axis 2 is out of range for inputs of shape [2,3]; expected 1 <= axis <= 1 or -1 <= axis <= -1 (axis 0 is the batch)",
      );
      expect(() => new pc.LayerNormalization({ axis: -2, name: 'ln' }).apply(x)).toThrow("LayerNormalization 'ln': axis -2 is out of range for inputs of shape [2,3]");
      expect(() => new pc.LayerNormalization({ axis: [1, -1], name: 'ln2' }).apply(x)).toThrow("LayerNormalization 'ln2': axis [1,-1] names the same input axis twice");
      const built = new pc.BatchNormalization({ axis: 1, name: 'bn3' });
      pc.tidy(() => built.apply(pc.ones([2, 3, 4])));
      expect(() => built.apply(pc.ones([2, 5, 4]))).toThrow("BatchNormalization 'bn3': expected inputs of rank 3 with dimensions {1: 3} (it was built for shape [-1,3,4], -1: any), got shape [2,5,4]");
      expect(() => built.apply(pc.ones([2, 3]))).toThrow("BatchNormalization 'bn3': expected inputs of rank 3 with dimensions {1: 3} (it was built for shape [-1,3,4], -1: any), got shape [2,3]");
      // Only the channel is tied to the weights: another length along the last axis is fine, as in Keras.
      expect(pc.tidy(() => built.apply(pc.ones([2, 3, 7])).shape)).toEqual([2, 3, 7]);
      x.dispose();
      built.dispose();
    });

    it('a training step leaves no tensor behind', () => {
      const model = new pc.Sequential([new pc.Dense(4, { inputShape: [3] }), new pc.BatchNormalization(), new pc.LayerNormalization(), new pc.Dense(1)]);
      const x = pc.tensor(draws(15, 8, -1, 1), [5, 3]);
      expectTrainingStepsLeakNothing(model, x);
      x.dispose();
      model.dispose();
    });
  });
}
