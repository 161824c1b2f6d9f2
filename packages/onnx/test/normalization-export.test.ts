// A trained Sequential with BatchNormalization (inference: the moving statistics) and
// LayerNormalization leaves as ordinary ONNX ops; onnxruntime and the re-imported model agree
// with predict on every backend.
import * as pc from '@perceptron/core';
import { afterAll, describe, expect, it } from 'vitest';
import { expectExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog, randomBatch } from './models.js';

const log = new DifferenceLog('Dense → BatchNormalization → relu → Dense → LayerNormalization');
afterAll(() => log.print());

function normalizedModel(): pc.Sequential {
  return new pc.Sequential([
    new pc.Dense(8, { inputShape: [6] }),
    new pc.BatchNormalization({ momentum: 0.8 }),
    new pc.Activation('relu'),
    new pc.Dense(5),
    new pc.LayerNormalization(),
  ]);
}

describe.each(BACKENDS)('on %s', (backend) => {
  it('after a little training, onnxruntime and the imported model match predict', async () => {
    await pc.setBackend(backend);
    pc.setSeed(17);
    const model = normalizedModel();
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const [x, y] = [randomBatch(64, 6, 1), randomBatch(64, 5, 2)];
    await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0 });
    const bn = model.layers[1] as pc.BatchNormalization;
    // Trained: the moving statistics have left their initial values, so the export must carry them.
    expect(Array.from(bn.movingMean!.dataSync()).some((m) => m !== 0)).toBe(true);

    try {
      await expectExportMatchesPredict(model, (batch) => randomBatch(batch, 6, 100 + batch), [1, 37], log, backend, { inputShape: [6] });
    } finally {
      model.dispose();
      pc.dispose([x, y]);
    }
  });
});
