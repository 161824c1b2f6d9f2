// A trained functional model (a skip connection through Add, a cosine similarity through Dot, a
// branch joined by Concatenate, an elementwise Maximum) leaves as ordinary ONNX ops; onnxruntime and the re-imported model agree
// with predict on every backend.
import * as pc from '@perceptron/core';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/index.js';
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

it('a model of two inputs is refused by name, since the exporter writes graphs of one input', () => {
  const [a, b] = [pc.Input({ shape: [2] }), pc.Input({ shape: [2] })];
  const model = new pc.Model({ inputs: [a, b], outputs: new pc.Add().apply([a, b]), name: 'pair' });
  expect(() => exportOnnx(model)).toThrow("exportOnnx: model 'pair' takes 2 inputs; the exporter writes graphs of one input");
});

it('a model of two outputs is refused by name, functional or subclassed, since the exporter writes graphs of one output', () => {
  const input = pc.Input({ shape: [2] });
  const model = new pc.Model({ inputs: input, outputs: [new pc.Dense(1).apply(input), new pc.Dense(3).apply(input)], name: 'heads' });
  expect(() => exportOnnx(model)).toThrow("exportOnnx: model 'heads' has 2 outputs; the exporter writes graphs of one output");
  class Twice extends pc.Model {
    override call(x: pc.Tensor): pc.Tensor[] {
      return [x, pc.neg(x)];
    }
  }
  expect(() => exportOnnx(new Twice({ name: 'twice' }), { inputShape: [2] })).toThrow("exportOnnx: model 'twice' returns 2 outputs; the exporter writes graphs of one output");
});
