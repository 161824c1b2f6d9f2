import { deserializeLayer, classNameOf, type LayerClass } from '../layers/registry.js';
import { withUnknownBatch } from '../layers/symbolic-shape.js';
import { getLoss, Loss } from '../losses/index.js';
import { isPerOutput, mapPerOutput, type CompileArgs, type CompileSpec, type PerOutput } from '../models/compile.js';
import { resolveMetric, type Metric } from '../metrics/index.js';
import { Model } from '../models/model.js';
import { applyWeights } from './apply-weights.js';
import { writeCheckpoint } from './checkpoint-folder.js';
import { toStore, type FileStore } from './file-store.js';
import { MODEL_FILE, readModelJson, type CompileConfig, type ModelJson, type SavedObject } from './model-json.js';
import { decodeWeights, encodeWeights, type WeightsManifest } from './weights-codec.js';
import { packWeightsFile, unpackWeightsFile } from './weights-file.js';

export interface LoadModelOptions {
  /** Compile the model as it was saved, optimizer state included. Default true. */
  compile?: boolean;
}

/** Model weights then optimizer state, named, as the weights file stores them. */
async function encodeModelWeights(model: Model): Promise<{ manifest: WeightsManifest; data: Uint8Array }> {
  const optimizerWeights = model.optimizer?.hasState ? model.optimizer.getWeights() : [];
  try {
    return await encodeWeights({
      model: model.weights.map((w) => ({ name: w.name, tensor: w })),
      optimizer: optimizerWeights.map((t, i) => ({ name: i === 0 ? 'optimizer/iterations' : `optimizer/slot_${i - 1}`, tensor: t })),
    });
  } finally {
    for (const t of optimizerWeights) t.dispose();
  }
}

/** compile's arguments as compile can take them back, each loss and metric with its settings. */
function compileConfigOf(model: Model): CompileConfig | null {
  const spec = model.compileSpec;
  if (!spec) return null;
  const savedMetrics = (entries: CompileSpec['metrics']) => mapPerOutput(entries, (entry) => (entry === null ? null : Array.isArray(entry) ? entry.map(saved) : saved(entry as Metric)));
  return {
    optimizer: { className: spec.optimizer.className, config: spec.optimizer.getConfig() },
    loss: spec.loss instanceof Loss ? saved(spec.loss) : mapPerOutput(spec.loss, (loss) => loss && saved(loss)),
    ...(spec.lossWeights === undefined ? {} : { lossWeights: spec.lossWeights }),
    metrics: savedMetrics(spec.metrics),
    weightedMetrics: savedMetrics(spec.weightedMetrics),
    ...(spec.stepsPerExecution === 1 ? {} : { stepsPerExecution: spec.stepsPerExecution }),
  };
}

function saved(object: Loss | Metric): SavedObject {
  return { className: object.className, config: object.getConfig() };
}

/** Writes `model.json` (architecture, compile settings, weight manifest) and the weights file it names. */
export function saveModel(model: Model, location: string | FileStore): Promise<void> {
  // Everything is read before the first await: the checkpoint is the model as it is when save
  // is called, even if training goes on while the save waits for an earlier one to finish.
  let store: FileStore;
  let described: Omit<ModelJson, 'weights'>;
  let encoded: ReturnType<typeof encodeModelWeights>;
  try {
    store = toStore('save', location);
    described = {
      format: 'perceptron-model',
      formatVersion: 1,
      className: classNameOf(model.constructor as LayerClass),
      config: model.getConfig(),
      buildInputShape: model.buildInputShape ? withUnknownBatch(model.buildInputShape) : null,
      compileConfig: compileConfigOf(model),
    };
    encoded = encodeModelWeights(model);
  } catch (error) {
    return Promise.reject(error);
  }
  const weights = encoded.then(({ manifest, data }) => ({
    data,
    sha256: manifest.sha256,
    modelJson: (weightsFile: string) => new TextEncoder().encode(JSON.stringify({ ...described, weights: { path: weightsFile, manifest } } satisfies ModelJson, null, 2)),
  }));
  return writeCheckpoint(store, weights);
}

/** Rebuilds a model saved by `model.save`: its class must be registered (`registerClass`). */
export async function loadModel(location: string | FileStore, options: LoadModelOptions = {}): Promise<Model> {
  const store = toStore('loadModel', location);
  const file = `${store.location}/${MODEL_FILE}`;
  const json = readModelJson(await store.read(MODEL_FILE), file);
  const model = rebuild(() => deserializeLayer({ className: json.className, config: json.config }), file);
  if (!(model instanceof Model)) {
    model.dispose();
    throw new Error(`loadModel: class '${json.className}' in '${file}' is a layer, not a Model`);
  }
  try {
    if (!model.built && json.buildInputShape) rebuild(() => model.buildFromShape(json.buildInputShape!), file);
    if ((options.compile ?? true) && json.compileConfig) compileFromConfig(model, json.compileConfig, file);
    const weightsFile = `${store.location}/${json.weights.path}`;
    applyWeights(model, await decodeWeights(json.weights.manifest, await store.read(json.weights.path), weightsFile), weightsFile);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

/** Runs one step of rebuilding the saved architecture; its errors (an unregistered class, a bad config) name the file. */
function rebuild<T>(step: () => T, file: string): T {
  try {
    return step();
  } catch (error) {
    throw new Error(`loadModel: cannot rebuild the model saved in '${file}': ${(error as Error).message}`, { cause: error });
  }
}

function compileFromConfig(model: Model, config: CompileConfig, file: string): void {
  const loss = (saved: SavedObject) => restore('loss', () => getLoss(saved), saved, file);
  const metric = (saved: SavedObject | string) => restore('metric', () => resolveMetric(saved), saved, file);
  const metrics = (entries: CompileConfig['metrics']) => mapPerOutput(entries, (entry) => (entry === null ? null : Array.isArray(entry) ? entry.map(metric) : metric(entry)));
  const args: CompileArgs = {
    optimizer: config.optimizer,
    loss: isPerOutput(config.loss) ? mapPerOutput(config.loss as PerOutput<SavedObject | null>, (saved) => saved && loss(saved)) : loss(config.loss as SavedObject),
    ...(config.lossWeights === undefined ? {} : { lossWeights: config.lossWeights }),
    metrics: metrics(config.metrics),
    weightedMetrics: metrics(config.weightedMetrics ?? []),
    ...(config.stepsPerExecution === undefined ? {} : { stepsPerExecution: config.stepsPerExecution }),
  };
  try {
    model.compile(args);
  } catch (error) {
    throw new Error(`loadModel: cannot compile the model with the settings saved in '${file}' (load it with compile: false to skip them): ${(error as Error).message}`, { cause: error });
  }
}

/** Rebuilds a saved loss or metric; a class the registry does not know is an error saying how to load anyway. */
function restore<T>(kind: string, build: () => T, saved: unknown, file: string): T {
  try {
    return build();
  } catch (error) {
    throw new Error(
      `loadModel: cannot restore the ${kind} ${JSON.stringify(saved)} saved in '${file}' (${(error as Error).message}); register its class with registerSerializable, or load with {compile: false} and compile the model yourself`,
      { cause: error },
    );
  }
}

/** Writes the weights and optimizer state to one file (see `packWeightsFile`). */
export async function saveModelWeights(model: Model, location: string | FileStore): Promise<void> {
  const [store, name] = fileLocation('saveWeights', location);
  const { manifest, data } = await encodeModelWeights(model);
  await store.write(name, packWeightsFile(manifest, data));
}

/** Reads a `saveWeights` file into the model; nothing is assigned unless the model weights all match. */
export async function loadModelWeights(model: Model, location: string | FileStore): Promise<void> {
  const [store, name] = fileLocation('loadWeights', location);
  const file = `${store.location}/${name}`;
  const { manifest, data } = unpackWeightsFile(await store.read(name), file);
  applyWeights(model, await decodeWeights(manifest, data, file), file);
}

/** A file path as (store of its folder, file name); a FileStore gets a fixed name. */
function fileLocation(caller: string, location: string | FileStore): [FileStore, string] {
  if (typeof location !== 'string') return [toStore(caller, location), 'model.weights.bin'];
  const cut = Math.max(location.lastIndexOf('/'), location.lastIndexOf('\\'));
  const name = location.slice(cut + 1);
  if (!name) throw new Error(`${caller}: expected a file path, got the folder '${location}'`);
  return [toStore(caller, cut < 0 ? '.' : location.slice(0, cut) || '/'), name];
}
