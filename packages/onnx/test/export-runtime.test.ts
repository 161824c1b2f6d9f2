// onnxruntime-node runs each exported model of the table and agrees with predict on every
// backend, at batch sizes 1 and 37; the re-imported model agrees too.
import * as pc from '@perceptron/core';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx, importOnnx, OnnxModel } from '../src/index.js';
import { BACKENDS, DifferenceLog, maxRelativeDifference, MODEL_CASES, randomBatch, UNAVAILABLE } from './models.js';

const TOLERANCE = 1e-5;
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
    const bytes = exportOnnx(model, { inputShape: [features] });
    const session = await OnnxModel.load(bytes);
    const imported = importOnnx(bytes);
    try {
      for (const batch of BATCHES) {
        const x = randomBatch(batch, features, 100 + batch);
        const expected = model.predict(x) as pc.Tensor;
        const fromRuntime = await session.run(x);
        const fromImport = imported.predict(x);
        expect(fromRuntime.shape).toEqual(expected.shape);
        expect(fromImport.shape).toEqual(expected.shape);
        const want = expected.dataSync();
        const runtimeDiff = maxRelativeDifference(fromRuntime.dataSync(), want);
        const importDiff = maxRelativeDifference(fromImport.dataSync(), want);
        log.record(backend, runtimeDiff, importDiff);
        expect(runtimeDiff).toBeLessThan(TOLERANCE);
        expect(importDiff).toBeLessThan(TOLERANCE);
        pc.dispose([x, expected, fromRuntime, fromImport]);
      }
    } finally {
      await session.release();
      imported.dispose();
      model.dispose();
    }
  });
});

