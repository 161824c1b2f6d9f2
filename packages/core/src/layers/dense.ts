import { dense } from '../ops/dense.js';
import { reshape } from '../ops/reshape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { KernelLayer, type KernelLayerConfig } from './kernel-layer.js';
import type { ConfigDict } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import { requireKnownLastDimension } from './known-last-dimension.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface DenseConfig extends KernelLayerConfig {
  /** The output's last dimension: how many neurons. */
  units: number;
}

/**
 * activation(x·kernel + bias) over the last dimension. `new Dense(10, {activation: 'relu'})` or
 * `new Dense({units: 10, activation: 'relu'})`.
 */
export class Dense extends KernelLayer {
  static override readonly className = 'Dense';
  static override readonly options: OptionList = { units: true } satisfies OwnOptions<DenseConfig, KernelLayerConfig>;
  readonly units: number;

  constructor(unitsOrConfig: number | DenseConfig, config: Omit<DenseConfig, 'units'> = {}) {
    const full: DenseConfig = typeof unitsOrConfig === 'number' ? { ...config, units: unitsOrConfig } : unitsOrConfig;
    super(full);
    if (!Number.isInteger(full.units) || full.units <= 0) throw new Error(`Dense: units must be a positive integer, got ${JSON.stringify(full.units)}`);
    this.units = full.units;
  }

  override build(inputShape: Shape): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || inputDim === undefined) throw new Error(`Dense '${this.name}': expected inputs of rank >= 2 ([batch, features]), got shape [${inputShape.join(',')}]`);
    this.addKernelAndBias([inputDim, this.units]);
  }

  /** Each timestep of a sequence is computed alone, so the input's mask holds for the output. */
  override get supportsMasking(): boolean {
    return true;
  }

  override call(inputs: Tensor): Tensor {
    // Rank > 2: apply to every row of the last dimension, as Keras's Dense does.
    const rows = inputs.rank === 2 ? inputs : reshape(inputs, [-1, inputs.shape[inputs.rank - 1]!]);
    const output = this.activated((activation) => dense(rows, this.kernel!, this.bias, activation));
    return inputs.rank === 2 ? output : reshape(output, [...inputs.shape.slice(0, -1), this.units]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    requireKnownLastDimension(this.label, inputShape);
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), units: this.units };
  }
}
registerClass(Dense as LayerClass);
