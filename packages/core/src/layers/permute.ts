import { transpose } from '../ops/transpose.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../util/arguments.js';
import { formatShape } from '../util/shape.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface PermuteConfig extends LayerConfig {
  /** The new order of the sample's axes, numbered from 1 (the batch axis, 0, stays first). */
  dims: readonly number[];
}

/**
 * Keras's Permute: the axes of each sample reordered, the batch axis kept first.
 * `new Permute([2, 1])` turns [batch, steps, features] into [batch, features, steps].
 */
export class Permute extends Layer {
  static override readonly className = 'Permute';
  static override readonly options: OptionList = { dims: true } satisfies OwnOptions<PermuteConfig, LayerConfig>;
  readonly dims: readonly number[];

  constructor(dimsOrConfig: readonly number[] | PermuteConfig, config: Omit<PermuteConfig, 'dims'> = {}) {
    const full: PermuteConfig = Array.isArray(dimsOrConfig) ? { ...config, dims: dimsOrConfig } : dimsOrConfig as PermuteConfig;
    super(full);
    const dims: unknown = full.dims;
    const isPermutation = Array.isArray(dims) && dims.length > 0 && [...dims].sort((a, b) => a - b).every((d, i) => d === i + 1);
    if (!isPermutation) {
      throw new Error(`Permute: dims must be a permutation of 1..n over the sample's axes (the batch axis 0 is not among them), got ${describeValue(dims)}`);
    }
    this.dims = [...full.dims];
  }

  #checkRank(shape: SymbolicShape): void {
    if (shape.length !== this.dims.length + 1) {
      throw new Error(
        `Permute '${this.name}': dims ${JSON.stringify(this.dims)} expect inputs of rank ${this.dims.length + 1} (the batch and ${this.dims.length} axes),`
        + ` got shape ${formatShape(shape.map((d) => d ?? -1))}`,
      );
    }
  }

  override call(inputs: Tensor): Tensor {
    this.#checkRank(inputs.shape);
    return transpose(inputs, [0, ...this.dims]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.#checkRank(inputShape);
    return [inputShape[0] ?? null, ...this.dims.map((d) => inputShape[d] ?? null)];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), dims: [...this.dims] };
  }
}
registerClass(Permute as LayerClass);
