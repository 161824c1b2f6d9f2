// A model holding a stateful recurrent layer is refused by exportOnnx, naming the layers: a
// traced graph would hold the states the layer has now as constants, and no run of the graph
// would carry them on. The refusal comes before any call, so the states stay as they were; the
// same model rebuilt without stateful exports.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/index.js';
import { BACKENDS } from './models.js';

/** Input of batch 2 → Bidirectional(stateful LSTM) → stateful GRU → Dense, or the same without stateful. */
function recurrentModel(stateful: boolean): pc.Model {
  const input = pc.Input({ shape: [4, 3], batchSize: 2 });
  const both = new pc.Bidirectional(new pc.LSTM(3, { stateful, returnSequences: true, name: 'lstm' }));
  const gru = new pc.GRU(2, { stateful, name: 'gru' });
  return new pc.Model({ inputs: input, outputs: new pc.Dense(1).apply(gru.apply(both.apply(input))), name: 'stateful_model' });
}

for (const backend of BACKENDS) {
  describe(`exportOnnx and stateful layers on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
    });

    it('refuses a model with stateful layers, naming them, and leaves their states alone', () => {
      const model = recurrentModel(true);
      const x = pc.tensor(Array.from({ length: 24 }, (_, i) => Math.sin(i)), [2, 4, 3]);
      pc.tidy(() => void model.predict(x));
      const before = pc.statefulLayersOf(model).map((layer) => layer.states!.map((s) => Array.from(s.dataSync())));
      expect(() => exportOnnx(model)).toThrow(
        "exportOnnx: model 'stateful_model' holds stateful layers ('gru', 'forward_lstm', 'backward_lstm'), which carry their states from one call to the next; a traced graph would freeze their current states as constants. Rebuild the model with stateful: false (copy the weights over) to export it",
      );
      expect(pc.statefulLayersOf(model).map((layer) => layer.states!.map((s) => Array.from(s.dataSync())))).toEqual(before);
      x.dispose();
      model.dispose();
    });

    it('refuses a Sequential whose stateful layer has not been called yet', () => {
      const model = new pc.Sequential([new pc.SimpleRNN(2, { stateful: true, batchInputShape: [1, 3, 2], name: 'rnn' })]);
      expect(() => exportOnnx(model)).toThrow(/holds stateful layers \('rnn'\)/);
      model.dispose();
    });

    it('exports the same model built without stateful', () => {
      const model = recurrentModel(false);
      expect(exportOnnx(model).length).toBeGreaterThan(0);
      model.dispose();
    });
  });
}
