// Shared by the export tests: a model leaves as ONNX, and onnxruntime and the re-imported model
// give predict's outputs, every output of a model of several.
import * as pc from '@perceptron/core';
import { expect } from 'vitest';
import { exportOnnx, importOnnx, OnnxModel, type ExportOnnxOptions } from '../src/index.js';
import { maxRelativeDifference, randomBatch, type DifferenceLog } from './models.js';

const TOLERANCE = 1e-5;

/** One tensor or a list of them (a model's x, or its outputs) as a list. */
export function tensorList(value: pc.Tensor | readonly pc.Tensor[]): pc.Tensor[] {
  return value instanceof pc.Tensor ? [value] : [...value];
}

/**
 * Exports `model` and, for each batch size, compares onnxruntime's outputs and the re-imported
 * model's with `predict`'s on the input `inputOf(batch)` makes (a list of tensors for a model of
 * several inputs): as many outputs, each of predict's shape, within a relative difference of
 * 1e-5. The largest difference is recorded in `log` under `backend`. Frees what it made; the
 * model stays.
 */
export async function expectExportMatchesPredict(
  model: pc.Model, inputOf: (batch: number) => pc.Tensor | pc.Tensor[], batches: readonly number[],
  log: DifferenceLog, backend: string, options?: ExportOnnxOptions,
): Promise<void> {
  const bytes = exportOnnx(model, options);
  const session = await OnnxModel.load(bytes);
  const imported = importOnnx(bytes);
  try {
    for (const batch of batches) {
      const input = inputOf(batch);
      const expected = tensorList(model.predict(input));
      const fromRuntime = tensorList(await session.run(input));
      const fromImport = tensorList(imported.predict(input));
      expect([fromRuntime.length, fromImport.length]).toEqual([expected.length, expected.length]);
      expected.forEach((want, i) => {
        expect(fromRuntime[i]!.shape).toEqual(want.shape);
        expect(fromImport[i]!.shape).toEqual(want.shape);
        const runtimeDiff = maxRelativeDifference(fromRuntime[i]!.dataSync(), want.dataSync());
        const importDiff = maxRelativeDifference(fromImport[i]!.dataSync(), want.dataSync());
        log.record(backend, runtimeDiff, importDiff);
        expect(runtimeDiff).toBeLessThan(TOLERANCE);
        expect(importDiff).toBeLessThan(TOLERANCE);
      });
      pc.dispose([...tensorList(input), ...expected, ...fromRuntime, ...fromImport]);
    }
  } finally {
    await session.release();
    imported.dispose();
  }
}

/** A batch of `batch` samples of shape `sample`, from `randomBatch`'s seeded values. */
export function sampleBatch(sample: readonly number[], batch: number, seed: number): pc.Tensor {
  return pc.tidy(() => pc.reshape(randomBatch(batch, sample.reduce((a, b) => a * b, 1), seed), [batch, ...sample]));
}

/**
 * The model `make` gives, trained two epochs (Adam, mean squared error) on 32 samples of shape
 * `sample` towards `outputs` random targets, then held to `expectExportMatchesPredict` at batch
 * sizes 1 and 37, which the exporter did not trace; `inspect` may look at it first. Frees it all.
 */
export async function expectTrainedExportMatchesPredict(
  make: () => pc.Model, sample: readonly number[], outputs: number, log: DifferenceLog, backend: string,
  inspect: (model: pc.Model) => void = () => {},
): Promise<void> {
  const model = make();
  const [x, y] = [sampleBatch(sample, 32, 1), randomBatch(32, outputs, 2)];
  try {
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    inspect(model);
    await expectExportMatchesPredict(model, (batch) => sampleBatch(sample, batch, 100 + batch), [1, 37], log, backend);
  } finally {
    model.dispose();
    pc.dispose([x, y]);
  }
}
