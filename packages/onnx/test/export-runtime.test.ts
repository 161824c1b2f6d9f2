// onnxruntime-node runs each exported model of the table and agrees with predict on every
// backend, at batch sizes 1 and 37; the re-imported model agrees too.
import * as pc from '@perceptron/core';
import { afterAll, describe, expect, it } from 'vitest';
import { expectExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog, MODEL_CASES, randomBatch, UNAVAILABLE } from './models.js';

const BATCHES = [1, 37];
const log = new DifferenceLog('model table');
afterAll(() => log.print());

for (const info of UNAVAILABLE) {
  it(`${info.name} skipped: ${info.reason}`, () => expect(info.reason).toBeTruthy());
}

describe.each(BACKENDS)('on %s', (backend) => {
  it.each(MODEL_CASES)('$name: onnxruntime and the imported model match predict', async ({ make, features }) => {
    await pc.setBackend(backend);
    pc.setSeed(11);
    const model = make();
    try {
      await expectExportMatchesPredict(model, (batch) => randomBatch(batch, features, 100 + batch), BATCHES, log, backend, { inputShape: [features] });
    } finally {
      model.dispose();
    }
  });
});
