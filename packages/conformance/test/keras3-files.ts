// The converter's files (model.json and one float32 weights shard) of a Keras 3 functional model,
// as the tests that read Keras 3 descriptions write them: inputs, then layers, each reading the
// layer before it unless told otherwise.
import * as pc from '@perceptron/core';
import { encode } from './tfjs-saved-model.js';

/** Keras 3's float32 dtype policy, as a layer's config records it. */
export const FLOAT32_POLICY = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' } };

/** A tensor a layer reads, as Keras records it: the layer that made it, its shape (batch first) and dtype. */
export interface KerasTensor {
  layer: string;
  shape: readonly (number | null)[];
  dtype?: string;
}

export interface KerasLayer {
  className: string;
  name: string;
  /** The config beyond name, trainable and the float32 policy, which are filled in (and may be overridden). */
  config: Record<string, unknown>;
  /** What it reads (several: one call on a list); default the layer before it, with the first input's shape. */
  reads?: readonly KerasTensor[];
  /** Records Keras's build_config, the shape of the first tensor read. */
  built?: boolean;
}

export interface KerasModel {
  /** Name, shape without the batch, dtype (default float32). */
  inputs: readonly { name: string; shape: readonly (number | null)[]; dtype?: string }[];
  layers: readonly KerasLayer[];
  /** The layers whose outputs are the model's; default the last. */
  outputs?: readonly string[];
  /** In order of the shard: each weight's Keras name ('dense/kernel:0'), shape and values. */
  weights?: readonly { name: string; shape: readonly number[]; values: readonly number[] }[];
}

const keras3Tensor = ({ layer, shape, dtype = 'float32' }: KerasTensor) => ({ class_name: '__keras_tensor__', config: { shape, dtype, keras_history: [layer, 0, 0] } });

/** The files `pc.loadLayersModel` reads for `model`. */
export function keras3Files(model: KerasModel): pc.FileStore {
  const [first] = model.inputs;
  const inputs = model.inputs.map(({ name, shape, dtype = 'float32' }) => ({
    module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, ...shape], dtype, sparse: false, name }, registered_name: null, name, inbound_nodes: [],
  }));
  const layers = model.layers.map((layer, i) => {
    const reads = layer.reads ?? [{ layer: i === 0 ? first!.name : model.layers[i - 1]!.name, shape: [null, ...first!.shape] }];
    const args = reads.length === 1 ? keras3Tensor(reads[0]!) : reads.map(keras3Tensor);
    return {
      module: 'keras.layers', class_name: layer.className, config: { name: layer.name, trainable: true, dtype: FLOAT32_POLICY, ...layer.config }, registered_name: null,
      ...(layer.built ? { build_config: { input_shape: reads[0]!.shape } } : {}), name: layer.name, inbound_nodes: [{ args: [args], kwargs: {} }],
    };
  });
  const outputs = model.outputs ?? [model.layers.at(-1)!.name];
  const description = {
    class_name: 'Functional',
    config: {
      name: 'functional', trainable: true, layers: [...inputs, ...layers],
      input_layers: model.inputs.map(({ name }) => [name, 0, 0]), output_layers: outputs.map((name) => [name, 0, 0]),
    },
  };
  const weights = model.weights ?? [];
  const store = pc.memoryStore();
  store.files.set('model.json', encode({
    format: 'layers-model', generatedBy: 'keras v3.6.0', convertedBy: 'TensorFlow.js Converter',
    modelTopology: { keras_version: '3.6.0', backend: 'tensorflow', model_config: description },
    weightsManifest: weights.length === 0 ? [] : [{ paths: ['group1-shard1of1.bin'], weights: weights.map(({ name, shape }) => ({ name, shape, dtype: 'float32' })) }],
  }));
  if (weights.length > 0) store.files.set('group1-shard1of1.bin', new Uint8Array(Float32Array.from(weights.flatMap((w) => w.values)).buffer));
  return store;
}
