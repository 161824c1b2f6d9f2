import { tidy } from '../engine/memory.js';
import { deserializeLayer, classNameOf, type LayerClass } from '../layers/registry.js';
import { withUnknownBatch, type SymbolicShape } from '../layers/symbolic-shape.js';
import type { ConfigDict } from '../layers/layer.js';
import { getLoss, type LossConfig } from '../losses/index.js';
import { resolveMetric, type Metric, type MetricConfig } from '../metrics/index.js';
import { Model } from '../models/model.js';
import { tensor } from '../ops/convert.js';
import { getOptimizer, type OptimizerSettings } from '../optimizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { toStore, type FileStore } from './file-store.js';
import { decodeWeights, encodeWeights, type DecodedWeight, type WeightsManifest } from './weights-codec.js';

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';
const WEIGHTS_MAGIC = 'PCWT';

/** What model.json holds. */
interface ModelJson {
  format: 'perceptron-model';
  formatVersion: 1;
  className: string;
  config: ConfigDict;
  /** The input shape the weights were built for (batch null); null when the model never ran. */
  buildInputShape: SymbolicShape | null;
  compileConfig: CompileConfig | null;
  weights: { path: string; manifest: WeightsManifest };
}

/** A loss or metric as saved: its class and its settings (name included). */
interface SavedObject {
  className: string;
  config: LossConfig & MetricConfig;
}

interface CompileConfig {
  optimizer: { className: string; config: OptimizerSettings };
  loss: SavedObject;
  /** Files written before metrics kept their settings hold only their names. */
  metrics: (SavedObject | string)[];
  /** Absent in files written before weighted metrics existed. */
  weightedMetrics?: SavedObject[];
}

export interface LoadModelOptions {
  /** Compile the model as it was saved, optimizer state included. Default true. */
  compile?: boolean;
}

/** Model weights then optimizer state, named, as the weights file stores them. */
async function encodeModelWeights(model: Model): Promise<{ manifest: WeightsManifest; data: Uint8Array }> {
  const optimizerWeights = model.optimizer && model.optimizer.iterations > 0 ? model.optimizer.getWeights() : [];
  try {
    return await encodeWeights({
      model: model.weights.map((w) => ({ name: w.name, tensor: w })),
      optimizer: optimizerWeights.map((t, i) => ({ name: i === 0 ? 'optimizer/iterations' : `optimizer/slot_${i - 1}`, tensor: t })),
    });
  } finally {
    for (const t of optimizerWeights) t.dispose();
  }
}

function compileConfigOf(model: Model): CompileConfig | null {
  const { optimizer, loss } = model;
  if (!optimizer || !loss) return null;
  return {
    optimizer: { className: optimizer.className, config: optimizer.getConfig() },
    loss: { className: loss.constructor.name, config: loss.getConfig() },
    metrics: model.compiledMetrics.map(savedMetric),
    weightedMetrics: model.compiledWeightedMetrics.map(savedMetric),
  };
}

function savedMetric(metric: Metric): SavedObject {
  return { className: metric.constructor.name, config: metric.getConfig() };
}

/** Writes `model.json` (architecture, compile settings, weight manifest) and `weights.bin`. */
export async function saveModel(model: Model, location: string | FileStore): Promise<void> {
  const store = toStore('save', location);
  const { manifest, data } = await encodeModelWeights(model);
  const json: ModelJson = {
    format: 'perceptron-model',
    formatVersion: 1,
    className: classNameOf(model.constructor as LayerClass),
    config: model.getConfig(),
    buildInputShape: model.buildInputShape ? withUnknownBatch(model.buildInputShape) : null,
    compileConfig: compileConfigOf(model),
    weights: { path: WEIGHTS_FILE, manifest },
  };
  // Weights first: a model.json always names a complete weights file (its checksum says which).
  await store.write(WEIGHTS_FILE, data);
  await store.write(MODEL_FILE, new TextEncoder().encode(JSON.stringify(json, null, 2)));
}

/** Rebuilds a model saved by `model.save`: its class must be registered (`registerClass`). */
export async function loadModel(location: string | FileStore, options: LoadModelOptions = {}): Promise<Model> {
  const store = toStore('loadModel', location);
  const json = parseJson<ModelJson>(await store.read(MODEL_FILE), `${store.location}/${MODEL_FILE}`);
  if (json.format !== 'perceptron-model' || typeof json.className !== 'string') {
    throw new Error(`loadModel: '${store.location}/${MODEL_FILE}' is not a Perceptron model file (format ${JSON.stringify(json.format)})`);
  }
  const model = deserializeLayer({ className: json.className, config: json.config });
  if (!(model instanceof Model)) throw new Error(`loadModel: class '${json.className}' in '${store.location}/${MODEL_FILE}' is a layer, not a Model`);
  try {
    if (!model.built && json.buildInputShape) model.buildFromShape(json.buildInputShape);
    if ((options.compile ?? true) && json.compileConfig) compileFromConfig(model, json.compileConfig, `${store.location}/${MODEL_FILE}`);
    const file = `${store.location}/${json.weights.path}`;
    await applyWeights(model, await decodeWeights(json.weights.manifest, await store.read(json.weights.path), file), file);
  } catch (error) {
    model.dispose();
    model.optimizer?.dispose();
    throw error;
  }
  return model;
}

function compileFromConfig(model: Model, config: CompileConfig, file: string): void {
  model.compile({
    optimizer: getOptimizer(config.optimizer),
    loss: restore('loss', () => getLoss(config.loss), config.loss, file),
    metrics: config.metrics.map((saved) => restore('metric', () => resolveMetric(saved), saved, file)),
    weightedMetrics: (config.weightedMetrics ?? []).map((saved) => restore('metric', () => resolveMetric(saved), saved, file)),
  });
}

/** Rebuilds a saved loss or metric; a class the registry does not know (a user's own) is an error saying how to load anyway. */
function restore<T>(kind: string, build: () => T, saved: SavedObject | string, file: string): T {
  try {
    return build();
  } catch (error) {
    throw new Error(
      `loadModel: cannot restore the ${kind} ${JSON.stringify(saved)} saved in '${file}' (${(error as Error).message}); load with {compile: false} and compile the model yourself`,
      { cause: error },
    );
  }
}

/** Writes the weights and optimizer state to one file: 'PCWT', header length, JSON header, data. */
export async function saveModelWeights(model: Model, location: string | FileStore): Promise<void> {
  const [store, name] = fileLocation('saveWeights', location);
  const { manifest, data } = await encodeModelWeights(model);
  const header = new TextEncoder().encode(JSON.stringify({ format: 'perceptron-weights', formatVersion: 1, manifest }));
  const file = new Uint8Array(8 + header.byteLength + data.byteLength);
  file.set(new TextEncoder().encode(WEIGHTS_MAGIC), 0);
  new DataView(file.buffer).setUint32(4, header.byteLength, true);
  file.set(header, 8);
  file.set(data, 8 + header.byteLength);
  await store.write(name, file);
}

/** Reads a `saveWeights` file into the model; nothing is assigned unless everything matches. */
export async function loadModelWeights(model: Model, location: string | FileStore): Promise<void> {
  const [store, name] = fileLocation('loadWeights', location);
  const file = `${store.location}/${name}`;
  const bytes = await store.read(name);
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  if (bytes.byteLength < 8 || magic !== WEIGHTS_MAGIC) throw new Error(`loadWeights: '${file}' is not a Perceptron weights file (it does not start with '${WEIGHTS_MAGIC}')`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
  if (8 + headerLength > bytes.byteLength) throw new Error(`loadWeights: '${file}' is truncated: its header needs ${headerLength} bytes, ${bytes.byteLength - 8} remain`);
  const header = parseJson<{ manifest: WeightsManifest }>(bytes.subarray(8, 8 + headerLength), file);
  await applyWeights(model, await decodeWeights(header.manifest, bytes.subarray(8 + headerLength), file), file);
}

/**
 * Assigns decoded weights to the model (and optimizer) after checking every one against the
 * variable it replaces, so a mismatch leaves the model exactly as it was.
 */
async function applyWeights(model: Model, decoded: Record<string, DecodedWeight[]>, file: string): Promise<void> {
  const variables = model.weights;
  const saved = decoded['model'] ?? [];
  if (saved.length !== variables.length) {
    throw new Error(`load: '${file}' holds ${saved.length} weights but model '${model.name}' has ${variables.length}${variables.length === 0 ? ' (build it first: call it on data once)' : ''}`);
  }
  variables.forEach((v, i) => checkMatch(v.name, v, saved[i]!, file));

  const optimizer = model.optimizer;
  const slots = decoded['optimizer'] ?? [];
  const restoreOptimizer = optimizer !== null && slots.length > 0;
  if (restoreOptimizer) {
    optimizer.build(model.trainableWeights);
    const current = optimizer.getWeights();
    try {
      if (current.length !== slots.length) throw new Error(`load: '${file}' holds ${slots.length} optimizer weights but ${optimizer.name} has ${current.length} for model '${model.name}'`);
      current.forEach((t, i) => checkMatch(slots[i]!.entry.name, t, slots[i]!, file));
    } finally {
      for (const t of current) t.dispose();
    }
  }

  const toTensor = ({ entry, values }: DecodedWeight): Tensor => tensor(values, entry.shape, entry.dtype);
  tidy(() => {
    variables.forEach((v: Variable, i) => v.assign(toTensor(saved[i]!)));
    if (restoreOptimizer) optimizer.setWeights(slots.map(toTensor));
  });
}

function checkMatch(name: string, target: Tensor, saved: DecodedWeight, file: string): void {
  if (!shapesEqual(target.shape, saved.entry.shape) || target.dtype !== saved.entry.dtype) {
    throw new Error(`load: weight '${name}' is ${target.dtype} ${formatShape(target.shape)} but '${file}' has ${saved.entry.dtype} ${formatShape(saved.entry.shape)} (saved as '${saved.entry.name}')`);
  }
}

/** A file path as (store of its folder, file name); a FileStore gets a fixed name. */
function fileLocation(caller: string, location: string | FileStore): [FileStore, string] {
  if (typeof location !== 'string') return [toStore(caller, location), 'model.weights.bin'];
  const cut = Math.max(location.lastIndexOf('/'), location.lastIndexOf('\\'));
  const name = location.slice(cut + 1);
  if (!name) throw new Error(`${caller}: expected a file path, got the folder '${location}'`);
  return [toStore(caller, cut < 0 ? '.' : location.slice(0, cut) || '/'), name];
}

function parseJson<T>(bytes: Uint8Array, file: string): T {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch (error) {
    throw new Error(`load: '${file}' is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}
