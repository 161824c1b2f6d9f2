import { checkOptions } from '../util/options.js';
import { Layer, type LayerConfig } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import { hasUnknownLength } from './stand-in-lengths.js';
import type { SymbolicShape } from './symbolic-shape.js';
import { rememberUnknownLengthOutput } from './unknown-length-outputs.js';
import type { SymbolicTensor } from './symbolic-tensor.js';
import type { OptionList } from './layer-options.js';

export interface InputConfig {
  /** Feature dimensions, without the batch: `[784]`; null for a length known only from the data (`[null, 8]`: sequences of 8 features). */
  shape: readonly (number | null)[];
  /** A fixed batch size; by default any. */
  batchSize?: number;
  /** The input layer's name, and the model input's. Default: a unique 'input_layer'. */
  name?: string;
  /** The input's dtype: 'float32' (the default), 'int32' (indices for an Embedding) or 'bool'. */
  dtype?: LayerConfig['dtype'];
}

/**
 * Declares a model's input shape. As the first layer of a Sequential it lets the model build
 * its weights, and `summary()` print, before any data is seen; it passes inputs through. Its
 * `output` is the symbolic tensor a functional model starts from.
 */
export class InputLayer extends Layer {
  static override readonly className = 'InputLayer';
  static override readonly options: OptionList = {};

  constructor(config: LayerConfig = {}) {
    if (!config.batchInputShape && !config.inputShape) throw new Error('InputLayer: expected inputShape or batchInputShape in the config');
    super(config);
    // Nothing to build: its shape is declared.
    this.built = true;
    this.recordNode([], false, {}, false, [{ shape: this.batchInputShape!, dtype: this.dtype }]);
    if (hasUnknownLength(this.batchInputShape!)) rememberUnknownLengthOutput(this, this.batchInputShape!);
  }

  /** It passes its input on, and so its mask. */
  override get supportsMasking(): boolean {
    return true;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
}
registerClass(InputLayer as LayerClass);

/**
 * Keras's `Input(shape)`: the symbolic tensor a functional model starts from
 * (`new Model({inputs, outputs})`), made by a new InputLayer. A Sequential also takes it as its
 * first entry, for that InputLayer.
 */
export function Input(config: InputConfig): SymbolicTensor {
  checkOptions('Input', config, { shape: true, batchSize: true, name: true, dtype: true });
  if (!Array.isArray(config?.shape) || config.shape.some((d) => d !== null && (!Number.isInteger(d) || d <= 0))) {
    throw new Error(`Input: expected shape to be an array of positive integers or null (unknown), without the batch dimension, got ${JSON.stringify(config?.shape)}`);
  }
  return new InputLayer({
    batchInputShape: [config.batchSize ?? null, ...config.shape],
    ...(config.name === undefined ? {} : { name: config.name }),
    ...(config.dtype === undefined ? {} : { dtype: config.dtype }),
  }).output as SymbolicTensor;
}
