import { add, Layer, matMul, registerClass, type ConfigDict, type LayerConfig, type Shape, type Tensor, type Variable } from '@perceptron/core';

export interface PerceptronLayerConfig extends LayerConfig {
  neurons?: number;
}

/** The lab's PerceptronLayer: Z = x·w + b, weights created when the input size is known. */
export class PerceptronLayer extends Layer {
  static override readonly className = 'PerceptronLayer';
  readonly neurons: number;
  w!: Variable;
  b!: Variable;

  constructor(config: PerceptronLayerConfig = {}) {
    super(config);
    this.neurons = config.neurons ?? 16;
    if (!Number.isInteger(this.neurons) || this.neurons < 1) {
      throw new Error(`PerceptronLayer: neurons must be a positive integer, got ${config.neurons}`);
    }
  }

  /** Deferred until the first call: the weight shape depends on the input's last dimension. */
  override build(inputShape: Shape): void {
    // As the lab's add_weight version: random_normal (Keras: mean 0, stddev 0.05) for both.
    this.w = this.addWeight('w', [inputShape[inputShape.length - 1]!, this.neurons], 'randomNormal');
    this.b = this.addWeight('b', [this.neurons], 'randomNormal');
  }

  override call(inputs: Tensor): Tensor {
    return add(matMul(inputs, this.w), this.b);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), neurons: this.neurons };
  }
}
registerClass(PerceptronLayer);
