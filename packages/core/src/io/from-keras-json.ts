// Keras's JSON description of a model, as TensorFlow.js writes it into a model.json (and as
// Keras 2's `model.to_json()` and tensorflowjs_converter write it): snake_case settings,
// `{class_name, config}` objects, and a functional graph's calls as `inbound_nodes`. Here it
// becomes Perceptron's own serialized form, which `deserializeLayer` rebuilds.
import type { ConfigDict } from '../layers/layer.js';
import type { SerializedLayer } from '../layers/registry.js';
import { isPlainObject } from '../util/plain-object.js';

/** Keras's (and TensorFlow.js's) class names where Perceptron's differ. */
const CLASS_NAMES: Record<string, string> = { Model: 'Functional', RMSProp: 'RMSprop' };

/**
 * Settings Perceptron has no counterpart for, left out when they hold the value that means
 * "as Perceptron does it anyway"; any other value stays, and the layer's fromConfig refuses it,
 * naming it. `implementation` and `use_cudnn` only choose how Keras computes a recurrent step.
 */
const IGNORED_AT: Record<string, (value: unknown) => boolean> = {
  implementation: () => true,
  use_cudnn: () => true,
  unroll: (v) => v === false,
  time_major: (v) => v === false,
  synchronized: (v) => v === false,
  sparse: (v) => v === false,
  ragged: (v) => v === false,
  // Keras 3.6's InputLayer: an input the model may be called without.
  optional: (v) => v === false,
  data_format: (v) => v === 'channels_last',
  // An optimizer's: how Keras compiles its step, Keras 2's learning-rate decay when off.
  jit_compile: () => true,
  is_legacy_optimizer: () => true,
  decay: (v) => v === 0,
};

/**
 * Settings where Keras's None is not the default but a choice of its own, kept as null: no
 * window, no floor under the decibels, no scaling of the window.
 */
const NULL_SETTINGS: Record<string, readonly string[]> = {
  MelSpectrogram: ['window', 'top_db'],
  STFTSpectrogram: ['window', 'scaling'],
};

/** The 1-D layers' window settings: Keras writes each as a list of one, Perceptron takes the number. */
const WINDOW_SETTINGS = ['kernelSize', 'strides', 'dilationRate', 'poolSize', 'size'];

const unwrapWindows = (config: ConfigDict): ConfigDict =>
  Object.fromEntries(Object.entries(config).map(([key, value]) => [key, WINDOW_SETTINGS.includes(key) && Array.isArray(value) && value.length === 1 ? value[0]! : value]));

/**
 * Settings of one class that Perceptron spells another way. Keras 2's Embedding takes the
 * sequence length as `input_length`: an input shape, which Perceptron's takes as such. Keras 2's
 * LeakyReLU calls its slope `alpha`, Keras 3's `negative_slope`. TensorFlow.js's RMSProp calls
 * its rho `decay`.
 */
const CLASS_SETTINGS: Record<string, (config: ConfigDict) => ConfigDict> = {
  LeakyReLU: ({ alpha, ...config }) => (alpha === undefined ? config : { ...config, negativeSlope: alpha }),
  RMSProp: ({ decay, ...config }) => (decay === undefined ? config : { ...config, rho: decay }),
  Embedding: ({ inputLength, ...config }) => (inputLength === undefined || config.batchInputShape !== undefined ? config : { ...config, batchInputShape: [null, inputLength] }),
  ...Object.fromEntries(['Conv1D', 'Conv1DTranspose', 'SeparableConv1D', 'DepthwiseConv1D', 'MaxPooling1D', 'AveragePooling1D', 'UpSampling1D'].map((name) => [name, unwrapWindows])),
};

/** `use_bias` → `useBias`. */
const camelCase = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A `{class_name, config}` object (an initializer, a regularizer, a layer). */
const isKerasObject = (v: unknown): v is { class_name: string; config?: unknown } => isPlainObject(v) && typeof v.class_name === 'string';

/** What converting a file depends on: where in it, and whether Keras 2 (or TensorFlow.js) wrote it. */
interface Context {
  path: string;
  /** Keras 2 and TensorFlow.js mean clip(0.2x + 0.5, 0, 1) by hard_sigmoid; Keras 3 (and Perceptron) relu6(x + 3) / 6. */
  keras2: boolean;
}

const at = (context: Context, step: string): Context => ({ ...context, path: `${context.path}${step}` });

/** An activation's name in Perceptron's spelling, Keras 2's hard sigmoid kept apart from Keras 3's. */
function convertActivation(name: string, context: Context): string {
  const camel = camelCase(name);
  return camel === 'hardSigmoid' && context.keras2 ? 'hardSigmoidKeras2' : camel;
}

/** One value of a setting: nested Keras objects become `{className, config}`; lists are converted item by item. */
function convertValue(value: unknown, context: Context): unknown {
  if (Array.isArray(value)) return value.map((v, i) => convertValue(v, at(context, `[${i}]`)));
  if (isKerasObject(value)) {
    // Keras 3 writes a layer's dtype as a policy object; its name is the dtype.
    if (value.class_name === 'DTypePolicy' && isPlainObject(value.config)) return value.config.name;
    return convertObject(value.class_name, value.config ?? {}, context);
  }
  return value;
}

/** A `{class_name, config}` object's class and settings in Perceptron's spelling. */
function convertObject(className: string, config: unknown, context: Context): { className: string; config: ConfigDict } {
  const converted = convertConfig(config, context, NULL_SETTINGS[className]);
  return { className: CLASS_NAMES[className] ?? className, config: CLASS_SETTINGS[className]?.(converted) ?? converted };
}

/**
 * A layer's (or an initializer's) settings with camelCase keys. Unset settings (null) are left
 * out, as Perceptron's defaults mean the same, but for `nullable` ones (NULL_SETTINGS), and so are
 * the ignorable ones of IGNORED_AT. A constraint is refused: Perceptron has none.
 */
function convertConfig(config: unknown, context: Context, nullable: readonly string[] = []): ConfigDict {
  if (!isPlainObject(config)) fail(`${context.path}: expected a config object, got ${JSON.stringify(config)}`);
  const converted: ConfigDict = {};
  for (const [key, value] of Object.entries(config)) {
    if ((value === null && !nullable.includes(key)) || IGNORED_AT[key]?.(value)) continue;
    if (key.endsWith('_constraint')) fail(`${context.path}: '${key}' is set, but Perceptron has no weight constraints`);
    // Keras 3 names an Input's shape batch_shape.
    const name = key === 'batch_shape' ? 'batchInputShape' : camelCase(key);
    // Integer inputs (an IntegerLookup's, an Embedding's) are often int64 in Keras; Perceptron
    // computes integers as int32, as TensorFlow.js does.
    if (key === 'dtype' && value === 'int64') {
      converted[name] = 'int32';
      continue;
    }
    converted[name] = (key.endsWith('activation') && typeof value === 'string' ? convertActivation(value, context) : convertValue(value, at(context, `.${key}`))) as ConfigDict[string];
  }
  return converted;
}

/** A tensor reference: `[layer, call, output]` (Keras 2 appends the call's keyword arguments). */
type KerasRef = [string, number, number, Record<string, unknown>?];

const isKerasRef = (v: unknown): v is KerasRef => Array.isArray(v) && typeof v[0] === 'string' && Number.isInteger(v[1]) && Number.isInteger(v[2]);

/** A Keras 3 tensor argument: `{class_name: '__keras_tensor__', config: {keras_history}}`. */
function historyOf(v: unknown): KerasRef | null {
  return isKerasObject(v) && v.class_name === '__keras_tensor__' && isPlainObject(v.config) && isKerasRef(v.config.keras_history) ? v.config.keras_history : null;
}

/** One call of a layer in a functional graph, in Perceptron's form: its inputs, whether they came as a list, its keyword arguments. */
function convertNode(node: unknown, context: Context): { inputs: [string, number, number][]; asList: boolean; kwargs: ConfigDict } {
  const { path } = context;
  // Keras 2 (and TensorFlow.js): a list of references, each with the call's kwargs.
  if (Array.isArray(node) && node.every(isKerasRef)) {
    const refs = node as KerasRef[];
    return { inputs: refs.map(([layer, call, output]) => [layer, call, output]), asList: refs.length > 1, kwargs: convertConfig(refs[0]?.[3] ?? {}, at(context, ' kwargs')) };
  }
  // Keras 3: {args: [tensor or list of tensors], kwargs}.
  if (isPlainObject(node) && Array.isArray(node.args)) {
    const first = node.args[0];
    const tensors = Array.isArray(first) ? first : [first];
    const inputs = tensors.map((t, i) => historyOf(t) ?? fail(`${path}.args[0]${Array.isArray(first) ? `[${i}]` : ''}: expected a Keras tensor, got ${JSON.stringify(t)}`));
    return { inputs: inputs.map(([layer, call, output]) => [layer, call, output]), asList: Array.isArray(first), kwargs: convertConfig(node.kwargs ?? {}, at(context, '.kwargs')) };
  }
  return fail(`${path}: expected a list of [layer, call, output, kwargs] references or {args, kwargs}, got ${JSON.stringify(node)}`);
}

function fail(message: string): never {
  throw new Error(message);
}

/** Keras's `[layer, call, output]` list of a functional model's inputs or outputs. */
function convertRefs(refs: unknown, path: string): [string, number, number][] {
  if (!Array.isArray(refs) || !refs.every(isKerasRef)) fail(`${path}: expected a list of [layer, call, output], got ${JSON.stringify(refs)}`);
  return (refs as KerasRef[]).map(([layer, call, output]) => [layer, call, output]);
}

/** A layer or model of the file, its graph (for a Sequential or functional model) converted layer by layer. */
function convertLayer(described: unknown, context: Context): SerializedLayer {
  const { path } = context;
  if (!isKerasObject(described)) fail(`${path}: expected {class_name, config}, got ${JSON.stringify(described)}`);
  const className = CLASS_NAMES[described.class_name] ?? described.class_name;
  const raw = described.config;
  if (!isPlainObject(raw)) fail(`${path}.config: expected an object, got ${JSON.stringify(raw)}`);
  if (className !== 'Sequential' && className !== 'Functional') return convertObject(described.class_name, raw, at(context, '.config'));
  // Keras 2 gives a Sequential built without an Input its input shape apart.
  const { layers, input_layers: inputs, output_layers: outputs, build_input_shape: buildInputShape, ...rest } = raw;
  if (!Array.isArray(layers)) fail(`${path}.config.layers: expected a list of layers, got ${JSON.stringify(layers)}`);
  const config = convertConfig(rest, at(context, '.config'));
  const converted = layers.map((layer, i) => {
    const inner = at(context, `.config.layers[${i}]`);
    const serialized = convertLayer(layer, inner);
    if (className === 'Sequential') return serialized;
    const nodes = (layer as { inbound_nodes?: unknown }).inbound_nodes ?? [];
    if (!Array.isArray(nodes)) fail(`${inner.path}.inbound_nodes: expected a list, got ${JSON.stringify(nodes)}`);
    return { ...serialized, inboundNodes: nodes.map((node, n) => convertNode(node, at(inner, `.inbound_nodes[${n}]`))) };
  });
  if (className === 'Sequential') {
    const first = converted[0];
    if (Array.isArray(buildInputShape) && first && first.className !== 'InputLayer' && first.config.batchInputShape === undefined) {
      converted[0] = { ...first, config: { ...first.config, batchInputShape: buildInputShape } };
    }
    return { className, config: { ...config, layers: converted } as ConfigDict };
  }
  return {
    className,
    config: { ...config, layers: converted, inputLayers: convertRefs(inputs, `${path}.config.input_layers`), outputLayers: convertRefs(outputs, `${path}.config.output_layers`) } as ConfigDict,
  };
}

/** A Keras `{class_name, config}` object other than a layer (an optimizer, a loss) as Perceptron's `{className, config}`. */
export function fromKerasObject(described: unknown, path: string): unknown {
  return convertValue(described, { path, keras2: false });
}

/**
 * A model described in Keras's JSON, as Perceptron's `{className, config}`: settings in
 * camelCase; a Sequential's layers and a functional graph's layers converted one by one, the
 * graph's `inbound_nodes` and `input_layers` / `output_layers` in Perceptron's form.
 * `kerasVersion` is the file's: Keras 2 and TensorFlow.js mean another hard sigmoid than Keras 3.
 * Errors name the place in the file.
 */
export function fromKerasJson(described: unknown, kerasVersion: string | undefined): SerializedLayer {
  return convertLayer(described, { path: 'modelTopology', keras2: !kerasVersion?.startsWith('3.') });
}
