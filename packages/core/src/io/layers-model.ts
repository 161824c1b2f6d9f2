// TensorFlow.js's layers-model format, as tfjs-layers' model.save and tensorflowjs_converter
// (from a Keras model) write it: a model.json holding Keras's JSON description of the model and
// a manifest of the weights, which lie back to back in one or more binary shards beside it.
import { tidy } from '../engine/memory.js';
import type { Layer } from '../layers/layer.js';
import { classNameOf, deserializeLayer, type LayerClass } from '../layers/registry.js';
import { Model } from '../models/model.js';
import { tensor } from '../ops/convert.js';
import type { Variable } from '../tensor/variable.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { isPlainObject } from '../util/plain-object.js';
import { toStore, type FileStore } from './file-store.js';
import { describeJson, parseJson } from './json-file.js';
import { fromKerasJson } from './from-keras-json.js';
import { compileArgsFromTrainingConfig } from './keras-training-config.js';
import { restoreTfjsOptimizerState } from './tfjs-optimizer-state.js';
import { readWeights, type WeightValues } from './tfjs-weights.js';

export interface LoadLayersModelOptions {
  /** The model file's name in the folder or store. Default 'model.json'. */
  modelFile?: string;
  /** Compile the model with the training config the file holds, if any, as tfjs does. Default true. */
  compile?: boolean;
}

/**
 * Loads a model saved by TensorFlow.js (tfjs-layers' `model.save`) or converted from Keras by
 * tensorflowjs_converter: its architecture rebuilt from Keras's JSON and its weights read from
 * the shards. A file with a training config gives a compiled model (its optimizer, loss and
 * metrics), as tfjs's `loadLayersModel` does, and the optimizer's state when tfjs-layers saved
 * it (`includeOptimizer`) for an optimizer whose state the two keep alike (SGD, Adam, RMSprop,
 * Adagrad, Adadelta); otherwise a warning says the optimizer starts afresh. Errors name the file
 * and what in it was wrong or is not supported (a layer Perceptron lacks, a weight constraint,
 * quantized weights).
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
    const compiled = (options.compile ?? true) && trainingConfig !== undefined && trainingConfig !== null;
    if (compiled) {
      try {
        model.compile(compileArgsFromTrainingConfig(trainingConfig, 'trainingConfig'));
      } catch (error) {
        throw new Error(`loadLayersModel: cannot compile the model with the training config in '${file}' (load it with compile: false to skip it): ${(error as Error).message}`, { cause: error });
      }
    }
    const weights = await readWeights(store, weightsManifest, fail);
    const fileNames = assignWeights(model, weights.model, fail);
    if (weights.optimizer.size > 0) {
      const optimizer = compiled ? model.optimizer! : null;
      const order = [...weights.model.keys()];
      const trainable = model.trainableWeights.map((variable) => [variable, fileNames.get(variable)!] as const).sort(([, a], [, b]) => order.indexOf(a) - order.indexOf(b));
      const skipped = optimizer ? restoreTfjsOptimizerState(optimizer, trainable, weights.optimizer, fail) : 'the model is not compiled from the file';
      if (skipped) console.warn(`loadLayersModel: skipping the optimizer state in '${file}' (${weights.optimizer.size} weights): ${skipped}; the optimizer starts afresh`);
    }
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

/**
 * The file's weight for each of the model's, by name: the same name; the name under the model's
 * layer that wraps it (TensorFlow.js names a Bidirectional's weights
 * 'bidirectional/forward_lstm/kernel', a TimeDistributed's 'time_distributed/kernel'); or else
 * the only one of that layer with the same last part (Keras 2 names an LSTM's kernel
 * 'lstm/lstm_cell/kernel', Perceptron 'lstm/kernel'), or else the only one of that layer ending
 * with the whole name (Keras 3 names a weight of a cell in an RNN's StackedRNNCells
 * 'rnn/stacked_rnn_cells/lstm_cell_1/kernel', Perceptron 'lstm_cell_1/kernel'). Keras 2 names a
 * depthwise convolution's kernel 'depthwise_kernel', Keras 3 and Perceptron 'kernel'. Every weight is checked before any
 * is assigned.
 */
function assignWeights(model: Model, values: WeightValues, fail: (problem: string) => never): Map<Variable, string> {
  const names = [...values.keys()];
  const unused = new Set(names);
  const pairs = model.layers.flatMap((layer) => layer.weights.map((weight): [Variable, string, Float32Array | Int32Array] => {
    const parts = weight.name.split('/');
    const depthwise = isDepthwiseConvolution(layer) && parts.length === 2 && parts[1] === 'kernel';
    const leaf = depthwise ? 'depthwise_kernel' : parts[parts.length - 1]!;
    const owners = [parts[0], layer.name];
    const sameLeaf = names.filter((name) => owners.includes(name.split('/')[0]) && name.endsWith(`/${leaf}`));
    const sameEnd = sameLeaf.filter((name) => name.endsWith(`/${weight.name}`));
    const name = [weight.name, `${layer.name}/${weight.name}`, `${layer.name}/${leaf}`].find((candidate) => values.has(candidate))
      ?? (sameLeaf.length === 1 ? sameLeaf[0]! : sameEnd.length === 1 ? sameEnd[0]! : fail(`has no weight for '${weight.name}' (${weight.dtype} ${formatShape(weight.shape)}); it has ${names.join(', ')}`));
    if (!unused.delete(name)) fail(`has one weight, '${name}', for two of the rebuilt model's`);
    const { spec, values: data } = values.get(name)!;
    if (!shapesEqual(spec.shape, weight.shape) || spec.dtype !== weight.dtype) {
      fail(`has '${spec.name}' as ${spec.dtype} ${formatShape(spec.shape)}, but the rebuilt model's '${weight.name}' is ${weight.dtype} ${formatShape(weight.shape)}`);
    }
    return [weight, name, data];
  }));
  if (unused.size > 0) fail(`has weights no layer of the rebuilt model takes: ${[...unused].join(', ')}`);
  tidy(() => {
    for (const [weight, , data] of pairs) weight.assign(tensor(data, weight.shape, weight.dtype));
  });
  return new Map(pairs.map(([weight, name]) => [weight, name]));
}

/** Whether `layer` is a depthwise convolution, whose kernel Keras 2 names 'depthwise_kernel'. */
const isDepthwiseConvolution = (layer: Layer): boolean => ['DepthwiseConv1D', 'DepthwiseConv2D'].includes(classNameOf(layer.constructor as LayerClass));
