import { writeFileAtomic, type Layer } from '@perceptron/core';
import { exportOnnx, type ExportOnnxOptions } from './export-onnx.js';

/**
 * Exports `model` (see `exportOnnx`) and writes it to `path` atomically (core's
 * `writeFileAtomic`: a temporary file, then a rename), so a reader never sees half a model.
 */
export async function saveOnnx(model: Layer, path: string, options: ExportOnnxOptions = {}): Promise<void> {
  const bytes = exportOnnx(model, options);
  try {
    await writeFileAtomic(path, bytes);
  } catch (error) {
    throw new Error(`saveOnnx: ${(error as Error).message}`, { cause: error });
  }
}
