// Masked sequence models leave as ONNX: the mask is made of ordinary ops (Equal and Not for an
// Embedding's maskZero, ReduceMax for Masking), each recurrent step keeps its state at padding
// with Where, GlobalAveragePooling1D averages the data steps with a weighted sum, and merge
// layers join their inputs' masks; so onnxruntime and the re-imported model agree with predict,
// padding and all, on every backend.
import * as pc from '@perceptron/core';
import { afterAll, describe, it } from 'vitest';
import { expectExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog, randomBatch } from './models.js';

const TIMESTEPS = 6;
const tokensLog = new DifferenceLog('Input int32 → Embedding(maskZero) → LSTM(sequences) → GRU(sequences) → GlobalAveragePooling1D → Dense');
const maskingLog = new DifferenceLog('Masking → Bidirectional(SimpleRNN, sequences) → TimeDistributed(Dense)');
const mergedLog = new DifferenceLog('two int32 inputs → Embedding(maskZero) each → Concatenate(steps) and Add → GRU → Dense');
afterAll(() => {
  tokensLog.print();
  maskingLog.print();
  mergedLog.print();
});

/** `batch` rows of tokens in [1, 5) with a seeded number (fewer than TIMESTEPS) of 0s of padding, before the tokens in odd rows and after them in even ones. */
function paddedTokens(batch: number, seed: number): pc.Tensor {
  const generator = new pc.RandomGenerator(seed);
  const rows = Array.from({ length: batch }, (_, i) => {
    const padding = new Array<number>(Math.floor(generator.nextFloat() * TIMESTEPS)).fill(0);
    const tokens = Array.from({ length: TIMESTEPS - padding.length }, () => 1 + Math.floor(generator.nextFloat() * 4));
    return i % 2 === 1 ? [...padding, ...tokens] : [...tokens, ...padding];
  });
  return pc.tensor(rows.flat(), [batch, TIMESTEPS], 'int32');
}

/** Feature rows [batch, TIMESTEPS, 2] whose first and fourth steps are padding (every feature 0). */
function paddedFeatures(batch: number, seed: number): pc.Tensor {
  const values = Array.from(randomBatch(batch, TIMESTEPS * 2, seed).dataSync());
  return pc.tensor(values.map((v, i) => ([0, 3].includes(Math.floor(i / 2) % TIMESTEPS) ? 0 : v)), [batch, TIMESTEPS, 2]);
}

describe.each(BACKENDS)('on %s', (backend) => {
  it('Embedding(maskZero) → LSTM → GRU → GlobalAveragePooling1D: after a little training, onnxruntime and the imported model match predict', async () => {
    await pc.setBackend(backend);
    pc.setSeed(31);
    const model = new pc.Sequential([
      pc.Input({ shape: [TIMESTEPS], dtype: 'int32' }),
      new pc.Embedding({ inputDim: 5, outputDim: 3, maskZero: true }),
      new pc.LSTM(4, { returnSequences: true }),
      new pc.GRU(3, { returnSequences: true }),
      new pc.GlobalAveragePooling1D(),
      new pc.Dense(2),
    ]);
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const [x, y] = [paddedTokens(32, 1), randomBatch(32, 2, 2)];
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    try {
      await expectExportMatchesPredict(model, (batch) => paddedTokens(batch, 100 + batch), [1, 9], tokensLog, backend);
    } finally {
      model.dispose();
      pc.dispose([x, y]);
    }
  });

  it('Masking → Bidirectional(SimpleRNN) → TimeDistributed(Dense): onnxruntime and the imported model match predict', async () => {
    await pc.setBackend(backend);
    pc.setSeed(37);
    const input = pc.Input({ shape: [TIMESTEPS, 2] });
    const read = new pc.Bidirectional(new pc.SimpleRNN(3, { returnSequences: true })).apply(new pc.Masking().apply(input));
    const model = new pc.Model({ inputs: input, outputs: new pc.TimeDistributed(new pc.Dense(2)).apply(read) });
    try {
      await expectExportMatchesPredict(model, (batch) => paddedFeatures(batch, 200 + batch), [1, 5], maskingLog, backend);
    } finally {
      model.dispose();
    }
  });

  it('two masked inputs joined by Concatenate along the steps and by Add: onnxruntime and the imported model match predict', async () => {
    await pc.setBackend(backend);
    pc.setSeed(41);
    const [first, second] = [pc.Input({ shape: [TIMESTEPS], dtype: 'int32' }), pc.Input({ shape: [TIMESTEPS], dtype: 'int32' })];
    const embedding = new pc.Embedding({ inputDim: 5, outputDim: 3, maskZero: true });
    const [a, b] = [embedding.apply(first), embedding.apply(second)];
    const joined = new pc.Concatenate({ axis: 1 }).apply([new pc.Add().apply([a, b]), a]);
    const model = new pc.Model({ inputs: [first, second], outputs: new pc.Dense(2).apply(new pc.GRU(3).apply(joined)) });
    try {
      await expectExportMatchesPredict(model, (batch) => [paddedTokens(batch, 300 + batch), paddedTokens(batch, 400 + batch)], [1, 6], mergedLog, backend);
    } finally {
      model.dispose();
    }
  });
});
