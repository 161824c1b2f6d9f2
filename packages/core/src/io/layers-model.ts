// TensorFlow.js's layers-model format, as tfjs-layers' model.save and tensorflowjs_converter
// (from a Keras model) write it: a model.json holding Keras's JSON description of the model and
// a manifest of the weights, which lie back to back in one or more binary shards beside it.
import { tidy } from '../engine/memory.js';
import type { Layer } from '../layers/layer.js';
import { classNameOf, deserializeLayer, type LayerClass } from '../layers/registry.js';
import { Model } from '../models/model.js';
import { tensor } from '../ops/convert.js';
import type { Variable } from '../tensor/variable.js';
import { formatShape, shapesEqual, sizeOf } from '../util/shape.js';
import { isPlainObject } from '../util/plain-object.js';
import { toStore, type FileStore } from './file-store.js';
import { describeJson, parseJson } from './json-file.js';
import { fromKerasJson } from './from-keras-json.js';
import { compileArgsFromTrainingConfig } from './keras-training-config.js';

export interface LoadLayersModelOptions {
  /** The model file's name in the folder or store. Default 'model.json'. */
  modelFile?: string;
  /** Compile the model with the training config the file holds, if any, as tfjs does. Default true. */
  compile?: boolean;
}

/** One weight of the manifest. */
interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

/** The weights' values, by their name in the file (without TensorFlow's ':0'). */
type WeightValues = Map<string, { spec: WeightSpec; values: Float32Array | Int32Array }>;

/**
 * Loads a model saved by TensorFlow.js (tfjs-layers' `model.save`) or converted from Keras by
 * tensorflowjs_converter: its architecture rebuilt from Keras's JSON and its weights read from
 * the shards. A file with a training config gives a compiled model (its optimizer, loss and
 * metrics), as tfjs's `loadLayersModel` does; the optimizer's saved state is not read (a warning
 * says so), so it starts afresh. Errors name the file and what in it was wrong or is not
 * supported (a layer Perceptron lacks, a weight constraint, quantized weights).
 */
export async function loadLayersModel(location: string | FileStore, options: LoadLayersModelOptions = {}): Promise<Model> {
  const store = toStore('loadLayersModel', location);
  const modelFile = options.modelFile ?? 'model.json';
  const file = `${store.location}/${modelFile}`;
  const json = parseJson(await store.read(modelFile), file);
  const fail = (problem: string): never => {
    throw new Error(`loadLayersModel: '${file}' ${problem}`);
  };
  if (!isPlainObject(json) || !isPlainObject(json.modelTopology)) return fail(`holds no modelTopology: expected TensorFlow.js's layers-model format, got ${describeJson(json)}`);
  const { modelTopology, weightsManifest, format } = json as { modelTopology: Record<string, unknown>; weightsManifest?: unknown; format?: unknown };
  if (format !== undefined && format !== 'layers-model') fail(`is a '${String(format)}' model; only layers models (format 'layers-model') have a Keras architecture`);
  // tfjs-layers writes the model alone; the converter wraps it in model_config.
  const described = isPlainObject(modelTopology.model_config) ? modelTopology.model_config : modelTopology;
  const kerasVersion = typeof modelTopology.keras_version === 'string' ? modelTopology.keras_version : undefined;

  const trainingConfig = json.trainingConfig ?? modelTopology.training_config;
  let model: Model;
  try {
    const layer = deserializeLayer(fromKerasJson(described, kerasVersion));
    if (!(layer instanceof Model)) {
      layer.dispose();
      throw new Error(`describes a ${layer.constructor.name} layer, not a model`);
    }
    model = layer;
  } catch (error) {
    throw new Error(`loadLayersModel: cannot rebuild the model described in '${file}': ${(error as Error).message}`, { cause: error });
  }
  try {
    if ((options.compile ?? true) && trainingConfig !== undefined && trainingConfig !== null) {
      try {
        model.compile(compileArgsFromTrainingConfig(trainingConfig, 'trainingConfig'));
        model.ownOptimizer();
      } catch (error) {
        throw new Error(`loadLayersModel: cannot compile the model with the training config in '${file}' (load it with compile: false to skip it): ${(error as Error).message}`, { cause: error });
      }
    }
    const values = await readWeights(store, weightsManifest, fail, file);
    assignWeights(model, values, fail);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

/** Every weight of the manifest, read from its group's shards (which hold the group's weights back to back). */
async function readWeights(store: FileStore, manifest: unknown, fail: (problem: string) => never, file: string): Promise<WeightValues> {
  if (!Array.isArray(manifest)) fail(`has no weightsManifest list, got ${describeJson(manifest)}`);
  const values: WeightValues = new Map();
  let optimizerWeights = 0;
  for (const [g, group] of (manifest as unknown[]).entries()) {
    if (!isPlainObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) fail(`weightsManifest[${g}]: expected {paths, weights}, got ${describeJson(group)}`);
    const { paths, weights } = group as { paths: unknown[]; weights: unknown[] };
    // tfjs writes the paths relative to model.json ('./model.weights.bin').
    const shards = await Promise.all(paths.map((path) => (typeof path === 'string' ? store.read(path.replace(/^\.\//, '')) : fail(`weightsManifest[${g}].paths: expected file names, got ${describeJson(path)}`))));
    const bytes = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
    shards.reduce((offset, shard) => (bytes.set(shard, offset), offset + shard.length), 0);
    let offset = 0;
    for (const [w, spec] of weights.entries()) {
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
      // tfjs's optimizer state lies in its own order (all first moments, then all second ones).
      if (weightGroup === 'optimizer') optimizerWeights++;
      else values.set(name.replace(/:0$/, ''), { spec: { name, shape, dtype }, values: dtype === 'float32' ? new Float32Array(buffer) : new Int32Array(buffer) });
      offset += length;
    }
    if (offset !== bytes.length) fail(`weightsManifest[${g}]: its weights take ${offset} bytes but its shards (${paths.join(', ')}) hold ${bytes.length}`);
  }
  if (optimizerWeights > 0) console.warn(`loadLayersModel: skipping the optimizer state in '${file}' (${optimizerWeights} weights): the model weights are loaded, and the optimizer starts afresh`);
  return values;
}

/**
 * The file's weight for each of the model's, by name: the same name; the name under the model's
 * layer that wraps it (TensorFlow.js names a Bidirectional's weights
 * 'bidirectional/forward_lstm/kernel', a TimeDistributed's 'time_distributed/kernel'); or else
 * the only one of that layer with the same last part (Keras 2 names an LSTM's kernel
 * 'lstm/lstm_cell/kernel', Perceptron 'lstm/kernel'). Keras 2 names a depthwise convolution's
 * kernel 'depthwise_kernel', Keras 3 and Perceptron 'kernel'. Every weight is checked before any
 * is assigned.
 */
function assignWeights(model: Model, values: WeightValues, fail: (problem: string) => never): void {
  const names = [...values.keys()];
  const unused = new Set(names);
  const pairs = model.layers.flatMap((layer) => layer.weights.map((weight): [Variable, Float32Array | Int32Array] => {
    const parts = weight.name.split('/');
    const depthwise = isDepthwiseConvolution(layer) && parts.length === 2 && parts[1] === 'kernel';
    const leaf = depthwise ? 'depthwise_kernel' : parts[parts.length - 1]!;
    const owners = [parts[0], layer.name];
    const sameLeaf = names.filter((name) => owners.includes(name.split('/')[0]) && name.endsWith(`/${leaf}`));
    const name = [weight.name, `${layer.name}/${weight.name}`, `${layer.name}/${leaf}`].find((candidate) => values.has(candidate))
      ?? (sameLeaf.length === 1 ? sameLeaf[0]! : fail(`has no weight for '${weight.name}' (${weight.dtype} ${formatShape(weight.shape)}); it has ${names.join(', ')}`));
    if (!unused.delete(name)) fail(`has one weight, '${name}', for two of the rebuilt model's`);
    const { spec, values: data } = values.get(name)!;
    if (!shapesEqual(spec.shape, weight.shape) || spec.dtype !== weight.dtype) {
      fail(`has '${spec.name}' as ${spec.dtype} ${formatShape(spec.shape)}, but the rebuilt model's '${weight.name}' is ${weight.dtype} ${formatShape(weight.shape)}`);
    }
    return [weight, data];
  }));
  if (unused.size > 0) fail(`has weights no layer of the rebuilt model takes: ${[...unused].join(', ')}`);
  tidy(() => {
    for (const [weight, data] of pairs) weight.assign(tensor(data, weight.shape, weight.dtype));
  });
}

/** Whether `layer` is a depthwise convolution, whose kernel Keras 2 names 'depthwise_kernel'. */
const isDepthwiseConvolution = (layer: Layer): boolean => ['DepthwiseConv1D', 'DepthwiseConv2D'].includes(classNameOf(layer.constructor as LayerClass));
