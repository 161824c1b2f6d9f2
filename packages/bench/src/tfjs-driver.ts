/**
 * TensorFlow.js as its users write it: tfjs-layers' `tf.sequential` + `dense` / `lstm` /
 * convolutions, `compile`, `model.fit` on tensors with batchSize and shuffle, `model.predict`;
 * and tfjs-core's ops directly for the op timings.
 */
import { setBackend } from '@perceptron/core';
import * as tf from '@tensorflow/tfjs-core';
// Register tfjs's kernels at once (our backend package loads these only when activated), so that
// cannotBuild can ask before then which kernels a workload's training lacks on each. In Node,
// tfjs-backend-webgl registers only its kernels (its backend needs a browser), which is harmless.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgl';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  readAndDispose, shapeFor, type Driver, type Images, type MatMulShape, type ModelUse, type PreparedOp, type Predictor, type Trainer,
} from './driver.js';
import { operandShapes, operandValues } from './operands.js';
import { registerChainedOpsForLayers } from './tfjs-chained-ops.js';
import { LOSS, LSTM_ACTIVATIONS, METRICS, PREDICT_BATCH, activationOf, type ModelSpec } from './workloads.js';

/** tfjs's own name for each of our tfjs backends (tfjs-webgl is available only in a browser). */
const TF_NAMES: Record<string, string> = { 'tfjs-cpu': 'cpu', 'tfjs-wasm': 'wasm', 'tfjs-webgl': 'webgl' };

/** The tfjs backends this driver can run on (our backend names). */
export const TFJS_BACKENDS = Object.keys(TF_NAMES);

function layersOf(spec: ModelSpec): tfl.layers.Layer[] {
  const inputShape = [...spec.inputShape];
  switch (spec.kind) {
    case 'mlp':
      return spec.units.map((units, i) => tfl.layers.dense({ units, activation: activationOf(spec, i), ...(i === 0 ? { inputShape } : {}) }));
    case 'lstm':
      return [
        tfl.layers.lstm({ units: spec.lstmUnits, ...LSTM_ACTIVATIONS, inputShape }),
        tfl.layers.dense({ units: spec.classes, activation: 'softmax' }),
      ];
    case 'cnn':
      return [
        tfl.layers.conv2d({ filters: spec.convFilters, kernelSize: 3, activation: 'relu', inputShape }),
        ...spec.separableFilters.flatMap((filters) => [
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.separableConv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu' }),
        ]),
        tfl.layers.globalAveragePooling2d({}),
        tfl.layers.dense({ units: spec.classes, activation: 'softmax' }),
      ];
  }
}

function buildModel(spec: ModelSpec): tfl.Sequential {
  const model = tfl.sequential({ layers: layersOf(spec) });
  model.compile({ optimizer: tf.train.adam(spec.learningRate), loss: LOSS, metrics: [...METRICS] });
  return model;
}

/** The tfjs kernels training needs beyond every backend's: the convolutions' filter and input gradients. */
const TRAINING_KERNELS: Partial<Record<ModelSpec['kind'], readonly string[]>> = {
  cnn: [tf.Conv2DBackpropFilter, tf.DepthwiseConv2dNativeBackpropInput, tf.DepthwiseConv2dNativeBackpropFilter],
};

function disposeModel(model: tfl.Sequential): void {
  model.optimizer?.dispose();
  model.dispose();
}

export class TfjsDriver implements Driver {
  readonly stack = 'tfjs' as const;
  readonly #tfName: string;

  constructor(readonly backend: string) {
    const tfName = TF_NAMES[backend];
    if (tfName === undefined) throw new Error(`TfjsDriver: no tfjs backend for '${backend}'; expected one of ${TFJS_BACKENDS.join(', ')}`);
    this.#tfName = tfName;
  }

  async activate(): Promise<void> {
    // Our backend package loads tfjs's backend (and finds tfjs-wasm's .wasm files); tfjs-layers
    // then runs on the same tfjs engine, switched to that backend.
    await setBackend(this.backend);
    if (!(await tf.setBackend(this.#tfName))) throw new Error(`tf.setBackend('${this.#tfName}') failed; tfjs logged the cause above`);
    registerChainedOpsForLayers();
  }

  /**
   * Every workload is a Keras model that tfjs-layers builds from its own layers and predicts with
   * on every backend, but it trains only where tfjs registers every kernel its gradients run:
   * tfjs-wasm 4.22 has no convolution gradients but the input's of Conv2D (Perceptron composes
   * the others from its primitives).
   */
  cannotBuild(spec: ModelSpec, use: ModelUse): string | null {
    if (use === 'predict') return null;
    const missing = (TRAINING_KERNELS[spec.kind] ?? []).filter((kernel) => tf.getKernel(kernel, this.#tfName) === undefined);
    if (missing.length === 0) return null;
    return `tfjs-layers cannot train the ${spec.kind.toUpperCase()} on ${this.backend}: tfjs registers no ${missing.join(', ')} kernel${missing.length > 1 ? 's' : ''} there`;
  }

  async trainer(spec: ModelSpec, train: Images): Promise<Trainer> {
    const model = buildModel(spec);
    const x = tf.tensor(train.x, shapeFor(spec, train), 'float32');
    const y = tf.tensor1d(Float32Array.from(train.y), 'float32');
    return {
      async fit(epochs, hooks) {
        // No onBatchEnd: tfjs-layers would then read the batch logs back every step, which a
        // plain `fit` does not do; the memory sampler's timer runs when fit yields instead.
        await model.fit(x, y, {
          epochs, batchSize: spec.batchSize, shuffle: true, verbose: 0,
          callbacks: {
            onEpochBegin: async (epoch) => hooks.onEpochBegin(epoch),
            onEpochEnd: async (epoch, logs) => hooks.onEpochEnd(epoch, logs?.loss ?? NaN, logs?.acc ?? logs?.accuracy ?? NaN),
          },
        });
      },
      dispose() {
        tf.dispose([x, y]);
        disposeModel(model);
      },
    };
  }

  async predictor(spec: ModelSpec, test: Images): Promise<Predictor> {
    const model = buildModel(spec);
    const x = tf.tensor(test.x, shapeFor(spec, test), 'float32');
    return {
      model: null,
      run: () => readAndDispose(model.predict(x, { batchSize: PREDICT_BATCH }) as tf.Tensor),
      dispose() {
        x.dispose();
        disposeModel(model);
      },
    };
  }

  smallAdd(): PreparedOp {
    const a = tf.tensor1d(operandValues(4, 1), 'float32');
    const b = tf.tensor1d(operandValues(4, 2), 'float32');
    return {
      run: () => tf.add(a, b).dispose(),
      dispose: () => tf.dispose([a, b]),
    };
  }

  matMul(shape: MatMulShape): PreparedOp {
    const [aShape, bShape] = operandShapes(shape);
    const a = tf.tensor2d(operandValues(aShape[0] * aShape[1], 3), aShape, 'float32');
    const b = tf.tensor2d(operandValues(bShape[0] * bShape[1], 4), bShape, 'float32');
    return {
      run() {
        const product = tf.matMul(a, b, shape.transposeA, shape.transposeB);
        try {
          product.dataSync();
        } finally {
          product.dispose();
        }
      },
      dispose: () => tf.dispose([a, b]),
    };
  }
}
