import type { InitializerIdentifier } from '../initializers/index.js';
import { cast } from '../ops/cast.js';
import { notEqual } from '../ops/compare.js';
import { gather } from '../ops/gather.js';
import { optionalRegularizer } from '../regularizers/get-regularizer.js';
import { serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Shape } from '../types.js';
import { serializeInitializer } from './initializer-config.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import type { LayerMask } from './mask.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface EmbeddingConfig extends LayerConfig {
  /** How many indices there are: inputs lie in [0, inputDim). */
  inputDim: number;
  /** The length of each index's vector. */
  outputDim: number;
  /** Default 'randomUniform' (−0.05..0.05), Keras's 'uniform'. */
  embeddingsInitializer?: InitializerIdentifier;
  /** A penalty on the [inputDim, outputDim] embeddings matrix added to the training loss ('l2', new L2({l2: 1e-4}), ...); default none. */
  embeddingsRegularizer?: RegularizerIdentifier | null;
  /**
   * Index 0 is padding: the output's mask is false where the input is 0, so the recurrent layers
   * after it skip those steps (index 0 then means nothing else: inputDim counts it). Default false.
   */
  maskZero?: boolean;
}

/**
 * Keras's Embedding: each index becomes row `index` of the [inputDim, outputDim] matrix
 * `embeddings`, so inputs of any shape gain a last dimension of outputDim. Indices are int32;
 * float32 ones (what a graph input or a Dataset of floats carries) are cast, which drops a
 * fractional part as Keras's cast does. The gradient adds up over repeated indices.
 */
export class Embedding extends Layer {
  static override readonly className = 'Embedding';
  static override readonly options: OptionList = { inputDim: true, outputDim: true, embeddingsInitializer: true, embeddingsRegularizer: true, maskZero: true } satisfies OwnOptions<EmbeddingConfig, LayerConfig>;
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: InitializerIdentifier;
  readonly embeddingsRegularizer: Regularizer | null;
  readonly maskZero: boolean;
  embeddings: Variable | null = null;

  constructor(config: EmbeddingConfig) {
    super(config);
    for (const key of ['inputDim', 'outputDim'] as const) {
      const value = config[key];
      if (!Number.isInteger(value) || value <= 0) throw new Error(`Embedding: ${key} must be a positive integer, got ${JSON.stringify(value)}`);
    }
    this.inputDim = config.inputDim;
    this.outputDim = config.outputDim;
    this.embeddingsInitializer = config.embeddingsInitializer ?? 'randomUniform';
    this.embeddingsRegularizer = optionalRegularizer(config.embeddingsRegularizer);
    this.maskZero = config.maskZero ?? false;
  }

  override build(_inputShape: Shape): void {
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], this.embeddingsInitializer, { regularizer: this.embeddingsRegularizer });
  }

  /** The weights do not depend on the input's shape: any shape of indices fits. */
  protected override checkBuiltInputShape(): void {}

  override call(inputs: Tensor): Tensor {
    const indices = inputs.dtype === 'int32' ? inputs : cast(inputs, 'int32');
    try {
      return gather(this.embeddings!, indices);
    } catch (error) {
      throw new Error(`Embedding '${this.name}' (inputDim ${this.inputDim}): ${(error as Error).message}`, { cause: error });
    }
  }

  override computeMask(inputs: Tensor | Tensor[], _mask?: LayerMask): LayerMask {
    return this.maskZero ? notEqual([inputs].flat()[0]!, 0) : null;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape, this.outputDim];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: serializeInitializer(this.embeddingsInitializer),
      embeddingsRegularizer: serializeRegularizer(this.embeddingsRegularizer),
      maskZero: this.maskZero,
    };
  }
}
registerClass(Embedding as LayerClass);
