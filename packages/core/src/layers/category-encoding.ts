import { cast } from '../ops/cast.js';
import { Tensor } from '../tensor/tensor.js';
import { describeValue, numberArgument, POSITIVE_INTEGER } from '../util/arguments.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { describe, type CallKwargs } from './call-signature.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import { ENCODING_MODES, encodedShape, encodeTokens, outputModeArgument, refuseSparse, type EncodingMode } from './token-encoding.js';

export interface CategoryEncodingConfig extends LayerConfig {
  /** How many tokens there are: inputs lie in [0, numTokens), and the encoding has numTokens entries. */
  numTokens: number;
  /** How to encode: see EncodingMode. Default 'multi_hot', as Keras. */
  outputMode?: EncodingMode;
  /** Keras's sparse output; only false (the default) is taken. */
  sparse?: boolean;
}

/**
 * Keras's CategoryEncoding: integer tokens of a known range as one-hot rows, multi-hot rows or
 * counts (float32), for inputs of rank 1 (one sample) or 2 (a batch of samples). `apply(x,
 * {countWeights})` weighs each token's count in 'count' mode, as Keras's `count_weights`. A token
 * outside [0, numTokens), or a float one that is not a whole number, is an error naming it:
 * Keras promises an error there, so the tokens are read back and checked on the host. Float32
 * tokens holding whole numbers (what a graph input or a Dataset of floats carries) are taken.
 * No gradient flows to the tokens.
 */
export class CategoryEncoding extends Layer {
  static override readonly className = 'CategoryEncoding';
  static override readonly options: OptionList = { numTokens: true, outputMode: true, sparse: true } satisfies OwnOptions<CategoryEncodingConfig, LayerConfig>;
  static override readonly callOptions: OptionList = { countWeights: true };
  readonly numTokens: number;
  readonly outputMode: EncodingMode;

  constructor(config: CategoryEncodingConfig) {
    super(config);
    this.numTokens = numberArgument('CategoryEncoding', 'numTokens', config.numTokens, POSITIVE_INTEGER);
    this.outputMode = outputModeArgument('CategoryEncoding', config.outputMode, ENCODING_MODES, 'multi_hot');
    refuseSparse('CategoryEncoding', config.sparse);
  }

  override call(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    const countWeights = this.#countWeights(kwargs.countWeights, inputs);
    this.#checkTokens(inputs);
    return encodeTokens(this.label, inputs.dtype === 'int32' ? inputs : cast(inputs, 'int32'), this.outputMode, this.numTokens, countWeights);
  }

  /** The weights `apply` was given, as float32 of the tokens' shape; only 'count' takes any. */
  #countWeights(given: unknown, inputs: Tensor): Tensor | undefined {
    if (given === undefined || given === null) return undefined;
    if (this.outputMode !== 'count') throw new Error(`${this.label}: countWeights weighs counts, so it needs outputMode 'count', got outputMode '${this.outputMode}'`);
    if (!(given instanceof Tensor) || !shapesEqual(given.shape, inputs.shape)) {
      throw new Error(`${this.label}: countWeights must be a tensor of the inputs' shape ${formatShape(inputs.shape)}, got ${given instanceof Tensor ? `shape ${formatShape(given.shape)}` : describe(given)}`);
    }
    return given.dtype === 'float32' ? given : cast(given, 'float32');
  }

  /** Throws, naming the first bad token and where it is, unless every token is a whole number in [0, numTokens). */
  #checkTokens(inputs: Tensor): void {
    const values = inputs.dataSync();
    const bad = values.findIndex((v) => !(Number.isInteger(v) && v >= 0 && v < this.numTokens));
    if (bad < 0) return;
    throw new Error(`${this.label}: tokens must be integers in [0, ${this.numTokens}) (numTokens ${this.numTokens}), got ${describeValue(values[bad])} at flat index ${bad} of inputs of shape ${formatShape(inputs.shape)}`);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return encodedShape(this.label, this.outputMode, inputShape, this.numTokens);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), numTokens: this.numTokens, outputMode: this.outputMode, sparse: false };
  }
}
registerClass(CategoryEncoding as LayerClass);
