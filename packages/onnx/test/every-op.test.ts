// A model running nearly every mapped op exports at several opsets, and onnxruntime and the
// imported model agree with predict on every backend, at batch sizes 1 and 37.
import * as pc from '@perceptron/core';
import { afterAll, describe, it } from 'vitest';
import { expectExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog, everyOpModel } from './models.js';

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
    try {
      await expectExportMatchesPredict(model, (rows) => batchOf(rows, rows), [1, 37], log, backend, { opset });
    } finally {
      model.dispose();
    }
  });
});
