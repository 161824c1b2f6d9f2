// A trained Sequential Embedding → LSTM → GRU → Dense leaves as ONNX ops (each recurrent layer
// one LSTM or GRU node, recurrent-nodes-export.test.ts; the unrolled steps where a call cannot be
// one); onnxruntime and the re-imported model agree with predict on every backend; so does one
// with the wrappers (Bidirectional: one node of both directions;
// TimeDistributed: the timesteps folded into the batch by Reshape); so does a functional model
// whose layers hand their final states on (returnState, and initial states given in the inputs
// list), since the states are ordinary tensors of the traced pass. The graph's input keeps the
// model input's dtype: int32 indices after an int32 Input, which the Embedding gathers with as
// they are; float32 for a Sequential without an Input, whose Embedding casts them.
import * as pc from '@perceptron/core';
import { afterAll, describe, it } from 'vitest';
import { expectExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog } from './models.js';

const TIMESTEPS = 6;
const VOCABULARY = 7;
/** Each model and the dtype of its tokens, which is its graph input's. */
const MODELS = [
  { log: new DifferenceLog('Embedding → LSTM → GRU → Dense (float32 tokens)'), build: recurrentModel, dtype: 'float32' },
  { log: new DifferenceLog('Input(int32) → Embedding → Bidirectional(LSTM) → TimeDistributed(Dense) → Bidirectional(GRU, ave) → Dense'), build: bidirectionalModel, dtype: 'int32' },
  { log: new DifferenceLog('Input(int32) → Embedding → LSTM(returnState) → [h, c] start an LSTM → GRU(returnState) → its h → Dense'), build: handedStatesModel, dtype: 'int32' },
] as const;
afterAll(() => MODELS.forEach(({ log }) => log.print()));

/** `rows` sequences of token indices in [0, VOCABULARY), of the model input's dtype. */
function tokens(rows: number, seed: number, dtype: 'float32' | 'int32'): pc.Tensor {
  const g = new pc.RandomGenerator(seed);
  return pc.tensor(Array.from({ length: rows * TIMESTEPS }, () => Math.floor(g.nextFloat() * VOCABULARY)), [rows, TIMESTEPS], dtype);
}

/** No Input: the Sequential's input is float32, as Keras's Sequential makes its Input. */
function recurrentModel(): pc.Sequential {
  return new pc.Sequential([
    new pc.Embedding({ inputDim: VOCABULARY, outputDim: 4, inputShape: [TIMESTEPS] }),
    new pc.LSTM(5, { returnSequences: true }),
    new pc.GRU(3, { goBackwards: true }),
    new pc.Dense(2),
  ]);
}

function bidirectionalModel(): pc.Sequential {
  return new pc.Sequential([
    pc.Input({ shape: [TIMESTEPS], dtype: 'int32' }),
    new pc.Embedding({ inputDim: VOCABULARY, outputDim: 4 }),
    new pc.Bidirectional(new pc.LSTM(5, { returnSequences: true })),
    new pc.TimeDistributed(new pc.Dense(4, { activation: 'relu' })),
    new pc.Bidirectional(new pc.GRU(3), { mergeMode: 'ave' }),
    new pc.Dense(2),
  ]);
}

/**
 * One input, one output, states handed on inside: a backwards LSTM's final [h, c] start a second
 * LSTM over the same embedded sequence, whose sequence a GRU reads; the GRU's returned h feeds the Dense.
 */
function handedStatesModel(): pc.Model {
  const tokens = pc.Input({ shape: [TIMESTEPS], dtype: 'int32' });
  const embedded = new pc.Embedding({ inputDim: VOCABULARY, outputDim: 4 }).apply(tokens);
  const [, h, c] = new pc.LSTM(5, { returnState: true, goBackwards: true }).apply(embedded);
  const sequence = new pc.LSTM(5, { returnSequences: true }).apply([embedded, h, c]);
  const [, last] = new pc.GRU(3, { returnState: true }).apply(sequence);
  return new pc.Model({ inputs: tokens, outputs: new pc.Dense(2).apply(last) });
}

describe.each(BACKENDS)('on %s', (backend) => {
  it.each(MODELS.map((m) => [m.log.title, m] as const))('%s: after a little training, onnxruntime and the imported model match predict', async (_, { log, build, dtype }) => {
    await pc.setBackend(backend);
    pc.setSeed(29);
    const model = build();
    model.compile({ optimizer: new pc.Adam({ learningRate: 0.01 }), loss: 'meanSquaredError' });
    const x = tokens(48, 1, dtype);
    // Targets from the first two tokens, so the recurrence has to carry them to the end.
    const y = pc.tidy(() => {
      const first = pc.tanh(pc.sub(pc.div(pc.sum(pc.cast(pc.slice(x, [0, 0], [-1, 2]), 'float32'), 1, true), 6), 1));
      return pc.concat([first, pc.neg(first)], 1);
    });
    await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });

    try {
      await expectExportMatchesPredict(model, (batch) => tokens(batch, 100 + batch, dtype), [1, 9], log, backend);
    } finally {
      model.dispose();
      pc.dispose([x, y]);
    }
  });
});
