// A model whose Input leaves the sequence length unknown (`Input({shape: [null, 3]})`): the
// exporter needs every feature dimension, so it names the unknown one and asks for inputShape;
// given one, the file runs as predict does at that length.
import * as pc from '@perceptron/core';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/index.js';
import { expectExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog } from './models.js';

const log = new DifferenceLog('Input [null, 3] → Conv1D same → GlobalAveragePooling1D → Dense, exported at length 5');
afterAll(() => log.print());

function sequenceModel(): pc.Model {
  const steps = pc.Input({ shape: [null, 3], name: 'steps' });
  const features = new pc.Conv1D(4, 3, { padding: 'same', activation: 'relu' }).apply(steps);
  return new pc.Model({ inputs: steps, outputs: new pc.Dense(2).apply(new pc.GlobalAveragePooling1D().apply(features)), name: 'reader' });
}

describe.each(BACKENDS)('a model of unknown sequence length on %s', (backend) => {
  it('refuses to export without inputShape, naming the unknown dimension, and exports at the length given', async () => {
    await pc.setBackend(backend);
    pc.setSeed(20261130);
    const model = sequenceModel();
    expect(() => exportOnnx(model)).toThrow("exportOnnx: input 0 of model 'reader' has feature dimensions [null,3]; pass options.inputShape with every dimension known");
    const g = new pc.RandomGenerator(5);
    await expectExportMatchesPredict(model, (batch) => pc.tensor(Float32Array.from({ length: batch * 5 * 3 }, () => 2 * g.nextFloat() - 1), [batch, 5, 3]), [1, 4], log, backend, { inputShape: [5, 3] });
    model.dispose();
  });

  it('refuses a Sequential of unknown length the same way', async () => {
    await pc.setBackend(backend);
    const model = new pc.Sequential([pc.Input({ shape: [null, 3] }), new pc.LSTM(4), new pc.Dense(2)], { name: 'tagger' });
    expect(() => exportOnnx(model)).toThrow("exportOnnx: model 'tagger' has feature dimensions [null,3]; pass options.inputShape with every dimension known");
    model.dispose();
  });
});
