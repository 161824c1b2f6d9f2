// SpectralNormalization against float64 loops written here: the power iteration
// v = unit(u·Wᵀ), u = unit(v·W) from the stored u, σ = v·W·uᵀ, the weight divided by σ and
// stored, u stored. Values, the stored weights, gradients (central finite differences of the
// layer as it used the divided weight), the converged σ against the largest singular value,
// save and load, a Keras 3 description, bad settings.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { keras3Files } from './keras3-files.js';
import { expectClose } from './training-api-helpers.js';
import { draws, errorRecorder, finiteDifferences, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

type Matrix = number[][];

const rowsOf = (values: readonly number[], columns: number): Matrix =>
  Array.from({ length: values.length / columns }, (_, r) => values.slice(r * columns, (r + 1) * columns));

const unit = (x: number[]): number[] => {
  const length = Math.sqrt(x.reduce((s, v) => s + v * v, 0));
  return x.map((v) => v / Math.max(length, 1e-7));
};

/** u·Wᵀ (u of W's columns) and v·W (v of W's rows). */
const timesTransposed = (u: readonly number[], w: Matrix): number[] => w.map((row) => row.reduce((s, x, j) => s + x * u[j]!, 0));
const times = (v: readonly number[], w: Matrix): number[] => w[0]!.map((_, j) => w.reduce((s, row, i) => s + v[i]! * row[j]!, 0));

/** The power iteration in float64 over the weight seen as [rows, columns]: the new u and σ. */
function powerIteration(weight: readonly number[], columns: number, u0: readonly number[], steps: number): { u: number[]; sigma: number } {
  const w = rowsOf(weight, columns);
  let [u, v] = [[...u0], [] as number[]];
  for (let s = 0; s < steps; s++) {
    v = unit(timesTransposed(u, w));
    u = unit(times(v, w));
  }
  const sigma = times(v, w).reduce((s, x, j) => s + x * u[j]!, 0);
  return { u, sigma };
}

/** The largest singular value in float64: the square root of WᵀW's top eigenvalue, by 2000 power steps from ones. */
function largestSingularValue(weight: readonly number[], columns: number): number {
  const w = rowsOf(weight, columns);
  let x = unit(new Array<number>(columns).fill(1));
  for (let s = 0; s < 2000; s++) x = unit(times(timesTransposed(x, w), w));
  return Math.sqrt(times(timesTransposed(x, w), w).reduce((s, v, j) => s + v * x[j]!, 0));
}

/** Dense in float64: x [n, in] · kernel [in, out] + bias. */
const denseReference = (x: readonly number[], inputs: number, kernel: readonly number[], bias: readonly number[]): number[] =>
  rowsOf(x, inputs).flatMap((row) => times(row, rowsOf(kernel, bias.length)).map((v, j) => v + bias[j]!));

const recordError = errorRecorder('SpectralNormalization');

/** A built SpectralNormalization(Dense(3)) over 4 inputs with drawn kernel, bias and u. */
function wrappedDense(powerIterations = 1): { layer: pc.SpectralNormalization; dense: pc.Dense; kernel: number[]; bias: number[]; u: number[] } {
  const dense = new pc.Dense(3);
  const layer = new pc.SpectralNormalization(dense, { powerIterations });
  layer.ensureBuilt([2, 4]);
  const [kernel, bias, u] = [draws(12, 1, -1, 1), draws(3, 2, -0.5, 0.5), draws(3, 3, -1, 1)];
  pc.tidy(() => {
    dense.kernel!.assign(pc.tensor(kernel, [4, 3]));
    dense.bias!.assign(pc.tensor(bias, [3]));
    layer.vectorU!.assign(pc.tensor(u, [1, 3]));
  });
  return { layer, dense, kernel, bias, u };
}

for (const backend of MODEL_BACKENDS) {
  describe(`SpectralNormalization on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    it('builds the non-trainable vector_u [1, units] (truncated normal, stddev 0.02) after the wrapped weights in its own', () => {
      const layer = new pc.SpectralNormalization(new pc.Dense(5, { name: 'd' }), { name: 'sn' });
      layer.ensureBuilt([2, 40]);
      expect(layer.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([['sn/vector_u', [1, 5], false], ['d/kernel', [40, 5], true], ['d/bias', [5], true]]);
      const u = Array.from(layer.vectorU!.dataSync());
      expect(Math.max(...u.map(Math.abs))).toBeLessThanOrEqual(0.04 + 1e-7);
      expect(u.some((v) => v !== 0)).toBe(true);
      layer.dispose();
    });

    it.each([1, 3])('with %i power iteration(s), a training call divides the kernel by σ, stores it and u, and computes with it', (steps) => {
      const { layer, dense, kernel, bias, u } = wrappedDense(steps);
      const xValues = draws(2 * 4, 4, -2, 2);
      const x = pc.tensor(xValues, [2, 4]);
      const y = pc.tidy(() => layer.apply(x, { training: true }) as pc.Tensor);
      const { u: newU, sigma } = powerIteration(kernel, 3, u, steps);
      const divided = kernel.map((k) => k / sigma);
      recordError('stored kernel', dense.kernel!.dataSync(), divided);
      recordError('stored u', layer.vectorU!.dataSync(), newU);
      expectClose(dense.kernel!.dataSync(), divided, 1e-5, 1e-6);
      expectClose(layer.vectorU!.dataSync(), newU, 1e-5, 1e-6);
      const want = denseReference(xValues, 4, divided, bias);
      recordError('forward', y.dataSync(), want);
      expectClose(y.dataSync(), want, 1e-5, 1e-6);
      // A second step starts from the stored u and the divided kernel.
      const again = pc.tidy(() => layer.apply(x, { training: true }) as pc.Tensor);
      const second = powerIteration(divided, 3, newU, steps);
      expectClose(dense.kernel!.dataSync(), divided.map((k) => k / second.sigma), 1e-5, 1e-6);
      pc.dispose([x, y, again]);
      layer.dispose();
    });

    it('out of training, the wrapped layer runs with its weights as they are', () => {
      const { layer, dense, kernel, bias, u } = wrappedDense();
      const xValues = draws(8, 5, -2, 2);
      const x = pc.tensor(xValues, [2, 4]);
      const y = pc.tidy(() => layer.apply(x) as pc.Tensor);
      expectClose(y.dataSync(), denseReference(xValues, 4, kernel, bias), 1e-6, 1e-6);
      expect(Array.from(dense.kernel!.dataSync())).toEqual(Array.from(Float32Array.from(kernel)));
      expect(Array.from(layer.vectorU!.dataSync())).toEqual(Array.from(Float32Array.from(u)));
      pc.dispose([x, y]);
      layer.dispose();
    });

    it('an all-zero kernel is left alone (no division by σ = 0)', () => {
      const { layer, dense } = wrappedDense();
      pc.tidy(() => dense.kernel!.assign(pc.zeros([4, 3])));
      const uBefore = Array.from(layer.vectorU!.dataSync());
      pc.tidy(() => layer.apply(pc.ones([1, 4]), { training: true }));
      expect(Array.from(dense.kernel!.dataSync())).toEqual(new Array(12).fill(0));
      expect(Array.from(layer.vectorU!.dataSync())).toEqual(uBefore);
      layer.dispose();
    });

    it('enough iterations find the largest singular value: the stored kernel then has spectral norm 1', () => {
      const { layer, dense, kernel } = wrappedDense(60);
      pc.tidy(() => layer.apply(pc.ones([1, 4]), { training: true }));
      const sigma = largestSingularValue(kernel, 3);
      expectClose(dense.kernel!.dataSync(), kernel.map((k) => k / sigma), 1e-4, 1e-6);
      expect(largestSingularValue(Array.from(dense.kernel!.dataSync()), 3)).toBeCloseTo(1, 4);
      layer.dispose();
    });

    it('gradients reach the input, kernel and bias as the layer used the divided kernel (σ is no function the tape follows)', () => {
      const { layer, dense, kernel, bias, u } = wrappedDense(2);
      const xValues = draws(8, 6, -2, 2);
      const w = draws(6, 7, -1, 1);
      const x = pc.tensor(xValues, [2, 4]);
      const got = pc.tidy(() => {
        const tape = new pc.GradientTape();
        tape.watch(x);
        const loss = tape.record(() => pc.sum(pc.mul(layer.apply(x, { training: true }) as pc.Tensor, pc.tensor(w, [2, 3]))));
        return tape.gradient(loss, [x, dense.kernel!, dense.bias!]).map((g) => Array.from(g!.dataSync()));
      });
      const divided = kernel.map((k) => k / powerIteration(kernel, 3, u, 2).sigma);
      const wants = [
        finiteDifferences(xValues, w, (moved) => denseReference(moved, 4, divided, bias)),
        finiteDifferences(divided, w, (moved) => denseReference(xValues, 4, moved, bias)),
        finiteDifferences(bias, w, (moved) => denseReference(xValues, 4, divided, moved)),
      ];
      ['input', 'kernel', 'bias'].forEach((name, k) => {
        recordError(`gradient w.r.t. ${name}`, got[k]!, wants[k]!);
        expectClose(got[k]!, wants[k]!, 1e-4, 1e-4);
      });
      x.dispose();
      layer.dispose();
    });

    it('wraps Conv2D (kernel seen as [kh·kw·channels, filters]) and Embedding (its embeddings)', () => {
      const conv = new pc.Conv2D(2, 2);
      const wrappedConv = new pc.SpectralNormalization(conv);
      const images = pc.tensor(draws(1 * 3 * 3 * 3, 8, -1, 1), [1, 3, 3, 3]);
      pc.tidy(() => wrappedConv.apply(images));
      const [convKernel, convU] = [Array.from(conv.kernel!.dataSync()), Array.from(wrappedConv.vectorU!.dataSync())];
      const y = pc.tidy(() => wrappedConv.apply(images, { training: true }) as pc.Tensor);
      expect(y.shape).toEqual([1, 2, 2, 2]);
      expect(wrappedConv.computeOutputShape([null, 3, 3, 3])).toEqual([null, 2, 2, 2]);
      expectClose(conv.kernel!.dataSync(), convKernel.map((k) => k / powerIteration(convKernel, 2, convU, 1).sigma), 1e-5, 1e-6);

      const embedding = new pc.Embedding({ inputDim: 5, outputDim: 3 });
      const wrappedEmbedding = new pc.SpectralNormalization(embedding);
      const ids = pc.tensor([[0, 4]], [1, 2], 'int32');
      pc.tidy(() => wrappedEmbedding.apply(ids));
      const [table, tableU] = [Array.from(embedding.embeddings!.dataSync()), Array.from(wrappedEmbedding.vectorU!.dataSync())];
      pc.tidy(() => wrappedEmbedding.apply(ids, { training: true }));
      expectClose(embedding.embeddings!.dataSync(), table.map((k) => k / powerIteration(table, 3, tableU, 1).sigma), 1e-5, 1e-6);
      pc.dispose([images, y, ids]);
      wrappedConv.dispose();
      wrappedEmbedding.dispose();
    });

    it('a training step leaves no tensor behind; fit trains it; save -> loadModel restores layers, weights and predictions', async () => {
      const model = new pc.Sequential([new pc.SpectralNormalization(new pc.Dense(6, { activation: 'relu' }), { powerIterations: 2, inputShape: [4] }), new pc.Dense(2)]);
      const x = pc.tensor(draws(8 * 4, 9, -1, 1), [8, 4]);
      const y = pc.tensor(draws(8 * 2, 10, -1, 1), [8, 2]);
      expectTrainingStepsLeakNothing(model, x);
      model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
      await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
      await expectSaveLoadRoundTrip(model, x, model.layers);
      expect(model.layers[0]!.getConfig()).toMatchObject({ powerIterations: 2, layer: { className: 'Dense' } });
      pc.dispose([x, y]);
      model.dispose();
    });

    it('reads a Keras 3 description (the wrapped Dense inside) with its weights through loadLayersModel', async () => {
      const [u, kernel, bias] = [draws(3, 11, -1, 1), draws(12, 12, -1, 1), draws(3, 13, -0.5, 0.5)];
      const loaded = await pc.loadLayersModel(keras3Files({
        inputs: [{ name: 'features', shape: [4] }],
        layers: [{
          className: 'SpectralNormalization', name: 'spectral_normalization', config: {
            power_iterations: 1,
            layer: {
              module: 'keras.layers', class_name: 'Dense', registered_name: null, build_config: { input_shape: [null, 4] },
              config: {
                name: 'dense', trainable: true, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' } }, units: 3, activation: 'linear', use_bias: true,
                kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {} },
                kernel_regularizer: null, bias_regularizer: null, kernel_constraint: null, bias_constraint: null,
              },
            },
          },
        }],
        weights: [
          { name: 'spectral_normalization/vector_u', shape: [1, 3], values: u },
          { name: 'dense/kernel', shape: [4, 3], values: kernel },
          { name: 'dense/bias', shape: [3], values: bias },
        ],
      }));
      const layer = loaded.layers[1] as pc.SpectralNormalization;
      expect(layer).toBeInstanceOf(pc.SpectralNormalization);
      expect(layer.layer).toBeInstanceOf(pc.Dense);
      const xValues = draws(8, 14, -2, 2);
      const x = pc.tensor(xValues, [2, 4]);
      const predicted = loaded.predict(x) as pc.Tensor;
      expectClose(predicted.dataSync(), denseReference(xValues, 4, kernel, bias), 1e-6, 1e-6);
      const trained = pc.tidy(() => layer.apply(x, { training: true }) as pc.Tensor);
      const want = denseReference(xValues, 4, kernel.map((k) => k / powerIteration(kernel, 3, u, 1).sigma), bias);
      recordError('Keras 3 model', trained.dataSync(), want);
      expectClose(trained.dataSync(), want, 1e-5, 1e-6);
      pc.dispose([x, predicted, trained]);
      loaded.dispose();
    });
  });
}

describe('SpectralNormalization settings', () => {
  beforeEach(async () => {
    await pc.setBackend('naive');
  });

  it.each([
    ['zero power iterations', () => new pc.SpectralNormalization(new pc.Dense(2), { powerIterations: 0 }), 'SpectralNormalization: powerIterations must be a positive integer, got 0'],
    ['a layer that is not one', () => new pc.SpectralNormalization({} as pc.Layer), 'SpectralNormalization'],
    ['an unknown option', () => new pc.SpectralNormalization(new pc.Dense(2), { power: 2 } as never), "SpectralNormalization: unknown option 'power'"],
  ])('refuses %s, naming it', (_, make, message) => {
    expect(make).toThrow(message);
  });

  it('refuses to wrap a layer with neither kernel nor embeddings, naming both layers', () => {
    const layer = new pc.SpectralNormalization(new pc.LayerNormalization({ name: 'ln' }), { name: 'sn' });
    expect(() => layer.ensureBuilt([2, 3])).toThrow("SpectralNormalization 'sn': the wrapped LayerNormalization 'ln' has no kernel nor embeddings weight to normalize");
  });
});
