// loadLayersModel reads models that TensorFlow.js saved (Keras's JSON and the weight shards):
// models built and saved here by tfjs-layers itself predict in Perceptron what they predict in
// tfjs-layers, on every backend; a hand-written Keras 3 description gives its closed form; and
// files Perceptron cannot read are errors naming the file and the problem.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as pc from '@perceptron/core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { encode, savedByTfjs } from './tfjs-saved-model.js';
import { draws } from './training-api-layer-checks.js';
import { MODEL_BACKENDS, TRAINING_TIMEOUT } from './training-api-model-support.js';

/** The parts of a converter's model.json the error cases edit. */
interface ModelFileJson {
  format: string;
  modelTopology?: { model_config: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } } };
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string; quantization?: unknown }[] }[];
}

interface Case {
  title: string;
  make(): tfl.LayersModel;
  /** The input's shape and values (token ids for an Embedding). */
  input: { shape: number[]; values: number[] };
}

// tfjs-layers' LSTM and GRU draw their recurrent kernels with Orthogonal, which needs tfjs's
// chained tensor methods (registered by the @tensorflow/tfjs bundle, not by tfjs-core): Glorot
// draws them here. Their gates keep tfjs's default hard sigmoid, Keras 2's 0.2x + 0.5.
const CASES: Case[] = [
  {
    title: 'a Sequential MLP (Dense with an L2 kernel regularizer, Dropout, Dense softmax)',
    make: () => tfl.sequential({ layers: [
      tfl.layers.dense({ inputShape: [4], units: 8, activation: 'relu', kernelRegularizer: tfl.regularizers.l2({ l2: 0.01 }) }),
      tfl.layers.dropout({ rate: 0.2 }),
      tfl.layers.dense({ units: 3, activation: 'softmax' }),
    ] }),
    input: { shape: [5, 4], values: draws(20, 1, -2, 2) },
  },
  {
    title: 'a CNN (Conv2D, MaxPooling2D, BatchNormalization, Flatten, Dense)',
    make: () => tfl.sequential({ layers: [
      tfl.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.batchNormalization({ movingMeanInitializer: tfl.initializers.constant({ value: 0.3 }), movingVarianceInitializer: tfl.initializers.constant({ value: 2 }) }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 3 }),
    ] }),
    input: { shape: [2, 8, 8, 1], values: draws(128, 2, 0, 1) },
  },
  {
    title: 'a functional graph (a Dense branch, Add, Concatenate, two outputs)',
    make: () => {
      const input = tfl.input({ shape: [6] });
      const hidden = tfl.layers.dense({ units: 6, activation: 'tanh' }).apply(input) as tfl.SymbolicTensor;
      const sum = tfl.layers.add().apply([input, hidden]) as tfl.SymbolicTensor;
      const joined = tfl.layers.concatenate().apply([sum, hidden]) as tfl.SymbolicTensor;
      const first = tfl.layers.dense({ units: 2 }).apply(joined) as tfl.SymbolicTensor;
      const second = tfl.layers.dense({ units: 1, activation: 'sigmoid' }).apply(hidden) as tfl.SymbolicTensor;
      return tfl.model({ inputs: input, outputs: [first, second] });
    },
    input: { shape: [3, 6], values: draws(18, 3, -1, 1) },
  },
  {
    title: 'a masked sequence reader (Embedding with maskZero and inputLength, LSTM sequences, GRU, Dense)',
    make: () => tfl.sequential({ layers: [
      tfl.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 5, maskZero: true, embeddingsInitializer: tfl.initializers.randomUniform({ minval: -1, maxval: 1 }) }),
      tfl.layers.lstm({ units: 3, returnSequences: true, recurrentInitializer: 'glorotUniform' }),
      tfl.layers.gru({ units: 2, recurrentInitializer: 'glorotUniform' }),
      tfl.layers.dense({ units: 2 }),
    ] }),
    input: { shape: [3, 5], values: [1, 2, 3, 0, 0, 4, 5, 6, 7, 8, 9, 0, 0, 0, 0] },
  },
];

/** A Sequential of `layers` read by `shape` inputs: the rest of the layers Perceptron shares with tfjs-layers, a few at a time. */
const sequentialCase = (title: string, layers: () => tfl.layers.Layer[], shape: number[]): Case => ({
  title, make: () => tfl.sequential({ layers: layers() }), input: { shape, values: draws(shape.reduce((a, b) => a * b, 1), shape.length + title.length, -2, 2) },
});

CASES.push(
  // tfjs refuses an ELU alpha other than 1; Keras 2 calls LeakyReLU's slope alpha.
  sequentialCase('Dense, LeakyReLU, ELU, ReLU (maxValue), Softmax, PReLU', () => [
    tfl.layers.dense({ inputShape: [4], units: 6 }), tfl.layers.leakyReLU({ alpha: 0.1 }), tfl.layers.elu(), tfl.layers.reLU({ maxValue: 0.5 }),
    tfl.layers.dense({ units: 5 }), tfl.layers.prelu({ alphaInitializer: tfl.initializers.constant({ value: 0.25 }) }), tfl.layers.softmax(),
  ], [3, 4]),
  sequentialCase('SimpleRNN, Bidirectional(LSTM), TimeDistributed(Dense)', () => [
    tfl.layers.simpleRNN({ inputShape: [5, 3], units: 4, returnSequences: true, recurrentInitializer: 'glorotUniform' }),
    tfl.layers.bidirectional({ layer: tfl.layers.lstm({ units: 2, returnSequences: true, recurrentInitializer: 'glorotUniform' }) as tfl.RNN, mergeMode: 'concat' }),
    tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 2 }) }),
  ], [2, 5, 3]),
  // Keras writes a 1-D window as a list of one.
  sequentialCase('Conv1D, MaxPooling1D, AveragePooling1D, GlobalAveragePooling1D', () => [
    tfl.layers.conv1d({ inputShape: [8, 3], filters: 4, kernelSize: 3, padding: 'same' }), tfl.layers.maxPooling1d({ poolSize: 2 }),
    tfl.layers.averagePooling1d({ poolSize: 2 }), tfl.layers.globalAveragePooling1d(),
  ], [2, 8, 3]),
  // tfjs leaves SeparableConv2D's depth_multiplier out of its config, so only 1 round-trips (through tfjs too).
  sequentialCase('SeparableConv2D, DepthwiseConv2D (its kernel Keras 2\'s depthwise_kernel), Conv2DTranspose', () => [
    tfl.layers.separableConv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 3 }), tfl.layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2 }),
    tfl.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }),
  ], [2, 6, 6, 2]),
  sequentialCase('UpSampling2D, ZeroPadding2D, Cropping2D, AveragePooling2D, GlobalMaxPooling2D', () => [
    tfl.layers.upSampling2d({ inputShape: [3, 3, 2], size: [2, 2] }), tfl.layers.zeroPadding2d({ padding: 1 }),
    tfl.layers.cropping2D({ cropping: [[1, 0], [0, 1]] }), tfl.layers.averagePooling2d({ poolSize: 2 }), tfl.layers.globalMaxPooling2d({}),
  ], [2, 3, 3, 2]),
  sequentialCase('Reshape, Permute, Flatten, RepeatVector, Masking, LayerNormalization', () => [
    tfl.layers.reshape({ inputShape: [6], targetShape: [2, 3] }), tfl.layers.permute({ dims: [2, 1] }), tfl.layers.flatten(),
    tfl.layers.repeatVector({ n: 2 }), tfl.layers.masking({ maskValue: 0 }), tfl.layers.layerNormalization({ epsilon: 0.01 }),
  ], [2, 6]),
);

/** Each case's files and tfjs-layers' own prediction, made once on tfjs-cpu. */
const saved = new Map<Case, { store: pc.FileStore; expected: number[][] }>();

beforeAll(async () => {
  await tf.setBackend('cpu');
  for (const c of CASES) {
    const model = c.make();
    const predicted = model.predict(tf.tensor(c.input.values, c.input.shape)) as tf.Tensor | tf.Tensor[];
    const expected = [predicted].flat().map((t) => Array.from(t.dataSync()));
    saved.set(c, { store: await savedByTfjs(model, c === CASES[1] ? 3 : 1), expected });
    tf.dispose(predicted);
    model.dispose();
  }
});

for (const backend of MODEL_BACKENDS) {
  describe(`loadLayersModel on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
    });

    it.each(CASES)('$title saved by tfjs-layers predicts what tfjs-layers predicts', async (c) => {
      const { store, expected } = saved.get(c)!;
      const model = await pc.loadLayersModel(store);
      const dtype = c.title.includes('Embedding') ? 'int32' : 'float32';
      const x = pc.tensor(c.input.values, c.input.shape, dtype);
      const predicted = model.predict(x);
      const outputs = [predicted].flat();
      expect(outputs.map((t) => t.shape[0])).toEqual(expected.map(() => c.input.shape[0]));
      outputs.forEach((t, i) => expectClose(Array.from(t.dataSync()), expected[i]!, 1e-5, 1e-6));
      pc.dispose([x, ...outputs]);
      model.dispose();
    });

    it('the loaded MLP keeps its settings (the regularizer counts in the loss) and trains with fit', async () => {
      const model = await pc.loadLayersModel(saved.get(CASES[0]!)!.store);
      const dense = model.layers.find((l) => l instanceof pc.Dense)!;
      expect(dense.getConfig()).toMatchObject({ units: 8, activation: 'relu', useBias: true, kernelRegularizer: { className: 'L1L2', config: { l1: 0, l2: 0.01 } } });
      const x = pc.tensor(draws(32 * 4, 4, -2, 2), [32, 4]);
      const y = pc.tensor(Array.from({ length: 32 }, (_, i) => i % 3), [32], 'int32');
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy' });
      const losses = (await model.fit(x, y, { epochs: 8, batchSize: 8, verbose: 0 })).history.loss!;
      expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
      (model.optimizer as pc.Optimizer).dispose();
      pc.dispose([x, y]);
      model.dispose();
    }, TRAINING_TIMEOUT);
  });
}

describe('loadLayersModel', () => {
  beforeEach(async () => {
    await pc.setBackend('naive');
  });

  /** A Keras 3 description, as its to_json writes it: batch_shape, a DTypePolicy, inbound_nodes as {args, kwargs}. */
  const keras3 = {
    class_name: 'Functional',
    config: {
      name: 'functional',
      trainable: true,
      layers: [
        { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 3], dtype: 'float32', sparse: false, optional: false, name: 'features' }, name: 'features', inbound_nodes: [] },
        {
          module: 'keras.layers', class_name: 'Dense', name: 'scores',
          config: {
            name: 'scores', trainable: true, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' } }, units: 2, activation: 'hard_sigmoid', use_bias: true,
            kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {} },
            kernel_regularizer: null, bias_regularizer: null, kernel_constraint: null, bias_constraint: null,
          },
          inbound_nodes: [{ args: [{ class_name: '__keras_tensor__', config: { shape: [null, 3], dtype: 'float32', keras_history: ['features', 0, 0] } }], kwargs: {} }],
        },
      ],
      input_layers: [['features', 0, 0]],
      output_layers: [['scores', 0, 0]],
    },
  };
  /** Keras 2's Sequential built without an Input: its input shape comes apart, as build_input_shape. */
  const keras2Sequential = {
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      layers: [{ class_name: 'Dense', config: { name: 'scores', trainable: true, dtype: 'float32', units: 2, activation: 'hard_sigmoid', use_bias: true, kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} }, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null } }],
      build_input_shape: [null, 3],
    },
  };
  const kernel = [0.5, -1, 2, 0.25, -0.75, 1.5];
  const bias = [0.1, -0.2];

  /** `keras3` in tensorflowjs_converter's layout (model_config, a weights manifest of `:0` names). */
  function converted(version: string, description: unknown = keras3, trainingConfig?: unknown): pc.FileStore & { files: Map<string, Uint8Array> } {
    const store = pc.memoryStore();
    store.files.set('model.json', encode({
      format: 'layers-model', generatedBy: `keras v${version}`, convertedBy: 'TensorFlow.js Converter',
      modelTopology: { keras_version: version, backend: 'tensorflow', model_config: description, ...(trainingConfig ? { training_config: trainingConfig } : {}) },
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [{ name: 'scores/kernel:0', shape: [3, 2], dtype: 'float32' }, { name: 'scores/bias:0', shape: [2], dtype: 'float32' }] }],
    }));
    store.files.set('group1-shard1of1.bin', new Uint8Array(Float32Array.from([...kernel, ...bias]).buffer));
    return store;
  }

  /** x·W + b in float64, through Keras 3's hard sigmoid relu6(z + 3) / 6 or Keras 2's clip(0.2z + 0.5, 0, 1). */
  function expected(x: number[][], keras2: boolean): number[] {
    return x.flatMap((row) => [0, 1].map((j) => {
      const z = row.reduce((s, v, i) => s + v * kernel[i * 2 + j]!, bias[j]!);
      return keras2 ? Math.min(1, Math.max(0, 0.2 * z + 0.5)) : Math.min(6, Math.max(0, z + 3)) / 6;
    }));
  }

  it("reads Keras 3's and Keras 2's descriptions from the converter's layout; a Keras 2 file's hard sigmoid is Keras 2's", async () => {
    const x = [[1, -2, 0.5], [-3, 4, 2], [0.25, 0.5, -1]];
    for (const [version, keras2, description] of [['3.3.3', false, keras3], ['2.15.0', true, keras3], ['2.15.0', true, keras2Sequential]] as const) {
      const model = await pc.loadLayersModel(converted(version, description));
      expect(model.layers.map((l) => l.name)).toEqual(description === keras3 ? ['features', 'scores'] : ['scores']);
      const input = pc.tensor(x);
      const output = model.predict(input) as pc.Tensor;
      expectClose(Array.from(output.dataSync()), expected(x, keras2), 1e-6, 1e-7);
      pc.dispose([input, output]);
      model.dispose();
    }
  });

  it('reads the files over HTTP from a urlStore, and names the URL it could not fetch', async () => {
    const files = (saved.get(CASES[0]!)!.store as ReturnType<typeof pc.memoryStore>).files;
    const server = createServer((request, response) => {
      const data = files.get(request.url!.replace('/models/mlp/', ''));
      response.writeHead(data ? 200 : 404).end(data);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/models/`;
    try {
      const model = await pc.loadLayersModel(pc.urlStore(`${base}mlp/`));
      const x = pc.tensor(CASES[0]!.input.values, CASES[0]!.input.shape);
      const output = model.predict(x) as pc.Tensor;
      expectClose(Array.from(output.dataSync()), saved.get(CASES[0]!)!.expected[0]!, 1e-5, 1e-6);
      pc.dispose([x, output]);
      model.dispose();
      await expect(pc.loadLayersModel(pc.urlStore(`${base}cnn/`))).rejects.toThrow(`load: could not fetch '${base}cnn/model.json': HTTP 404 Not Found`);
      await expect(pc.urlStore(base).write('model.json', new Uint8Array(1))).rejects.toThrow(`urlStore: '${base}model.json' cannot be written: a URL store is read-only`);
      expect(() => pc.urlStore(`${base}mlp`)).toThrow(`urlStore: expected the URL of a folder, ending in '/', got '${base}mlp'`);
    } finally {
      server.close();
    }
  });

  it("compiles a converted Keras 2 model with its training_config: Adam's settings, and the loss evaluate gives in float64", async () => {
    const trainingConfig = {
      loss: 'mean_squared_error', metrics: ['mae'], loss_weights: null, weighted_metrics: null, sample_weight_mode: null,
      optimizer_config: { class_name: 'Adam', config: { name: 'Adam', learning_rate: 0.002, decay: 0.0, beta_1: 0.8, beta_2: 0.99, epsilon: 1e-7, amsgrad: false } },
    };
    const model = await pc.loadLayersModel(converted('2.15.0', keras2Sequential, trainingConfig));
    expect(model.optimizer!.getConfig()).toMatchObject({ learningRate: 0.002, beta1: 0.8, beta2: 0.99, epsilon: 1e-7, amsgrad: false });
    const x = [[1, -2, 0.5], [-3, 4, 2]];
    const y = [[0.25, 1], [0, 0.5]];
    const mse = expected(x, true).reduce((s, v, i) => s + (v - y.flat()[i]!) ** 2, 0) / 4;
    const [xs, ys] = [pc.tensor(x), pc.tensor(y)];
    const [loss] = await model.evaluate(xs, ys, { verbose: 0 });
    expect(loss).toBeCloseTo(mse, 6);
    pc.dispose([xs, ys]);
    model.dispose();

    const broken = converted('2.15.0', keras2Sequential, { ...trainingConfig, optimizer_config: { class_name: 'Nadamax', config: {} } });
    await expect(pc.loadLayersModel(broken)).rejects.toThrow("loadLayersModel: cannot compile the model with the training config in 'memory/model.json' (load it with compile: false to skip it): ");
    const uncompiled = await pc.loadLayersModel(broken, { compile: false });
    expect(uncompiled.optimizer).toBeNull();
    uncompiled.dispose();
  });

  it("takes a weight named with a cell's scope between the layer and the weight, as Keras 2 names an LSTM's ('lstm/lstm_cell/kernel')", async () => {
    const store = converted('2.15.0');
    const json = JSON.parse(new TextDecoder().decode(store.files.get('model.json')));
    json.weightsManifest[0].weights[0].name = 'scores/scores_cell/kernel:0';
    store.files.set('model.json', encode(json));
    const model = await pc.loadLayersModel(store);
    expect(Array.from(model.weights[0]!.dataSync())).toEqual(kernel);
    model.dispose();
  });

  it('a file Perceptron cannot read is an error naming the file and the problem, and leaves no tensor', async () => {
    const before = pc.memory().numTensors;
    const edited = (edit: (json: ModelFileJson, files: Map<string, Uint8Array>) => void) => {
      const store = converted('3.3.3');
      const json = JSON.parse(new TextDecoder().decode(store.files.get('model.json'))) as ModelFileJson;
      edit(json, store.files);
      store.files.set('model.json', encode(json));
      return store;
    };
    const dense = (json: ModelFileJson) => json.modelTopology!.model_config.config.layers[1]!;
    const cases: [pc.FileStore, string][] = [
      [edited((json) => void (json.format = 'graph-model')), "loadLayersModel: 'memory/model.json' is a 'graph-model' model; only layers models (format 'layers-model') have a Keras architecture"],
      [edited((json) => void delete json.modelTopology), "loadLayersModel: 'memory/model.json' holds no modelTopology: expected TensorFlow.js's layers-model format, got {\"format\":\"layers-model\""],
      [edited((json) => void (dense(json).class_name = 'Conv3D')), "loadLayersModel: cannot rebuild the model described in 'memory/model.json': "],
      [edited((json) => void (dense(json).config.kernel_constraint = { class_name: 'MaxNorm', config: { max_value: 2 } })), "loadLayersModel: cannot rebuild the model described in 'memory/model.json': modelTopology.config.layers[1].config: 'kernel_constraint' is set, but Perceptron has no weight constraints"],
      // Keras 3's low-rank adaptation is a setting Perceptron's Dense does not take.
      [edited((json) => void (dense(json).config.lora_rank = 4)), "loadLayersModel: cannot rebuild the model described in 'memory/model.json': Dense: unknown option 'loraRank'; expected one of units, activation,"],
      [edited((json) => void (json.weightsManifest[0].weights[1].name = 'other/bias:0')), "loadLayersModel: 'memory/model.json' has no weight for 'scores/bias' (float32 [2]); it has scores/kernel, other/bias"],
      [edited((json) => void (json.weightsManifest[0].weights[0].shape = [2, 3])), "loadLayersModel: 'memory/model.json' has 'scores/kernel:0' as float32 [2,3], but the rebuilt model's 'scores/kernel' is float32 [3,2]"],
      [edited((json) => void (json.weightsManifest[0].weights[0].quantization = { dtype: 'uint8', scale: 1, min: 0 })), "'scores/kernel:0' is quantized, which Perceptron cannot read"],
      [edited((json) => void (json.weightsManifest[0].weights[1].dtype = 'string')), "'scores/bias:0' is string; Perceptron reads float32 and int32 weights"],
      [edited((_, files) => void files.set('group1-shard1of1.bin', files.get('group1-shard1of1.bin')!.slice(0, 30))), "weightsManifest[0].weights[1]: 'scores/bias:0' float32 [2] needs bytes 24–32 of group 0, but its shards (group1-shard1of1.bin) hold 30"],
      [edited((_, files) => void files.delete('group1-shard1of1.bin')), "memory store: no file 'group1-shard1of1.bin'"],
      [edited((json) => void json.weightsManifest[0].weights.push({ name: 'extra:0', shape: [0], dtype: 'float32' })), "loadLayersModel: 'memory/model.json' has weights no layer of the rebuilt model takes: extra"],
    ];
    for (const [store, message] of cases) await expect(pc.loadLayersModel(store)).rejects.toThrow(message);
    expect(pc.memory().numTensors).toBe(before);
  });
});
