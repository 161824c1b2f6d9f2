// Keras's noise layers: Dropout with a noiseShape, SpatialDropout1D and 2D (whole channels),
// GaussianNoise and GaussianDropout. A seeded layer's draws are replayed from its seed, so each
// training call is checked value by value against the formula with those draws; outside training
// each passes its inputs through; configs round trip; bad settings and inputs are named.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { coordinatesOf, draws, expectTrainingStepsLeakNothing } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

const SEED = 11;

/** Dropout's scaled 0/1 mask of `count` draws from a generator seeded with SEED. */
function replayedMask(count: number, rate: number): number[] {
  const generator = new pc.RandomGenerator(SEED);
  return Array.from({ length: count }, () => (generator.nextFloat() >= rate ? 1 / (1 - rate) : 0));
}

/** `count` normal draws from a generator seeded with SEED. */
function replayedNormals(count: number): number[] {
  const generator = new pc.RandomGenerator(SEED);
  return Array.from({ length: count }, () => generator.nextNormal());
}

/** Index into a mask of shape `maskShape` (1s broadcast) for the element at flat index `flat` of `shape`. */
function maskIndex(flat: number, shape: readonly number[], maskShape: readonly number[]): number {
  return coordinatesOf(flat, shape).reduce((at, c, i) => at * maskShape[i]! + (maskShape[i] === 1 ? 0 : c), 0);
}

/** What a training call gives, and what a call outside training gives. */
function callBoth(layer: pc.Layer, x: pc.Tensor): [number[], number[]] {
  return pc.tidy(() => [layer.apply(x, { training: true }), layer.apply(x)].map((y) => Array.from((y as pc.Tensor).dataSync()))) as [number[], number[]];
}

for (const backend of MODEL_BACKENDS) {
  describe(`noise layers on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
    });

    it.each([
      { name: 'Dropout with noiseShape [null, 1, null]', make: () => new pc.Dropout(0.4, { seed: SEED, noiseShape: [null, 1, null] }), shape: [3, 4, 5], maskShape: [3, 1, 5] },
      { name: 'SpatialDropout1D', make: () => new pc.SpatialDropout1D(0.4, { seed: SEED }), shape: [3, 4, 5], maskShape: [3, 1, 5] },
      { name: 'SpatialDropout2D', make: () => new pc.SpatialDropout2D(0.4, { seed: SEED }), shape: [2, 3, 4, 3], maskShape: [2, 1, 1, 3] },
      { name: 'Dropout with noiseShape [1, null]', make: () => new pc.Dropout(0.4, { seed: SEED, noiseShape: [1, null] }), shape: [4, 6], maskShape: [1, 6] },
    ])('$name: one draw per mask entry, shared along the 1s; nothing dropped outside training', ({ make, shape, maskShape }) => {
      const values = draws(shape.reduce((a, b) => a * b, 1), 1, -2, 2);
      const x = pc.tensor(values, shape);
      const [training, inference] = callBoth(make(), x);
      const mask = replayedMask(maskShape.reduce((a, b) => a * b, 1), 0.4);
      expect(mask.filter((m) => m === 0).length, 'the draws drop some channels').toBeGreaterThan(0);
      expectClose(training, values.map((v, i) => v * mask[maskIndex(i, shape, maskShape)]!), 1e-6, 1e-7);
      expect(inference).toEqual(Array.from(x.dataSync()));
      x.dispose();
    });

    it('GaussianNoise adds stddev·N(0, 1) draws while training', () => {
      const values = draws(24, 2, -2, 2);
      const x = pc.tensor(values, [4, 6]);
      const [training, inference] = callBoth(new pc.GaussianNoise(0.3, { seed: SEED }), x);
      const normals = replayedNormals(24);
      expectClose(training, values.map((v, i) => v + 0.3 * normals[i]!), 1e-6, 1e-6);
      expect(inference).toEqual(Array.from(x.dataSync()));
      x.dispose();
    });

    it('GaussianDropout multiplies by N(1, rate / (1 − rate)) draws while training', () => {
      const values = draws(24, 3, -2, 2);
      const x = pc.tensor(values, [2, 3, 4]);
      const [training, inference] = callBoth(new pc.GaussianDropout(0.2, { seed: SEED }), x);
      const normals = replayedNormals(24);
      expectClose(training, values.map((v, i) => v * (1 + Math.sqrt(0.2 / 0.8) * normals[i]!)), 1e-6, 1e-6);
      expect(inference).toEqual(Array.from(x.dataSync()));
      x.dispose();
    });

    it('a model with the noise layers trains with fit and leaves no tensor behind', async () => {
      pc.setSeed(3);
      const x = pc.tensor(draws(64 * 4 * 3, 4, -1, 1), [64, 4, 3]);
      const y = pc.tidy(() => pc.cast(pc.greater(pc.sum(x, [1, 2]), 0), 'float32'));
      const model = new pc.Sequential([
        pc.Input({ shape: [4, 3] }),
        new pc.GaussianNoise(0.05),
        new pc.SpatialDropout1D(0.1),
        new pc.Flatten(),
        new pc.GaussianDropout(0.1),
        new pc.Dense(1, { activation: 'sigmoid' }),
      ]);
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy' });
      const history = await model.fit(x, y, { epochs: 10, batchSize: 16, verbose: 0 });
      expectTrainingStepsLeakNothing(model, x);
      const losses = history.history.loss!;
      expect(losses.at(-1)!).toBeLessThan(0.6 * losses[0]!);
      pc.dispose([x, y]);
      model.optimizer?.dispose();
      model.dispose();
    });
  });
}

describe('noise layer settings', () => {
  it('configs round trip through serialization', () => {
    const layers = [
      new pc.Dropout(0.3, { noiseShape: [null, 1, null], seed: 2 }),
      new pc.SpatialDropout1D(0.2),
      new pc.SpatialDropout2D({ rate: 0.5, seed: 4 }),
      new pc.GaussianNoise(0.1, { seed: 5 }),
      new pc.GaussianDropout(0.25),
    ];
    for (const layer of layers) {
      const again = pc.deserializeLayer(pc.serializeLayer(layer));
      expect(again.constructor).toBe(layer.constructor);
      expect({ ...again.getConfig(), name: layer.name }).toEqual(layer.getConfig());
    }
    expect(layers[0]!.getConfig().noiseShape).toEqual([null, 1, null]);
    expect('noiseShape' in layers[1]!.getConfig()).toBe(false);
  });

  it('names bad settings and inputs', () => {
    expect(() => new pc.Dropout(0.5, { noiseShape: [0, null] })).toThrow('Dropout: noiseShape must be a list of positive integers or nulls, got [0,null]');
    expect(() => new pc.SpatialDropout1D(1.5)).toThrow('SpatialDropout1D: rate must be in [0, 1], got 1.5');
    expect(() => new pc.GaussianNoise(-1)).toThrow('GaussianNoise: stddev must be a finite number >= 0, got -1');
    expect(() => new pc.GaussianDropout(1)).toThrow('GaussianDropout: rate must be below 1 (its noise would have infinite variance), got 1');
    expect(() => pc.tidy(() => new pc.Dropout(0.5, { name: 'd', noiseShape: [null, 2] }).apply(pc.ones([2, 3]), { training: true }))).toThrow("Dropout 'd': noiseShape [null,2] does not broadcast to inputs of shape [2,3]; each entry must be null, 1 or the input's size");
    expect(() => pc.tidy(() => new pc.SpatialDropout2D(0.5, { name: 's' }).apply(pc.ones([2, 3, 4]), { training: true }))).toThrow("SpatialDropout2D 's': expected inputs of rank 4 [batch, height, width, channels], got shape [2,3,4]");
  });
});
