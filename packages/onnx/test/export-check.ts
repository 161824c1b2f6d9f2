// Shared by the export tests of the layer families (normalization, convolution, recurrent): a
// trained model leaves as ONNX, and onnxruntime and the re-imported model give predict's outputs.
import * as pc from '@perceptron/core';
import { expect } from 'vitest';
import { exportOnnx, importOnnx, OnnxModel, type ExportOnnxOptions } from '../src/index.js';
import { maxRelativeDifference, type DifferenceLog } from './models.js';

const TOLERANCE = 1e-5;

/**
 * Exports `model` and, for each batch size, compares onnxruntime's output and the re-imported
 * model's with `predict` on the input `inputOf(batch)` makes (relative difference below 1e-5),
 * recording the differences in `log` under `backend`. Frees what it made; the model stays.
 */
export async function expectExportMatchesPredict(
  model: pc.Model, inputOf: (batch: number) => pc.Tensor, batches: readonly number[],
  log: DifferenceLog, backend: string, options?: ExportOnnxOptions,
): Promise<void> {
  const bytes = exportOnnx(model, options);
  const session = await OnnxModel.load(bytes);
  const imported = importOnnx(bytes);
  try {
    for (const batch of batches) {
      const input = inputOf(batch);
      const expected = model.predict(input) as pc.Tensor;
      const fromRuntime = await session.run(input);
      const fromImport = imported.predict(input);
      const want = expected.dataSync();
      const runtimeDiff = maxRelativeDifference(fromRuntime.dataSync(), want);
      const importDiff = maxRelativeDifference(fromImport.dataSync(), want);
      log.record(backend, runtimeDiff, importDiff);
      expect(fromRuntime.shape).toEqual(expected.shape);
      expect(runtimeDiff).toBeLessThan(TOLERANCE);
      expect(importDiff).toBeLessThan(TOLERANCE);
      pc.dispose([input, expected, fromRuntime, fromImport]);
    }
  } finally {
    await session.release();
    imported.dispose();
  }
}
