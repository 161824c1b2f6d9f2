/**
 * onnxruntime-node on the model exported by @perceptron/onnx, when that package offers
 * `exportOnnx(model, {inputShape})` and `OnnxModel.load(bytes)` / `run(data, shape)`. Detected at
 * run time, so the benchmark runs whether or not the ONNX package is there. OnnxModel's session
 * uses one intra-op thread by default.
 */
import type { Images } from './driver.js';
import type { Missing, PredictMeasurement } from './results.js';
import { measurePredict } from './predict-bench.js';
import type { SampleOptions } from './timing.js';
import { PREDICT_BATCH, type ModelSpec } from './workloads.js';

/** The backend column of onnxruntime rows: its CPU execution provider with OnnxModel's default of one intra-op thread. */
export const ONNX_BACKEND = 'cpu, 1 thread';

interface OnnxSession {
  /** The typed-array form: no core tensor on either side, as a serving process would call it. */
  run(input: Float32Array, shape: readonly number[]): Promise<unknown>;
  release?(): unknown;
}

interface OnnxApi {
  exportOnnx(model: unknown, options: { inputShape: number[] }): Uint8Array | Promise<Uint8Array>;
  OnnxModel: { load(source: Uint8Array): OnnxSession | Promise<OnnxSession> };
}

/** The ONNX package's API, or why it cannot be used. */
export async function loadOnnxApi(): Promise<OnnxApi | string> {
  // A computed specifier keeps the type checker from requiring the package's sources to exist.
  const specifier = '@perceptron/onnx';
  let module: Partial<OnnxApi>;
  try {
    module = await import(specifier) as Partial<OnnxApi>;
  } catch (error) {
    return `${specifier} could not be loaded: ${(error as Error).message.split('\n')[0]}`;
  }
  if (typeof module.exportOnnx !== 'function') return `${specifier} does not export exportOnnx yet`;
  if (typeof module.OnnxModel?.load !== 'function') return `${specifier} does not export OnnxModel.load yet`;
  return module as OnnxApi;
}

/** Exports `model` (a Perceptron model of `spec`), loads it in onnxruntime and measures predict on `test`. */
export async function measureOnnxPredict(api: OnnxApi, model: unknown, spec: ModelSpec, test: Images, options: SampleOptions): Promise<PredictMeasurement | Missing> {
  let session: OnnxSession;
  try {
    session = await api.OnnxModel.load(await api.exportOnnx(model, { inputShape: [...spec.inputShape] }));
  } catch (error) {
    return { status: 'error', reason: `export or load failed: ${(error as Error).message.split('\n')[0]}` };
  }
  // Batches are views of the images (no copy), as for the other stacks' predict.
  const batches: { data: Float32Array; shape: number[] }[] = [];
  for (let start = 0; start < test.count; start += PREDICT_BATCH) {
    const rows = Math.min(PREDICT_BATCH, test.count - start);
    batches.push({ data: test.x.subarray(start * test.features, (start + rows) * test.features), shape: [rows, ...spec.inputShape] });
  }
  try {
    return await measurePredict({
      async run() {
        for (const batch of batches) await session.run(batch.data, batch.shape);
      },
    }, test.count, options);
  } finally {
    await session.release?.();
  }
}
