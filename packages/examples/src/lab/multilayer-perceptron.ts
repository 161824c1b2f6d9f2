import { div, exp, max, Model, registerClass, relu, sub, sum, type ConfigDict, type LayerConfig, type Tensor } from '@perceptron/core';
import type { Print } from '../demos/print.js';
import { PerceptronLayer } from './perceptron-layer.js';

export interface MultilayerPerceptronConfig extends LayerConfig {
  /** Sizes of the hidden perceptron layers (the lab: 16, 32). */
  hidden?: readonly number[];
  outputNeurons?: number;
}

/**
 * The lab's MultilayerPerceptron: hidden PerceptronLayers with relu, then an output layer
 * whose logits go through a hand-written softmax, so the model outputs probabilities.
 */
export class MultilayerPerceptron extends Model {
  static override readonly className = 'MultilayerPerceptron';
  readonly hidden: readonly number[];
  readonly outputNeurons: number;
  // Layers assigned as properties are tracked: their weights become the model's weights.
  readonly perceptronLayers: PerceptronLayer[];
  readonly outputLayer: PerceptronLayer;

  constructor(config: MultilayerPerceptronConfig = {}) {
    super({ name: 'multilayerPerceptron', ...config });
    this.hidden = [...(config.hidden ?? [16, 32])];
    this.outputNeurons = config.outputNeurons ?? 10;
    this.perceptronLayers = this.hidden.map((neurons) => new PerceptronLayer({ neurons }));
    this.outputLayer = new PerceptronLayer({ neurons: this.outputNeurons });
  }

  feedModel(inputData: Tensor): Tensor {
    let x = inputData;
    for (const layer of this.perceptronLayers) x = relu(layer.apply(x));
    const logits = this.outputLayer.apply(x);
    // not logits but "probabilities" (the equivalent of softmax(logits))
    return this.softmax(logits);
  }

  /**
   * σ(z)_i = exp(z_i) / Σ_j exp(z_j), written with ops. The row maximum is subtracted first:
   * softmax(z - c) = softmax(z) for any constant c, and with c = max(z) every exponent is ≤ 0,
   * so exp cannot overflow to Infinity (exp(89) already does in float32) and give NaN = ∞/∞.
   */
  softmax(logits: Tensor): Tensor {
    const shifted = sub(logits, max(logits, -1, true));
    const e = exp(shifted);
    return div(e, sum(e, -1, true));
  }

  printTrainableWeights(print: Print = console.log): void {
    print(`Weights: ${this.weights.length}`);
    print(`Trainable weights: ${this.trainableWeights.length}`);
    print(`Non-trainable weights: ${this.nonTrainableWeights.length}`);
  }

  override call(inputData: Tensor): Tensor {
    return this.feedModel(inputData);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), hidden: [...this.hidden], outputNeurons: this.outputNeurons };
  }
}
registerClass(MultilayerPerceptron);
