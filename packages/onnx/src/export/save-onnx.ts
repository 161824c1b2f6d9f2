import type { Layer } from '@perceptron/core';
import { exportOnnx, type ExportOnnxOptions } from './export-onnx.js';

/**
 * Exports `model` (see `exportOnnx`) and writes it to `path` atomically: to a temporary file
 * next to it, then renamed, so a reader never sees half a model. node:fs is loaded here, not at
 * the top, so browser bundles of `exportOnnx` do not pull it in.
 */
export async function saveOnnx(model: Layer, path: string, options: ExportOnnxOptions = {}): Promise<void> {
  const bytes = exportOnnx(model, options);
  const { writeFile, rename, rm } = await import('node:fs/promises');
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new Error(`saveOnnx: cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
}
