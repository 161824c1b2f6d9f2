// Shared by training-api-layers/model/io tests: backends to run on, the lab's layer and model,
// and a small separable data set.
import * as pc from '@perceptron/core';
import { AVAILABLE } from '../src/backends.js';

/** Every backend that can run here (the suite's own discovery; unavailable ones are reported by the harness). */
export const MODEL_BACKENDS = AVAILABLE.map((b) => b.name);

/**
 * For a test that trains a recurrent model with fit: 1–3 s alone, and near vitest's default 5 s
 * when the 2-core CI machine also runs the browser suites beside it.
 */
export const TRAINING_TIMEOUT = 30_000;

/** The lab's PerceptronLayer, written as DESIGN.md shows it. */
export class PerceptronLayer extends pc.Layer {
  w!: pc.Variable;
  b!: pc.Variable;
  constructor(readonly neurons = 16, config: pc.LayerConfig = {}) {
    super(config);
  }
  override build(inputShape: pc.Shape) {
    this.w = this.addWeight('w', [inputShape[inputShape.length - 1]!, this.neurons], 'randomNormal');
    this.b = this.addWeight('b', [this.neurons], 'zeros');
  }
  override call(x: pc.Tensor) {
    return pc.add(pc.matMul(x, this.w), this.b);
  }
  override getConfig() {
    return { ...super.getConfig(), neurons: this.neurons };
  }
  static override fromConfig(_cls: pc.LayerClass, config: pc.ConfigDict) {
    return new PerceptronLayer(config.neurons as number, config);
  }
}
pc.registerClass(PerceptronLayer);

/** The lab's MultilayerPerceptron: three PerceptronLayers, relu between, softmax out. */
export class MultilayerPerceptron extends pc.Model {
  readonly perceptronLayer1 = new PerceptronLayer(16);
  readonly perceptronLayer2 = new PerceptronLayer(32);
  readonly perceptronLayer3: PerceptronLayer;
  constructor(readonly outputNeurons = 10, config: pc.LayerConfig = { name: 'multilayerPerceptron' }) {
    super(config);
    this.perceptronLayer3 = new PerceptronLayer(outputNeurons);
  }
  override call(x: pc.Tensor) {
    const h1 = pc.relu(this.perceptronLayer1.apply(x));
    const h2 = pc.relu(this.perceptronLayer2.apply(h1));
    return pc.softmax(this.perceptronLayer3.apply(h2));
  }
  override getConfig() {
    return { ...super.getConfig(), outputNeurons: this.outputNeurons };
  }
  static override fromConfig(_cls: pc.LayerClass, config: pc.ConfigDict) {
    return new MultilayerPerceptron(config.outputNeurons as number, config);
  }
}
pc.registerClass(MultilayerPerceptron);

/**
 * Two Gaussian blobs in `features` dimensions, centred at -1 and +1 (std 0.5), labels 0/1
 * (int32), drawn from a generator seeded with `seed`; alternating classes.
 */
export function blobs(n: number, features = 2, seed = 7): { x: pc.Tensor; y: pc.Tensor } {
  const generator = new pc.RandomGenerator(seed);
  const x = new Float32Array(n * features);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    for (let j = 0; j < features; j++) x[i * features + j] = (y[i] ? 1 : -1) + 0.5 * generator.nextNormal();
  }
  return { x: pc.tensor(x, [n, features]), y: pc.tensor(y, [n], 'int32') };
}

/** Four samples for a linear model with known weights, so tests can derive losses in float64. */
export const LINEAR: { x: number[][]; y: number[]; kernel: [number, number]; bias: number } = {
  x: [[1, 2], [3, -1], [0.5, 0.5], [-2, 1]],
  y: [1, 0, 2, -1],
  kernel: [0.5, -0.25],
  bias: 0.1,
};

/** y = x·[0.5, −0.25] + 0.1: a Dense(1) named 'linear' with LINEAR's weights and `config`. */
export function linearModel(config: Omit<pc.DenseConfig, 'units'> = {}): pc.Sequential {
  const model = new pc.Sequential([pc.Input({ shape: [2] }), new pc.Dense(1, { name: 'linear', ...config })]);
  const kernel = pc.tensor(LINEAR.kernel, [2, 1]);
  const bias = pc.tensor([LINEAR.bias]);
  model.setWeights([kernel, bias]);
  pc.dispose([kernel, bias]);
  return model;
}

/** The linear model's output for each of LINEAR's samples, in float64. */
export const linearOutputs = (): number[] => LINEAR.x.map(([a, b]) => a! * LINEAR.kernel[0] + b! * LINEAR.kernel[1] + LINEAR.bias);

/** Its residual (output − y) for each sample, in float64. */
export const linearResiduals = (): number[] => linearOutputs().map((o, i) => o - LINEAR.y[i]!);

export const sumOf = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0);
