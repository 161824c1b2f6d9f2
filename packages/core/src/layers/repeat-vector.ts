import { broadcastTo } from '../ops/broadcast-to.js';
import { expandDims } from '../ops/reshape.js';
import type { Tensor } from '../tensor/tensor.js';
import { numberArgument, POSITIVE_INTEGER } from '../util/arguments.js';
import { formatShape } from '../util/shape.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface RepeatVectorConfig extends LayerConfig {
  /** How many times each sample is repeated. */
  n: number;
}

/**
 * Keras's RepeatVector: each sample of [batch, features] repeated `n` times, [batch, n, features]
 * (as when one encoding feeds every step of a decoder). `new RepeatVector(3)`.
 */
export class RepeatVector extends Layer {
  static override readonly className = 'RepeatVector';
  static override readonly options: OptionList = { n: true } satisfies OwnOptions<RepeatVectorConfig, LayerConfig>;
  readonly n: number;

  constructor(nOrConfig: number | RepeatVectorConfig, config: Omit<RepeatVectorConfig, 'n'> = {}) {
    const full: RepeatVectorConfig = typeof nOrConfig === 'number' ? { ...config, n: nOrConfig } : nOrConfig;
    super(full);
    this.n = numberArgument('RepeatVector', 'n', full.n, POSITIVE_INTEGER);
  }

  #checkRank(shape: SymbolicShape): void {
    if (shape.length !== 2) throw new Error(`RepeatVector '${this.name}': expected inputs of rank 2 [batch, features], got shape ${formatShape(shape.map((d) => d ?? -1))}`);
  }

  override call(inputs: Tensor): Tensor {
    this.#checkRank(inputs.shape);
    const [batch, features] = inputs.shape as [number, number];
    return broadcastTo(expandDims(inputs, 1), [batch, this.n, features]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.#checkRank(inputShape);
    return [inputShape[0] ?? null, this.n, inputShape[1] ?? null];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), n: this.n };
  }
}
registerClass(RepeatVector as LayerClass);
