// The promise behind the backends: the same seeded training run gives the same losses and the
// same final weights on every backend (issue 3's conformance addition).
import * as pc from '@perceptron/core';
import { describe, expect, it } from 'vitest';
import { MODEL_BACKENDS, MultilayerPerceptron, blobs } from './training-api-model-support.js';

interface Run { losses: number[]; accuracy: number[]; weights: Float32Array[] }

/** Two epochs of the lab's MLP with Adam, shuffled batches, seeded: everything drawn in core. */
async function trainOn(backend: string): Promise<Run> {
  await pc.setBackend(backend);
  pc.setSeed(91195003);
  const { x, y } = blobs(96, 8, 11);
  const model = new MultilayerPerceptron(2);
  model.compile({ optimizer: new pc.Adam({ learningRate: 0.01 }), loss: new pc.SparseCategoricalCrossentropy(), metrics: ['accuracy'] });
  const history = await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
  const run = {
    losses: history.history.loss!,
    accuracy: history.history.accuracy!,
    weights: model.getWeights().map((w) => w.dataSync() as Float32Array),
  };
  pc.dispose([x, y, ...model.weights]);
  return run;
}

const relativeError = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

describe('a seeded 2-epoch training run agrees across backends', () => {
  it(`runs on every Node backend (${MODEL_BACKENDS.join(', ')}) with naive as the reference`, async () => {
    const reference = await trainOn('naive');
    expect(reference.losses).toHaveLength(2);
    expect(reference.losses[1]!).toBeLessThan(reference.losses[0]!); // it trains
    for (const backend of MODEL_BACKENDS.filter((b) => b !== 'naive')) {
      const run = await trainOn(backend);
      run.losses.forEach((loss, epoch) => expect(relativeError(loss, reference.losses[epoch]!), `${backend} epoch ${epoch + 1} loss`).toBeLessThanOrEqual(1e-4));
      expect(run.accuracy).toEqual(reference.accuracy);
      run.weights.forEach((w, i) => {
        const worst = w.reduce((m, v, j) => Math.max(m, Math.abs(v - reference.weights[i]![j]!)), 0);
        expect(worst, `${backend} weight ${i}`).toBeLessThanOrEqual(1e-4);
      });
    }
  });
});
