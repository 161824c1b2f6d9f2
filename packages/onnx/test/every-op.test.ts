// A model running nearly every mapped op exports at several opsets, and onnxruntime and the
// imported model agree with predict on every backend, at batch sizes 1 and 37.
import * as pc from '@perceptron/core';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx, importOnnx, OnnxModel } from '../src/index.js';
import { BACKENDS, DifferenceLog, everyOpModel, maxRelativeDifference } from './models.js';

const log = new DifferenceLog('every-op model');
afterAll(() => log.print());

function batchOf(rows: number, seed: number): pc.Tensor {
  const g = new pc.RandomGenerator(seed);
  return pc.tensor(Float32Array.from({ length: rows * 12 }, () => 4 * g.nextFloat() - 2), [rows, 3, 4]);
}

describe.each(BACKENDS)('every mapped op on %s', (backend) => {
  it.each([13, 17, 18, 21])('opset %i: onnxruntime and the imported model match predict', async (opset) => {
    await pc.setBackend(backend);
    pc.setSeed(5);
    const model = everyOpModel();
    const bytes = exportOnnx(model, { opset });
    const session = await OnnxModel.load(bytes);
    const imported = importOnnx(bytes);
    for (const rows of [1, 37]) {
      const x = batchOf(rows, rows);
      const expected = model.predict(x) as pc.Tensor;
      const fromRuntime = await session.run(x);
      const fromImport = imported.predict(x);
      expect(fromRuntime.shape).toEqual([rows, 5]);
      const runtimeDiff = maxRelativeDifference(fromRuntime.dataSync(), expected.dataSync());
      const importDiff = maxRelativeDifference(fromImport.dataSync(), expected.dataSync());
      log.record(backend, runtimeDiff, importDiff);
      expect(runtimeDiff).toBeLessThan(1e-5);
      expect(importDiff).toBeLessThan(1e-5);
      pc.dispose([x, expected, fromRuntime, fromImport]);
    }
    await session.release();
    imported.dispose();
    model.dispose();
  });
});
