import { reshape } from '../ops/reshape.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape, sizeOf } from '../util/shape.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface ReshapeConfig extends LayerConfig {
  /** Each sample's new shape, without the batch; one dimension may be -1 (inferred). */
  targetShape: readonly number[];
}

/** Keras's Reshape: each sample to `targetShape`, the batch kept. `new Reshape([28, 28, 1])` turns MNIST rows into images. */
export class Reshape extends Layer {
  static override readonly className = 'Reshape';
  static override readonly options: OptionList = { targetShape: true } satisfies OwnOptions<ReshapeConfig, LayerConfig>;
  readonly targetShape: readonly number[];

  constructor(targetShapeOrConfig: readonly number[] | ReshapeConfig, config: LayerConfig = {}) {
    const full: ReshapeConfig = Array.isArray(targetShapeOrConfig) ? { ...config, targetShape: targetShapeOrConfig } : targetShapeOrConfig as ReshapeConfig;
    super(full);
    const target: unknown = full.targetShape;
    const valid = Array.isArray(target) && target.every((d) => Number.isInteger(d) && (d > 0 || d === -1)) && target.filter((d) => d === -1).length <= 1;
    if (!valid) throw new Error(`Reshape: targetShape must be an array of positive integers with at most one -1, got ${JSON.stringify(target)}`);
    this.targetShape = [...full.targetShape];
  }

  override call(inputs: Tensor): Tensor {
    return reshape(inputs, [inputs.shape[0]!, ...this.#resolve(inputs.shape.slice(1))]);
  }

  /** The target with its -1 inferred from a sample's `sampleShape`, or an error naming both. */
  #resolve(sampleShape: readonly number[]): number[] {
    const size = sizeOf(sampleShape);
    const known = sizeOf(this.targetShape.filter((d) => d !== -1));
    const inferred = size / known;
    const fits = this.targetShape.includes(-1) ? Number.isInteger(inferred) : size === known;
    if (!fits) {
      throw new Error(
        `Reshape '${this.name}': cannot reshape samples of shape ${formatShape(sampleShape)} (${size} values) into target shape ${formatShape(this.targetShape)}`
        + ` (${this.targetShape.includes(-1) ? `a multiple of ${known}` : known} values)`,
      );
    }
    return this.targetShape.map((d) => (d === -1 ? inferred : d));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const sample = inputShape.slice(1);
    const target = sample.includes(null) ? this.targetShape.map((d) => (d === -1 ? null : d)) : this.#resolve(sample as number[]);
    return [inputShape[0] ?? null, ...target];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }
}
registerClass(Reshape as LayerClass);
