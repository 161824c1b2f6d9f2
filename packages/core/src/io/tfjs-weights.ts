// The weights of TensorFlow.js's layers-model format: a manifest of groups, each naming its
// weights and the binary shards that hold them back to back. tfjs-layers' model.save with
// includeOptimizer adds the optimizer's state as the weights of group 'optimizer'.
import { formatShape, sizeOf } from '../util/shape.js';
import { isPlainObject } from '../util/plain-object.js';
import type { FileStore } from './file-store.js';
import { describeJson } from './json-file.js';

/** One weight of the manifest. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

/** A weight as read: its spec and values. */
export interface SavedWeight {
  spec: WeightSpec;
  values: Float32Array | Int32Array;
}

/** The weights, by their name in the file (without TensorFlow's ':0'). */
export type WeightValues = Map<string, SavedWeight>;

/** The model's weights, and the optimizer's state (empty when the file holds none). */
export interface FileWeights {
  model: WeightValues;
  optimizer: WeightValues;
}

/** Every weight of the manifest, read from its group's shards. */
export async function readWeights(store: FileStore, manifest: unknown, fail: (problem: string) => never): Promise<FileWeights> {
  if (!Array.isArray(manifest)) fail(`has no weightsManifest list, got ${describeJson(manifest)}`);
  const weights: FileWeights = { model: new Map(), optimizer: new Map() };
  for (const [g, group] of (manifest as unknown[]).entries()) {
    if (!isPlainObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) fail(`weightsManifest[${g}]: expected {paths, weights}, got ${describeJson(group)}`);
    const { paths, weights: specs } = group as { paths: unknown[]; weights: unknown[] };
    // tfjs writes the paths relative to model.json ('./model.weights.bin').
    const shards = await Promise.all(paths.map((path) => (typeof path === 'string' ? store.read(path.replace(/^\.\//, '')) : fail(`weightsManifest[${g}].paths: expected file names, got ${describeJson(path)}`))));
    const bytes = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
    shards.reduce((offset, shard) => (bytes.set(shard, offset), offset + shard.length), 0);
    let offset = 0;
    for (const [w, spec] of specs.entries()) {
      const at = `weightsManifest[${g}].weights[${w}]`;
      if (!isPlainObject(spec) || typeof spec.name !== 'string' || !Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
        fail(`${at}: expected {name, shape, dtype}, got ${describeJson(spec)}`);
      }
      const { name, shape, dtype, quantization, group: weightGroup } = spec as { name: string; shape: number[]; dtype: unknown; quantization?: unknown; group?: unknown };
      if (quantization !== undefined) fail(`${at}: '${name}' is quantized, which Perceptron cannot read; save the model without quantization`);
      if (dtype !== 'float32' && dtype !== 'int32') fail(`${at}: '${name}' is ${String(dtype)}; Perceptron reads float32 and int32 weights`);
      const length = sizeOf(shape) * 4;
      if (offset + length > bytes.length) fail(`${at}: '${name}' ${dtype} ${formatShape(shape)} needs bytes ${offset}–${offset + length} of group ${g}, but its shards (${paths.join(', ')}) hold ${bytes.length}`);
      // A copy: the shards' bytes need not be aligned for a typed array.
      const buffer = bytes.slice(offset, offset + length).buffer;
      const values = dtype === 'float32' ? new Float32Array(buffer) : new Int32Array(buffer);
      (weightGroup === 'optimizer' ? weights.optimizer : weights.model).set(name.replace(/:0$/, ''), { spec: { name, shape, dtype }, values });
      offset += length;
    }
    if (offset !== bytes.length) fail(`weightsManifest[${g}]: its weights take ${offset} bytes but its shards (${paths.join(', ')}) hold ${bytes.length}`);
  }
  return weights;
}
