// A trained functional model (a skip connection through Add, a cosine similarity through Dot, a
// branch joined by Concatenate, an elementwise Maximum) leaves as ordinary ONNX ops; onnxruntime and the re-imported model agree
// with predict on every backend. Models of several inputs and outputs: several-inputs-outputs.test.ts.
import * as pc from '@perceptron/core';
import { afterAll, describe, it } from 'vitest';
import { expectExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog, randomBatch } from './models.js';

const log = new DifferenceLog('Input → Dense → Add(skip), Dot(cosine) → Concatenate(branch) → Maximum → Dense');
afterAll(() => log.print());

function graphModel(): pc.Model {
  const input = pc.Input({ shape: [6] });
  const hidden = new pc.Dense(6, { activation: 'tanh' }).apply(input);
  const skip = new pc.Add().apply([input, hidden]);
  const similarity = new pc.Dot(1, { normalize: true }).apply([input, hidden]);
  const joined = new pc.Concatenate().apply([skip, new pc.Dense(2, { activation: 'relu' }).apply(input), similarity]);
  const widest = new pc.Maximum().apply([joined, new pc.Dense(9).apply(hidden)]);
  return new pc.Model({ inputs: input, outputs: new pc.Dense(4, { activation: 'softmax' }).apply(widest) });
}

describe.each(BACKENDS)('on %s', (backend) => {
  it('after a little training, onnxruntime and the imported model match predict', async () => {
    await pc.setBackend(backend);
    pc.setSeed(23);
    const model = graphModel();
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const [x, y] = [randomBatch(64, 6, 1), randomBatch(64, 4, 2)];
    await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    try {
      await expectExportMatchesPredict(model, (batch) => randomBatch(batch, 6, 100 + batch), [1, 37], log, backend);
    } finally {
      model.dispose();
      pc.dispose([x, y]);
    }
  });
});
